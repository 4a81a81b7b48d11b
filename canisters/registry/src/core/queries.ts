/**
 * What readers ask: a proposal's consensus over everyone or over one trust list, the list of
 * confirmed proposals, pages of attestations and of a builder's history.
 */
import type { Principal } from '@dfinity/principal';
import type { Verdict } from '@repro-registry/attestation';
import { VERDICTS } from '@repro-registry/attestation';
import { ErrorCode } from '@repro-registry/registry-api';

import type { Consensus } from './consensus';
import { computeConsensus, consensusCommit, primaryMatches, proposalConsensus } from './consensus';
import type { Result } from './errors';
import { err, ok } from './errors';
import type { BuilderRecordJson, ProposalRecordJson, TrustListJson } from './records';
import type { AttestationView, RegistryStore } from './store';
import { proposalState } from './store';
import { compositeKey, u64FromKey, u64Key } from './tables';
import { listTally } from './trust-lists';
import { listUpdatesWaiting } from './trust-list-queue';

export const PAGE_LIMIT = { default: 50, max: 100 } as const;

const VERDICT_INDEX: Record<Verdict, number> = {
  match: 0,
  mismatch: 1,
  build_failed: 2,
  not_built: 3,
};

export interface Page<T> {
  items: T[];
  next: bigint | null;
  total: bigint;
}

/** Whose results a consensus counts. */
export interface ConsensusScope {
  /** null: every builder. */
  trustList: { id: string; name: string; version: number; owner: string } | null;
  /** Builders with a counted result over all builders. */
  buildersInAll: number;
  /** Builders over all whose result for the primary artifact matches ("7 in all"). */
  matchingInAll: number;
  /** Everything stored is counted (false while a recount, a list version or queued changes
   *  are being applied, which takes a few messages). */
  upToDate: boolean;
}

export interface ProposalSummaryView {
  record: ProposalRecordJson;
  consensus: Consensus;
  commit: string | null;
  /** Builders with a counted result in the scope. */
  builderCount: number;
  scope: ConsensusScope;
}

export function clampLimit(
  limit: number | undefined,
  bounds: { default: number; max: number } = PAGE_LIMIT,
): number {
  if (limit === undefined || limit <= 0) return bounds.default;
  return Math.min(limit, bounds.max);
}

/**
 * Attestations per Candid page: each is its stored rendering and envelope copied, so a page can
 * be large (the reply also stops at `ENVELOPE_BYTES_PER_PAGE`); the JSON API keeps `PAGE_LIMIT`.
 */
export const ATTESTATION_PAGE_LIMIT = { default: 50, max: 500 } as const;

function trustListOf(store: RegistryStore, id: bigint | undefined): Result<TrustListJson | null> {
  if (id === undefined) return ok(null);
  const list = store.tables.trustLists.get(u64Key(id));
  return list === undefined
    ? err(ErrorCode.TRUST_LIST_NOT_FOUND, `there is no trust list ${id}`)
    : ok(list);
}

function summaryOf(
  store: RegistryStore,
  record: ProposalRecordJson,
  list: TrustListJson | null,
): ProposalSummaryView {
  const walking = record.recounting === true && record.renderCursor !== null;
  const commit = consensusCommit(record);
  const matchingInAll = primaryMatches(record.cells, record.onChain);
  if (list === null) {
    return {
      record,
      consensus: proposalConsensus(record),
      commit,
      builderCount: record.currentBuilders,
      scope: {
        trustList: null,
        buildersInAll: record.currentBuilders,
        matchingInAll,
        upToDate: !walking,
      },
    };
  }
  const tally = listTally(store, list, BigInt(record.id));
  return {
    record,
    consensus: computeConsensus({ cells: tally.cells, onChain: record.onChain }),
    commit,
    builderCount: tally.builders,
    scope: {
      trustList: { id: list.id, name: list.name, version: list.readyVersion, owner: list.owner },
      buildersInAll: record.currentBuilders,
      matchingInAll,
      upToDate:
        !walking && list.job === null && list.readyVersion > 0 && listUpdatesWaiting(store) === 0,
    },
  };
}

/** A confirmed proposal's consensus; pending and rejected ones answer with their code. */
export function summary(
  store: RegistryStore,
  args: { proposalId: bigint; trustList?: bigint },
): Result<ProposalSummaryView> {
  const record = store.proposalRecord(args.proposalId);
  if (record === undefined) {
    return err(
      ErrorCode.PROPOSAL_NOT_FOUND,
      `the registry knows nothing about proposal ${args.proposalId} yet`,
    );
  }
  const state = proposalState(record);
  if (state === 'pending') {
    return err(
      ErrorCode.PROPOSAL_PENDING,
      `proposal ${args.proposalId} is not confirmed on chain yet: its ${record.attestationCount} attestation(s) are held, not counted${record.sync.error ? ` (${record.sync.error})` : ''}`,
    );
  }
  if (state === 'rejected') {
    const rejection = record.rejection;
    return err(
      rejection?.code === 'PROPOSAL_NOT_ON_CHAIN'
        ? ErrorCode.PROPOSAL_NOT_ON_CHAIN
        : ErrorCode.PROPOSAL_NOT_ICOS_ELECTION,
      rejection?.reason ?? `proposal ${args.proposalId} is not one to reproduce`,
    );
  }
  const list = trustListOf(store, args.trustList);
  if (!list.ok) return list;
  return ok(summaryOf(store, record, list.value));
}

/** Confirmed proposals newest (highest id) first. `cursor` is the number already seen. */
export function listProposals(
  store: RegistryStore,
  args: { cursor?: bigint; limit?: number; trustList?: bigint },
): Result<Page<ProposalSummaryView>> {
  const list = trustListOf(store, args.trustList);
  if (!list.ok) return list;
  const index = store.tables.confirmedProposals;
  const total = index.len();
  const limit = clampLimit(args.limit);
  const offset = Math.min(Number(args.cursor ?? 0n), total);
  const end = total - offset;
  const start = Math.max(0, end - limit);
  const keys = index.keys(start, end - start).reverse();
  const items = keys.map((k) =>
    summaryOf(store, store.proposalRecord(u64FromKey(k)) as ProposalRecordJson, list.value),
  );
  return ok({
    items,
    next: start > 0 ? BigInt(offset + items.length) : null,
    total: BigInt(total),
  });
}

/**
 * A proposal's attestations newest first, optionally only those with a given verdict — every
 * stored one, held and rejected ones too. `cursor` is an exclusive upper bound on the arrival
 * position, so pages stay stable while new attestations arrive.
 */
export function listAttestationIds(
  store: RegistryStore,
  args: {
    proposalId: bigint;
    verdict?: string;
    cursor?: bigint;
    limit?: number;
    bounds?: { default: number; max: number };
  },
): Result<Page<Uint8Array>> {
  const proposalKey = u64Key(args.proposalId);
  const proposal = store.proposalRecord(args.proposalId);
  if (proposal === undefined) {
    return err(
      ErrorCode.PROPOSAL_NOT_FOUND,
      `the registry knows nothing about proposal ${args.proposalId} yet`,
    );
  }
  let total: number;
  // The index key, proposal id ‖ [verdict ‖] seq: one buffer, its seq rewritten per read (a
  // table copies the key it is given), instead of a new composite key per attestation.
  let prefix: Uint8Array = proposalKey;
  let table = store.tables.proposalAttestations;
  if (args.verdict !== undefined) {
    if (!(VERDICTS as readonly string[]).includes(args.verdict)) {
      return err(
        ErrorCode.INVALID_ARGUMENT,
        `verdict must be one of ${VERDICTS.join(', ')}, not "${args.verdict}"`,
      );
    }
    const verdict = args.verdict as Verdict;
    total = proposal.verdictCounts[verdict];
    prefix = compositeKey(proposalKey, new Uint8Array([VERDICT_INDEX[verdict]]));
    table = store.tables.proposalVerdictAttestations;
  } else {
    total = proposal.attestationCount;
  }
  const limit = clampLimit(args.limit, args.bounds);
  const end = Math.min(Number(args.cursor ?? BigInt(total)), total);
  const start = Math.max(0, end - limit);
  const key = compositeKey(prefix, 0);
  const seqAt = new DataView(key.buffer, prefix.length, 4);
  const items: Uint8Array[] = [];
  for (let seq = end - 1; seq >= start; seq--) {
    seqAt.setUint32(0, seq);
    items.push(table.get(key) as Uint8Array);
  }
  return ok({ items, next: start > 0 ? BigInt(start) : null, total: BigInt(total) });
}

export function attestationKey(store: RegistryStore, id: bigint): Result<Uint8Array> {
  const key = u64Key(id);
  if (!store.tables.attestations.containsKey(key)) {
    return err(ErrorCode.ATTESTATION_NOT_FOUND, `there is no attestation ${id}`);
  }
  return ok(key);
}

export function viewOf(
  store: RegistryStore,
  idKey: Uint8Array,
  proposal: ProposalRecordJson | undefined,
  withEnvelope: boolean,
): AttestationView {
  const record = store.tables.attestations.get(idKey);
  if (record === undefined) throw new Error('attestation missing');
  const p = proposal ?? store.proposalRecord(BigInt(record.proposalId));
  // Every attestation belongs to a stored proposal (they are written in one message).
  if (p === undefined) throw new Error(`attestation ${record.id} has no proposal record`);
  return store.viewFrom(
    record,
    p,
    withEnvelope ? (store.tables.envelopes.get(idKey) ?? null) : null,
  );
}

export function builderAttestationIds(
  store: RegistryStore,
  args: {
    builder: Principal;
    cursor?: bigint;
    limit?: number;
    bounds?: { default: number; max: number };
  },
): Result<{ profile: BuilderRecordJson; attestations: Page<Uint8Array> }> {
  const key = args.builder.toUint8Array();
  const profile = store.tables.builders.get(key);
  if (profile === undefined) {
    return err(
      ErrorCode.BUILDER_NOT_FOUND,
      `${args.builder.toText()} has not submitted any attestation`,
    );
  }
  const total = profile.attestationCount;
  const limit = clampLimit(args.limit, args.bounds);
  const end = Math.min(Number(args.cursor ?? BigInt(total)), total);
  const start = Math.max(0, end - limit);
  const items: Uint8Array[] = [];
  for (let seq = end - 1; seq >= start; seq--) {
    items.push(store.tables.builderAttestations.get(compositeKey(key, seq)) as Uint8Array);
  }
  return ok({
    profile,
    attestations: { items, next: start > 0 ? BigInt(start) : null, total: BigInt(total) },
  });
}
