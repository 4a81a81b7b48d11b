/**
 * The storage the registry's logic runs on. In the canister every table is an azle
 * `StableBTreeMap` (stable memory, survives upgrades); in unit tests an in-memory `MemoryTable`.
 * Keys are byte strings compared lexicographically, like ic-stable-structures does, so that
 * big-endian integer keys sort numerically and composite keys group by their prefix.
 */
export interface Table<V> {
  get(key: Uint8Array): V | undefined;
  insert(key: Uint8Array, value: V): void;
  remove(key: Uint8Array): void;
  containsKey(key: Uint8Array): boolean;
  len(): number;
  /** Keys in ascending byte order, from position `startIndex`, at most `length` of them. */
  keys(startIndex: number, length: number): Uint8Array[];
}

export interface RegistryTables {
  /** attestation id → what the registry derived from it. */
  attestations: Table<AttestationRecordJson>;
  /** attestation id → its Candid rendering (see `RenderedAttestation`). */
  attestationReplies: Table<Uint8Array>;
  /** attestation id → the envelope bytes exactly as submitted (anyone can re-verify them). */
  envelopes: Table<Uint8Array>;
  /** Ed25519 signature → attestation id: resubmitting is idempotent. A signature identifies
   *  what was signed (strict verification rules out malleable signatures) and, unlike a hash
   *  of the envelope, costs nothing to compute inside the canister. */
  signatureIndex: Table<Uint8Array>;
  /** proposal id → proposal record with the consensus aggregate. */
  proposals: Table<ProposalRecordJson>;
  /** proposal id ‖ seq → attestation id, seq dense per proposal in arrival order. */
  proposalAttestations: Table<Uint8Array>;
  /** proposal id ‖ verdict ‖ seq → attestation id, seq dense per (proposal, verdict). */
  proposalVerdictAttestations: Table<Uint8Array>;
  /** proposal id ‖ builder principal → the builder's newest attestation id for it (layout 1;
   *  layout 2 keeps it in the builder's standing). Read only. */
  currentAttestation: Table<Uint8Array>;
  /** builder principal → profile. */
  builders: Table<BuilderRecordJson>;
  /** builder principal ‖ seq → attestation id. */
  builderAttestations: Table<Uint8Array>;
  /** caller principal → rate-limit bucket. */
  rateBuckets: Table<RateBucketJson>;
  /** singleton settings and counters, key `meta`. */
  meta: Table<MetaJson>;
  /** proposal id ‖ builder principal → the builder's newest attestation and standing results. */
  standings: Table<StandingJson>;
  /** builder principal ‖ seq → proposal id, seq dense per builder: the proposals it stands on. */
  builderProposals: Table<Uint8Array>;
  /** proposal id → nothing: the confirmed proposals, the ones listed. */
  confirmedProposals: Table<Uint8Array>;
  /** name key (NFKC, lower case) → who holds the name: a builder's display name or a trust list's. */
  names: Table<NameHolderJson>;
  /** trust list id → the list. */
  trustLists: Table<TrustListJson>;
  /** trust list id ‖ version → that version (history is kept). */
  trustListVersions: Table<TrustListVersionJson>;
  /** principal → ids of the trust lists it published. */
  trustListOwners: Table<string[]>;
  /** principal → the trust lists (and versions) that hold it. */
  memberships: Table<MembershipsJson>;
  /** trust list id ‖ version ‖ proposal id → the list's aggregate for the proposal. */
  listTallies: Table<ListTallyJson>;
  /** proposal id ‖ builder principal → nothing: standings changed since trust lists counted them. */
  listQueue: Table<Uint8Array>;
  /** event sequence number → the event (`events.ts`), the oldest dropped past a bound. */
  events: Table<EventJson>;
  /** proposal id → which events it had and their sequence numbers. */
  proposalEvents: Table<ProposalEventsJson>;
}

export interface NameHolderJson {
  kind: 'builder' | 'trust_list';
  /** Principal text of the builder, or the trust list id. */
  id: string;
}

// The record types are JSON-shaped (strings for u64 values) because they are stored as JSON:
// QuickJS's native JSON is far cheaper per message than Candid encoding in JS.
import type {
  AttestationRecordJson,
  BuilderRecordJson,
  ListTallyJson,
  MembershipsJson,
  MetaJson,
  ProposalRecordJson,
  RateBucketJson,
  StandingJson,
  TrustListJson,
  TrustListVersionJson,
} from './records';
import type { EventJson, ProposalEventsJson } from './events';

export function u64Key(value: bigint): Uint8Array {
  const key = new Uint8Array(8);
  new DataView(key.buffer).setBigUint64(0, value);
  return key;
}

export function u64FromKey(key: Uint8Array, offset = 0): bigint {
  return new DataView(key.buffer, key.byteOffset, key.byteLength).getBigUint64(offset);
}

/** Concatenates key parts; every part but the last must have a fixed width for ordering. */
export function compositeKey(...parts: (Uint8Array | number)[]): Uint8Array {
  const bytes = parts.map((p) => {
    if (typeof p !== 'number') return p;
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, p);
    return b;
  });
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bytes) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i] - b[i];
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** An in-memory `Table` with the same ordering as the stable one, for unit tests and tools. */
export class MemoryTable<V> implements Table<V> {
  readonly #entries = new Map<string, { key: Uint8Array; value: V }>();
  #sorted: Uint8Array[] | undefined;

  get(key: Uint8Array): V | undefined {
    return this.#entries.get(hexOf(key))?.value;
  }
  insert(key: Uint8Array, value: V): void {
    const id = hexOf(key);
    if (!this.#entries.has(id)) this.#sorted = undefined;
    // Stored values are copied through JSON like the stable table's serialiser does, so
    // logic that mutates a record after inserting it behaves the same in both.
    this.#entries.set(id, { key: key.slice(), value: cloneValue(value) });
  }
  remove(key: Uint8Array): void {
    if (this.#entries.delete(hexOf(key))) this.#sorted = undefined;
  }
  containsKey(key: Uint8Array): boolean {
    return this.#entries.has(hexOf(key));
  }
  len(): number {
    return this.#entries.size;
  }
  keys(startIndex: number, length: number): Uint8Array[] {
    this.#sorted ??= [...this.#entries.values()].map((e) => e.key).sort(compareBytes);
    return this.#sorted.slice(startIndex, startIndex + length);
  }
}

function cloneValue<V>(value: V): V {
  return value instanceof Uint8Array
    ? (value.slice() as V)
    : (JSON.parse(JSON.stringify(value)) as V);
}

function hexOf(key: Uint8Array): string {
  let s = '';
  for (const b of key) s += b.toString(16).padStart(2, '0');
  return s;
}

export function memoryTables(): RegistryTables {
  return {
    attestations: new MemoryTable(),
    attestationReplies: new MemoryTable(),
    envelopes: new MemoryTable(),
    signatureIndex: new MemoryTable(),
    proposals: new MemoryTable(),
    proposalAttestations: new MemoryTable(),
    proposalVerdictAttestations: new MemoryTable(),
    currentAttestation: new MemoryTable(),
    builders: new MemoryTable(),
    builderAttestations: new MemoryTable(),
    rateBuckets: new MemoryTable(),
    meta: new MemoryTable(),
    standings: new MemoryTable(),
    builderProposals: new MemoryTable(),
    confirmedProposals: new MemoryTable(),
    names: new MemoryTable(),
    trustLists: new MemoryTable(),
    trustListVersions: new MemoryTable(),
    trustListOwners: new MemoryTable(),
    memberships: new MemoryTable(),
    listTallies: new MemoryTable(),
    listQueue: new MemoryTable(),
    events: new MemoryTable(),
    proposalEvents: new MemoryTable(),
  };
}
