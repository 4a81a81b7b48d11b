import { bls12_381 } from '@noble/curves/bls12-381';
import { describe, expect, it } from 'vitest';

import { checkCertificatesWithoutGeneratorTable } from './certificate-checks';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('checkCertificatesWithoutGeneratorTable', () => {
  // Keys and signatures made before the setting, as a subnet makes them.
  const secret = bls12_381.utils.randomPrivateKey();
  const publicKey = bls12_381.getPublicKeyForShortSignatures(secret);
  const message = new TextEncoder().encode('ic-state-root');
  const signature = bls12_381.signShortSignature(message, secret);
  const otherKey = bls12_381.getPublicKeyForShortSignatures(bls12_381.utils.randomPrivateKey());
  const generatorTimes = (k: bigint) => bls12_381.G2.Point.BASE.multiply(k).toHex(true);
  const before = [3n, 0xd201000000010000n, bls12_381.fields.Fr.ORDER - 1n].map(generatorTimes);

  it('leaves every check’s answer as it was', () => {
    checkCertificatesWithoutGeneratorTable();
    const verify = (sig: Uint8Array, msg: Uint8Array, key: Uint8Array) =>
      bls12_381.verifyShortSignature(hex(sig), hex(msg), hex(key));
    expect(verify(signature, message, publicKey)).toBe(true);
    expect(verify(signature, new TextEncoder().encode('ic-state-roof'), publicKey)).toBe(false);
    expect(verify(signature, message, otherKey)).toBe(false);
    const flipped = signature.slice();
    flipped[47] ^= 1;
    expect(() => verify(flipped, message, publicKey)).toThrow();
    // The generator's multiples (what the subgroup check computes) are the same points.
    expect([3n, 0xd201000000010000n, bls12_381.fields.Fr.ORDER - 1n].map(generatorTimes)).toEqual(
      before,
    );
  });
});
