import { createHash, webcrypto } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { attestation, testBuilder } from '../test-support/fixtures';
import { detectNativeCrypto, sha256HexOf } from './native';
import { verifyStoredAttestation, verifyStoredAttestationAsync } from './verify';

describe('detectNativeCrypto', () => {
  it('finds a working Ed25519 in WebCrypto', async () => {
    const native = await detectNativeCrypto(webcrypto.subtle as unknown as SubtleCrypto);
    expect(native.ed25519).toBeDefined();
  });

  it('finds nothing where there is no WebCrypto, and verification still works', async () => {
    expect(await detectNativeCrypto(null)).toEqual({});
  });

  it('verifies with native primitives exactly as without them', async () => {
    const native = await detectNativeCrypto(webcrypto.subtle as unknown as SubtleCrypto);
    const a = attestation({ id: 1n, builder: testBuilder('native') });
    expect(await verifyStoredAttestationAsync(a, a.envelope, native)).toEqual(
      verifyStoredAttestation(a, a.envelope),
    );
    const tampered = a.envelope.slice();
    tampered[tampered.length - 5] ^= 1;
    expect(await verifyStoredAttestationAsync(a, tampered, native)).toEqual(
      verifyStoredAttestation(a, tampered),
    );
  });
});

describe('sha256HexOf', () => {
  it('gives the SHA-256 of the bytes, with WebCrypto and without', async () => {
    const bytes = attestation({ id: 1n, builder: testBuilder('digest') }).envelope;
    const expected = createHash('sha256').update(bytes).digest('hex');
    expect(await sha256HexOf(bytes, webcrypto.subtle as unknown as SubtleCrypto)).toBe(expected);
    expect(await sha256HexOf(bytes, null)).toBe(expected);
  });
});
