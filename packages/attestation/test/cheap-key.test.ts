import * as ed from '@noble/ed25519';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { isStrictEd25519PublicKey, passesCheapKeyChecks } from '../src/keys';

function decodesLeniently(pk: Uint8Array): boolean {
  try {
    ed.Point.fromBytes(pk, true);
    return true;
  } catch {
    return false;
  }
}

const P = (1n << 255n) - 19n;
function encodeY(y: bigint, sign: boolean): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((y >> BigInt(8 * i)) & 0xffn);
  if (sign) out[31] = out[31] | 0x80;
  return out;
}

describe('passesCheapKeyChecks', () => {
  const keys: Uint8Array[] = [];
  // Random valid keys, random bytes, every small-order point and non-canonical encodings.
  for (let i = 0; i < 300; i++) keys.push(ed.getPublicKey(new Uint8Array(randomBytes(32))));
  for (let i = 0; i < 300; i++) keys.push(new Uint8Array(randomBytes(32)));
  for (const y of [0n, 1n, P - 1n, 2n, 3n, P - 2n])
    for (const s of [false, true]) keys.push(encodeY(y, s));
  for (let d = 0n; d < 19n; d++) for (const s of [false, true]) keys.push(encodeY(P + d, s)); // y ≥ p
  for (const hex of [
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  ]) {
    const b = Uint8Array.from(Buffer.from(hex, 'hex'));
    keys.push(b);
    const flipped = b.slice();
    flipped[31] = flipped[31] ^ 0x80;
    keys.push(flipped);
  }

  it('never refuses a strict key', () => {
    for (const k of keys)
      if (isStrictEd25519PublicKey(k)) expect(passesCheapKeyChecks(k)).toBe(true);
  });

  it('with a lenient decoding, accepts only strict keys', () => {
    let decodableAndPassing = 0;
    for (const k of keys) {
      if (passesCheapKeyChecks(k) && decodesLeniently(k)) {
        decodableAndPassing++;
        expect(isStrictEd25519PublicKey(k), Buffer.from(k).toString('hex')).toBe(true);
      }
    }
    expect(decodableAndPassing).toBeGreaterThan(300);
  });

  it('refuses every small-order point (the identity is among the keys above)', () => {
    for (let k = 1; k < 8; k++) {
      // The 8-torsion points: multiples of a point of order 8.
      const torsion = ed.Point.fromBytes(
        Uint8Array.from(
          Buffer.from('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', 'hex'),
        ),
        true,
      );
      const point = torsion.multiplyUnsafe(BigInt(k));
      expect(passesCheapKeyChecks(point.toBytes())).toBe(false);
    }
  });
});
