/**
 * Hash trees of the interface specification (certification): the tree type as it travels in
 * certificates, its root hash, lookups, and the labeled state tree the network certifies, with
 * witnesses (pruned trees) for requested paths.
 *
 * State-tree nodes cache their digests. A `LabeledMap` can shard its children by the first byte
 * of their label (`bucketed`), so that adding one request status to tens of thousands re-hashes
 * one shard and the 256 shard roots, not every entry. Any fork shape is valid as long as the
 * labels appear in strictly increasing order from left to right, which both shapes keep.
 */
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import { compareBytes, sha256 } from './encoding';

export type HashTree =
  | readonly [0]
  | readonly [1, HashTree, HashTree]
  | readonly [2, Uint8Array, HashTree]
  | readonly [3, Uint8Array]
  | readonly [4, Uint8Array];

function domainSeparator(name: string): Uint8Array {
  return concatBytes(Uint8Array.of(name.length), utf8ToBytes(name));
}
const EMPTY_SEP = domainSeparator('ic-hashtree-empty');
const FORK_SEP = domainSeparator('ic-hashtree-fork');
const LABELED_SEP = domainSeparator('ic-hashtree-labeled');
const LEAF_SEP = domainSeparator('ic-hashtree-leaf');
const EMPTY_DIGEST = sha256(EMPTY_SEP);

export const emptyDigest = (): Uint8Array => EMPTY_DIGEST;
export const forkDigest = (l: Uint8Array, r: Uint8Array): Uint8Array => sha256(FORK_SEP, l, r);
export const labeledDigest = (label: Uint8Array, sub: Uint8Array): Uint8Array =>
  sha256(LABELED_SEP, label, sub);
export const leafDigest = (value: Uint8Array): Uint8Array => sha256(LEAF_SEP, value);

/** The root hash of a (possibly pruned) tree: `reconstruct` of the specification. */
export function reconstruct(t: HashTree): Uint8Array {
  switch (t[0]) {
    case 0:
      return EMPTY_DIGEST;
    case 1:
      return forkDigest(reconstruct(t[1]), reconstruct(t[2]));
    case 2:
      return labeledDigest(t[1], reconstruct(t[2]));
    case 3:
      return leafDigest(t[1]);
    case 4:
      return t[1];
  }
}

export type LookupResult =
  | { status: 'found'; value: Uint8Array }
  | { status: 'absent' }
  | { status: 'unknown' }
  | { status: 'error' };

function flattenForks(t: HashTree): HashTree[] {
  if (t[0] === 0) return [];
  if (t[0] === 1) return [...flattenForks(t[1]), ...flattenForks(t[2])];
  return [t];
}

/** `lookup_path` of the specification (with proper lexicographic label comparison). */
export function lookupPath(tree: HashTree, path: readonly (Uint8Array | string)[]): LookupResult {
  if (path.length === 0) {
    if (tree[0] === 3) return { status: 'found', value: tree[1] };
    if (tree[0] === 4) return { status: 'unknown' };
    if (tree[0] === 0) return { status: 'absent' };
    return { status: 'error' };
  }
  const first = path[0];
  const label = typeof first === 'string' ? utf8ToBytes(first) : first;
  let sawPruned = false;
  for (const node of flattenForks(tree)) {
    if (node[0] === 4) {
      sawPruned = true;
      continue;
    }
    if (node[0] !== 2) continue;
    const c = compareBytes(label, node[1]);
    if (c === 0) return lookupPath(node[2], path.slice(1));
    if (c < 0) return sawPruned ? { status: 'unknown' } : { status: 'absent' };
    sawPruned = false;
  }
  return sawPruned ? { status: 'unknown' } : { status: 'absent' };
}

/** Which parts of a subtree a witness reveals: everything, or some labeled children. */
export type PathRequest = 'all' | Map<string, { label: Uint8Array; sub: PathRequest }>;

export function pathRequestOf(paths: readonly (readonly Uint8Array[])[]): PathRequest {
  const root: PathRequest = new Map();
  for (const path of paths) {
    if (path.length === 0) return 'all';
    let node: PathRequest = root;
    for (let i = 0; i < path.length; i++) {
      if (node === 'all') break;
      const label = path[i];
      const key = bytesToHex(label);
      const last = i === path.length - 1;
      const existing = node.get(key);
      if (last) {
        node.set(key, { label, sub: 'all' });
      } else if (existing === undefined) {
        const sub: PathRequest = new Map();
        node.set(key, { label, sub });
        node = sub;
      } else {
        node = existing.sub;
      }
    }
  }
  return root;
}

/** A node of the state tree. Nodes are immutable once placed in a map; replace to change. */
export interface TreeNode {
  digest(): Uint8Array;
  /** The subtree with `request` revealed and everything else pruned. */
  witness(request: PathRequest): HashTree;
}

export class Leaf implements TreeNode {
  private cached: Uint8Array | undefined;
  constructor(readonly value: Uint8Array) {}
  digest(): Uint8Array {
    return (this.cached ??= leafDigest(this.value));
  }
  witness(): HashTree {
    return [3, this.value];
  }
}

/** A subtree known only by its digest (a frozen part of an older state). */
export class PrunedNode implements TreeNode {
  constructor(private readonly hash: Uint8Array) {}
  digest(): Uint8Array {
    return this.hash;
  }
  witness(): HashTree {
    return [4, this.hash];
  }
}

interface Entry {
  label: Uint8Array;
  node: TreeNode;
  labeled?: Uint8Array;
}

function entryDigest(e: Entry): Uint8Array {
  return (e.labeled ??= labeledDigest(e.label, e.node.digest()));
}

/** Balanced fork structure over `n` items; digest and witness use the same split. */
function rangeDigest(lo: number, hi: number, itemDigest: (i: number) => Uint8Array): Uint8Array {
  if (hi === lo) return EMPTY_DIGEST;
  if (hi - lo === 1) return itemDigest(lo);
  const mid = (lo + hi) >>> 1;
  return forkDigest(rangeDigest(lo, mid, itemDigest), rangeDigest(mid, hi, itemDigest));
}

function rangeWitness(
  lo: number,
  hi: number,
  marked: readonly number[],
  item: (i: number) => HashTree,
  itemDigest: (i: number) => Uint8Array,
): HashTree {
  if (hi === lo) return [0];
  if (!anyIn(marked, lo, hi)) return [4, rangeDigest(lo, hi, itemDigest)];
  if (hi - lo === 1) return item(lo);
  const mid = (lo + hi) >>> 1;
  return [
    1,
    rangeWitness(lo, mid, marked, item, itemDigest),
    rangeWitness(mid, hi, marked, item, itemDigest),
  ];
}

/** Whether the sorted `marked` has an element in [lo, hi). */
function anyIn(marked: readonly number[], lo: number, hi: number): boolean {
  let a = 0;
  let b = marked.length;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (marked[m] < lo) a = m + 1;
    else b = m;
  }
  return a < marked.length && marked[a] < hi;
}

type Mark = { kind: 'reveal'; sub: PathRequest } | { kind: 'label' };

/** A sorted run of labeled children with a cached fork digest. */
class Segment {
  entries: Entry[] = [];
  private cached: Uint8Array | undefined;

  indexOf(label: Uint8Array): { found: boolean; index: number } {
    let a = 0;
    let b = this.entries.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      const c = compareBytes(this.entries[m].label, label);
      if (c === 0) return { found: true, index: m };
      if (c < 0) a = m + 1;
      else b = m;
    }
    return { found: false, index: a };
  }

  set(label: Uint8Array, node: TreeNode): void {
    const { found, index } = this.indexOf(label);
    if (found) this.entries[index] = { label, node };
    else this.entries.splice(index, 0, { label, node });
    this.cached = undefined;
  }

  delete(label: Uint8Array): boolean {
    const { found, index } = this.indexOf(label);
    if (!found) return false;
    this.entries.splice(index, 1);
    this.cached = undefined;
    return true;
  }

  digest(): Uint8Array {
    return (this.cached ??= rangeDigest(0, this.entries.length, (i) =>
      entryDigest(this.entries[i]),
    ));
  }

  witness(marks: Map<number, Mark> | 'all'): HashTree {
    const entries = this.entries;
    const itemDigest = (i: number): Uint8Array => entryDigest(entries[i]);
    if (marks === 'all') {
      const all = entries.map((_, i) => i);
      return rangeWitness(0, entries.length, all, (i) => reveal(entries[i], 'all'), itemDigest);
    }
    const marked = [...marks.keys()].sort((x, y) => x - y);
    return rangeWitness(
      0,
      entries.length,
      marked,
      (i) => {
        const mark = marks.get(i)!;
        const e = entries[i];
        return mark.kind === 'reveal' ? reveal(e, mark.sub) : [2, e.label, [4, e.node.digest()]];
      },
      itemDigest,
    );
  }
}

function reveal(e: Entry, sub: PathRequest): HashTree {
  return [2, e.label, e.node.witness(sub)];
}

/**
 * A node with labeled children. Witnesses reveal requested children and prove the absence of
 * requested labels that are missing (by revealing the labels of their neighbours).
 */
export class LabeledMap implements TreeNode {
  private readonly segments = new Map<number, Segment>();
  private order: number[] = [];
  private cached: Uint8Array | undefined;
  private count = 0;

  constructor(
    entries: Iterable<readonly [Uint8Array | string, TreeNode]> = [],
    private readonly options: { bucketed?: boolean } = {},
  ) {
    for (const [label, node] of entries) this.set(label, node);
  }

  get size(): number {
    return this.count;
  }

  private bucketOf(label: Uint8Array): number {
    if (!this.options.bucketed) return 0;
    return label.length === 0 ? -1 : label[0];
  }

  set(label: Uint8Array | string, node: TreeNode): this {
    const l = typeof label === 'string' ? utf8ToBytes(label) : label;
    const b = this.bucketOf(l);
    let seg = this.segments.get(b);
    if (!seg) {
      seg = new Segment();
      this.segments.set(b, seg);
      this.order = [...this.segments.keys()].sort((x, y) => x - y);
    }
    const before = seg.entries.length;
    seg.set(l, node);
    this.count += seg.entries.length - before;
    this.cached = undefined;
    return this;
  }

  get(label: Uint8Array | string): TreeNode | undefined {
    const l = typeof label === 'string' ? utf8ToBytes(label) : label;
    const seg = this.segments.get(this.bucketOf(l));
    if (!seg) return undefined;
    const { found, index } = seg.indexOf(l);
    return found ? seg.entries[index].node : undefined;
  }

  delete(label: Uint8Array | string): boolean {
    const l = typeof label === 'string' ? utf8ToBytes(label) : label;
    const b = this.bucketOf(l);
    const seg = this.segments.get(b);
    if (!seg || !seg.delete(l)) return false;
    this.count--;
    if (seg.entries.length === 0) {
      this.segments.delete(b);
      this.order = this.order.filter((x) => x !== b);
    }
    this.cached = undefined;
    return true;
  }

  *labels(): IterableIterator<Uint8Array> {
    for (const b of this.order) for (const e of this.segments.get(b)!.entries) yield e.label;
  }

  digest(): Uint8Array {
    if (this.cached) return this.cached;
    const segs = this.order.map((b) => this.segments.get(b)!);
    this.cached = this.options.bucketed
      ? rangeDigest(0, segs.length, (i) => segs[i].digest())
      : (segs[0]?.digest() ?? EMPTY_DIGEST);
    return this.cached;
  }

  witness(request: PathRequest): HashTree {
    const segs = this.order.map((b) => this.segments.get(b)!);
    const marks = new Map<number, Map<number, Mark> | 'all'>();
    if (request === 'all') {
      segs.forEach((_, i) => marks.set(i, 'all'));
    } else {
      const markAt = (si: number, ei: number, mark: Mark): void => {
        let m = marks.get(si);
        if (m === undefined) marks.set(si, (m = new Map()));
        if (m === 'all') return;
        const prev = m.get(ei);
        if (prev?.kind === 'reveal' && mark.kind === 'label') return;
        m.set(ei, mark);
      };
      for (const { label, sub } of request.values()) {
        const b = this.bucketOf(label);
        const si = this.order.indexOf(b);
        if (si >= 0) {
          const { found, index } = segs[si].indexOf(label);
          if (found) {
            markAt(si, index, { kind: 'reveal', sub });
            continue;
          }
          if (index > 0) markAt(si, index - 1, { kind: 'label' });
          else this.markLast(segs, si - 1, markAt);
          if (index < segs[si].entries.length) markAt(si, index, { kind: 'label' });
          else this.markFirst(segs, si + 1, markAt);
        } else {
          const next = this.order.findIndex((x) => x > b);
          const after = next < 0 ? segs.length : next;
          this.markLast(segs, after - 1, markAt);
          this.markFirst(segs, after, markAt);
        }
      }
    }
    if (!this.options.bucketed) {
      const m = marks.get(0);
      return segs.length === 0 ? [0] : segs[0].witness(m ?? new Map());
    }
    const marked = [...marks.keys()].sort((x, y) => x - y);
    return rangeWitness(
      0,
      segs.length,
      marked,
      (i) => segs[i].witness(marks.get(i)!),
      (i) => segs[i].digest(),
    );
  }

  private markLast(
    segs: Segment[],
    si: number,
    markAt: (si: number, ei: number, mark: Mark) => void,
  ): void {
    if (si >= 0 && si < segs.length) markAt(si, segs[si].entries.length - 1, { kind: 'label' });
  }

  private markFirst(
    segs: Segment[],
    si: number,
    markAt: (si: number, ei: number, mark: Mark) => void,
  ): void {
    if (si >= 0 && si < segs.length) markAt(si, 0, { kind: 'label' });
  }
}
