import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';

import { COMPRESS_PATH, compressSource } from '../scripts/generate-sha256';
import { sha256 } from './sha256';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const reference = (m: Uint8Array) => createHash('sha256').update(m).digest('hex');

describe('sha256', () => {
  it('matches FIPS 180-4 examples', () => {
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hex(sha256(new Uint8Array()))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(
      hex(
        sha256(
          new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
        ),
      ),
    ).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('matches node:crypto for every length across the padding boundaries', () => {
    for (let length = 0; length <= 600; length++) {
      const message = new Uint8Array(randomBytes(length));
      expect(hex(sha256(message)), `length ${length}`).toBe(reference(message));
    }
  });

  it('hashes the concatenation of its parts', () => {
    for (let n = 0; n < 200; n++) {
      const parts = Array.from(
        { length: n % 5 },
        (_, i) => new Uint8Array(randomBytes((n * 7 + i * 13) % 90)),
      );
      expect(hex(sha256(...parts))).toBe(reference(Buffer.concat(parts)));
    }
  });

  it('matches @noble/hashes on large random inputs', () => {
    for (const length of [65_536, 100_003, 1 << 20]) {
      const message = new Uint8Array(randomBytes(length));
      expect(hex(sha256(message))).toBe(hex(nobleSha256(message)));
    }
  });

  it('does not depend on the bytes around a subarray', () => {
    const backing = new Uint8Array(randomBytes(300));
    const view = backing.subarray(7, 250);
    expect(hex(sha256(view))).toBe(reference(view.slice()));
  });

  it('is the committed output of the generator', async () => {
    expect(readFileSync(COMPRESS_PATH, 'utf8')).toBe(await compressSource());
  });
});
