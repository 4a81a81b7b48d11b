/**
 * The representation-independent hash of a map ("hash of map" in the IC interface
 * specification), restricted to what HTTP certification hashes: text and natural-number values,
 * keys that may repeat (a header sent twice is two entries).
 */
import { sha256, utf8Encode } from '@repro-registry/attestation';

import { compareBytes } from './hash-tree';

export type HashableValue = string | number | bigint | Uint8Array;

function leb128(value: number | bigint): Uint8Array {
  let v = BigInt(value);
  if (v < 0n) throw new RangeError('a negative number has no unsigned LEB128 encoding');
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v === 0n ? byte : byte | 0x80);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

/**
 * Hashes of texts seen before: header names and most values repeat in every response, and
 * SHA-256 in a canister's interpreter costs ~0.6 M instructions per block. Bounded.
 */
const textHashes = new Map<string, Uint8Array>();
const TEXT_HASHES_KEPT = 512;

function textHash(text: string): Uint8Array {
  let hash = textHashes.get(text);
  if (hash === undefined) {
    if (textHashes.size >= TEXT_HASHES_KEPT) textHashes.clear();
    hash = sha256(utf8Encode(text));
    textHashes.set(text, hash);
  }
  return hash;
}

function valueHash(value: HashableValue): Uint8Array {
  if (typeof value === 'string') return textHash(value);
  if (value instanceof Uint8Array) return sha256(value);
  return sha256(leb128(value));
}

export function representationIndependentHash(
  entries: readonly (readonly [string, HashableValue])[],
): Uint8Array {
  const pairs = entries.map(([key, value]) => {
    const pair = new Uint8Array(64);
    pair.set(textHash(key), 0);
    pair.set(valueHash(value), 32);
    return pair;
  });
  pairs.sort(compareBytes);
  return sha256(...pairs);
}
