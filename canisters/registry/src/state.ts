/**
 * The registry's stable memory: one azle StableBTreeMap per table. Memory ids are part of the
 * stable layout — never renumber or reuse one, or an upgrade reads the wrong data.
 */
import { StableBTreeMap } from 'azle';
import { utf8Decode, utf8Encode } from '@repro-registry/attestation';

import type { RegistryTables, Table } from './core/tables';

const bytes = {
  toBytes: (value: Uint8Array): Uint8Array => value,
  fromBytes: (value: Uint8Array): Uint8Array => value,
};

// Plain JSON, not azle's stableJson: the records hold no bigints or principals, and the
// engine's native JSON is far cheaper than a JS replacer walking every value.
const json = {
  toBytes: (value: unknown): Uint8Array => utf8Encode(JSON.stringify(value)),
  fromBytes: (value: Uint8Array): unknown => JSON.parse(utf8Decode(value)),
};

function table<V>(memoryId: number, values: 'bytes' | 'json'): Table<V> {
  // Values cross into the map as bytes; JSON is encoded here. azle's `insert` hands back the
  // value it replaced, decoded by the map's serializer: with bytes that costs nothing, where a
  // JSON serializer would parse every replaced record again. The stored bytes are the same.
  const map = new StableBTreeMap<Uint8Array, Uint8Array>(memoryId, bytes, bytes);
  const encode = values === 'bytes' ? bytes.toBytes : json.toBytes;
  const decode = values === 'bytes' ? bytes.fromBytes : json.fromBytes;
  return {
    get: (key) => {
      const value = map.get(key);
      return value === undefined ? undefined : (decode(value) as V);
    },
    insert: (key, value) => {
      map.insert(key, encode(value as Uint8Array));
    },
    remove: (key) => {
      map.remove(key);
    },
    containsKey: (key) => map.containsKey(key),
    len: () => Number(map.len()),
    keys: (startIndex, length) => map.keys(startIndex, length),
  };
}

export function stableTables(): RegistryTables {
  return {
    meta: table(0, 'json'),
    attestations: table(1, 'json'),
    envelopes: table(2, 'bytes'),
    signatureIndex: table(3, 'bytes'),
    proposals: table(4, 'json'),
    proposalAttestations: table(5, 'bytes'),
    proposalVerdictAttestations: table(6, 'bytes'),
    currentAttestation: table(7, 'bytes'),
    builders: table(8, 'json'),
    builderAttestations: table(9, 'bytes'),
    rateBuckets: table(10, 'json'),
    attestationReplies: table(11, 'bytes'),
    standings: table(12, 'json'),
    builderProposals: table(13, 'bytes'),
    confirmedProposals: table(14, 'bytes'),
    names: table(15, 'json'),
    trustLists: table(16, 'json'),
    trustListVersions: table(17, 'json'),
    trustListOwners: table(18, 'json'),
    memberships: table(19, 'json'),
    listTallies: table(20, 'json'),
    listQueue: table(21, 'bytes'),
    // The event stream (issue 12) starts at 30, leaving 22..29 to tables added alongside it;
    // 40 and 41 are the certified log's (`certified/stable.ts`).
    events: table(30, 'json'),
    proposalEvents: table(31, 'json'),
  };
}
