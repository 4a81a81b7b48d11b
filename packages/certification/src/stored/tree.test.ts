import { createHash } from 'node:crypto';

import { lookup_path, type HashTree as AgentTree } from '@dfinity/agent';
import { describe, expect, it } from 'vitest';

import { lookupPath, reconstruct, type HashTree } from '../hash-tree';
import { pathRequestOf } from '../labeled-tree';
import { MemoryNodeStore } from './store';
import { StoredLabeledTree, TreeShapeError } from './tree';

// --- an independent model: nested maps of contents, hashed from scratch with node:crypto ---

type Contents = Map<string, Uint8Array | Contents>; // keys: hex of the label

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const sep = (s: string) => Buffer.concat([Buffer.of(s.length), Buffer.from(s)]);

/** The label as a string of '0'/'1': a '1' and 8 bits per byte, then a '0'. */
const bitString = (label: Uint8Array) =>
  [...label].map((b) => '1' + b.toString(2).padStart(8, '0')).join('') + '0';

/** The crit-bit shape, defined directly: fork at the first bit where the labels differ. */
function modelDigest(contents: Contents): Uint8Array {
  const labels = [...contents.keys()].map((k) => new Uint8Array(Buffer.from(k, 'hex')));
  const entryDigest = (label: Uint8Array): Uint8Array => {
    const value = contents.get(hex(label))!;
    const sub = value instanceof Map ? modelDigest(value) : sha(sep('ic-hashtree-leaf'), value);
    return sha(sep('ic-hashtree-labeled'), label, sub);
  };
  const shape = (set: Uint8Array[]): Uint8Array => {
    if (set.length === 1) return entryDigest(set[0]);
    const strings = set.map(bitString);
    let bit = 0;
    while (strings.every((s) => s[bit] === strings[0][bit])) bit++;
    const left = set.filter((_, i) => strings[i][bit] === '0');
    const right = set.filter((_, i) => strings[i][bit] === '1');
    return sha(sep('ic-hashtree-fork'), shape(left), shape(right));
  };
  return labels.length === 0 ? sha(sep('ic-hashtree-empty')) : shape(labels);
}

function modelSet(root: Contents, path: Uint8Array[], value: Uint8Array): void {
  let map = root;
  for (const label of path.slice(0, -1)) {
    let next = map.get(hex(label));
    if (!(next instanceof Map)) map.set(hex(label), (next = new Map()));
    map = next;
  }
  map.set(hex(path.at(-1)!), value);
}

function modelDelete(root: Contents, path: Uint8Array[]): void {
  const maps = [root];
  for (const label of path.slice(0, -1)) maps.push(maps.at(-1)!.get(hex(label)) as Contents);
  maps.at(-1)!.delete(hex(path.at(-1)!));
  for (let i = maps.length - 1; i > 0; i--) {
    if (maps[i].size === 0) maps[i - 1].delete(hex(path[i - 1]));
  }
}

function* leaves(map: Contents, prefix: Uint8Array[] = []): Generator<[Uint8Array[], Uint8Array]> {
  for (const [k, v] of map) {
    const path = [...prefix, new Uint8Array(Buffer.from(k, 'hex'))];
    if (v instanceof Map) yield* leaves(v, path);
    else yield [path, v];
  }
}

// --- random histories ---

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const u64 = (n: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
};
const text = (s: string) => new Uint8Array(Buffer.from(s));

/** Paths shaped like the registry's: ids under two maps, nested text labels with prefixes. */
function randomPath(rnd: () => number): Uint8Array[] {
  const r = rnd();
  if (r < 0.35) return [text('attestations'), u64(Math.floor(rnd() * 400))];
  if (r < 0.55) return [text('proposals'), u64(130_000 + Math.floor(rnd() * 40) * 997)];
  if (r < 0.65) return [text('log'), text(rnd() < 0.5 ? 'size' : 'root')];
  const segments = ['', 'a', 'ab', 'abc', 'b', 'badge', '<$>', '<*>', '\u00ff', 'x\u0000'];
  const depth = 1 + Math.floor(rnd() * 4);
  return [
    text('http_expr'),
    ...Array.from({ length: depth }, () => text(segments[Math.floor(rnd() * segments.length)])),
  ];
}

/** Compares two paths' starts: a value cannot sit where another path needs a map. */
function conflicts(model: Contents, path: Uint8Array[]): boolean {
  let map: Contents | Uint8Array | undefined = model;
  for (let i = 0; i < path.length; i++) {
    if (!(map instanceof Map)) return true;
    map = map.get(hex(path[i]));
    if (map === undefined) return false;
    if (i === path.length - 1) return map instanceof Map;
  }
  return false;
}

function rebuild(
  model: Contents,
  rnd: () => number,
): { tree: StoredLabeledTree; store: MemoryNodeStore } {
  const store = new MemoryNodeStore();
  const tree = new StoredLabeledTree(store);
  const all = [...leaves(model)];
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  for (const [path, value] of all) tree.set(path, value);
  tree.commit();
  return { tree, store };
}

function checkWitness(tree: StoredLabeledTree, model: Contents, path: Uint8Array[]): void {
  const w: HashTree = tree.witness(pathRequestOf([path]));
  expect(hex(reconstruct(w))).toBe(hex(tree.rootHash()));
  let node: Contents | Uint8Array | undefined = model;
  for (const label of path) node = node instanceof Map ? node.get(hex(label)) : undefined;
  const found = lookupPath(w, path);
  if (node instanceof Uint8Array) expect(found).toEqual({ status: 'found', value: node });
  else if (node === undefined) expect(found.status).toBe('absent');
  // @dfinity/agent finds the same values. (Its absence checks compare labels byte by byte
  // without order, `isBufferGreaterThan`, and answer Unknown for many absent labels: readers
  // must use this package's `lookupPath`.)
  if (node instanceof Uint8Array) {
    expect(lookup_path(path, w as unknown as AgentTree)).toEqual({ status: 'Found', value: node });
  }
}

describe('stored labelled tree', () => {
  it(
    'keeps the root of a from-scratch rebuild and of the direct definition through random changes',
    { timeout: 60_000 },
    () => {
      for (const seed of [1, 2, 3]) {
        const rnd = random(seed);
        const store = new MemoryNodeStore();
        const tree = new StoredLabeledTree(store);
        const model: Contents = new Map();
        for (let step = 0; step < 600; step++) {
          const path = randomPath(rnd);
          if (rnd() < 0.25) {
            const existing = [...leaves(model)];
            if (existing.length > 0) {
              const [victim] = existing[Math.floor(rnd() * existing.length)];
              expect(tree.delete(victim)).toBe(true);
              modelDelete(model, victim);
            }
          } else if (conflicts(model, path)) {
            expect(() => tree.set(path, text('x'))).toThrow(TreeShapeError);
          } else {
            const value = rnd() < 0.1 ? new Uint8Array(0) : text(`v${step}`);
            tree.set(path, value);
            modelSet(model, path, value);
          }
          if (rnd() < 0.3 || step === 599) {
            const root = tree.commit();
            expect(hex(root), `seed ${seed} step ${step}`).toBe(hex(modelDigest(model)));
            if (step % 50 === 0 || step === 599) {
              const again = rebuild(model, rnd);
              expect(hex(again.tree.rootHash())).toBe(hex(root));
              // No record is left behind: the same number as a tree built in one go.
              expect(store.size).toBe(again.store.size);
              for (let k = 0; k < 20; k++) checkWitness(tree, model, randomPath(rnd));
              for (const [p] of [...leaves(model)].slice(0, 20)) checkWitness(tree, model, p);
            }
          }
        }
      }
    },
  );

  it('reveals everything with "all", and reads values back', () => {
    const tree = new StoredLabeledTree(new MemoryNodeStore());
    const model: Contents = new Map();
    const rnd = random(9);
    for (let i = 0; i < 200; i++) {
      const path = randomPath(rnd);
      if (conflicts(model, path)) continue;
      tree.set(path, u64(i));
      modelSet(model, path, u64(i));
    }
    tree.commit();
    const all = tree.witness('all');
    expect(hex(reconstruct(all))).toBe(hex(modelDigest(model)));
    for (const [path, value] of leaves(model)) {
      expect(lookupPath(all, path)).toEqual({ status: 'found', value });
      expect(tree.get(path)).toEqual(value);
    }
    expect(tree.get([text('nothing')])).toBeUndefined();
  });

  it('re-hashes one path per change: reads and writes grow with log n, not n', () => {
    const store = new MemoryNodeStore();
    const tree = new StoredLabeledTree(store);
    const cost = (n: number) => {
      for (let i = cost.size; i < n; i++) tree.set([text('attestations'), u64(i)], u64(i));
      cost.size = n;
      tree.commit();
      const before = { reads: store.reads, writes: store.writes };
      tree.set([text('attestations'), u64(n >> 1)], text('changed'));
      tree.set([text('attestations'), u64(n)], text('new'));
      tree.commit();
      cost.size++;
      return { reads: store.reads - before.reads, writes: store.writes - before.writes };
    };
    cost.size = 0;
    const small = cost(64);
    const large = cost(8192);
    // 128 times the labels: 7 more levels on each of the two paths.
    expect(large.reads - small.reads).toBeLessThanOrEqual(2 * 7 * 3);
    expect(large.writes - small.writes).toBeLessThanOrEqual(2 * 7 * 2);
    expect(large.writes).toBeLessThan(40);
  });

  it('refuses a value where a map is and a map where a value is, and changes nothing', () => {
    const store = new MemoryNodeStore();
    const tree = new StoredLabeledTree(store);
    tree.set([text('log'), text('size')], Uint8Array.of(1));
    const root = tree.commit();
    expect(() => tree.set([text('log')], Uint8Array.of(2))).toThrow(TreeShapeError);
    expect(() => tree.set([text('log'), text('size'), text('x')], Uint8Array.of(2))).toThrow(
      TreeShapeError,
    );
    expect(tree.delete([text('log')])).toBe(false);
    expect(tree.delete([text('log'), text('size'), text('x')])).toBe(false);
    expect(hex(tree.commit())).toBe(hex(root));
  });

  it('needs a commit before witnesses', () => {
    const tree = new StoredLabeledTree(new MemoryNodeStore());
    tree.set([text('a')], Uint8Array.of(1));
    expect(() => tree.witness('all')).toThrow(/commit/);
    tree.commit();
    expect(lookupPath(tree.witness('all'), ['a'])).toEqual({
      status: 'found',
      value: Uint8Array.of(1),
    });
  });
});
