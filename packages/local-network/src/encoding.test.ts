import { hashOfMap as agentHashOfMap } from '@dfinity/agent';
import { bytesToHex } from '@noble/hashes/utils';
import { describe, expect, it } from 'vitest';

import type { CborMap } from './cbor';
import { hashOfMap } from './encoding';

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * seed) & 0xff);

describe('hashOfMap', () => {
  // What the network hashes: signed query answers (replied and rejected), request contents
  // (nested paths, nonces, principals as bytes, large args).
  const maps: Record<string, CborMap> = {
    'a replied query answer with a large reply': {
      status: 'replied',
      reply: { arg: bytes(1_500_000, 7) },
      timestamp: 1_764_000_000_000_000_000n,
      request_id: bytes(32, 3),
    },
    'an empty reply': { status: 'replied', reply: { arg: new Uint8Array() }, timestamp: 0 },
    'a rejected query answer': {
      status: 'rejected',
      reject_code: 5,
      reject_message: 'Canister trapped: ü',
      error_code: 'IC0503',
      timestamp: 1n,
      request_id: bytes(32),
    },
    'a read_state request': {
      request_type: 'read_state',
      sender: new Uint8Array([4]),
      ingress_expiry: 2n ** 63n,
      paths: [[new TextEncoder().encode('subnet'), bytes(29)], []],
      nonce: bytes(16, 5),
    },
    'keys of any order, undefined left out': { z: 'last', a: 'first', m: undefined, n: 300 },
    'nothing at all': {},
  };

  for (const [what, map] of Object.entries(maps)) {
    it(`equals agent-js's on ${what}`, () => {
      expect(bytesToHex(hashOfMap(map))).toBe(bytesToHex(agentHashOfMap(map)));
    });
  }

  it('tells one byte of a large reply apart', () => {
    const arg = bytes(100_000, 3);
    const before = hashOfMap({ reply: { arg } });
    arg[99_999] ^= 1;
    expect(bytesToHex(hashOfMap({ reply: { arg } }))).not.toBe(bytesToHex(before));
  });

  it.each([
    ['a boolean', { ok: true }],
    ['null', { nothing: null }],
    ['a negative number', { n: -1 }],
    ['a fraction', { n: 1.5 }],
  ] as [string, CborMap][])('refuses %s, as the specification has no hash for it', (_, map) => {
    expect(() => hashOfMap(map)).toThrow();
    expect(() => agentHashOfMap(map)).toThrow();
  });
});
