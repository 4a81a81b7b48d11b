import type { CborValue } from './cbor';
import { concatBytes, compareBytes, encodeSleb128, encodeUleb128, sha256, utf8 } from './encoding';

/**
 * The representation-independent hash of the interface specification ("hash_of_map"): the
 * request id of a request's `content`, the signed message of a delegation, the hash signed in a
 * node's query response. Numbers decoded from CBOR may be `number` or `bigint`; both hash as
 * the same LEB128, so a value decoded either way gives the same id.
 */
export function hashOfMap(map: Record<string, CborValue>): Uint8Array {
  const pairs: Uint8Array[] = [];
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    pairs.push(concatBytes(sha256(utf8(key)), hashValue(value)));
  }
  pairs.sort(compareBytes);
  return sha256(...pairs);
}

export function hashValue(value: CborValue): Uint8Array {
  if (value instanceof Uint8Array) return sha256(value);
  if (typeof value === 'string') return sha256(utf8(value));
  if (typeof value === 'number' || typeof value === 'bigint') {
    const v = BigInt(value);
    return sha256(v >= 0n ? encodeUleb128(v) : encodeSleb128(v));
  }
  if (Array.isArray(value)) return sha256(...value.map(hashValue));
  if (value !== null && typeof value === 'object') return hashOfMap(value);
  throw new TypeError(`cannot hash a value of type ${value === null ? 'null' : typeof value}`);
}

export const requestIdOf = hashOfMap;
