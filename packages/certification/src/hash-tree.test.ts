import { decode, encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { reconstruct as agentReconstruct, type HashTree as AgentTree } from '@dfinity/agent';
import { bytesToHex, hexToBytes } from '@repro-registry/attestation';
import { describe, expect, it } from 'vitest';

import {
  decodeHashTree,
  encodeHashTree,
  type HashTree,
  hashTreeFromCbor,
  lookupPath,
  lookupSubtree,
  reconstruct,
} from './hash-tree';

// The example of the IC interface specification ("Certification" → "Encoding of certificates").
const SPEC_TREE_CBOR =
  '8301830183024161830183018302417882034568656c6c6f810083024179820345776f726c6483024162820344676f6f648301830241638100830241648203476d6f726e696e67';
const SPEC_PRUNED_CBOR =
  '83018301830241618301820458201b4feff9bef8131788b0c9dc6dbad6e81e524249c879e9f10f71ce3749f5a63883024179820345776f726c6483024162820458207b32ac0c6ba8ce35ac82c255fc7906f7fc130dab2a090f80fe12f9c2cae83ba6830182045820ec8324b8a1f1ac16bd2e806edba78006479c9877fed4eb464a25485465af601d830241648203476d6f726e696e67';
const SPEC_ROOT = 'eb5c5b2195e62d996b84c9bcc8259d19a83786a2f59e0878cec84c811f669aa0';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('the specification example', () => {
  const tree = hashTreeFromCbor(decode(hexToBytes(SPEC_TREE_CBOR)));
  const pruned = hashTreeFromCbor(decode(hexToBytes(SPEC_PRUNED_CBOR)));

  it('has the root hash the specification gives, full and pruned', async () => {
    expect(bytesToHex(reconstruct(tree))).toBe(SPEC_ROOT);
    expect(bytesToHex(reconstruct(pruned))).toBe(SPEC_ROOT);
    expect(bytesToHex(await agentReconstruct(tree as unknown as AgentTree))).toBe(SPEC_ROOT);
  });

  it('encodes to the specification CBOR behind the self-describe tag', () => {
    expect(bytesToHex(encodeHashTree(tree))).toBe('d9d9f7' + SPEC_TREE_CBOR);
    expect(bytesToHex(encodeHashTree(pruned))).toBe('d9d9f7' + SPEC_PRUNED_CBOR);
    expect(decodeHashTree(encodeHashTree(pruned))).toEqual(pruned);
  });

  it('answers lookups as the specification says (found, absent, unknown)', () => {
    const found = lookupPath(pruned, ['a', 'y']);
    expect(found.status === 'found' && text(found.value)).toBe('world');
    expect(lookupPath(pruned, ['ax']).status).toBe('absent'); // "b" is there to prove it
    expect(lookupPath(pruned, ['a', 'x']).status).toBe('unknown'); // pruned away
    expect(lookupPath(pruned, ['c']).status).toBe('unknown');
    expect(lookupPath(tree, ['c']).status).toBe('absent'); // labelled Empty
    expect(lookupPath(tree, ['a']).status).toBe('error'); // not a leaf
    expect(lookupSubtree(tree, ['a']).status).toBe('found');
    expect(lookupPath(pruned, ['e']).status).toBe('absent');
  });

  it('refuses malformed nodes', () => {
    expect(() => hashTreeFromCbor([5])).toThrow('malformed');
    expect(() => hashTreeFromCbor([4, new Uint8Array(31)])).toThrow('malformed');
    expect(() => hashTreeFromCbor([2, 'x', [0]])).toThrow('not bytes');
    expect(() => hashTreeFromCbor('x')).toThrow('not a tree node');
  });
});

describe('encodeHashTree', () => {
  it('writes what @dfinity/cbor writes, for every node kind and byte-string length class', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => next() & 0xff);
    // Lengths on both sides of each CBOR length-header boundary.
    const lengths = [0, 1, 23, 24, 32, 255, 256, 65535, 65536, 70000];
    const random = (depth: number): HashTree => {
      const kind = depth > 6 ? 3 + (next() % 2) : next() % 5;
      const length = lengths[next() % lengths.length];
      if (kind === 0) return [0];
      if (kind === 1) return [1, random(depth + 1), random(depth + 1)];
      if (kind === 2) return [2, bytes(length % 300), random(depth + 1)];
      if (kind === 3) return [3, bytes(length)];
      return [4, bytes(32)];
    };
    for (let i = 0; i < 40; i++) {
      const tree = random(0);
      expect(bytesToHex(encodeHashTree(tree))).toBe(
        bytesToHex(encodeWithSelfDescribedTag(tree as unknown as unknown[])),
      );
    }
  });
});
