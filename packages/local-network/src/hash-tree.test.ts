import {
  lookup_path,
  reconstruct as agentReconstruct,
  type HashTree as AgentTree,
} from '@dfinity/agent';
import { describe, expect, it } from 'vitest';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import {
  LabeledMap,
  Leaf,
  lookupPath,
  pathRequestOf,
  reconstruct,
  type HashTree,
} from './hash-tree';

function statusTree(n: number, bucketed: boolean): LabeledMap {
  const m = new LabeledMap([], { bucketed });
  for (let i = 0; i < n; i++) {
    const id = new Uint8Array(32);
    id[0] = (i * 37) % 256;
    id[1] = i % 7;
    id[31] = i;
    m.set(id, new LabeledMap([['status', new Leaf(utf8ToBytes(`s${i}`))]]));
  }
  return m;
}

describe('state tree witnesses', () => {
  it('have the root hash of the full tree, whatever they reveal', () => {
    for (const bucketed of [false, true]) {
      const root = new LabeledMap([
        ['request_status', statusTree(300, bucketed)],
        ['time', new Leaf(Uint8Array.of(1, 2, 3))],
      ]);
      const full = root.witness('all');
      expect(bytesToHex(reconstruct(full))).toBe(bytesToHex(root.digest()));
      const labels = [...(root.get('request_status') as LabeledMap).labels()];
      const w = root.witness(
        pathRequestOf([[utf8ToBytes('request_status'), labels[17]], [utf8ToBytes('time')]]),
      );
      expect(bytesToHex(reconstruct(w))).toBe(bytesToHex(root.digest()));
      const expected = lookupPath(full, ['request_status', labels[17], 'status']);
      expect(expected.status).toBe('found');
      expect(lookupPath(w, ['request_status', labels[17], 'status'])).toEqual(expected);
      expect(lookupPath(w, ['request_status', labels[18], 'status']).status).toBe('unknown');
      expect(lookupPath(w, ['time'])).toEqual({ status: 'found', value: Uint8Array.of(1, 2, 3) });
    }
  });

  it('are read the same way by @dfinity/agent (hash and lookups)', async () => {
    const root = new LabeledMap([
      [
        'canister',
        new LabeledMap([
          [
            Uint8Array.of(0x80, 0, 0, 0, 0, 0x10, 0, 1, 1, 1),
            new LabeledMap([['module_hash', new Leaf(Uint8Array.of(9))]]),
          ],
        ]),
      ],
      ['request_status', statusTree(50, true)],
      ['time', new Leaf(Uint8Array.of(7))],
    ]);
    const w = root.witness(pathRequestOf([[utf8ToBytes('canister')]]));
    expect(bytesToHex(await agentReconstruct(w as unknown as AgentTree))).toBe(
      bytesToHex(root.digest()),
    );
    const found = lookup_path(
      ['canister', Uint8Array.of(0x80, 0, 0, 0, 0, 0x10, 0, 1, 1, 1), 'module_hash'],
      w as unknown as AgentTree,
    );
    expect(found).toMatchObject({ status: 'Found', value: Uint8Array.of(9) });
  });

  it('prove the absence of a label between two others', () => {
    const m = new LabeledMap([
      ['a', new Leaf(utf8ToBytes('1'))],
      ['c', new Leaf(utf8ToBytes('3'))],
      ['e', new Leaf(utf8ToBytes('5'))],
    ]);
    const w = m.witness(pathRequestOf([[utf8ToBytes('d')]]));
    expect(bytesToHex(reconstruct(w))).toBe(bytesToHex(m.digest()));
    expect(lookupPath(w, ['d'])).toEqual({ status: 'absent' });
    expect(lookupPath(w, ['c']).status).toBe('unknown');
  });

  it('update their digest when a child changes, and only the changed shard is re-hashed', () => {
    const m = statusTree(100, true);
    const before = bytesToHex(m.digest());
    const id = new Uint8Array(32).fill(5);
    m.set(id, new Leaf(utf8ToBytes('new')));
    const withNew = bytesToHex(m.digest());
    expect(withNew).not.toBe(before);
    m.delete(id);
    expect(bytesToHex(m.digest())).toBe(before);
  });

  it('keep labels in order, so a fork tree of many children is well formed', () => {
    const m = statusTree(64, true);
    const flat: Uint8Array[] = [];
    const walk = (t: HashTree): void => {
      if (t[0] === 1) {
        walk(t[1]);
        walk(t[2]);
      } else if (t[0] === 2) flat.push(t[1]);
    };
    walk(m.witness('all'));
    const sorted = [...flat].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(flat.map(bytesToHex)).toEqual(sorted.map(bytesToHex));
    expect(flat).toHaveLength(64);
  });
});
