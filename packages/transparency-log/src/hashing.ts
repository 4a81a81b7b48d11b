/**
 * The Merkle tree hashes of RFC 9162 §2.1.1: a leaf is SHA-256(0x00 || leaf), an inner node
 * SHA-256(0x01 || left || right), the empty tree SHA-256 of nothing. SHA-256 from
 * @repro-registry/attestation (written for the canister's interpreter).
 */
import { sha256 } from '@repro-registry/attestation';

const LEAF_PREFIX = Uint8Array.of(0);
const NODE_PREFIX = Uint8Array.of(1);

export const leafHash = (leaf: Uint8Array): Uint8Array => sha256(LEAF_PREFIX, leaf);
export const nodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array =>
  sha256(NODE_PREFIX, left, right);
export const EMPTY_ROOT = sha256();

/** The largest power of two strictly below `n` (n ≥ 2): where RFC 9162 splits a tree. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The largest power of two at most `n` (n ≥ 1); plain arithmetic, exact up to 2^53. */
export function highestPowerOfTwo(n: number): number {
  let k = 1;
  while (k * 2 <= n) k *= 2;
  return k;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
