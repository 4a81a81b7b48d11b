/**
 * A labelled hash tree that can change: what a canister (or a replica) certifies. Nodes cache
 * their digests, so a change re-hashes only the path to it; witnesses reveal the requested paths
 * and prune everything else, and prove a requested label absent by revealing the labels of its
 * neighbours (the specification's lookup then answers `absent`, not `unknown`).
 *
 * A `LabeledMap` can shard its children by the first byte of their label (`bucketed`), so that
 * adding one entry to tens of thousands re-hashes one shard and the 256 shard roots. Any fork
 * shape is valid as long as labels increase from left to right, which both shapes keep.
 */
import { bytesToHex } from '@repro-registry/attestation';

import {
  compareBytes,
  emptyDigest,
  forkDigest,
  labelBytes,
  labeledDigest,
  leafDigest,
  type HashTree,
  type Label,
} from './hash-tree';

/** Which parts of a subtree a witness reveals: everything, or some labelled children. */
export type PathRequest = 'all' | Map<string, { label: Uint8Array; sub: PathRequest }>;

/** The request revealing every path of `paths` (a path ending at a subtree reveals all of it). */
export function pathRequestOf(paths: readonly (readonly Label[])[]): PathRequest {
  const root: PathRequest = new Map();
  for (const path of paths) {
    if (path.length === 0) return 'all';
    let node: PathRequest = root;
    for (let i = 0; i < path.length; i++) {
      if (node === 'all') break;
      const label = labelBytes(path[i]);
      const key = bytesToHex(label);
      const existing = node.get(key);
      if (i === path.length - 1) {
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

/** A node of a labelled tree. Nodes are immutable once placed in a map; replace to change. */
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

/** A subtree known only by its digest (e.g. a frozen part of an older state). */
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
  if (hi === lo) return emptyDigest();
  if (hi - lo === 1) return itemDigest(lo);
  const mid = (lo + hi) >>> 1;
  return forkDigest(rangeDigest(lo, mid, itemDigest), rangeDigest(mid, hi, itemDigest));
}

function rangeWitness(args: {
  lo: number;
  hi: number;
  marked: readonly number[];
  item: (i: number) => HashTree;
  itemDigest: (i: number) => Uint8Array;
}): HashTree {
  const { lo, hi } = args;
  if (hi === lo) return [0];
  if (!anyIn(args.marked, lo, hi)) return [4, rangeDigest(lo, hi, args.itemDigest)];
  if (hi - lo === 1) return args.item(lo);
  const mid = (lo + hi) >>> 1;
  return [1, rangeWitness({ ...args, hi: mid }), rangeWitness({ ...args, lo: mid })];
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

/** Reveal a child (with `sub` of it), or only its label (an absence proof's neighbour). */
type Mark = { kind: 'reveal'; sub: PathRequest } | { kind: 'label' };

/** A sorted run of labelled children with a cached fork digest. */
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
    const reveal = (e: Entry, sub: PathRequest): HashTree => [2, e.label, e.node.witness(sub)];
    if (marks === 'all') {
      return rangeWitness({
        lo: 0,
        hi: entries.length,
        marked: entries.map((_, i) => i),
        item: (i) => reveal(entries[i], 'all'),
        itemDigest,
      });
    }
    return rangeWitness({
      lo: 0,
      hi: entries.length,
      marked: [...marks.keys()].sort((x, y) => x - y),
      item: (i) => {
        const mark = marks.get(i)!;
        const e = entries[i];
        return mark.kind === 'reveal' ? reveal(e, mark.sub) : [2, e.label, [4, e.node.digest()]];
      },
      itemDigest,
    });
  }
}

type MarkAt = (segment: number, entry: number, mark: Mark) => void;

/**
 * A node with labelled children. Witnesses reveal requested children and prove the absence of
 * requested labels that are missing (by revealing the labels of their neighbours).
 */
export class LabeledMap implements TreeNode {
  private readonly segments = new Map<number, Segment>();
  private order: number[] = [];
  private cached: Uint8Array | undefined;
  private count = 0;

  constructor(
    entries: Iterable<readonly [Label, TreeNode]> = [],
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

  set(label: Label, node: TreeNode): this {
    const l = labelBytes(label);
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

  get(label: Label): TreeNode | undefined {
    const l = labelBytes(label);
    const seg = this.segments.get(this.bucketOf(l));
    if (!seg) return undefined;
    const { found, index } = seg.indexOf(l);
    return found ? seg.entries[index].node : undefined;
  }

  delete(label: Label): boolean {
    const l = labelBytes(label);
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

  /**
   * Forgets the cached digests that depend on the child `label`, after a descendant of it was
   * changed in place (maps holding maps): call it on every map on the path to the change.
   */
  invalidate(label: Label): void {
    const l = labelBytes(label);
    const seg = this.segments.get(this.bucketOf(l));
    const found = seg?.indexOf(l);
    if (!seg || !found?.found) return;
    seg.set(l, seg.entries[found.index].node);
    this.cached = undefined;
  }

  *labels(): IterableIterator<Uint8Array> {
    for (const b of this.order) for (const e of this.segments.get(b)!.entries) yield e.label;
  }

  digest(): Uint8Array {
    if (this.cached) return this.cached;
    const segs = this.order.map((b) => this.segments.get(b)!);
    this.cached = this.options.bucketed
      ? rangeDigest(0, segs.length, (i) => segs[i].digest())
      : (segs[0]?.digest() ?? emptyDigest());
    return this.cached;
  }

  witness(request: PathRequest): HashTree {
    const segs = this.order.map((b) => this.segments.get(b)!);
    const marks = new Map<number, Map<number, Mark> | 'all'>();
    if (request === 'all') {
      segs.forEach((_, i) => marks.set(i, 'all'));
    } else {
      const markAt: MarkAt = (si, ei, mark) => {
        let m = marks.get(si);
        if (m === undefined) marks.set(si, (m = new Map()));
        if (m === 'all') return;
        const prev = m.get(ei);
        if (prev?.kind === 'reveal' && mark.kind === 'label') return;
        m.set(ei, mark);
      };
      for (const { label, sub } of request.values()) this.markRequest(segs, label, sub, markAt);
    }
    if (!this.options.bucketed) {
      return segs.length === 0 ? [0] : segs[0].witness(marks.get(0) ?? new Map());
    }
    return rangeWitness({
      lo: 0,
      hi: segs.length,
      marked: [...marks.keys()].sort((x, y) => x - y),
      item: (i) => segs[i].witness(marks.get(i)!),
      itemDigest: (i) => segs[i].digest(),
    });
  }

  /** Marks the child `label` for revealing, or its neighbours when it is absent. */
  private markRequest(segs: Segment[], label: Uint8Array, sub: PathRequest, markAt: MarkAt): void {
    const b = this.bucketOf(label);
    const si = this.order.indexOf(b);
    const markLast = (s: number): void => {
      if (s >= 0 && s < segs.length) markAt(s, segs[s].entries.length - 1, { kind: 'label' });
    };
    const markFirst = (s: number): void => {
      if (s >= 0 && s < segs.length) markAt(s, 0, { kind: 'label' });
    };
    if (si < 0) {
      const next = this.order.findIndex((x) => x > b);
      const after = next < 0 ? segs.length : next;
      markLast(after - 1);
      markFirst(after);
      return;
    }
    const { found, index } = segs[si].indexOf(label);
    if (found) {
      markAt(si, index, { kind: 'reveal', sub });
      return;
    }
    if (index > 0) markAt(si, index - 1, { kind: 'label' });
    else markLast(si - 1);
    if (index < segs[si].entries.length) markAt(si, index, { kind: 'label' });
    else markFirst(si + 1);
  }
}
