/**
 * Published vectors: the RFC 6962 test tree of transparency-dev/merkle (testonly/constants.go:
 * 8 leaf inputs, the node hashes, the root of every size) and every case of its testdata
 * (inclusion and consistency proofs, valid and spoilt), imported unchanged into `vectors/`.
 */
import { readFileSync } from 'node:fs';

import { MemoryNodeStore } from '@repro-registry/certification';
import { describe, expect, it } from 'vitest';

import {
  EMPTY_ROOT,
  TransparencyLog,
  leafHash,
  verifyConsistency,
  verifyInclusion,
} from '../src/index';

const hd = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));
const b64 = (text: string | null | undefined) => new Uint8Array(Buffer.from(text ?? '', 'base64'));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

// testonly/constants.go: LeafInputs, RootHashes, NodeHashes.
const LEAF_INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const LEAF_HASHES = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
  '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
  'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
  '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
];

interface Vectors<C> {
  commit: string;
  cases: (C & { file: string; desc: string; wantErr: boolean })[];
}
const load = <C>(name: string) =>
  JSON.parse(readFileSync(new URL(`vectors/${name}`, import.meta.url), 'utf8')) as Vectors<C>;

const inclusion = load<{
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
}>('transparency-dev-inclusion.json');
const consistency = load<{
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
}>('transparency-dev-consistency.json');

/**
 * Where this verifier is deliberately stricter than transparency-dev's: it refuses a root or
 * hash that is not 32 bytes even when the sizes make it irrelevant (equal sizes, empty proof).
 */
const STRICTER = new Set([
  'testdata/consistency/additional/sizes-are-equal-one-and-proof-is-empty.json',
]);

describe('RFC 6962 test tree (transparency-dev/merkle testonly)', () => {
  it('leaf hashes and the root of every size 0..8', () => {
    const log = new TransparencyLog(new MemoryNodeStore());
    expect(hex(EMPTY_ROOT)).toBe(ROOTS[0]);
    LEAF_INPUTS.forEach((input, i) => {
      expect(hex(leafHash(hd(input)))).toBe(LEAF_HASHES[i]);
      expect(hex(log.append({ leaf: hd(input) }).root)).toBe(ROOTS[i + 1]);
    });
    ROOTS.forEach((root, size) => expect(hex(log.rootAt(size))).toBe(root));
  });

  it('our proofs are the upstream happy-path proofs', () => {
    const log = new TransparencyLog(new MemoryNodeStore());
    for (const input of LEAF_INPUTS) log.append({ leaf: hd(input) });
    const happy = inclusion.cases.filter((c) => c.desc === 'happy path');
    expect(happy.length).toBeGreaterThan(3);
    for (const c of happy) {
      expect(log.inclusionProof(c.leafIdx, c.treeSize).map(hex)).toEqual(
        (c.proof ?? []).map((p) => hex(b64(p))),
      );
    }
    const happyConsistency = consistency.cases.filter((c) => c.desc === 'happy path');
    for (const c of happyConsistency) {
      expect(log.consistencyProof(c.size1, c.size2).map(hex)).toEqual(
        (c.proof ?? []).map((p) => hex(b64(p))),
      );
    }
  });
});

describe(`transparency-dev/merkle testdata @ ${inclusion.commit.slice(0, 12)}`, () => {
  it(`every inclusion case (${inclusion.cases.length}) is accepted or refused as upstream says`, () => {
    const disagreements = inclusion.cases.filter((c) => {
      const result = verifyInclusion({
        leafHash: b64(c.leafHash),
        index: c.leafIdx,
        treeSize: c.treeSize,
        proof: (c.proof ?? []).map(b64),
        root: b64(c.root),
      });
      return result.ok === c.wantErr;
    });
    expect(disagreements.map((c) => c.file)).toEqual([]);
    expect(inclusion.cases.filter((c) => c.wantErr).length).toBeGreaterThan(50);
  });

  it(`every consistency case (${consistency.cases.length}) is accepted or refused as upstream says`, () => {
    const disagreements = consistency.cases.filter((c) => {
      const result = verifyConsistency({
        oldSize: c.size1,
        newSize: c.size2,
        oldRoot: b64(c.root1),
        newRoot: b64(c.root2),
        proof: (c.proof ?? []).map(b64),
      });
      return result.ok === c.wantErr;
    });
    expect(disagreements.map((c) => c.file)).toEqual([...STRICTER]);
    expect(consistency.cases.filter((c) => c.wantErr).length).toBeGreaterThan(50);
  });
});
