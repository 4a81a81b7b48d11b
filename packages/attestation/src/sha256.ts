/**
 * SHA-256 (FIPS 180-4) written for interpreters, like `sha512.ts`.
 *
 * The registry's transparency log and certified state hash on every change (Merkle nodes,
 * labelled hash tree nodes, the digest of an envelope), inside the canister, where azle's
 * QuickJS interprets every operation. Measured there (instruction counts of the probe canister
 * in packages/transparency-log): @noble/hashes' SHA-256 costs about 1.9 M instructions per
 * 64-byte block, so one Merkle node (two blocks) costs 3.6 M and a 2.6 KB envelope 80 M. The
 * rounds unrolled (`sha256-compress.ts`, generated) cost 0.64 M per block. Tests compare this
 * with node:crypto and @noble/hashes on every length across the padding boundaries.
 */
import { compress } from './sha256-compress';

const INITIAL = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/** SHA-256 of the concatenation of `parts` (joined while padding, not copied first). */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  // Padding: 0x80, zeros, then the bit length as a 64-bit big-endian integer.
  const end = Math.floor((length + 9 + 63) / 64) * 64;
  const padded = new Uint8Array(end);
  let at = 0;
  for (const p of parts) {
    padded.set(p, at);
    at += p.length;
  }
  padded[length] = 0x80;
  const bits = length * 8; // < 2^53 for any array that fits in memory
  const high = (bits / 4294967296) | 0;
  for (let i = 0; i < 4; i++) {
    padded[end - 1 - i] = (bits >>> (8 * i)) & 0xff;
    padded[end - 5 - i] = (high >>> (8 * i)) & 0xff;
  }
  const state = new Int32Array(INITIAL);
  for (let offset = 0; offset < end; offset += 64) compress(padded, offset, state);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const w = state[i];
    out[i * 4] = w >>> 24;
    out[i * 4 + 1] = (w >>> 16) & 0xff;
    out[i * 4 + 2] = (w >>> 8) & 0xff;
    out[i * 4 + 3] = w & 0xff;
  }
  return out;
}
