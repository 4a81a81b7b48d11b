/**
 * The registry's transparency log and certified data, kept beside its tables (no azle: stores
 * are ports, so unit tests run it in memory and the canister on stable memory).
 *
 * Updates only note what happened (`note*`: one small queue record each, so a submission stays
 * within its instruction budget); `certify` — in a message of its own, scheduled right after —
 * turns the queue into log leaves, re-hashes the certified records that changed and returns the
 * new root for `ic0.certified_data_set`. Certified reads answer from what was certified last,
 * so an answer and its witness always agree; they lag an update by one message.
 *
 * Log store layout (besides the log's own 'h'/'n'/'l'/'k' records):
 *   'M'            state: queue head/tail, backfill position
 *   'Q' seq(u64)   a queued event
 *   'E' id(u64)    SHA-256 of the attestation's envelope (32 bytes)
 *   'S' id(u64)    the certified summary (Candid message) of the proposal
 *   'P' id(u64)    the proposal fields last logged (proposal_read), as JSON
 *   'T'            the trust-list scopes' pending work (`certified-scopes.ts`)
 *   'I'            the attestation index sweep's state (`attestation-index.ts`)
 */
import { bytesToHex, sha256, utf8Decode, utf8Encode } from '@repro-registry/attestation';
import {
  StoredLabeledTree,
  type HashTree,
  type NodeStore,
  type PathRequest,
} from '@repro-registry/certification';
import {
  LABELS,
  TransparencyLog,
  attestationRecordBytes,
  encodeLeaf,
  u64Label,
  type LogEvent,
} from '@repro-registry/transparency-log';

import type { AttestationRecordJson, ProposalRecordJson } from '../core/records';
import { ScopedCertification, type ScopeSource } from './certified-scopes';
import {
  attestationIndexPending,
  certifyAttestationIndex,
  type AttestationIndexSource,
} from './attestation-index';

/** What the certified state reads from the registry. */
export interface RegistrySource extends AttestationIndexSource {
  attestation(id: bigint): AttestationRecordJson | undefined;
  envelope(id: bigint): Uint8Array | undefined;
  proposal(id: bigint): ProposalRecordJson | undefined;
  /** The proposal's summary as the Candid message of `ProposalSummary`; null when it has none. */
  summaryMessage(id: bigint): Uint8Array | null;
  /** Ids of the attestations stored: 1..count. */
  attestationCount(): bigint;
  /** Ids of the proposals stored, ascending. */
  proposalIds(): bigint[];
  /** How many proposals are confirmed (the proposal list's total). */
  confirmedProposalCount(): bigint;
}

/** A queued note: an event to log, or a proposal whose summary changed without one. */
type Note =
  | { t: 'accepted'; id: string }
  /**
   * `backfill`: noted while a backfill was pending, with the part of it still to come: an event
   * about an attestation in that part is already in the state the backfill logs.
   */
  | { t: 'event'; event: LogEvent; backfill?: { next: string; end: string } }
  | { t: 'summary'; proposal: string };

interface State {
  head: number;
  tail: number;
  /** Attestations from `next` up to `end` (exclusive) still to log at the first certification. */
  backfill: { next: string; end: string } | null;
}

const STATE_KEY = Uint8Array.of(0x4d);
const tagged = (tag: number, id: bigint | number) => {
  const key = new Uint8Array(9);
  key[0] = tag;
  key.set(u64Label(id), 1);
  return key;
};
const queueKey = (seq: number) => tagged(0x51, seq);
const envelopeKey = (id: bigint) => tagged(0x45, id);
const summaryKey = (id: bigint) => tagged(0x53, id);
const proposalFieldsKey = (id: bigint) => tagged(0x50, id);

const json = (value: unknown) => utf8Encode(JSON.stringify(value));
const parse = <T>(bytes: Uint8Array): T => JSON.parse(utf8Decode(bytes)) as T;

/** The proposal fields a `proposal_read` leaf records; null before governance answered. */
function proposalFields(
  p: ProposalRecordJson,
): Omit<Extract<LogEvent, { event: 'proposal_read' }>, 'at' | 'event'> | null {
  const c = p.onChain;
  if (c === null) return null;
  return {
    proposal: p.id,
    kind: c.kind,
    os: c.os,
    status: c.status,
    elected_commit: c.electedCommit,
    release_package_sha256: c.releasePackageSha256Hex,
    launch_measurements: c.launchMeasurementsHex,
  };
}

export class CertifiedState {
  readonly log: TransparencyLog;
  readonly tree: StoredLabeledTree;
  /** Trust lists and their summaries (`certified-scopes.ts`); absent in tests without them. */
  readonly scopes: ScopedCertification | undefined;

  constructor(
    /** Also holds the records of other certified parts (`certified-http.ts`: 'H', 'W', 'R'). */
    readonly logStore: NodeStore,
    treeStore: NodeStore,
    scopeSource?: ScopeSource,
  ) {
    this.log = new TransparencyLog(logStore);
    this.tree = new StoredLabeledTree(treeStore);
    this.scopes =
      scopeSource === undefined
        ? undefined
        : new ScopedCertification(logStore, this.tree, scopeSource);
  }

  private state(): State {
    const bytes = this.logStore.get(STATE_KEY);
    return bytes === undefined ? { head: 0, tail: 0, backfill: null } : parse<State>(bytes);
  }

  private saveState(state: State): void {
    this.logStore.insert(STATE_KEY, json(state));
  }

  /** Whether notes wait for `certify`. */
  hasWork(): boolean {
    return this.notesPending() || attestationIndexPending(this.logStore);
  }

  private notesPending(): boolean {
    const s = this.state();
    return s.head < s.tail || s.backfill !== null || this.scopes?.hasWork() === true;
  }

  private push(note: Note): void {
    const state = this.state();
    if (note.t === 'event' && state.backfill !== null) note.backfill = { ...state.backfill };
    this.logStore.insert(queueKey(state.tail), json(note));
    state.tail++;
    this.saveState(state);
  }

  // ---------------------------------------------------------------- notes (in updates)

  noteAccepted(args: { attestationId: bigint; supersedes: bigint | null; at: bigint }): void {
    this.push({ t: 'accepted', id: args.attestationId.toString() });
    if (args.supersedes !== null) {
      this.push({
        t: 'event',
        event: {
          event: 'attestation_superseded',
          attestation: args.supersedes.toString(),
          by: args.attestationId.toString(),
          at: args.at.toString(),
        },
      });
    }
  }

  noteHidden(args: { attestationId: bigint; reason: string; by: string; at: bigint }): void {
    this.push({
      t: 'event',
      event: {
        event: 'attestation_hidden',
        attestation: args.attestationId.toString(),
        reason: args.reason,
        by: args.by,
        at: args.at.toString(),
      },
    });
  }

  noteUnhidden(args: { attestationId: bigint; by: string; at: bigint }): void {
    this.push({
      t: 'event',
      event: {
        event: 'attestation_unhidden',
        attestation: args.attestationId.toString(),
        by: args.by,
        at: args.at.toString(),
      },
    });
  }

  /** After a governance read: a leaf when what governance says changed, a new summary always. */
  noteProposalRead(args: { proposal: ProposalRecordJson | undefined; at: bigint }): void {
    const p = args.proposal;
    if (p === undefined) return;
    const fields = proposalFields(p);
    const id = BigInt(p.id);
    if (fields !== null) {
      const text = JSON.stringify(fields);
      const logged = this.logStore.get(proposalFieldsKey(id));
      if (logged === undefined || utf8Decode(logged) !== text) {
        this.logStore.insert(proposalFieldsKey(id), utf8Encode(text));
        this.push({
          t: 'event',
          event: { event: 'proposal_read', ...fields, at: args.at.toString() },
        });
      }
    }
    this.noteSummary(id);
  }

  /** The proposal's summary may have changed (counting, walks) without a logged event. */
  noteSummary(proposalId: bigint): void {
    this.push({ t: 'summary', proposal: proposalId.toString() });
  }

  /**
   * At upgrade (and install): data stored before the log existed gets its leaves at the first
   * certification, in id order: each proposal's on-chain data, then each attestation's
   * acceptance followed by what happened to it (superseded, hidden).
   */
  startBackfill(source: RegistrySource): void {
    const queued = this.state();
    if (this.log.size > 0 || queued.head < queued.tail || queued.backfill !== null) return;
    for (const id of source.proposalIds()) {
      const proposal = source.proposal(id);
      // The time of the read the data came from: the leaves depend on the data alone.
      const at = BigInt(proposal?.sync.lastSuccessAt ?? proposal?.sync.lastAttemptAt ?? '0');
      this.noteProposalRead({ proposal, at });
    }
    const count = source.attestationCount();
    if (count === 0n) return;
    const state = this.state();
    state.backfill = { next: '1', end: (count + 1n).toString() };
    this.saveState(state);
  }

  // ---------------------------------------------------------------- certification (own message)

  /**
   * Logs what was noted (backfill first) while `more()` allows, and re-certifies what changed.
   * `changed` (certified HTTP) sees what changed before the tree is committed, and may change it.
   * Returns the root hash for `certified_data_set`.
   */
  certify(
    source: RegistrySource,
    more: () => boolean = () => true,
    changed?: (changes: { proposals: Set<bigint>; attestations: Set<bigint> }) => void,
  ): Uint8Array {
    const attestations = new Set<bigint>();
    const proposals = new Set<bigint>();
    const state = this.state();
    // Proposals' on-chain data first: queued by `startBackfill` before the attestations.
    while (state.backfill !== null && more()) {
      if (state.head < state.tail && this.isProposalNote(state.head)) {
        this.apply(source, this.takeNote(state), attestations, proposals);
      } else {
        const id = BigInt(state.backfill.next);
        this.backfillAttestation(source, id, attestations, proposals);
        state.backfill =
          id + 1n >= BigInt(state.backfill.end)
            ? null
            : { ...state.backfill, next: (id + 1n).toString() };
      }
    }
    while (state.backfill === null && state.head < state.tail && more()) {
      this.apply(source, this.takeNote(state), attestations, proposals);
    }
    this.saveState(state);

    for (const id of attestations) this.certifyAttestation(source, id);
    for (const id of proposals) this.certifySummary(source, id);
    certifyAttestationIndex({ tree: this.tree, store: this.logStore, source, proposals, more });
    if (state.backfill === null) this.scopes?.certify(proposals, more);
    this.tree.set([LABELS.log, LABELS.size], u64Label(this.log.size));
    this.tree.set([LABELS.log, LABELS.root], this.log.root());
    this.tree.set([LABELS.proposalCount], u64Label(source.confirmedProposalCount()));
    changed?.({ proposals, attestations });
    return this.tree.commit();
  }

  private isProposalNote(seq: number): boolean {
    const bytes = this.logStore.get(queueKey(seq));
    if (bytes === undefined) return false;
    const note = parse<Note>(bytes);
    return note.t === 'summary' || (note.t === 'event' && note.event.event === 'proposal_read');
  }

  private takeNote(state: State): Note {
    const key = queueKey(state.head);
    const note = parse<Note>(this.logStore.get(key)!);
    this.logStore.remove(key);
    state.head++;
    return note;
  }

  private apply(
    source: RegistrySource,
    note: Note,
    attestations: Set<bigint>,
    proposals: Set<bigint>,
  ): void {
    if (note.t === 'summary') {
      proposals.add(BigInt(note.proposal));
      return;
    }
    if (note.t === 'accepted') {
      this.logAccepted(source, BigInt(note.id), attestations, proposals);
      return;
    }
    const event = note.event;
    if (!this.backfilledAlready(note)) this.log.append({ leaf: encodeLeaf(event) });
    if (event.event === 'proposal_read') {
      proposals.add(BigInt(event.proposal));
    } else {
      const id = BigInt(event.attestation);
      attestations.add(id);
      const record = source.attestation(id);
      if (record !== undefined) proposals.add(BigInt(record.proposalId));
    }
  }

  private backfilledAlready(note: Note & { t: 'event' }): boolean {
    if (note.backfill === undefined || note.event.event === 'proposal_read') return false;
    const id = BigInt(note.event.attestation);
    return id >= BigInt(note.backfill.next) && id < BigInt(note.backfill.end);
  }

  private logAccepted(
    source: RegistrySource,
    id: bigint,
    attestations: Set<bigint>,
    proposals: Set<bigint>,
  ): AttestationRecordJson | undefined {
    const record = source.attestation(id);
    const envelope = source.envelope(id);
    if (record === undefined || envelope === undefined) return undefined;
    const digest = sha256(envelope);
    this.logStore.insert(envelopeKey(id), digest);
    this.log.append({
      leaf: encodeLeaf({
        event: 'attestation_accepted',
        attestation: record.id,
        proposal: record.proposalId,
        builder: record.builder,
        envelope_sha256: bytesToHex(digest),
        at: record.submittedAt,
      }),
      key: u64Label(id),
    });
    attestations.add(id);
    proposals.add(BigInt(record.proposalId));
    return record;
  }

  private backfillAttestation(
    source: RegistrySource,
    id: bigint,
    attestations: Set<bigint>,
    proposals: Set<bigint>,
  ): void {
    const record = this.logAccepted(source, id, attestations, proposals);
    if (record === undefined) return;
    if (record.supersededBy !== null) {
      const by = source.attestation(BigInt(record.supersededBy));
      this.log.append({
        leaf: encodeLeaf({
          event: 'attestation_superseded',
          attestation: record.id,
          by: record.supersededBy,
          at: by?.submittedAt ?? record.submittedAt,
        }),
      });
    }
    if (record.hidden !== null) {
      this.log.append({
        leaf: encodeLeaf({
          event: 'attestation_hidden',
          attestation: record.id,
          reason: record.hidden.reason,
          by: record.hidden.by,
          at: record.hidden.at,
        }),
      });
    }
  }

  private certifyAttestation(source: RegistrySource, id: bigint): void {
    const record = source.attestation(id);
    const envelopeDigest = this.logStore.get(envelopeKey(id));
    if (record === undefined || envelopeDigest === undefined) return;
    const text = attestationRecordBytes({
      id: record.id,
      proposal: record.proposalId,
      builder: record.builder,
      envelope_sha256: bytesToHex(envelopeDigest),
      submitted_at: record.submittedAt,
      supersedes: record.supersedes,
      superseded_by: record.supersededBy,
      hidden: record.hidden,
    });
    this.tree.set([LABELS.attestation, u64Label(id)], sha256(text));
  }

  private certifySummary(source: RegistrySource, id: bigint): void {
    const message = source.summaryMessage(id);
    if (message === null) {
      this.logStore.remove(summaryKey(id));
      this.tree.delete([LABELS.proposal, u64Label(id)]);
      return;
    }
    this.logStore.insert(summaryKey(id), message);
    this.tree.set([LABELS.proposal, u64Label(id)], sha256(message));
  }

  // ---------------------------------------------------------------- certified reads

  /** The summary certified last (Candid message), or undefined. */
  certifiedSummary(proposalId: bigint): Uint8Array | undefined {
    return this.logStore.get(summaryKey(proposalId));
  }

  envelopeDigest(attestationId: bigint): Uint8Array | undefined {
    return this.logStore.get(envelopeKey(attestationId));
  }

  /**
   * The certified log size and root (what `log/size`, `log/root` hold): the log changes only in
   * `certify`, which sets both before it returns, so the log's own head is the certified one.
   */
  certifiedHead(): { size: number; root: Uint8Array } {
    return this.log.current();
  }

  witness(request: PathRequest): HashTree {
    return this.tree.witness(request);
  }
}
