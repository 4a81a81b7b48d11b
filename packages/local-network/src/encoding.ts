/**
 * Byte helpers the network needs that its dependencies do not provide: SHA-2 digests through
 * node:crypto (faster than a JavaScript SHA-256 on the request path), the specification's
 * hash of a map on top of them, and byte equality. Label order comes from
 * `@repro-registry/certification`, hex, UTF-8 and concatenation come from `@noble/hashes`,
 * LEB128 from `@dfinity/candid`.
 */
import { createHash } from 'node:crypto';

import { lebEncode } from '@dfinity/candid';

import type { CborMap, CborValue } from './cbor';

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export function sha224(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha224').update(data).digest());
}

/**
 * The interface specification's representation-independent hash of a map: a request's id, and
 * what a node signs in a query's answer. The same as agent-js's `hashOfMap` (tests compare them),
 * with node:crypto's SHA-256: every query's answer is hashed whole before it is signed, and the
 * agent's JavaScript SHA-256 spent ~25 ms on a 1.5 MB page of attestations, this ~2 ms.
 * Throws on what the specification cannot hash (booleans, null, negative numbers), as the agent.
 * Clients have the same rule with WebCrypto's asynchronous SHA-256 (`hashOfMapAsync` in
 * packages/client); the network's request path stays synchronous. Both are tested against
 * agent-js's `hashOfMap`.
 */
export function hashOfMap(map: CborMap): Uint8Array {
  const fields: Uint8Array[] = [];
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    const field = new Uint8Array(64);
    field.set(sha256(new TextEncoder().encode(key)));
    field.set(hashValue(value), 32);
    fields.push(field);
  }
  // Sorted by the key's hash, which the first 32 bytes of each field are (hashes are unique).
  fields.sort(compareBytes);
  return sha256(...fields);
}

function hashValue(value: CborValue): Uint8Array {
  if (typeof value === 'string') return sha256(new TextEncoder().encode(value));
  if (value instanceof Uint8Array) return sha256(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (value < 0) throw new Error(`a negative number cannot be hashed: ${value}`);
    return sha256(lebEncode(value));
  }
  if (Array.isArray(value)) return sha256(...value.map(hashValue));
  if (typeof value === 'object' && value !== null) return hashOfMap(value);
  throw new Error(`${String(value)} cannot be hashed`);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
