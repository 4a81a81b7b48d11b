/**
 * The registry's logic over its tables, behind one object for the canister class. No azle, no
 * I/O: the canister passes in the caller, the time and its cycle balance, so every rule is
 * unit-tested without a canister and the same code runs in the real wasm. Each use case lives
 * in its own module; this class only forwards.
 */
import type { Principal } from '@dfinity/principal';

import { deployedCheckWanted, deployedChecksDue, recordDeployedRead } from './deployed';
import { deployedRechecksDue } from './deployed-targets';
import type { ReadOutcome } from './governance';
import type { Result } from './errors';
import {
  eventsSince,
  latestEvents,
  noteProposalEvents,
  proposalEvents,
  type EventJson,
  type EventPage,
} from './events';
import { ok } from './errors';
import { markCurrentLayout, migrate } from './migration';
import { hide, unhide, type Caller } from './moderation';
import { setBuilderProfile } from './profiles';
import {
  openProposalsToRefresh,
  pendingProposalsToRead,
  recordProposalRead,
  walkStale,
} from './proposals';
import type { Page, ProposalSummaryView } from './queries';
import {
  attestationKey,
  builderAttestationIds,
  listAttestationIds,
  listProposals,
  summary,
  viewOf,
} from './queries';
import type { BuilderRecordJson, ProposalRecordJson } from './records';
import type { AttestationView } from './store';
import { RegistryStore, proposalState } from './store';
import { checkCycles, inspectSubmit, submit, takeCallerToken } from './submission';
import {
  getTrustList,
  listTrustLists,
  processTrustListWork,
  publishTrustList,
  type TrustListChanges,
} from './trust-lists';

export type { Caller } from './moderation';
export type { Page, ProposalSummaryView, ConsensusScope } from './queries';
export { ATTESTATION_PAGE_LIMIT, PAGE_LIMIT } from './queries';
export { PROFILE_LIMITS } from './profiles';
export { HIDE_REASON_BYTES } from './moderation';
export type { SubmitReceipt } from './submission';
export type { AttestationRenderer, AttestationView, RenderedAttestation } from './store';
export { RERENDER_PER_MESSAGE, emptySync } from './store';
export { rateLimitOf } from './rate-limit';
export type { TrustListChanges, TrustListView } from './trust-lists';
export type { EventJson, EventPage } from './events';

/** Seconds between refreshes of open proposals unless init arguments say otherwise. */
export const DEFAULT_REFRESH_SECONDS = 600;

export class Registry extends RegistryStore {
  // ---------------------------------------------------------------- submission

  checkCycles(cycles: bigint): Result<void> {
    return checkCycles(this, cycles);
  }

  inspectSubmit(args: Parameters<typeof inspectSubmit>[1]): Result<void> {
    return inspectSubmit(this, args);
  }

  submit(args: Parameters<typeof submit>[1]): ReturnType<typeof submit> {
    return submit(this, args);
  }

  /** Takes a rate-limit token for a request that makes the canister work (a governance read). */
  takeToken(caller: Principal, now: bigint): Result<void> {
    return takeCallerToken(this, caller, now);
  }

  // ---------------------------------------------------------------- proposals (governance)

  proposal(proposalId: bigint): ProposalRecordJson | undefined {
    return this.proposalRecord(proposalId);
  }

  /** Whether governance should be asked about the proposal: the registry holds attestations for it. */
  proposalNeedsRead(proposalId: bigint): boolean {
    const p = this.proposalRecord(proposalId);
    return p !== undefined && proposalState(p) === 'pending';
  }

  recordProposalRead(args: {
    proposalId: bigint;
    now: bigint;
    outcome: ReadOutcome;
  }): ProposalRecordJson | null {
    return recordProposalRead(this, args);
  }

  /** Continues unfinished walks (recounts, re-renderings), at most `max` attestations. */
  renderStale(max: number): number {
    return walkStale(this, max);
  }

  openProposalsToRefresh(max: number): bigint[] {
    return openProposalsToRefresh(this, max);
  }

  pendingProposalsToRead(max: number): bigint[] {
    return pendingProposalsToRead(this, max);
  }

  /** Executed canister installs whose target's module the timer reads next (`deployed.ts`). */
  deployedChecksDue(max: number): ReturnType<typeof deployedChecksDue> {
    return deployedChecksDue(this, max);
  }

  /** Current installs whose target is read again (a later install outside governance). */
  deployedRechecksDue(args: { now: bigint; max: number }): ReturnType<typeof deployedRechecksDue> {
    return deployedRechecksDue(this, args);
  }

  /** The target `sync_proposal` reads again for an executed canister install, or null. */
  deployedCheckWanted(proposalId: bigint): string | null {
    return deployedCheckWanted(this.proposalRecord(proposalId));
  }

  recordDeployedRead(args: Parameters<typeof recordDeployedRead>[1]): ProposalRecordJson | null {
    return recordDeployedRead(this, args);
  }

  /** Whether walks or trust-list work remain (the canister then keeps a timer going). */
  hasBackgroundWork(): boolean {
    return (
      this.meta().staleRenderings.length > 0 ||
      this.tables.listQueue.len() > 0 ||
      (this.meta().listJobs ?? []).length > 0
    );
  }

  processTrustListWork(budget?: number, changes?: TrustListChanges): boolean {
    return processTrustListWork(this, budget, changes);
  }

  // ---------------------------------------------------------------- events (issue 12)

  /**
   * Derives what is new about these proposals (after a submission, a read from governance, a
   * recount or a hidden attestation) into the event stream, at the time of that message.
   */
  noteEvents(args: { proposalIds: Iterable<bigint>; now: bigint }): EventJson[] {
    const out: EventJson[] = [];
    for (const proposalId of new Set(args.proposalIds))
      out.push(...noteProposalEvents(this, { proposalId, now: args.now }));
    return out;
  }

  eventsSince(args: { since?: bigint; limit?: number }): EventPage {
    return eventsSince(this, args);
  }

  latestEvents(limit: number): EventJson[] {
    return latestEvents(this, limit);
  }

  proposalEvents(proposalId: bigint): EventJson[] {
    return proposalEvents(this, proposalId);
  }

  // ---------------------------------------------------------------- layout

  markCurrentLayout(): void {
    markCurrentLayout(this);
  }

  migrate(): boolean {
    return migrate(this);
  }

  // ---------------------------------------------------------------- queries

  summary(args: { proposalId: bigint; trustList?: bigint } | bigint): Result<ProposalSummaryView> {
    return summary(this, typeof args === 'bigint' ? { proposalId: args } : args);
  }

  listProposals(args: {
    cursor?: bigint;
    limit?: number;
    trustList?: bigint;
  }): Result<Page<ProposalSummaryView>> {
    return listProposals(this, args);
  }

  listAttestationIds(args: Parameters<typeof listAttestationIds>[1]): Result<Page<Uint8Array>> {
    return listAttestationIds(this, args);
  }

  /** `listAttestationIds` with each attestation as a view (the JSON API and tests use it). */
  listAttestations(
    args: Parameters<typeof listAttestationIds>[1] & { includeEnvelopes?: boolean },
  ): Result<Page<AttestationView>> {
    const page = this.listAttestationIds(args);
    if (!page.ok) return page;
    const proposal = this.proposalRecord(args.proposalId);
    return ok({
      ...page.value,
      items: page.value.items.map((id) =>
        viewOf(this, id, proposal, args.includeEnvelopes === true),
      ),
    });
  }

  attestationKey(id: bigint): Result<Uint8Array> {
    return attestationKey(this, id);
  }

  attestation(id: bigint): Result<AttestationView> {
    const key = this.attestationKey(id);
    return key.ok ? ok(viewOf(this, key.value, undefined, true)) : key;
  }

  builderAttestationIds(
    args: Parameters<typeof builderAttestationIds>[1],
  ): ReturnType<typeof builderAttestationIds> {
    return builderAttestationIds(this, args);
  }

  /** `builderAttestationIds` with each attestation as a view. */
  builder(args: Parameters<typeof builderAttestationIds>[1]): Result<{
    profile: BuilderRecordJson;
    attestations: Page<AttestationView>;
  }> {
    const page = this.builderAttestationIds(args);
    if (!page.ok) return page;
    const { profile, attestations } = page.value;
    return ok({
      profile,
      attestations: {
        ...attestations,
        items: attestations.items.map((id) => viewOf(this, id, undefined, false)),
      },
    });
  }

  stats(): {
    attestations: bigint;
    proposals: bigint;
    pendingProposals: bigint;
    builders: bigint;
    trustLists: bigint;
  } {
    const meta = this.meta();
    return {
      attestations: BigInt(meta.nextAttestationId) - 1n,
      proposals: BigInt(this.tables.confirmedProposals.len()),
      pendingProposals: BigInt((meta.pendingProposals ?? []).length),
      builders: BigInt(meta.builderCount),
      trustLists: BigInt(this.tables.trustLists.len()),
    };
  }

  // ---------------------------------------------------------------- builders, moderation, lists

  setBuilderProfile(
    args: Parameters<typeof setBuilderProfile>[1],
  ): ReturnType<typeof setBuilderProfile> {
    return setBuilderProfile(this, args);
  }

  hide(args: {
    caller: Caller;
    attestationId: bigint;
    reason: string;
    now: bigint;
  }): Result<AttestationView> {
    const done = hide(this, args);
    return done.ok ? ok(viewOf(this, done.value.key, done.value.proposal, false)) : done;
  }

  unhide(args: { caller: Caller; attestationId: bigint }): Result<AttestationView> {
    const done = unhide(this, args);
    return done.ok ? ok(viewOf(this, done.value.key, done.value.proposal, false)) : done;
  }

  publishTrustList(
    args: Parameters<typeof publishTrustList>[1],
  ): ReturnType<typeof publishTrustList> {
    return publishTrustList(this, args);
  }

  getTrustList(args: Parameters<typeof getTrustList>[1]): ReturnType<typeof getTrustList> {
    return getTrustList(this, args);
  }

  listTrustLists(args: Parameters<typeof listTrustLists>[1]): ReturnType<typeof listTrustLists> {
    return listTrustLists(this, args);
  }
}
