/**
 * A labelled hash tree kept in a `NodeStore` (stable memory in the canister), changed in place:
 * what a canister certifies when its certified data has more entries than it can re-hash per
 * message. Each map has the crit-bit shape of its labels: a fork at the first bit where its
 * labels differ (bits as in `bits.ts`), so the shape depends only on the set of labels (the same
 * after any history of changes, and in a rebuild), labels increase from left to right, and a
 * change re-hashes one path: about log2(n) forks for n labels, whatever their values.
 *
 * Changes are staged: `set` and `delete` change the shape and mark the path they touched;
 * `commit` re-hashes the marked records once each (children first), writes them and returns
 * the root digest for `ic0.certified_data_set`. Witnesses are built from stored digests only.
 */
import {
  emptyDigest,
  forkDigest,
  labelBytes,
  labeledDigest,
  leafDigest,
  type HashTree,
  type Label,
} from '../hash-tree';
import type { PathRequest } from '../labeled-tree';
import { bitAt, critBit } from './bits';
import {
  COUNTER_KEY,
  ROOT_MAP,
  decodeEntry,
  decodeHeader,
  decodeNode,
  encodeEntry,
  encodeHeader,
  encodeNode,
  entryKey,
  headerKey,
  nodeKey,
  type EntryRecord,
  type Ref,
} from './records';
import { StagedStore, keyString, type NodeStore } from './store';

/** A path names a map where a value is expected, or the reverse. */
export class TreeShapeError extends Error {
  override readonly name = 'TreeShapeError';
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const PENDING = new Uint8Array(32); // the digest of a ref until the commit computes it
const nodeKeyOf = (map: number, ref: Ref & { kind: 'node' }) => nodeKey(map, ref.bit, ref.label);

/** Where a ref sits: in the map's header, or as child `side` of a node. */
type Slot = { map: number; node: (Ref & { kind: 'node' }) | null; side: number };

export class StoredLabeledTree {
  private readonly staged: StagedStore;
  /** Keys (as `keyString`) of the node and entry records whose digests the commit recomputes. */
  private readonly dirty = new Set<string>();

  constructor(store: NodeStore) {
    this.staged = new StagedStore(store);
  }

  /** The value at `path`, or undefined. */
  get(path: readonly Label[]): Uint8Array | undefined {
    let map = ROOT_MAP;
    for (let i = 0; i < path.length; i++) {
      const entry = this.readEntry(map, labelBytes(path[i]));
      if (entry === undefined) return undefined;
      if (i === path.length - 1) return entry.kind === 'value' ? entry.value : undefined;
      if (entry.kind !== 'map') return undefined;
      map = entry.map;
    }
    return undefined;
  }

  /** Sets the value at `path`, creating the maps on the way. */
  set(path: readonly Label[], value: Uint8Array): void {
    if (path.length === 0) throw new TreeShapeError('a value needs a label');
    let map = ROOT_MAP;
    for (let i = 0; i < path.length; i++) {
      const label = labelBytes(path[i]);
      const entry = this.readEntry(map, label);
      const last = i === path.length - 1;
      if (last) {
        if (entry?.kind === 'map') throw new TreeShapeError('a map is where a value was expected');
        if (entry !== undefined && equalBytes(entry.value, value)) return;
        this.writeEntry(map, label, { kind: 'value', subDigest: leafDigest(value), value });
      } else if (entry === undefined) {
        const sub = this.newMapId();
        this.writeEntry(map, label, { kind: 'map', subDigest: emptyDigest(), map: sub });
        this.markPath(map, label);
        map = sub;
        continue;
      } else if (entry.kind !== 'map') {
        throw new TreeShapeError('a value is where a map was expected');
      }
      this.markPath(map, label);
      if (!last) map = (entry as EntryRecord & { kind: 'map' }).map;
    }
  }

  /** Removes the value at `path` and the maps it leaves empty; false when there was none. */
  delete(path: readonly Label[]): boolean {
    const steps: { map: number; label: Uint8Array }[] = [];
    let map = ROOT_MAP;
    for (let i = 0; i < path.length; i++) {
      const label = labelBytes(path[i]);
      const entry = this.readEntry(map, label);
      if (entry === undefined || (entry.kind === 'map') === (i === path.length - 1)) return false;
      steps.push({ map, label });
      if (entry.kind === 'map') map = entry.map;
    }
    for (let i = steps.length - 1; i >= 0; i--) {
      const { map: m, label } = steps[i];
      const emptied = i === steps.length - 1 || this.readHeader(steps[i + 1].map) === undefined;
      if (emptied) {
        this.unlink(m, label);
        this.staged.remove(entryKey(m, label));
        if (i + 1 < steps.length) this.staged.remove(headerKey(steps[i + 1].map));
      } else {
        this.markPath(m, label);
      }
    }
    return steps.length > 0;
  }

  /** Re-hashes what changed, writes it, and returns the root digest. */
  commit(): Uint8Array {
    const digest = this.commitMap(ROOT_MAP);
    this.dirty.clear();
    this.staged.flush();
    return digest;
  }

  /** The committed root digest (what `certified_data_set` was given). */
  rootHash(): Uint8Array {
    this.assertCommitted();
    return this.readHeader(ROOT_MAP)?.digest ?? emptyDigest();
  }

  /**
   * The tree with `request` revealed and the rest pruned; a requested label that does not
   * exist is proven absent by revealing the labels of its neighbours.
   */
  witness(request: PathRequest): HashTree {
    this.assertCommitted();
    return this.witnessMap(ROOT_MAP, request);
  }

  private assertCommitted(): void {
    if (this.dirty.size > 0 || this.staged.hasPending) {
      throw new Error('the stored tree has uncommitted changes: call commit() first');
    }
  }

  // --- records ---

  private readHeader(map: number): Ref | undefined {
    const bytes = this.staged.get(headerKey(map));
    return bytes === undefined ? undefined : decodeHeader(bytes);
  }

  private writeHeader(map: number, ref: Ref | undefined): void {
    if (ref === undefined) this.staged.remove(headerKey(map));
    else this.staged.put(headerKey(map), encodeHeader(ref));
  }

  private readEntry(map: number, label: Uint8Array): EntryRecord | undefined {
    const bytes = this.staged.get(entryKey(map, label));
    return bytes === undefined ? undefined : decodeEntry(bytes);
  }

  private writeEntry(map: number, label: Uint8Array, entry: EntryRecord): void {
    this.staged.put(entryKey(map, label), encodeEntry(entry));
  }

  private readNode(map: number, ref: Ref & { kind: 'node' }): [Ref, Ref] {
    const bytes = this.staged.get(nodeKeyOf(map, ref));
    if (bytes === undefined) throw new Error('stored tree: a node is missing');
    return decodeNode(bytes);
  }

  private writeSlot(slot: Slot, ref: Ref | undefined): void {
    if (slot.node === null) return this.writeHeader(slot.map, ref);
    const children = this.readNode(slot.map, slot.node);
    children[slot.side] = ref!;
    this.staged.put(nodeKeyOf(slot.map, slot.node), encodeNode(children[0], children[1]));
  }

  private newMapId(): number {
    const bytes = this.staged.get(COUNTER_KEY);
    const id =
      bytes === undefined
        ? ROOT_MAP + 1
        : new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
    const next = new Uint8Array(4);
    new DataView(next.buffer).setUint32(0, id + 1);
    this.staged.put(COUNTER_KEY, next);
    return id;
  }

  // --- shape ---

  /**
   * Marks the path from the map's root to `label` for re-hashing, inserting `label` into the
   * shape when it is new (its entry record must already be written).
   */
  private markPath(map: number, label: Uint8Array): void {
    this.dirty.add(keyString(entryKey(map, label)));
    const fresh: Ref = { kind: 'entry', label, digest: PENDING };
    let ref = this.readHeader(map);
    let slot: Slot = { map, node: null, side: 0 };
    while (ref !== undefined) {
      if (ref.kind === 'entry' && equalBytes(ref.label, label)) return;
      const split = equalBytes(ref.label, label) ? Infinity : critBit(label, ref.label);
      if (ref.kind === 'entry' || split < ref.bit) {
        // `label` leaves the shared prefix here: a new fork between this subtree and it.
        const bit = split;
        const labelRight = bitAt(label, bit) === 1;
        const node: Ref = {
          kind: 'node',
          bit,
          label: labelRight ? ref.label : label,
          digest: PENDING,
        };
        this.staged.put(
          nodeKeyOf(map, node),
          labelRight ? encodeNode(ref, fresh) : encodeNode(fresh, ref),
        );
        this.dirty.add(keyString(nodeKeyOf(map, node)));
        this.writeSlot(slot, node);
        return;
      }
      this.dirty.add(keyString(nodeKeyOf(map, ref)));
      const side = bitAt(label, ref.bit);
      slot = { map, node: ref, side };
      ref = this.readNode(map, ref)[side];
    }
    this.writeHeader(map, fresh);
  }

  /** Takes `label` out of the map's shape: its parent fork gives way to its sibling. */
  private unlink(map: number, label: Uint8Array): void {
    let ref = this.readHeader(map);
    let slot: Slot = { map, node: null, side: 0 };
    let parentSlot: Slot | null = null;
    while (ref !== undefined && ref.kind === 'node') {
      this.dirty.add(keyString(nodeKeyOf(map, ref)));
      const side = bitAt(label, ref.bit);
      parentSlot = slot;
      slot = { map, node: ref, side };
      ref = this.readNode(map, ref)[side];
    }
    if (ref === undefined || !equalBytes(ref.label, label)) return;
    if (slot.node === null) return this.writeHeader(map, undefined);
    const sibling = this.readNode(map, slot.node)[1 - slot.side];
    this.staged.remove(nodeKeyOf(map, slot.node));
    this.dirty.delete(keyString(nodeKeyOf(map, slot.node)));
    this.writeSlot(parentSlot!, sibling);
  }

  // --- commit ---

  private commitMap(map: number): Uint8Array {
    const header = this.readHeader(map);
    if (header === undefined) return emptyDigest();
    const fresh = this.refresh(map, header);
    if (fresh !== header) this.writeHeader(map, fresh);
    return fresh.digest;
  }

  private refresh(map: number, ref: Ref): Ref {
    if (ref.kind === 'entry') {
      const key = entryKey(map, ref.label);
      if (!this.dirty.delete(keyString(key))) return ref;
      let entry = this.readEntry(map, ref.label)!;
      if (entry.kind === 'map') {
        entry = { ...entry, subDigest: this.commitMap(entry.map) };
        this.writeEntry(map, ref.label, entry);
      }
      return { kind: 'entry', label: ref.label, digest: labeledDigest(ref.label, entry.subDigest) };
    }
    const key = nodeKeyOf(map, ref);
    if (!this.dirty.delete(keyString(key))) return ref;
    const [left, right] = this.readNode(map, ref);
    const l = this.refresh(map, left);
    const r = this.refresh(map, right);
    if (l !== left || r !== right) this.staged.put(key, encodeNode(l, r));
    return { kind: 'node', bit: ref.bit, label: l.label, digest: forkDigest(l.digest, r.digest) };
  }

  // --- witnesses ---

  private witnessMap(map: number, request: PathRequest): HashTree {
    const header = this.readHeader(map);
    if (header === undefined) return [0];
    if (request === 'all') return this.reveal(map, header, 'all');
    const marks = new Map<string, Mark>();
    for (const { label, sub } of request.values()) {
      const entry = this.readEntry(map, label);
      if (entry !== undefined) {
        marks.set(keyString(label), { label, sub, entry });
      } else {
        for (const neighbour of this.neighbours(map, header, label)) {
          const k = keyString(neighbour);
          if (!marks.has(k)) marks.set(k, { label: neighbour, sub: null });
        }
      }
    }
    return this.reveal(map, header, [...marks.values()]);
  }

  /** `ref`'s subtree revealing the marked labels (every label for 'all'). */
  private reveal(map: number, ref: Ref, marks: Mark[] | 'all'): HashTree {
    if (marks !== 'all' && marks.length === 0) return [4, ref.digest];
    if (ref.kind === 'entry') {
      // A marked entry was read when it was marked: not read again.
      const entry =
        (marks !== 'all' ? marks[0].entry : undefined) ?? this.readEntry(map, ref.label)!;
      const sub = marks === 'all' ? 'all' : marks[0].sub;
      if (sub === null) return [2, ref.label, [4, entry.subDigest]];
      if (entry.kind === 'value') return [2, ref.label, [3, entry.value]];
      return [2, ref.label, this.witnessMap(entry.map, sub)];
    }
    const [left, right] = this.readNode(map, ref);
    if (marks === 'all') return [1, this.reveal(map, left, 'all'), this.reveal(map, right, 'all')];
    const onRight = (m: Mark) => bitAt(m.label, ref.bit) === 1;
    return [
      1,
      this.reveal(
        map,
        left,
        marks.filter((m) => !onRight(m)),
      ),
      this.reveal(map, right, marks.filter(onRight)),
    ];
  }

  /** The labels just below and just above the absent `label` (those that exist). */
  private neighbours(map: number, header: Ref, label: Uint8Array): Uint8Array[] {
    let below: Ref | undefined;
    let above: Ref | undefined;
    let ref: Ref = header;
    for (;;) {
      const split = critBit(label, ref.label);
      if (ref.kind === 'entry' || split < ref.bit) {
        // Every label under `ref` is on one side of `label`.
        if (bitAt(label, split) === 1) below = ref;
        else above = ref;
        break;
      }
      const [left, right] = this.readNode(map, ref);
      if (bitAt(label, ref.bit) === 1) {
        below = left;
        ref = right;
      } else {
        above = right;
        ref = left;
      }
    }
    const out: Uint8Array[] = [];
    if (below !== undefined) out.push(this.largest(map, below));
    if (above !== undefined) out.push(above.label);
    return out;
  }

  private largest(map: number, ref: Ref): Uint8Array {
    while (ref.kind === 'node') ref = this.readNode(map, ref)[1];
    return ref.label;
  }
}

/** A label a witness reveals: with `sub` of what it holds, or (null) only the label. */
interface Mark {
  label: Uint8Array;
  sub: PathRequest | null;
  entry?: EntryRecord;
}
