/**
 * The registry's state and what every use case needs of it: settings, records and their stored
 * renderings, and what a proposal's state means. The use cases (`submission.ts`, `counting.ts`,
 * `proposals.ts`, `trust_lists.ts`, ...) are functions over a `RegistryStore`; `Registry` puts
 * them behind one object for the canister class.
 */
import { isReproducible } from './families';
import type { Verdict } from '@repro-registry/attestation';
import { environmentClass } from '@repro-registry/attestation';

import { effectiveVerdict, expectedClaimDiffers } from './consensus';
import type { RegistryLimits } from './limits';
import { limitsOf } from './limits';
import type {
  AttestationRecordJson,
  MetaJson,
  ProposalRecordJson,
  ProposalSyncJson,
} from './records';
import type { RegistryTables } from './tables';
import { u64Key } from './tables';

/** An attestation as the registry shows it: stored fields plus what follows from the proposal. */
export interface AttestationView {
  record: AttestationRecordJson;
  /** Per artifact: the verdict that counts, whether the builder's expected hash contradicts the
   *  proposal's, whether the result counts now, and whether a later attempt of it failed. */
  effective: {
    verdict: Verdict;
    expectedDiffersFromProposal: boolean;
    counted: boolean;
    laterAttemptFailed: boolean;
  }[];
  /** The attestation's commit is not the one the proposal elects. */
  commitDiffersFromProposal: boolean;
  /** Waiting for the registry to confirm the proposal on chain: stored, not counted. */
  held: boolean;
  /** Why it is not counted although stored; null when it is not rejected. */
  rejection: string | null;
  environmentClass: string;
  envelope: Uint8Array | null;
}

/**
 * The Candid bytes of one attestation exactly as a page of attestations carries it (the
 * envelope included, no proof), and where in them the `envelope` field (its LEB128 length, then
 * the bytes) starts. Stored per attestation and updated whenever what it shows changes, so a
 * page of attestations is one stable read and one copy per attestation instead of being rebuilt
 * field by field in the interpreter.
 */
export interface RenderedAttestation {
  bytes: Uint8Array;
  envelopeOffset: number;
}

/**
 * The shape of the stored renderings, kept in the first byte of their 4-byte header (the other
 * three hold `envelopeOffset`): 0 before the contract's `Attestation` became the envelope plus
 * derived fields; 1 with the envelope left empty (spliced in from `envelopes` at every read)
 * and without `certified`; 2 since: the whole attestation as a page replies with it. A rendering
 * of another shape is not replied with; an upgrade redoes them (`migrate`).
 */
export const RENDERING_SHAPE = 2;

export function storedRendering(r: RenderedAttestation): Uint8Array {
  const stored = new Uint8Array(4 + r.bytes.length);
  new DataView(stored.buffer).setUint32(0, (RENDERING_SHAPE << 24) | r.envelopeOffset);
  stored.set(r.bytes, 4);
  return stored;
}

/** A stored rendering, or null when it has another shape than the current one. */
export function readRendering(stored: Uint8Array): RenderedAttestation | null {
  const header = new DataView(stored.buffer, stored.byteOffset, 4).getUint32(0);
  if (header >>> 24 !== RENDERING_SHAPE) return null;
  return { bytes: stored.subarray(4), envelopeOffset: header & 0xffffff };
}

export type AttestationRenderer = (view: AttestationView) => RenderedAttestation;

/**
 * Attestations walked per message when a proposal is confirmed or recounted: each is counted
 * and rendered again (about 20 M instructions with its stable writes), so 1,000 stay far below
 * an update's 40 B limit.
 */
export const RERENDER_PER_MESSAGE = 1_000;

/** The current stable layout (see `migration.ts`). */
export const LAYOUT = 2;

const META_KEY = new Uint8Array([0x6d]); // "m"

export type ProposalState = 'confirmed' | 'pending' | 'rejected';

/**
 * - `confirmed`: governance says it elects an IC-OS version from a commit: listed and counted.
 * - `pending`: not (yet) read from governance: its attestations are held.
 * - `rejected`: governance says it does not exist or elects nothing reproducible.
 */
export function proposalState(p: ProposalRecordJson): ProposalState {
  if (p.rejection) return 'rejected';
  // Confirmed: governance's record makes it one to reproduce (`families.ts`).
  return p.onChain !== null && isReproducible(p.onChain) ? 'confirmed' : 'pending';
}

export function emptySync(): ProposalSyncJson {
  return {
    state: 'never',
    lastAttemptAt: null,
    lastSuccessAt: null,
    error: null,
    final: false,
    attempts: 0,
  };
}

export function newProposal(id: bigint): ProposalRecordJson {
  return {
    id: id.toString(),
    attestationCount: 0,
    verdictCounts: { match: 0, mismatch: 0, build_failed: 0, not_built: 0 },
    firstAttestationAt: null,
    lastAttestationAt: null,
    currentBuilders: 0,
    supersededCount: 0,
    hiddenCount: 0,
    cells: [],
    commits: {},
    onChain: null,
    sync: emptySync(),
    renderCursor: null,
    recounting: false,
    rejection: null,
    rejectedCount: 0,
  };
}

/** Whether an artifact of a stored record is the builder's standing result for its kind. */
export function isCurrent(record: AttestationRecordJson, index: number): boolean {
  return record.artifacts[index]?.current ?? record.supersededBy === null;
}

export class RegistryStore {
  readonly rerenderPerMessage: number;

  constructor(
    readonly tables: RegistryTables,
    private readonly renderer?: AttestationRenderer,
    options: { rerenderPerMessage?: number } = {},
  ) {
    this.rerenderPerMessage = options.rerenderPerMessage ?? RERENDER_PER_MESSAGE;
  }

  meta(): MetaJson {
    return {
      ...{
        nextAttestationId: '1',
        governanceCanisterId: null,
        builderCount: 0,
        refreshCursor: '0',
        rateLimit: null,
        refreshSeconds: null,
        staleRenderings: [],
      },
      // Fields added later get their defaults when older state is read.
      ...this.tables.meta.get(META_KEY),
    };
  }

  saveMeta(meta: MetaJson): void {
    this.tables.meta.insert(META_KEY, meta);
  }

  limits(meta: MetaJson = this.meta()): RegistryLimits {
    return limitsOf(meta);
  }

  proposalRecord(proposalId: bigint): ProposalRecordJson | undefined {
    const p = this.tables.proposals.get(u64Key(proposalId));
    return p === undefined ? undefined : { ...newProposal(proposalId), ...p };
  }

  saveProposal(proposal: ProposalRecordJson): void {
    this.tables.proposals.insert(u64Key(BigInt(proposal.id)), proposal);
  }

  /** Stores a changed attestation record, and its rendering when the registry renders. */
  saveAttestation(
    idKey: Uint8Array,
    record: AttestationRecordJson,
    proposal: ProposalRecordJson,
  ): void {
    this.tables.attestations.insert(idKey, record);
    if (this.renderer === undefined) return;
    // A rendering carries the envelope (stored before its record is first saved).
    const envelope = this.tables.envelopes.get(idKey) ?? null;
    const rendered = this.renderer(this.viewFrom(record, proposal, envelope));
    this.tables.attestationReplies.insert(idKey, storedRendering(rendered));
  }

  get renders(): boolean {
    return this.renderer !== undefined;
  }

  viewFrom(
    record: AttestationRecordJson,
    proposal: ProposalRecordJson,
    envelope: Uint8Array | null,
  ): AttestationView {
    const state = proposalState(proposal);
    const onChain = state === 'confirmed' ? proposal.onChain : null;
    // While a walk counts the proposal's attestations, those it has not reached are held.
    const notReached =
      proposal.recounting === true &&
      proposal.renderCursor !== null &&
      record.seq >= proposal.renderCursor;
    const held = state === 'pending' || (state === 'confirmed' && notReached);
    const rejection =
      record.rejection ?? (state === 'rejected' ? (proposal.rejection?.reason ?? null) : null);
    const counts = state === 'confirmed' && !held && rejection === null && record.hidden === null;
    return {
      record,
      effective: record.artifacts.map((a, i) => ({
        verdict: effectiveVerdict(a, onChain),
        expectedDiffersFromProposal: expectedClaimDiffers(a, onChain),
        counted: counts && isCurrent(record, i),
        laterAttemptFailed: a.laterAttemptFailed === true,
      })),
      commitDiffersFromProposal:
        onChain?.electedCommit != null && onChain.electedCommit !== record.commit,
      held,
      rejection,
      environmentClass: environmentClass(record.environment),
      envelope,
    };
  }
}

/**
 * Attestation records read and changed while one message counts: each is read once and saved
 * (and rendered) once, with the proposal as it is at the end.
 */
export class RecordCache {
  private readonly records = new Map<string, AttestationRecordJson>();
  private readonly changed = new Set<string>();

  constructor(private readonly store: RegistryStore) {}

  get(id: string): AttestationRecordJson {
    let record = this.records.get(id);
    if (record === undefined) {
      record = this.store.tables.attestations.get(u64Key(BigInt(id)));
      if (record === undefined) throw new Error(`attestation ${id} is missing`);
      this.records.set(id, record);
    }
    return record;
  }

  /** Adds a record (new or already read) and marks it changed. */
  put(record: AttestationRecordJson): void {
    this.records.set(record.id, record);
    this.changed.add(record.id);
  }

  touch(id: string): AttestationRecordJson {
    const record = this.get(id);
    this.changed.add(id);
    return record;
  }

  saveAll(proposal: ProposalRecordJson): void {
    for (const id of this.changed)
      this.store.saveAttestation(u64Key(BigInt(id)), this.get(id), proposal);
    this.changed.clear();
  }
}
