import { webcrypto } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import {
  base64Decode,
  base64Encode,
  utf8Decode,
  utf8Encode,
  verifyAttestation,
  verifyAttestationAsync,
  type Ed25519Verifier,
} from '../src/index';
import { seededRandom } from './seeded';
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

  it('decides mutated envelopes and statements exactly as verifyAttestation (seeded)', async () => {
    // The async path reads JSON natively (json-native.ts); every outcome, code, field and
    // message must stay the general path's, for whatever bytes arrive.
    const random = seededRandom(0x1f2e3d4c);
    const interesting = [
      0x22, 0x5c, 0x2c, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d, 0x20, 0x00, 0x7f, 0x80, 0xc0, 0xed, 0xef,
      0xbb, 0xbf, 0xf4, 0x30, 0x39, 0x2d, 0x2e, 0x45, 0x65, 0x75, 0x41, 0x3d, 0x2b, 0x2f,
    ];
    const mutate = (source: Uint8Array): Uint8Array => {
      const bytes = Array.from(source);
      for (let k = 1 + random(3); k > 0; k--) {
        const at = random(bytes.length);
        const byte = interesting[random(interesting.length)];
        const op = random(4);
        if (op === 0) bytes[at] = byte;
        else if (op === 1) bytes.splice(at, 0, byte);
        else if (op === 2) bytes.splice(at, 1);
        else if (random(8) === 0) bytes.length = at;
        else bytes[at] = random(256);
      }
      return Uint8Array.from(bytes);
    };
    const outcomes = { ok: 0, refused: new Set<string>() };
    for (let round = 0; round < 150; round++) {
      const vector = validVectors[random(validVectors.length)];
      let bytes: Uint8Array;
      if (round % 3 === 0) {
        bytes = mutate(vector.bytes);
      } else if (round % 3 === 1) {
        // Whitespace after a separator of the envelope (which is not signed): still valid.
        const separators = [...vector.bytes.keys()].filter((i) => vector.bytes[i] === 0x2c);
        const at = separators[random(separators.length)] + 1;
        const space = [0x20, 0x0a, 0x09, 0x0d][random(4)];
        bytes = Uint8Array.from([
          ...vector.bytes.subarray(0, at),
          space,
          ...vector.bytes.subarray(at),
        ]);
      } else {
        // The statement mutated and signed over again is not possible without the key: the
        // signature fails, unless an earlier check refuses the statement first.
        const envelope = JSON.parse(utf8Decode(vector.bytes)) as { payload: string };
        envelope.payload = base64Encode(mutate(base64Decode(envelope.payload)));
        bytes = utf8Encode(JSON.stringify(envelope));
      }
      const expected = verifyAttestation(bytes);
      expect(await verifyAttestationAsync(bytes, webCryptoVerifier), `round ${round}`).toEqual(
        expected,
      );
      if (expected.ok) outcomes.ok++;
      else outcomes.refused.add(expected.error.code);
    }
    // Both sides of the fast path were exercised: kept values and many kinds of refusal.
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.refused.size).toBeGreaterThan(8);
  });
});
