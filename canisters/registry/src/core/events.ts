/**
 * The registry's event stream: what a voter wants to know in time about a proposal, derived from
 * its record after every change (a submission counted, a read from governance, a recount, a
 * hidden attestation). Each event happens once per proposal (a red alert once per hash it is
 * about), numbered densely in the order the registry noticed it, and stored in stable memory —
 * at most `EVENT_CAPACITY`, the oldest dropped first — so the feeds and `repro watch` can page
 * with a cursor that survives upgrades.
 */
import {
  EVENT_TYPES,
  type EventType,
  type RegistryEvent,
  type RegistryEventPage,
} from '@repro-registry/registry-api';

import { primaryArtifact, proposalConsensus, type Consensus } from './consensus';
import { EVENT_THRESHOLD, durationText, redAlerts, votingWindow } from './alerts';
import type { ProposalRecordJson, U64String } from './records';
import { releaseSourcesView, sourceReference } from './release-sources';
import { proposalState, type RegistryStore } from './store';
import { u64Key } from './tables';

export { EVENT_TYPES, type EventType };

/** Events kept; older ones are dropped (readers see where the retained stream starts). */
export const EVENT_CAPACITY = 10_000;
/** Red alerts per proposal (one per hash): past that, a flood of hashes adds no events. */
export const ALERTS_PER_PROPOSAL = 8;
/** Events one page of `eventsSince` returns at most. */
export const EVENT_PAGE_MAX = 500;

export type EventJson = RegistryEvent;

/** Per proposal: which events happened already, and the sequence numbers of its events. */
export interface ProposalEventsJson {
  emitted: EventType[];
  /** `kind:sha256` of each red alert raised. */
  alerts: string[];
  seqs: U64String[];
}

type EventStore = RegistryStore;

type Draft = Omit<EventJson, 'seq' | 'at' | 'proposalId' | 'proposalTitle' | 'commit'>;

const noCounts = { builders: 0, environmentClasses: 0 } as const;

/**
 * Notes what is new about a proposal at `now` and appends it to the stream; returns the new
 * events. Only confirmed proposals have events (an unconfirmed one may not exist at all).
 */
export function noteProposalEvents(
  store: EventStore,
  args: { proposalId: bigint; now: bigint; capacity?: number },
): EventJson[] {
  const proposal = store.proposalRecord(args.proposalId);
  if (proposal === undefined || proposalState(proposal) !== 'confirmed') return [];
  const key = u64Key(args.proposalId);
  const state = store.tables.proposalEvents.get(key) ?? { emitted: [], alerts: [], seqs: [] };
  const drafts = newEvents({ proposal, state, now: args.now });
  if (drafts.length === 0) return [];

  const meta = store.meta();
  const counter = meta.events ?? { next: '1', oldest: '1' };
  let next = BigInt(counter.next);
  let oldest = BigInt(counter.oldest);
  const appended: EventJson[] = [];
  for (const draft of drafts) {
    const event: EventJson = {
      seq: next.toString(),
      proposalId: args.proposalId.toString(),
      at: args.now.toString(),
      proposalTitle: proposal.onChain?.title ?? null,
      commit: proposal.onChain?.electedCommit ?? null,
      ...draft,
    };
    store.tables.events.insert(u64Key(next), event);
    appended.push(event);
    state.seqs.push(event.seq);
    if (draft.type === 'red_alert') state.alerts.push(alertKey(draft));
    else state.emitted.push(draft.type);
    next += 1n;
  }
  // Bounded: the oldest events go first (their proposals' lists skip what is gone).
  while (next - oldest > BigInt(args.capacity ?? EVENT_CAPACITY)) {
    store.tables.events.remove(u64Key(oldest));
    oldest += 1n;
  }
  store.tables.proposalEvents.insert(key, state);
  meta.events = { next: next.toString(), oldest: oldest.toString() };
  store.saveMeta(meta);
  return appended;
}

const alertKey = (d: { kind: string | null; sha256: string | null }) => `${d.kind}:${d.sha256}`;

/** What is true of the proposal now and was not said yet, in the order it is told. */
export function newEvents(args: {
  proposal: ProposalRecordJson;
  state: ProposalEventsJson;
  now: bigint;
}): Draft[] {
  const { proposal, state, now } = args;
  const consensus = proposalConsensus(proposal);
  const window = votingWindow(proposal.onChain, now);
  const timing = {
    deadlineAt: window.deadlineAt === null ? null : window.deadlineAt.toString(),
    secondsLeft: window.secondsLeft,
    votingOpen: window.votingOpen,
  };
  const left =
    window.secondsLeft === null
      ? ''
      : window.votingOpen
        ? `; ${durationText(window.secondsLeft)} left to vote`
        : '; the vote has ended';
  const id = proposal.id;
  const drafts: Draft[] = [];
  const want = (type: EventType) => !state.emitted.includes(type);

  if (want('proposal_seen')) {
    drafts.push({
      type: 'proposal_seen',
      kind: null,
      sha256: null,
      expectedSha256: null,
      ...noCounts,
      ...timing,
      summary: `Proposal ${id} is in the registry${left}.`,
    });
  }
  const counted = countedBuilders(consensus);
  if (want('first_attestation') && counted > 0) {
    drafts.push({
      type: 'first_attestation',
      kind: null,
      sha256: null,
      expectedSha256: null,
      builders: counted,
      environmentClasses: 0,
      ...timing,
      summary: `First reproduction of proposal ${id} reported${left}.`,
    });
  }
  const primary = primaryArtifact(consensus);
  const againstProposal = primary?.expectedSource === 'proposal' ? primary : undefined;
  const other = againstProposal?.hashGroups.find((g) => g.matchesExpected === false);
  if (want('first_mismatch') && againstProposal !== undefined && other !== undefined) {
    drafts.push({
      type: 'first_mismatch',
      kind: againstProposal.kind,
      sha256: other.sha256,
      expectedSha256: againstProposal.expectedSha256,
      builders: other.builderCount,
      environmentClasses: other.environmentClasses,
      ...timing,
      summary: `A builder got another ${againstProposal.kind} hash than proposal ${id} states${left}.`,
    });
  }
  if (want('sources_disagree') && (proposal.sourceReports?.length ?? 0) > 0) {
    const reference = sourceReference(proposal, consensus);
    const view = releaseSourcesView(proposal, reference);
    const report = view.reports.find((r) => r.agrees === false);
    if (view.disagree && report !== undefined) {
      const where =
        report.source === 'sha256sums' ? `the release's SHA256SUMS (${report.url})` : report.url;
      drafts.push({
        type: 'sources_disagree',
        kind: report.kind,
        sha256: report.sha256,
        expectedSha256: reference(report.kind),
        builders: report.builderCount,
        environmentClasses: 0,
        ...timing,
        summary: `${where} gives another ${report.kind} hash than proposal ${id} states: a reason to reject${left}.`,
      });
    }
  }
  const expected = againstProposal?.hashGroups.find((g) => g.matchesExpected === true);
  if (
    want('threshold_reached') &&
    againstProposal !== undefined &&
    expected !== undefined &&
    expected.builderCount >= EVENT_THRESHOLD
  ) {
    drafts.push({
      type: 'threshold_reached',
      kind: againstProposal.kind,
      sha256: expected.sha256,
      expectedSha256: againstProposal.expectedSha256,
      builders: expected.builderCount,
      environmentClasses: expected.environmentClasses,
      ...timing,
      summary: `${expected.builderCount} builders reproduced the ${againstProposal.kind} hash of proposal ${id}${left}.`,
    });
  }
  for (const alert of redAlerts({ consensus, onChain: proposal.onChain, now })) {
    if (
      state.alerts.length + drafts.filter((d) => d.type === 'red_alert').length >=
      ALERTS_PER_PROPOSAL
    )
      break;
    if (state.alerts.includes(alertKey(alert))) continue;
    drafts.push({
      type: 'red_alert',
      kind: alert.kind,
      sha256: alert.sha256,
      expectedSha256: alert.expectedSha256,
      builders: alert.builders,
      environmentClasses: alert.environmentClasses,
      ...timing,
      summary:
        `RED ALERT: ${alert.builders} builders on ${alert.environmentClasses} kinds of machine agree on a ` +
        `${alert.kind} hash that is not the one proposal ${id} states${left}.`,
    });
  }
  return drafts;
}

/** Builders with any counted result on any artifact (at least the largest per-artifact count). */
function countedBuilders(consensus: Consensus): number {
  let most = 0;
  for (const a of consensus.artifacts) {
    const v = a.verdicts;
    most = Math.max(most, v.match + v.mismatch + v.build_failed + v.not_built);
  }
  return most;
}

export type EventPage = RegistryEventPage;

/** Events after `since` (all kept ones when absent), oldest first, at most `limit`. */
export function eventsSince(
  store: EventStore,
  args: { since?: bigint; limit?: number },
): EventPage {
  const counter = store.meta().events ?? { next: '1', oldest: '1' };
  const next = BigInt(counter.next);
  const oldest = BigInt(counter.oldest);
  const limit = Math.max(1, Math.min(args.limit ?? 100, EVENT_PAGE_MAX));
  let seq = args.since === undefined || args.since < oldest ? oldest : args.since + 1n;
  const events: EventJson[] = [];
  for (; seq < next && events.length < limit; seq++) {
    const event = store.tables.events.get(u64Key(seq));
    if (event !== undefined) events.push(event);
  }
  const last = events.at(-1)?.seq;
  return {
    events,
    next: last ?? (args.since ?? oldest - 1n).toString(),
    oldest: oldest.toString(),
    latest: (next - 1n).toString(),
  };
}

/** The newest `limit` events, newest first (for the Atom feed). */
export function latestEvents(store: EventStore, limit: number): EventJson[] {
  const counter = store.meta().events ?? { next: '1', oldest: '1' };
  const oldest = BigInt(counter.oldest);
  const out: EventJson[] = [];
  for (let seq = BigInt(counter.next) - 1n; seq >= oldest && out.length < limit; seq--) {
    const event = store.tables.events.get(u64Key(seq));
    if (event !== undefined) out.push(event);
  }
  return out;
}

/** A proposal's events still kept, newest first. */
export function proposalEvents(store: EventStore, proposalId: bigint): EventJson[] {
  const state = store.tables.proposalEvents.get(u64Key(proposalId));
  if (state === undefined) return [];
  return state.seqs
    .map((seq) => store.tables.events.get(u64Key(BigInt(seq))))
    .filter((e): e is EventJson => e !== undefined)
    .reverse();
}
