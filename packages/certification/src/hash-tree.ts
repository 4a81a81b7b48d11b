/**
 * The hash tree of the IC interface specification ("Certification"): the tree as it travels in
 * certificates and witnesses, its root hash (`reconstruct`), the specification's lookup, and its
 * CBOR encoding (self-described arrays `[0]`, `[1, l, r]`, `[2, label, t]`, `[3, value]`,
 * `[4, digest]`). Pure: SHA-256 from @repro-registry/attestation, so the same code runs in Node, browsers and
 * azle's QuickJS.
 */
import { decode } from '@dfinity/cbor';
import { sha256, utf8Encode } from '@repro-registry/attestation';

export type HashTree =
  | readonly [0]
  | readonly [1, HashTree, HashTree]
  | readonly [2, Uint8Array, HashTree]
  | readonly [3, Uint8Array]
  | readonly [4, Uint8Array];

/** A label given as bytes, or as text (its UTF-8 bytes). */
export type Label = Uint8Array | string;

export function labelBytes(label: Label): Uint8Array {
  return typeof label === 'string' ? utf8Encode(label) : label;
}

/** Lexicographic byte order (a proper prefix sorts first): the order of labels in a tree. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i] - b[i];
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function domainSeparator(name: string): Uint8Array {
  const bytes = utf8Encode(name);
  const out = new Uint8Array(bytes.length + 1);
  out[0] = bytes.length;
  out.set(bytes, 1);
  return out;
}
const EMPTY_SEP = domainSeparator('ic-hashtree-empty');
const FORK_SEP = domainSeparator('ic-hashtree-fork');
const LABELED_SEP = domainSeparator('ic-hashtree-labeled');
const LEAF_SEP = domainSeparator('ic-hashtree-leaf');

// SHA-256 written for interpreters: these digests are computed inside canisters on every change
// of certified data (see packages/attestation/src/sha256.ts for the measurement).
const hashOf = sha256;

const EMPTY_DIGEST = hashOf(EMPTY_SEP);

export const emptyDigest = (): Uint8Array => EMPTY_DIGEST;
export const forkDigest = (left: Uint8Array, right: Uint8Array): Uint8Array =>
  hashOf(FORK_SEP, left, right);
export const labeledDigest = (label: Uint8Array, sub: Uint8Array): Uint8Array =>
  hashOf(LABELED_SEP, label, sub);
export const leafDigest = (value: Uint8Array): Uint8Array => hashOf(LEAF_SEP, value);

/** The root hash of a (possibly pruned) tree: `reconstruct` of the specification. */
export function reconstruct(tree: HashTree): Uint8Array {
  switch (tree[0]) {
    case 0:
      return EMPTY_DIGEST;
    case 1:
      return forkDigest(reconstruct(tree[1]), reconstruct(tree[2]));
    case 2:
      return labeledDigest(tree[1], reconstruct(tree[2]));
    case 3:
      return leafDigest(tree[1]);
    case 4:
      return tree[1];
  }
}

export type LookupResult =
  | { status: 'found'; value: Uint8Array }
  | { status: 'absent' }
  | { status: 'unknown' }
  | { status: 'error' };

export type SubtreeResult =
  { status: 'found'; tree: HashTree } | { status: 'absent' } | { status: 'unknown' };

function flattenForks(tree: HashTree, out: HashTree[] = []): HashTree[] {
  if (tree[0] === 1) {
    flattenForks(tree[1], out);
    flattenForks(tree[2], out);
  } else if (tree[0] !== 0) {
    out.push(tree);
  }
  return out;
}

/** The child labelled `label` among the forks of `tree`, or a proof of its absence. */
function findLabel(tree: HashTree, label: Uint8Array): SubtreeResult {
  let sawPruned = false;
  for (const node of flattenForks(tree)) {
    if (node[0] === 4) {
      sawPruned = true;
      continue;
    }
    if (node[0] !== 2) continue;
    const c = compareBytes(label, node[1]);
    if (c === 0) return { status: 'found', tree: node[2] };
    // Labels increase from left to right: a pruned part before a larger label may hide it.
    if (c < 0) return { status: sawPruned ? 'unknown' : 'absent' };
    sawPruned = false;
  }
  return { status: sawPruned ? 'unknown' : 'absent' };
}

/** The subtree at `path`: found, provably absent, or unknown (pruned away). */
export function lookupSubtree(tree: HashTree, path: readonly Label[]): SubtreeResult {
  let node = tree;
  for (const label of path) {
    const next = findLabel(node, labelBytes(label));
    if (next.status !== 'found') return next;
    node = next.tree;
  }
  return { status: 'found', tree: node };
}

/** `lookup_path` of the specification: the leaf value at `path`. */
export function lookupPath(tree: HashTree, path: readonly Label[]): LookupResult {
  const sub = lookupSubtree(tree, path);
  if (sub.status !== 'found') return sub;
  const t = sub.tree;
  if (t[0] === 3) return { status: 'found', value: t[1] };
  if (t[0] === 4) return { status: 'unknown' };
  if (t[0] === 0) return { status: 'absent' };
  return { status: 'error' };
}

/**
 * CBOR (self-described) of a hash tree, as in certificates and the `IC-Certificate` header:
 * the bytes `encodeWithSelfDescribedTag` of @dfinity/cbor writes (tests compare them), written
 * directly — a hash tree has only small arrays, the kinds 0..4 and byte strings, and a generic
 * encoder costs several times more per node in the canister's interpreter (a page's witness
 * has a node per attestation and fork).
 */
export function encodeHashTree(tree: HashTree): Uint8Array {
  const out = new Uint8Array(3 + encodedSize(tree));
  out[0] = 0xd9; // tag 55799, "self-described CBOR"
  out[1] = 0xd9;
  out[2] = 0xf7;
  writeTree(out, 3, tree);
  return out;
}

const bytesHeaderSize = (n: number) => (n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5);

function encodedSize(t: HashTree): number {
  // Each node: an array header and its kind (one byte each).
  switch (t[0]) {
    case 0:
      return 2;
    case 1:
      return 2 + encodedSize(t[1]) + encodedSize(t[2]);
    case 2:
      return 2 + bytesHeaderSize(t[1].length) + t[1].length + encodedSize(t[2]);
    default:
      return 2 + bytesHeaderSize(t[1].length) + t[1].length;
  }
}

function writeBytes(out: Uint8Array, at: number, b: Uint8Array): number {
  const n = b.length;
  if (n < 24) out[at++] = 0x40 + n;
  else if (n < 0x100) {
    out[at++] = 0x58;
    out[at++] = n;
  } else if (n < 0x10000) {
    out[at++] = 0x59;
    out[at++] = n >> 8;
    out[at++] = n & 0xff;
  } else {
    out[at++] = 0x5a;
    new DataView(out.buffer, out.byteOffset).setUint32(at, n);
    at += 4;
  }
  out.set(b, at);
  return at + n;
}

function writeTree(out: Uint8Array, at: number, t: HashTree): number {
  out[at++] = 0x80 + t.length; // an array of 1..3 items
  out[at++] = t[0];
  switch (t[0]) {
    case 0:
      return at;
    case 1:
      return writeTree(out, writeTree(out, at, t[1]), t[2]);
    case 2:
      return writeTree(out, writeBytes(out, at, t[1]), t[2]);
    default:
      return writeBytes(out, at, t[1]);
  }
}

export class MalformedHashTreeError extends Error {
  override readonly name = 'MalformedHashTreeError';
}

/** Checks the shape of a decoded CBOR value and returns it as a hash tree. */
export function hashTreeFromCbor(value: unknown, depth = 0): HashTree {
  const bytes = (x: unknown): Uint8Array => {
    if (!(x instanceof Uint8Array)) throw new MalformedHashTreeError('label or value not bytes');
    return x;
  };
  if (depth > 128 || !Array.isArray(value)) throw new MalformedHashTreeError('not a tree node');
  const v = value as unknown[];
  switch (v[0]) {
    case 0:
      if (v.length === 1) return [0];
      break;
    case 1:
      if (v.length === 3)
        return [1, hashTreeFromCbor(v[1], depth + 1), hashTreeFromCbor(v[2], depth + 1)];
      break;
    case 2:
      if (v.length === 3) return [2, bytes(v[1]), hashTreeFromCbor(v[2], depth + 1)];
      break;
    case 3:
      if (v.length === 2) return [3, bytes(v[1])];
      break;
    case 4:
      if (v.length === 2 && bytes(v[1]).length === 32) return [4, bytes(v[1])];
      break;
  }
  throw new MalformedHashTreeError(`malformed node of kind ${String(v[0])}`);
}

export function decodeHashTree(cbor: Uint8Array): HashTree {
  return hashTreeFromCbor(decode(cbor));
}
