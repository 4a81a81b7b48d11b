import { MemoryNodeStore } from '@repro-registry/certification';
import { describe, expect, it } from 'vitest';

import { LogErrorCode } from './codes';
import { leafHash } from './hashing';
import { TransparencyLog } from './log';
import { verifyConsistency, verifyInclusion } from './proofs';

function logOf(n: number): { log: TransparencyLog; leaves: Uint8Array[] } {
  const log = new TransparencyLog(new MemoryNodeStore());
  const leaves = Array.from({ length: n }, (_, i) => Uint8Array.of(i & 0xff, i >> 8));
  for (const leaf of leaves) log.append({ leaf });
  return { log, leaves };
}

/** Every way to spoil a proof: each bit of each hash, one hash less or more, swapped hashes. */
function tamperings(proof: Uint8Array[]): Uint8Array[][] {
  const out: Uint8Array[][] = [];
  proof.forEach((hash, i) => {
    for (let bit = 0; bit < 256; bit += 37) {
      const changed = hash.slice();
      changed[bit >> 3] ^= 1 << (bit & 7);
      out.push(proof.map((p, j) => (j === i ? changed : p)));
    }
  });
  if (proof.length > 0) out.push(proof.slice(1), proof.slice(0, -1));
  out.push([...proof, new Uint8Array(32)], [new Uint8Array(32), ...proof]);
  for (let i = 0; i + 1 < proof.length; i++) {
    if (proof[i].some((b, k) => b !== proof[i + 1][k])) {
      out.push(proof.map((p, j) => (j === i ? proof[i + 1] : j === i + 1 ? proof[i] : p)));
    }
  }
  return out;
}

describe('proof verification refuses what was not proven', () => {
  it('every tampered inclusion proof, wrong leaf, index, size or root fails', () => {
    const { log, leaves } = logOf(70);
    for (const n of [1, 2, 3, 7, 8, 9, 31, 64, 70]) {
      const root = log.rootAt(n);
      for (const index of [0, 1, Math.floor(n / 2), n - 1]) {
        if (index >= n) continue;
        const proof = log.inclusionProof(index, n);
        const args = { leafHash: leafHash(leaves[index]), index, treeSize: n, proof, root };
        expect(verifyInclusion(args).ok).toBe(true);
        for (const bad of tamperings(proof))
          expect(verifyInclusion({ ...args, proof: bad }).ok).toBe(false);
        expect(verifyInclusion({ ...args, leafHash: leafHash(Uint8Array.of(0xee)) }).ok).toBe(
          false,
        );
        for (const other of [index - 1, index + 1, index ^ 2]) {
          if (other >= 0 && other !== index)
            expect(verifyInclusion({ ...args, index: other }).ok).toBe(false);
        }
        // Sizes whose path has another shape; one of the same shape is bound by the root instead.
        for (const size of [Math.floor(n / 2), n * 2]) {
          if (size > index && size !== n)
            expect(verifyInclusion({ ...args, treeSize: size }).ok).toBe(false);
        }
        if (n > 1) expect(verifyInclusion({ ...args, root: log.rootAt(n - 1) }).ok).toBe(false);
      }
    }
  });

  it('every tampered consistency proof, wrong size or root fails', () => {
    const { log } = logOf(70);
    for (const [m, n] of [
      [1, 2],
      [1, 8],
      [3, 7],
      [4, 8],
      [6, 8],
      [5, 70],
      [32, 64],
      [33, 70],
      [63, 64],
      [69, 70],
    ]) {
      const proof = log.consistencyProof(m, n);
      const args = {
        oldSize: m,
        newSize: n,
        oldRoot: log.rootAt(m),
        newRoot: log.rootAt(n),
        proof,
      };
      expect(verifyConsistency(args).ok).toBe(true);
      for (const bad of tamperings(proof))
        expect(verifyConsistency({ ...args, proof: bad }).ok).toBe(false);
      expect(verifyConsistency({ ...args, oldRoot: log.rootAt(m + 1) }).ok).toBe(false);
      expect(verifyConsistency({ ...args, newRoot: log.rootAt(n - 1) }).ok).toBe(false);
      expect(verifyConsistency({ ...args, oldRoot: args.newRoot, newRoot: args.oldRoot }).ok).toBe(
        false,
      );
      for (const size of [m - 1, m + 1]) {
        if (size >= 1 && size < n)
          expect(verifyConsistency({ ...args, oldSize: size }).ok).toBe(false);
      }
      expect(verifyConsistency({ ...args, newSize: n * 2 }).ok).toBe(false);
    }
  });

  it('names what is wrong with a stable code', () => {
    const { log, leaves } = logOf(8);
    const root = log.root();
    const proof = log.inclusionProof(2, 8);
    const base = { leafHash: leafHash(leaves[2]), index: 2, treeSize: 8, proof, root };
    const code = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code);
    expect(code(verifyInclusion({ ...base, proof: proof.slice(1) }))).toBe(
      LogErrorCode.PROOF_LENGTH,
    );
    expect(code(verifyInclusion({ ...base, proof: [...proof, root] }))).toBe(
      LogErrorCode.PROOF_LENGTH,
    );
    expect(code(verifyInclusion({ ...base, root: new Uint8Array(31) }))).toBe(
      LogErrorCode.PROOF_MALFORMED,
    );
    expect(code(verifyInclusion({ ...base, index: 8 }))).toBe(LogErrorCode.LEAF_INDEX_OUT_OF_RANGE);
    expect(code(verifyInclusion({ ...base, leafHash: root }))).toBe(LogErrorCode.ROOT_MISMATCH);
    const c = log.consistencyProof(3, 8);
    const cBase = { oldSize: 3, newSize: 8, oldRoot: log.rootAt(3), newRoot: root, proof: c };
    expect(code(verifyConsistency({ ...cBase, oldRoot: root }))).toBe(
      LogErrorCode.OLD_ROOT_MISMATCH,
    );
    expect(code(verifyConsistency({ ...cBase, newRoot: log.rootAt(3) }))).toBe(
      LogErrorCode.NEW_ROOT_MISMATCH,
    );
    expect(code(verifyConsistency({ ...cBase, oldSize: 0 }))).toBe(
      LogErrorCode.TREE_SIZE_OUT_OF_RANGE,
    );
    expect(code(verifyConsistency({ ...cBase, oldSize: 9 }))).toBe(
      LogErrorCode.TREE_SIZE_OUT_OF_RANGE,
    );
    expect(code(verifyConsistency({ ...cBase, oldSize: 8, proof: [] }))).toBe(
      LogErrorCode.NEW_ROOT_MISMATCH,
    );
  });
});
