/**
 * The representation-independent hash of a query response (IC interface spec, "Hash of map"),
 * with an asynchronous SHA-256: WebCrypto's, native (Chromium here: 1.4 MB in ~7 ms, though on
 * the calling thread; noble's JS SHA-256 in the page: ~60 MB/s). The same values as the agent's
 * `hashOfMap` (request_id.js), which hashes the same maps synchronously with noble.
 */
import { compare, lebEncode } from '@dfinity/candid';
import { HashValueErrorCode, InputError, uint8FromBufLike } from '@dfinity/agent';
import { concatBytes } from '@noble/hashes/utils';

export type Sha256 = (bytes: Uint8Array) => Promise<Uint8Array>;

const utf8 = new TextEncoder();

/**
 * blob → sha256; text → sha256(utf8); nat → sha256(leb128); array → sha256(‖ hashes); map →
 * hash of map. The agent's cases in the agent's order, so that the same value hashes the same.
 */
function hashValue(value: unknown, sha256: Sha256): Promise<Uint8Array> {
  if (typeof value === 'string') return sha256(utf8.encode(value));
  if (typeof value === 'number') return sha256(lebEncode(value));
  if (value instanceof Uint8Array || ArrayBuffer.isView(value)) {
    return sha256(uint8FromBufLike(value));
  }
  if (Array.isArray(value)) {
    return Promise.all(value.map((v) => hashValue(v, sha256))).then((hashes) =>
      sha256(concatBytes(...hashes)),
    );
  }
  if (typeof value === 'object' && value !== null) {
    if ('_isPrincipal' in value && value._isPrincipal && 'toUint8Array' in value) {
      return sha256((value as { toUint8Array(): Uint8Array }).toUint8Array());
    }
    if ('toHash' in value && typeof value.toHash === 'function') {
      return hashValue((value as { toHash(): unknown }).toHash(), sha256);
    }
    return hashOfMapAsync(value as Record<string, unknown>, sha256);
  }
  if (typeof value === 'bigint') return sha256(lebEncode(value));
  // What the agent refuses to hash too (a response decoded from CBOR holds none of it).
  throw InputError.fromCode(new HashValueErrorCode(value));
}

/** sha256 of the pairs sha256(key) ‖ hash(value), sorted by key hash; undefined values left out. */
export async function hashOfMapAsync(
  map: Record<string, unknown>,
  sha256: Sha256,
): Promise<Uint8Array> {
  const pairs = await Promise.all(
    Object.entries(map)
      .filter(([, value]) => value !== undefined)
      .map(async ([key, value]) => {
        const [k, v] = await Promise.all([sha256(utf8.encode(key)), hashValue(value, sha256)]);
        return [k, v] as const;
      }),
  );
  pairs.sort(([k1], [k2]) => compare(k1, k2));
  return sha256(concatBytes(...pairs.flat()));
}
