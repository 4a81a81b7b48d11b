/**
 * Byte helpers the network needs that its dependencies do not provide: SHA-2 digests through
 * node:crypto (faster than a JavaScript SHA-256 on the request path) and byte equality. Label
 * order comes from `@repro-registry/certification`, hex, UTF-8 and concatenation come from `@noble/hashes`,
 * LEB128 from `@dfinity/candid`.
 */
import { createHash } from 'node:crypto';

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export function sha224(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha224').update(data).digest());
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
