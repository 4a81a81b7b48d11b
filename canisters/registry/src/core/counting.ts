/**
 * Counting: what each builder's attestations add to a proposal's consensus. Per builder and
 * artifact one result stands — the newest one carrying a hash, else the newest attempt — so a
 * later failed or skipped build does not erase a hash the builder reproduced before. A
 * builder's standing (`StandingJson`) remembers the cell each result added, so a newer result
 * replaces exactly that.
 */
import { Principal } from '@dfinity/principal';
import { environmentClass } from '@repro-registry/attestation';

import { applyCell, onChainExpected, trackedKey } from './consensus';
import { commitOf, foreignArtifact } from './families';
import type {
  AttestationRecordJson,
  BuilderRecordJson,
  CellKey,
  OnChainProposalJson,
  ProposalRecordJson,
  StandingEntryJson,
  StandingJson,
} from './records';
import type { RecordCache, RegistryStore } from './store';
import { compositeKey, u64Key } from './tables';
import { enqueueListUpdate } from './trust-list-queue';

export function standingKey(proposalId: bigint, builder: Uint8Array): Uint8Array {
  return compositeKey(u64Key(proposalId), builder);
}

/**
 * Why a held attestation cannot count once the proposal is known, or null: the checks a
 * submission to a confirmed proposal gets, applied later.
 */
export function rejectionOf(
  record: Pick<AttestationRecordJson, 'commit' | 'artifacts'>,
  onChain: OnChainProposalJson,
): string | null {
  const commit = commitOf(onChain);
  if (commit !== null && record.commit !== commit) {
    return onChain.electedCommit !== null
      ? `the proposal elects commit ${commit}; the attestation is for ${record.commit}`
      : `the proposal's summary says the module is built from commit ${commit}; the attestation is for ${record.commit}`;
  }
  const foreign = foreignArtifact(
    onChain,
    record.artifacts.map((a) => a.kind),
  );
  if (foreign === null) return null;
  return `artifact kind ${foreign.kind} does not belong to ${foreign.proposalIs} (it accepts ${foreign.allowed.join(', ')})`;
}

function counted(standing: StandingJson): CellKey[] {
  return Object.values(standing.kinds)
    .filter((e): e is StandingEntryJson => e !== undefined && e.counted)
    .map((e) => e.cell);
}

export interface CountingContext {
  store: RegistryStore;
  proposal: ProposalRecordJson;
  records: RecordCache;
}

/**
 * The builder's standing on the proposal, created (and indexed under the builder) when new.
 * The builder record is changed in place when given (the caller saves it), else read and saved.
 */
export function standingOf(
  store: RegistryStore,
  args: { proposalId: bigint; builderKey: Uint8Array; builder?: BuilderRecordJson },
): { key: Uint8Array; standing: StandingJson } {
  const key = standingKey(args.proposalId, args.builderKey);
  const standing = store.tables.standings.get(key);
  if (standing !== undefined) return { key, standing };
  // Index the proposal under the builder, so trust lists can find a member's standings.
  const profile = args.builder ?? store.tables.builders.get(args.builderKey);
  if (profile !== undefined) {
    const seq = profile.proposalCount ?? 0;
    store.tables.builderProposals.insert(
      compositeKey(args.builderKey, seq),
      u64Key(args.proposalId),
    );
    profile.proposalCount = seq + 1;
    if (args.builder === undefined) store.tables.builders.insert(args.builderKey, profile);
  }
  return { key, standing: { kinds: {} } };
}

/**
 * Counts a stored attestation of a confirmed proposal (new, or reached by a recount walk) into
 * the builder's standing, and saves the standing. Older records whose flags change are marked
 * in `records`; the caller saves them.
 */
export function countAttestation(
  ctx: CountingContext,
  record: AttestationRecordJson,
  at?: { key: Uint8Array; standing: StandingJson; builderKey: Uint8Array },
): void {
  const { store, proposal } = ctx;
  const builderKey = at?.builderKey ?? Principal.fromText(record.builder).toUint8Array();
  const { key, standing } =
    at ?? standingOf(store, { proposalId: BigInt(proposal.id), builderKey });
  const before = counted(standing).length > 0;
  standing.listed ??= counted(standing);
  const env = environmentClass(record.environment);
  const visible = record.hidden === null;

  for (const a of record.artifacts) {
    const previous = standing.kinds[a.kind];
    if (previous?.id === record.id) continue;
    const hasHash = a.sha256 !== null;
    if (previous !== undefined && !hasHash && previous.hasHash && previous.counted) {
      // A later failed or skipped build: the earlier hash stands, marked.
      a.current = false;
      const older = ctx.records.touch(previous.id);
      const olderArtifact = older.artifacts.find((x) => x.kind === a.kind);
      if (olderArtifact !== undefined) olderArtifact.laterAttemptFailed = true;
      continue;
    }
    if (previous !== undefined) {
      if (previous.counted) applyCell(proposal.cells, previous.tracked ?? previous.cell, -1);
      const older = ctx.records.touch(previous.id);
      const olderArtifact = older.artifacts.find((x) => x.kind === a.kind);
      if (olderArtifact !== undefined) {
        olderArtifact.current = false;
        olderArtifact.laterAttemptFailed = false;
      }
    }
    const cell: CellKey = {
      kind: a.kind,
      sha256: a.sha256,
      claimed: a.expectedSha256,
      verdict: a.verdict,
      env,
    };
    const entry: StandingEntryJson = { id: record.id, hasHash, cell, counted: visible };
    if (visible) addTracked(proposal, entry);
    standing.kinds[a.kind] = entry;
    a.current = true;
    a.laterAttemptFailed = false;
  }
  proposal.currentBuilders += Number(counted(standing).length > 0) - Number(before);
  saveStanding(store, key, standing, builderKey);
}

/** Counts (hide = false) or stops counting (hide = true) what a record's standing results add. */
export function setVisibility(
  ctx: Omit<CountingContext, 'records'>,
  record: AttestationRecordJson,
  visible: boolean,
): void {
  const { store, proposal } = ctx;
  const builder = Principal.fromText(record.builder).toUint8Array();
  const key = standingKey(BigInt(proposal.id), builder);
  const standing = store.tables.standings.get(key);
  if (standing === undefined) return;
  const before = counted(standing).length > 0;
  standing.listed ??= counted(standing);
  for (const entry of Object.values(standing.kinds)) {
    if (entry === undefined || entry.id !== record.id || entry.counted === visible) continue;
    if (visible) addTracked(proposal, entry);
    else {
      applyCell(proposal.cells, entry.tracked ?? entry.cell, -1);
      delete entry.tracked;
    }
    entry.counted = visible;
  }
  proposal.currentBuilders += Number(counted(standing).length > 0) - Number(before);
  saveStanding(store, key, standing, builder);
}

function addTracked(proposal: ProposalRecordJson, entry: StandingEntryJson): void {
  const tracked = trackedKey(
    proposal.cells,
    entry.cell,
    onChainExpected(proposal.onChain, entry.cell.kind),
  );
  applyCell(proposal.cells, tracked, 1);
  if (tracked !== entry.cell) entry.tracked = tracked;
  else delete entry.tracked;
}

/**
 * Saves a standing. Trust lists that hold the builder learn of the change from a queue (their
 * aggregates are updated in messages of their own, so a submission costs the same however
 * many lists hold its builder); a builder on no list has nothing to propagate.
 */
export function saveStanding(
  store: RegistryStore,
  key: Uint8Array,
  standing: StandingJson,
  builder: Uint8Array,
): void {
  const cells = counted(standing);
  // A builder on no list has no memberships entry (it is removed when emptied).
  if (
    standing.listed === undefined ||
    !store.tables.memberships.containsKey(builder) ||
    sameCells(cells, standing.listed)
  )
    delete standing.listed;
  else enqueueListUpdate(store, key);
  store.tables.standings.insert(key, standing);
}

export function countedCells(standing: StandingJson): CellKey[] {
  return counted(standing);
}

/** What the trust lists holding the builder count of this standing now. */
export function listedCells(standing: StandingJson): CellKey[] {
  return standing.listed ?? counted(standing);
}

function sameCells(a: CellKey[], b: CellKey[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) =>
    b.some(
      (y) =>
        x.kind === y.kind &&
        x.sha256 === y.sha256 &&
        x.claimed === y.claimed &&
        x.verdict === y.verdict &&
        x.env === y.env,
    ),
  );
}
