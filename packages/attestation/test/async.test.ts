import { webcrypto } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { verifyAttestation, verifyAttestationAsync, type Ed25519Verifier } from '../src/index';
import { invalidVectors, validVectors } from './vectors';

/** A native verifier as browsers have it: WebCrypto Ed25519 (here Node's, OpenSSL underneath). */
const webCryptoVerifier: Ed25519Verifier = async ({ signature, message, publicKey }) => {
  const key = await webcrypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, [
    'verify',
  ]);
  return webcrypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
};

const all = [...validVectors, ...invalidVectors];

describe('verifyAttestationAsync', () => {
  it.each(all.map((v) => [v.file, v] as const))(
    'decides %s exactly as verifyAttestation',
    async (_f, vector) => {
      const expected = verifyAttestation(vector.bytes);
      expect(await verifyAttestationAsync(vector.bytes, webCryptoVerifier)).toEqual(expected);
      // A native check that refuses everything leaves the decision to noble: same outcome.
      expect(await verifyAttestationAsync(vector.bytes, async () => false)).toEqual(expected);
      // A native check that fails leaves it to noble too.
      expect(
        await verifyAttestationAsync(vector.bytes, async () => {
          throw new Error('no Ed25519 in this browser');
        }),
      ).toEqual(expected);
      expect(await verifyAttestationAsync(vector.bytes)).toEqual(expected);
    },
  );

  it('uses the native check for valid signatures', async () => {
    let calls = 0;
    const counting: Ed25519Verifier = async (args) => {
      calls++;
      return webCryptoVerifier(args);
    };
    for (const v of validVectors)
      expect((await verifyAttestationAsync(v.bytes, counting)).ok).toBe(true);
    expect(calls).toBe(validVectors.length);
  });
});
