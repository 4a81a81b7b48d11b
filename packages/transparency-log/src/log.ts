/**
 * An append-only Merkle log (RFC 9162 §2.1) kept in a `NodeStore` (stable memory in the
 * canister). It stores the hash of every complete perfect subtree ("node (level, index)" covers
 * leaves index·2^level .. (index+1)·2^level), so no operation rescans leaves:
 *
 * - append: one leaf hash, the merges the new leaf completes (one on average), and the right
 *   edge of the new tree (one hash per set bit of the size, the root last);
 * - the root and every proof at the current size read stored hashes only: the right edge of
 *   the current tree is kept in the head;
 * - proofs at an older size also hash the few right-edge nodes of that older tree.
 *
 * Store layout (one key space):
 *   'h'                        head: size (u64), then per set bit of the size from the highest
 *                              its perfect subtree's hash, then the right edge (root first)
 *   'n' level(u8) index(u64)   a perfect subtree's hash (level 0: leaf hashes)
 *   'l' index(u64)             the leaf bytes
 *   'k' key                    index(u64) of the leaf appended with this key
 */
import type { NodeStore } from '@repro-registry/certification';

import { LogError, LogErrorCode } from './codes';
import { EMPTY_ROOT, highestPowerOfTwo, leafHash, nodeHash, splitPoint } from './hashing';

/** Positions are plain numbers (exact below 2^53, far beyond any log here); u64 on the wire. */
function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  const high = Math.floor(n / 4294967296);
  const low = n >>> 0;
  out[0] = high >>> 24;
  out[1] = (high >>> 16) & 0xff;
  out[2] = (high >>> 8) & 0xff;
  out[3] = high & 0xff;
  out[4] = low >>> 24;
  out[5] = (low >>> 16) & 0xff;
  out[6] = (low >>> 8) & 0xff;
  out[7] = low & 0xff;
  return out;
}

function readU64(bytes: Uint8Array, at: number): number {
  const high =
    ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
  const low =
    ((bytes[at + 4] << 24) | (bytes[at + 5] << 16) | (bytes[at + 6] << 8) | bytes[at + 7]) >>> 0;
  return high * 4294967296 + low;
}

function withTag(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let length = 1;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  out[0] = tag;
  let at = 1;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const HEAD_KEY = Uint8Array.of(0x68);
const nodeKey = (level: number, index: number) => withTag(0x6e, Uint8Array.of(level), u64(index));
const leafKey = (index: number) => withTag(0x6c, u64(index));
const indexKey = (key: Uint8Array) => withTag(0x6b, key);

/** The tree at its current size: the perfect subtrees it is made of and its right edge. */
interface Head {
  size: number;
  /** One hash per set bit of `size`, the largest subtree first. */
  peaks: Uint8Array[];
  /** edge[i] = hash of everything from peak i to the end; edge[0] is the root. */
  edge: Uint8Array[];
}

function encodeHead(head: Head): Uint8Array {
  const out = new Uint8Array(8 + 64 * head.peaks.length);
  out.set(u64(head.size), 0);
  let at = 8;
  for (const hash of [...head.peaks, ...head.edge]) {
    out.set(hash, at);
    at += 32;
  }
  return out;
}

function decodeHead(bytes: Uint8Array): Head {
  const size = readU64(bytes, 0);
  const count = (bytes.length - 8) / 64;
  const hashAt = (i: number) => bytes.slice(8 + 32 * i, 8 + 32 * (i + 1));
  return {
    size,
    peaks: Array.from({ length: count }, (_, i) => hashAt(i)),
    edge: Array.from({ length: count }, (_, i) => hashAt(count + i)),
  };
}

function rightEdge(peaks: Uint8Array[]): Uint8Array[] {
  const edge = new Array<Uint8Array>(peaks.length);
  for (let i = peaks.length - 1; i >= 0; i--) {
    edge[i] = i === peaks.length - 1 ? peaks[i] : nodeHash(peaks[i], edge[i + 1]);
  }
  return edge;
}

export interface AppendedLeaf {
  index: number;
  size: number;
  root: Uint8Array;
}

export class TransparencyLog {
  constructor(private readonly store: NodeStore) {}

  private head(): Head {
    const bytes = this.store.get(HEAD_KEY);
    return bytes === undefined ? { size: 0, peaks: [], edge: [] } : decodeHead(bytes);
  }

  get size(): number {
    return this.head().size;
  }

  /** Size and root in one read of the head. */
  current(): { size: number; root: Uint8Array } {
    const head = this.head();
    return { size: head.size, root: head.edge[0] ?? EMPTY_ROOT };
  }

  /** The root of the tree at its current size (SHA-256 of nothing when empty). */
  root(): Uint8Array {
    return this.head().edge[0] ?? EMPTY_ROOT;
  }

  /**
   * Appends `leaf`; `key` (optional) lets `indexOf` find it later, e.g. an attestation id for
   * its acceptance. A key is given to one leaf only.
   */
  append(args: { leaf: Uint8Array; key?: Uint8Array }): AppendedLeaf {
    const head = this.head();
    if (args.key !== undefined && this.store.get(indexKey(args.key)) !== undefined) {
      throw new LogError(LogErrorCode.LEAF_KEY_TAKEN, 'this key already names a leaf');
    }
    const index = head.size;
    let hash = leafHash(args.leaf);
    this.store.insert(leafKey(index), args.leaf);
    this.store.insert(nodeKey(0, index), hash);
    // Completing perfect subtrees: as many merges as `index` has trailing one bits.
    let level = 0;
    let position = index;
    while (position % 2 === 1) {
      hash = nodeHash(head.peaks.pop()!, hash);
      level++;
      position = Math.floor(position / 2);
      this.store.insert(nodeKey(level, position), hash);
    }
    head.peaks.push(hash);
    head.size = index + 1;
    head.edge = rightEdge(head.peaks);
    this.store.insert(HEAD_KEY, encodeHead(head));
    if (args.key !== undefined) this.store.insert(indexKey(args.key), u64(index));
    return { index, size: head.size, root: head.edge[0] };
  }

  leaf(index: number): Uint8Array | undefined {
    if (!Number.isSafeInteger(index) || index < 0) return undefined;
    return this.store.get(leafKey(index));
  }

  /** The index of the leaf appended with `key`. */
  indexOf(key: Uint8Array): number | undefined {
    const bytes = this.store.get(indexKey(key));
    return bytes === undefined ? undefined : readU64(bytes, 0);
  }

  /** The root of the tree when it had `treeSize` leaves. */
  rootAt(treeSize: number): Uint8Array {
    const head = this.checkedHead(treeSize);
    return treeSize === 0 ? EMPTY_ROOT : this.rangeHash(head, 0, treeSize);
  }

  /** The audit path of leaf `index` in the tree of `treeSize` leaves (RFC 9162 §2.1.3.1). */
  inclusionProof(index: number, treeSize: number): Uint8Array[] {
    const head = this.checkedHead(treeSize);
    if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
      throw new LogError(
        LogErrorCode.LEAF_INDEX_OUT_OF_RANGE,
        `leaf ${index} is not in a tree of ${treeSize} leaves`,
      );
    }
    const path: Uint8Array[] = [];
    // PATH(m, D[lo:hi]) from the root down; each sibling is prepended, so the deepest comes first.
    let lo = 0;
    let hi = treeSize;
    while (hi - lo > 1) {
      const k = splitPoint(hi - lo);
      if (index < lo + k) {
        path.unshift(this.rangeHash(head, lo + k, hi));
        hi = lo + k;
      } else {
        path.unshift(this.rangeHash(head, lo, lo + k));
        lo += k;
      }
    }
    return path;
  }

  /** The proof that the tree of `oldSize` leaves is a prefix of the one of `newSize` (§2.1.4.1). */
  consistencyProof(oldSize: number, newSize: number): Uint8Array[] {
    const head = this.checkedHead(newSize);
    // From the empty tree there is nothing to prove (and RFC 9162 defines no proof).
    if (!Number.isSafeInteger(oldSize) || oldSize < 1 || oldSize > newSize) {
      throw new LogError(
        LogErrorCode.TREE_SIZE_OUT_OF_RANGE,
        `no consistency proof from ${oldSize} to ${newSize} leaves`,
      );
    }
    if (oldSize === newSize) return [];
    // SUBPROOF(m, D[lo:hi], b) from the root down, siblings prepended.
    const proof: Uint8Array[] = [];
    let m = oldSize;
    let lo = 0;
    let hi = newSize;
    let whole = true; // b of the RFC: the subtree is the old tree itself, whose root the reader has
    while (m !== hi - lo) {
      const k = splitPoint(hi - lo);
      if (m <= k) {
        proof.unshift(this.rangeHash(head, lo + k, hi));
        hi = lo + k;
      } else {
        proof.unshift(this.rangeHash(head, lo, lo + k));
        lo += k;
        m -= k;
        whole = false;
      }
    }
    if (!whole) proof.unshift(this.rangeHash(head, lo, hi));
    return proof;
  }

  private checkedHead(treeSize: number): Head {
    const head = this.head();
    if (!Number.isSafeInteger(treeSize) || treeSize < 0 || treeSize > head.size) {
      throw new LogError(
        LogErrorCode.TREE_SIZE_OUT_OF_RANGE,
        `the log has ${head.size} leaves, not ${treeSize}`,
      );
    }
    return head;
  }

  /**
   * MTH(D[lo:hi]) for a subtree of RFC 9162's shape: a stored perfect subtree, a node of the
   * current right edge, or (older sizes only) the hash of its two halves.
   */
  private rangeHash(head: Head, lo: number, hi: number): Uint8Array {
    const width = hi - lo;
    if (highestPowerOfTwo(width) === width && lo % width === 0) {
      const level = Math.round(Math.log2(width));
      const stored = this.store.get(nodeKey(level, lo / width));
      if (stored === undefined) throw new Error(`log: node (${level}, ${lo / width}) is missing`);
      return stored;
    }
    if (hi === head.size) {
      let start = 0;
      for (let i = 0; i < head.peaks.length; i++) {
        if (start === lo) return head.edge[i];
        start += highestPowerOfTwo(head.size - start);
      }
    }
    const k = splitPoint(width);
    return nodeHash(this.rangeHash(head, lo, lo + k), this.rangeHash(head, lo + k, hi));
  }
}
