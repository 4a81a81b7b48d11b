/**
 * The registry's event stream as its JSON API and feeds carry it (`/api/v1/events`): the
 * canister derives the events (`canisters/registry/src/core/events.ts`), `repro watch` and other
 * readers follow them. u64 values are decimal strings, as everywhere in the JSON API.
 */

/** Event types so far; readers pass on types they do not know (a newer registry may add some). */
export const EVENT_TYPES = [
  'proposal_seen',
  'first_attestation',
  'first_mismatch',
  'threshold_reached',
  'red_alert',
  'sources_disagree',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface RegistryEvent<Type extends string = EventType> {
  /** Dense sequence number in the order the registry noticed; `since` cursors are these. */
  seq: string;
  type: Type;
  proposalId: string;
  /** When the registry noticed it (ns since the epoch): the time of the message that did. */
  at: string;
  /** The proposal's title as governance states it (text, never markup). */
  proposalTitle: string | null;
  commit: string | null;
  /** The artifact kind the event is about; null for `proposal_seen` and `first_attestation`. */
  kind: string | null;
  /**
   * The hash the event is about: the proposal's (threshold) or the other one (mismatch, alert,
   * and for `sources_disagree` what the release's SHA256SUMS or a package URL gave).
   */
  sha256: string | null;
  /** The proposal's hash for `kind`. */
  expectedSha256: string | null;
  /** Builders on `sha256` (for `first_attestation`: builders with a counted result). */
  builders: number;
  environmentClasses: number;
  /** The voting deadline (ns), whole seconds left at `at`, and whether votes could still be cast. */
  deadlineAt: string | null;
  secondsLeft: number | null;
  votingOpen: boolean;
  /** One sentence saying what happened, for titles and notifications. */
  summary: string;
}

/** One page of `/api/v1/events?since=<cursor>`. */
export interface RegistryEventPage<Type extends string = EventType> {
  events: RegistryEvent<Type>[];
  /** The cursor to ask with next: the last sequence number returned, or the one given. */
  next: string;
  /** The oldest sequence number still kept: a reader behind it has missed events. */
  oldest: string;
  /** The newest sequence number so far ("0": none yet). */
  latest: string;
}
