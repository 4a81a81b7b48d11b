import { lookup_path, type HashTree as AgentTree } from '@dfinity/agent';
import { bytesToHex, utf8Encode } from '@repro-registry/attestation';
import { describe, expect, it } from 'vitest';

import { lookupPath, reconstruct } from './hash-tree';
import { LabeledMap, Leaf, pathRequestOf } from './labeled-tree';

function statusTree(n: number, bucketed: boolean): LabeledMap {
  const m = new LabeledMap([], { bucketed });
  for (let i = 0; i < n; i++) {
    const id = new Uint8Array(32);
    id[0] = (i * 37) % 256;
    id[1] = i % 7;
    id[31] = i;
    m.set(id, new LabeledMap([['status', new Leaf(utf8Encode(`s${i}`))]]));
  }
  return m;
}

describe('labelled tree witnesses', () => {
  for (const bucketed of [false, true]) {
    it(`have the root hash of the tree whatever they reveal (bucketed: ${bucketed})`, () => {
      const statuses = statusTree(300, bucketed);
      const root = new LabeledMap([
        ['request_status', statuses],
        ['time', new Leaf(Uint8Array.of(1, 2, 3))],
      ]);
      const full = root.witness('all');
      expect(bytesToHex(reconstruct(full))).toBe(bytesToHex(root.digest()));
      const labels = [...statuses.labels()];
      const w = root.witness(pathRequestOf([['request_status', labels[17]], ['time']]));
      expect(bytesToHex(reconstruct(w))).toBe(bytesToHex(root.digest()));
      const found = lookupPath(w, ['request_status', labels[17], 'status']);
      expect(found).toEqual(lookupPath(full, ['request_status', labels[17], 'status']));
      expect(found.status).toBe('found');
      expect(lookupPath(w, ['request_status', labels[18], 'status']).status).toBe('unknown');
    });

    it(`prove absent labels absent by their neighbours (bucketed: ${bucketed})`, () => {
      const statuses = statusTree(100, bucketed);
      const root = new LabeledMap([['request_status', statuses]]);
      // A proper prefix of an existing label, one past every label, one between two.
      const missing = [Uint8Array.of(0), new Uint8Array(32).fill(255), Uint8Array.of(37, 3)];
      for (const id of missing) {
        const w = root.witness(pathRequestOf([['request_status', id, 'status']]));
        expect(bytesToHex(reconstruct(w))).toBe(bytesToHex(root.digest()));
        expect(lookupPath(w, ['request_status', id, 'status']).status).toBe('absent');
        // @dfinity/agent reads the same witness the same way, except where a label is a proper
        // prefix of its neighbour (its label comparison is not the specification's).
        if (id.length === 32) {
          expect(lookup_path(['request_status', id, 'status'], w as unknown as AgentTree)).toEqual(
            expect.objectContaining({ status: 'Absent' }),
          );
        }
      }
    });
  }

  it('re-hash what changed: set, delete and in-place changes after invalidate', () => {
    const inner = new LabeledMap([['a', new Leaf(Uint8Array.of(1))]]);
    const root = new LabeledMap([['x', inner]]);
    const before = bytesToHex(root.digest());
    inner.set('b', new Leaf(Uint8Array.of(2)));
    expect(bytesToHex(root.digest())).toBe(before); // cached until told
    root.invalidate('x');
    const fresh = new LabeledMap([
      [
        'x',
        new LabeledMap([
          ['a', new Leaf(Uint8Array.of(1))],
          ['b', new Leaf(Uint8Array.of(2))],
        ]),
      ],
    ]);
    expect(bytesToHex(root.digest())).toBe(bytesToHex(fresh.digest()));
    inner.delete('b');
    root.invalidate('x');
    expect(bytesToHex(root.digest())).toBe(before);
    expect(root.size).toBe(1);
  });
});
