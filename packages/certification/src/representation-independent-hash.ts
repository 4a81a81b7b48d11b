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

function valueHash(value: HashableValue): Uint8Array {
  if (typeof value === 'string') return sha256(utf8Encode(value));
  if (value instanceof Uint8Array) return sha256(value);
  return sha256(leb128(value));
}

export function representationIndependentHash(
  entries: readonly (readonly [string, HashableValue])[],
): Uint8Array {
  const pairs = entries.map(([key, value]) => {
    const pair = new Uint8Array(64);
    pair.set(sha256(utf8Encode(key)), 0);
    pair.set(valueHash(value), 32);
    return pair;
  });
  pairs.sort(compareBytes);
  return sha256(...pairs);
}
