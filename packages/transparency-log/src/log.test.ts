import { MemoryNodeStore } from '@repro-registry/certification';
import { describe, expect, it } from 'vitest';

import { ReferenceTree, hex, hexList } from '../test/reference';
import { LogError, LogErrorCode } from './codes';
import { EMPTY_ROOT, leafHash } from './hashing';
import { TransparencyLog } from './log';
import { verifyConsistency, verifyInclusion } from './proofs';

const leafOf = (i: number) => new TextEncoder().encode(`leaf ${i} ${'x'.repeat(i % 7)}`);
const MAX = 300;

describe('TransparencyLog against an independent recomputation', () => {
  it(
    `every root, inclusion proof and consistency proof of every size from 1 to ${MAX} equals RFC 9162's definition and verifies`,
    { timeout: 120_000 },
    () => {
      const log = new TransparencyLog(new MemoryNodeStore());
      expect(hex(log.root())).toBe(hex(EMPTY_ROOT));
      const leaves: Uint8Array[] = [];
      // Collected, not asserted one by one: 90,000 proofs through expect() would take minutes.
      const wrong: string[] = [];
      let checked = 0;
      for (let n = 1; n <= MAX; n++) {
        leaves.push(leafOf(n - 1));
        const appended = log.append({ leaf: leaves[n - 1] });
        const reference = new ReferenceTree(leaves);
        const root = reference.mth(0, n);
        if (appended.index !== n - 1 || appended.size !== n) wrong.push(`append ${n}`);
        if (hex(appended.root) !== hex(root) || hex(log.root()) !== hex(root))
          wrong.push(`root ${n}`);
        for (let i = 0; i < n; i++) {
          const proof = log.inclusionProof(i, n);
          const same = hexList(proof).join() === hexList(reference.path(i, 0, n)).join();
          const check = verifyInclusion({
            leafHash: leafHash(leaves[i]),
            index: i,
            treeSize: n,
            proof,
            root,
          });
          if (!same || !check.ok) wrong.push(`inclusion ${i} in ${n}`);
          checked++;
        }
        for (let m = 1; m <= n; m++) {
          const proof = log.consistencyProof(m, n);
          const same = hexList(proof).join() === hexList(reference.consistency(m, n)).join();
          const check = verifyConsistency({
            oldSize: m,
            newSize: n,
            oldRoot: reference.mth(0, m),
            newRoot: root,
            proof,
          });
          if (!same || !check.ok) wrong.push(`consistency ${m} to ${n}`);
          checked++;
        }
      }
      expect(wrong).toEqual([]);
      expect(checked).toBe(MAX * (MAX + 1));
    },
  );

  it('answers for older sizes of a grown log as it did when they were current', () => {
    const log = new TransparencyLog(new MemoryNodeStore());
    const leaves = Array.from({ length: MAX }, (_, i) => leafOf(i));
    for (const leaf of leaves) log.append({ leaf });
    const reference = new ReferenceTree(leaves);
    for (let n = 1; n <= MAX; n += n < 40 ? 1 : 7) {
      expect(hex(log.rootAt(n))).toBe(hex(reference.mth(0, n)));
      for (let i = 0; i < n; i += 1 + (i % 5)) {
        expect(hexList(log.inclusionProof(i, n))).toEqual(hexList(reference.path(i, 0, n)));
      }
      for (let m = 1; m <= n; m += 1 + (m % 3)) {
        expect(hexList(log.consistencyProof(m, n))).toEqual(hexList(reference.consistency(m, n)));
      }
    }
  });

  it('refuses out-of-range sizes and indexes with their codes and changes nothing', () => {
    const log = new TransparencyLog(new MemoryNodeStore());
    for (let i = 0; i < 5; i++) log.append({ leaf: leafOf(i) });
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        return e instanceof LogError ? e.code : 'not a LogError';
      }
      return 'no error';
    };
    expect(code(() => log.inclusionProof(0, 6))).toBe(LogErrorCode.TREE_SIZE_OUT_OF_RANGE);
    expect(code(() => log.inclusionProof(5, 5))).toBe(LogErrorCode.LEAF_INDEX_OUT_OF_RANGE);
    expect(code(() => log.inclusionProof(-1, 5))).toBe(LogErrorCode.LEAF_INDEX_OUT_OF_RANGE);
    expect(code(() => log.consistencyProof(0, 5))).toBe(LogErrorCode.TREE_SIZE_OUT_OF_RANGE);
    expect(code(() => log.consistencyProof(4, 3))).toBe(LogErrorCode.TREE_SIZE_OUT_OF_RANGE);
    expect(code(() => log.consistencyProof(1, 6))).toBe(LogErrorCode.TREE_SIZE_OUT_OF_RANGE);
    expect(code(() => log.rootAt(1.5))).toBe(LogErrorCode.TREE_SIZE_OUT_OF_RANGE);
    expect(log.size).toBe(5);
  });

  it('finds a leaf by its key, keeps the bytes, and refuses a second leaf under one key', () => {
    const store = new MemoryNodeStore();
    const log = new TransparencyLog(store);
    log.append({ leaf: leafOf(0) });
    log.append({ leaf: leafOf(1), key: Uint8Array.of(7) });
    expect(log.indexOf(Uint8Array.of(7))).toBe(1);
    expect(log.indexOf(Uint8Array.of(8))).toBeUndefined();
    expect(log.leaf(1)).toEqual(leafOf(1));
    expect(log.leaf(2)).toBeUndefined();
    const before = store.entries();
    expect(() => log.append({ leaf: leafOf(2), key: Uint8Array.of(7) })).toThrow(
      expect.objectContaining({ code: LogErrorCode.LEAF_KEY_TAKEN }),
    );
    expect(store.entries()).toEqual(before);
  });

  it('reopened on the same store, continues where it was (what an upgrade does)', () => {
    const store = new MemoryNodeStore();
    const leaves = Array.from({ length: 37 }, (_, i) => leafOf(i));
    const first = new TransparencyLog(store);
    for (const leaf of leaves.slice(0, 20)) first.append({ leaf });
    const second = new TransparencyLog(store);
    for (const leaf of leaves.slice(20)) second.append({ leaf });
    expect(hex(second.root())).toBe(hex(new ReferenceTree(leaves).mth(0, 37)));
  });

  it('an append writes a bounded number of records: leaf, its hash, completed subtrees, head', () => {
    const store = new MemoryNodeStore();
    const log = new TransparencyLog(store);
    let most = 0;
    for (let i = 0; i < 1024; i++) {
      const before = store.writes;
      log.append({ leaf: leafOf(i) });
      most = Math.max(most, store.writes - before);
    }
    // 2 + trailing ones of the index (at most 10 below 1024) + head.
    expect(most).toBeLessThanOrEqual(13);
    // On average one completed subtree per append.
    expect(store.size).toBeLessThan(1024 * 3 + 2);
  });
});
