/**
 * The records a stored labelled tree keeps, as bytes. Every map has a header (its root ref);
 * each inner fork of its crit-bit shape a node record (its two child refs); each label an entry
 * record (a leaf value or a nested map). A ref carries the digest of what it points to, so a
 * witness prunes a subtree without reading it and a commit re-hashes only what changed.
 *
 *   header key  'H' map(u32)                        value  ref | empty
 *   node key    'N' map(u32) bit(u16) prefix bytes  value  ref ref
 *   entry key   'E' map(u32) label                  value  0 subDigest(32) value | 1 subDigest(32) map(u32)
 *   counter key 'C'                                 value  next map id (u32)
 *   ref                                                    kind(u8) bit(u16) length(u16) label digest(32)
 */
import { prefixBytes } from './bits';

export type Ref =
  | { kind: 'entry'; label: Uint8Array; digest: Uint8Array }
  /** `label` is the smallest label below the node; `bit` its crit-bit position. */
  | { kind: 'node'; bit: number; label: Uint8Array; digest: Uint8Array };

export type EntryRecord =
  | { kind: 'value'; subDigest: Uint8Array; value: Uint8Array }
  | { kind: 'map'; subDigest: Uint8Array; map: number };

export const ROOT_MAP = 0;
export const COUNTER_KEY = Uint8Array.of(0x43);

function mapKey(tag: number, map: number, rest: Uint8Array): Uint8Array {
  const key = new Uint8Array(5 + rest.length);
  key[0] = tag;
  new DataView(key.buffer).setUint32(1, map);
  key.set(rest, 5);
  return key;
}

export const headerKey = (map: number): Uint8Array => mapKey(0x48, map, new Uint8Array(0));
export const entryKey = (map: number, label: Uint8Array): Uint8Array => mapKey(0x45, map, label);

export function nodeKey(map: number, bit: number, member: Uint8Array): Uint8Array {
  const prefix = prefixBytes(member, bit);
  const rest = new Uint8Array(2 + prefix.length);
  rest[0] = bit >> 8;
  rest[1] = bit & 0xff;
  rest.set(prefix, 2);
  return mapKey(0x4e, map, rest);
}

function refLength(ref: Ref): number {
  return 5 + ref.label.length + 32;
}

function writeRef(out: Uint8Array, at: number, ref: Ref): number {
  const bit = ref.kind === 'node' ? ref.bit : 0;
  out[at] = ref.kind === 'node' ? 1 : 0;
  out[at + 1] = bit >> 8;
  out[at + 2] = bit & 0xff;
  out[at + 3] = ref.label.length >> 8;
  out[at + 4] = ref.label.length & 0xff;
  out.set(ref.label, at + 5);
  out.set(ref.digest, at + 5 + ref.label.length);
  return at + refLength(ref);
}

function readRef(bytes: Uint8Array, at: number): { ref: Ref; end: number } {
  const length = (bytes[at + 3] << 8) | bytes[at + 4];
  const label = bytes.slice(at + 5, at + 5 + length);
  const digest = bytes.slice(at + 5 + length, at + 37 + length);
  const end = at + 37 + length;
  if (bytes[at] === 0) return { ref: { kind: 'entry', label, digest }, end };
  return { ref: { kind: 'node', bit: (bytes[at + 1] << 8) | bytes[at + 2], label, digest }, end };
}

export function encodeHeader(ref: Ref): Uint8Array {
  const out = new Uint8Array(refLength(ref));
  writeRef(out, 0, ref);
  return out;
}

export const decodeHeader = (bytes: Uint8Array): Ref => readRef(bytes, 0).ref;

export function encodeNode(left: Ref, right: Ref): Uint8Array {
  const out = new Uint8Array(refLength(left) + refLength(right));
  writeRef(out, writeRef(out, 0, left), right);
  return out;
}

export function decodeNode(bytes: Uint8Array): [Ref, Ref] {
  const left = readRef(bytes, 0);
  return [left.ref, readRef(bytes, left.end).ref];
}

export function encodeEntry(entry: EntryRecord): Uint8Array {
  const tail = entry.kind === 'value' ? entry.value : new Uint8Array(4);
  const out = new Uint8Array(33 + tail.length);
  out[0] = entry.kind === 'value' ? 0 : 1;
  out.set(entry.subDigest, 1);
  if (entry.kind === 'map') new DataView(out.buffer).setUint32(33, entry.map);
  else out.set(tail, 33);
  return out;
}

export function decodeEntry(bytes: Uint8Array): EntryRecord {
  const subDigest = bytes.slice(1, 33);
  if (bytes[0] === 0) return { kind: 'value', subDigest, value: bytes.slice(33) };
  return {
    kind: 'map',
    subDigest,
    map: new DataView(bytes.buffer, bytes.byteOffset).getUint32(33),
  };
}
