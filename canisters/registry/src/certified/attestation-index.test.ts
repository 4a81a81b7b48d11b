import { MemoryNodeStore, StoredLabeledTree } from '@repro-registry/certification';
import { LABELS, u64FromLabel, u64Label } from '@repro-registry/transparency-log';
import { describe, expect, it } from 'vitest';

import {
  attestationIndexPending,
  attestationPagePaths,
  certifyAttestationIndex,
  type AttestationIndexSource,
} from './attestation-index';

/** Proposals 1..3; proposal p holds `counts[p]` attestations, ids p·1000 + position. */
function sourceWith(counts: Record<string, number>): AttestationIndexSource {
  return {
    proposalIds: () => Object.keys(counts).map(BigInt),
    proposalAttestationCount: (p) => BigInt(counts[p.toString()] ?? 0),
    attestationAt: (p, position) =>
      position < BigInt(counts[p.toString()] ?? 0) ? p * 1000n + position : undefined,
  };
}

const idsOf = (tree: StoredLabeledTree, p: bigint) => {
  const count = u64FromLabel(tree.get([LABELS.proposalAttestationCount, u64Label(p)])!);
  const ids: bigint[] = [];
  for (let chunk = 0n; chunk * 16n < count; chunk++) {
    const value = tree.get([LABELS.proposalAttestations, u64Label(p), u64Label(chunk)])!;
    for (let at = 0; at < value.length; at += 8) ids.push(u64FromLabel(value.subarray(at, at + 8)));
  }
  return { count, ids };
};

describe('certified attestation index', () => {
  it('sweeps what was stored before it, within budget, across messages; then adds what arrives', () => {
    const counts = { '1': 40, '2': 0, '3': 5 };
    const tree = new StoredLabeledTree(new MemoryNodeStore());
    const store = new MemoryNodeStore();
    expect(attestationIndexPending(store)).toBe(true);
    let messages = 0;
    while (attestationIndexPending(store)) {
      let budget = 2; // two chunks (or proposals) per message
      certifyAttestationIndex({
        tree,
        store,
        source: sourceWith(counts),
        proposals: [],
        more: () => budget-- > 0,
      });
      tree.commit();
      if (++messages > 20) throw new Error('no progress');
    }
    expect(messages).toBeGreaterThan(2);
    const expected = (p: bigint, n: number) =>
      Array.from({ length: n }, (_, i) => p * 1000n + BigInt(i));
    expect(idsOf(tree, 1n)).toEqual({ count: 40n, ids: expected(1n, 40) });
    expect(idsOf(tree, 2n)).toEqual({ count: 0n, ids: [] });
    expect(idsOf(tree, 3n)).toEqual({ count: 5n, ids: expected(3n, 5) });

    // New attestations on proposal 1 fill its last chunk and start another.
    counts['1'] = 50;
    certifyAttestationIndex({
      tree,
      store,
      source: sourceWith(counts),
      proposals: [1n],
      more: () => true,
    });
    tree.commit();
    expect(idsOf(tree, 1n)).toEqual({ count: 50n, ids: expected(1n, 50) });
    expect(attestationIndexPending(store)).toBe(false);

    // Out of budget in the middle: the proposal is swept again from there in the next message.
    counts['1'] = 90;
    let budget = 1;
    certifyAttestationIndex({
      tree,
      store,
      source: sourceWith(counts),
      proposals: [1n],
      more: () => budget-- > 0,
    });
    tree.commit();
    expect(idsOf(tree, 1n).count).toBe(64n);
    expect(attestationIndexPending(store)).toBe(true);
    certifyAttestationIndex({
      tree,
      store,
      source: sourceWith(counts),
      proposals: [],
      more: () => true,
    });
    tree.commit();
    expect(idsOf(tree, 1n)).toEqual({ count: 90n, ids: expected(1n, 90) });
    expect(attestationIndexPending(store)).toBe(false);
  });

  it("a page's proof names the count and the chunks of its positions", () => {
    const chunks = (end: bigint, items: number) =>
      attestationPagePaths({ proposalId: 7n, end, items })
        .slice(1)
        .map((path) => u64FromLabel(path[2] as Uint8Array));
    expect(attestationPagePaths({ proposalId: 7n, end: 0n, items: 0 })).toEqual([
      [LABELS.proposalAttestationCount, u64Label(7n)],
    ]);
    expect(chunks(120n, 100)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    expect(chunks(16n, 16)).toEqual([0n]);
    expect(chunks(17n, 2)).toEqual([0n, 1n]);
  });
});
