import { createHash, randomBytes } from 'node:crypto';

import { sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';

import { sha512 } from './sha512';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const reference = (m: Uint8Array) => createHash('sha512').update(m).digest('hex');

describe('sha512', () => {
  it('matches FIPS 180-4 examples', () => {
    expect(hex(sha512(new TextEncoder().encode('abc')))).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
    expect(hex(sha512(new Uint8Array()))).toBe(
      'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
    );
  });

  it('matches node:crypto for every length across the padding boundaries', () => {
    for (let length = 0; length <= 1100; length++) {
      const message = new Uint8Array(randomBytes(length));
      expect(hex(sha512(message)), `length ${length}`).toBe(reference(message));
    }
  });

  it('matches @noble/hashes on large random inputs', () => {
    for (const length of [65_536, 100_003, 1 << 20]) {
      const message = new Uint8Array(randomBytes(length));
      expect(hex(sha512(message))).toBe(hex(nobleSha512(message)));
    }
  });

  it('does not depend on the bytes around a subarray', () => {
    const backing = new Uint8Array(randomBytes(300));
    const view = backing.subarray(7, 250);
    expect(hex(sha512(view))).toBe(reference(view.slice()));
  });
});
