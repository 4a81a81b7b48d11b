/**
 * The event stream as an Atom 1.0 feed (RFC 4287): pure functions from events to a document,
 * so the same bytes come out for the same events (feed readers see stable ids, and the answer
 * can be certified as a whole). Links are relative to the feed's own address: the canister
 * does not know under which host (gateway, raw, custom domain) it is read.
 */
import type { EventJson } from '../core/events';
import { xmlText } from '../xml';

export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

export interface Rendered {
  contentType: string;
  body: string;
}

/** Where a feed is served and what it is about. */
export interface FeedScope {
  /** The canister id: makes ids unique across registries (local, mainnet). */
  registryId: string;
  /** null: every proposal (`/feed.atom`); else one proposal's feed. */
  proposalId: bigint | null;
}

export const feedPath = (proposalId: bigint | null): string =>
  proposalId === null ? '/feed.atom' : `/proposals/${proposalId}/feed.atom`;

/** A stable id per event and feed: a URN from the registry's canister id and the sequence number. */
export const eventAtomId = (registryId: string, seq: string): string =>
  `urn:repro-registry:${registryId}:event:${seq}`;

export const feedAtomId = (scope: FeedScope): string =>
  `urn:repro-registry:${scope.registryId}:` +
  (scope.proposalId === null ? 'events' : `proposal:${scope.proposalId}:events`);

/** RFC 3339 from nanoseconds since the epoch. */
export function rfc3339(ns: string | bigint): string {
  return new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();
}

const TITLES: Record<EventJson['type'], string> = {
  proposal_seen: 'Proposal seen',
  first_attestation: 'First reproduction',
  first_mismatch: 'First mismatch',
  threshold_reached: 'Threshold reached',
  red_alert: 'RED ALERT: builders agree on another hash',
  sources_disagree: "The release's sources disagree with the proposal",
};

/**
 * `events` newest first (as `latestEvents` returns them). The feed's `updated` is its newest
 * entry's, or the epoch for an empty feed, so an unchanged stream renders the same bytes.
 */
export function renderAtomFeed(args: { scope: FeedScope; events: EventJson[] }): Rendered {
  const { scope, events } = args;
  const updated = rfc3339(events[0]?.at ?? 0n);
  const title =
    scope.proposalId === null
      ? 'repro-registry: proposal events'
      : `repro-registry: events of proposal ${scope.proposalId}`;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${feedAtomId(scope)}</id>`,
    `  <title>${xmlText(title)}</title>`,
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${feedPath(scope.proposalId)}"/>`,
    '  <author><name>repro-registry</name></author>',
    '  <generator>repro-registry</generator>',
    ...events.map((e) => entry(scope.registryId, e)),
    '</feed>',
    '',
  ];
  return { contentType: ATOM_CONTENT_TYPE, body: lines.join('\n') };
}

function entry(registryId: string, e: EventJson): string {
  const when = rfc3339(e.at);
  const title = `${TITLES[e.type]} — proposal ${e.proposalId}`;
  return [
    '  <entry>',
    `    <id>${eventAtomId(registryId, e.seq)}</id>`,
    `    <title>${xmlText(title)}</title>`,
    `    <updated>${when}</updated>`,
    `    <published>${when}</published>`,
    `    <link rel="alternate" type="application/json" href="/api/v1/proposals/${e.proposalId}"/>`,
    `    <link rel="related" type="application/atom+xml" href="${feedPath(BigInt(e.proposalId))}"/>`,
    `    <category term="${e.type}"/>`,
    `    <summary type="text">${xmlText(e.summary)}</summary>`,
    `    <content type="text">${xmlText(details(e))}</content>`,
    '  </entry>',
  ].join('\n');
}

/** The event's facts, one per line, for readers who open the entry. */
function details(e: EventJson): string {
  const lines = [e.summary, `proposal: ${e.proposalId}`];
  if (e.proposalTitle !== null) lines.push(`title: ${e.proposalTitle}`);
  if (e.commit !== null) lines.push(`commit: ${e.commit}`);
  if (e.kind !== null) lines.push(`artifact: ${e.kind}`);
  if (e.expectedSha256 !== null) lines.push(`proposal's hash: ${e.expectedSha256}`);
  if (e.sha256 !== null && e.sha256 !== e.expectedSha256) lines.push(`builders' hash: ${e.sha256}`);
  if (e.builders > 0) lines.push(`builders: ${e.builders}`);
  if (e.environmentClasses > 0) lines.push(`kinds of machine: ${e.environmentClasses}`);
  if (e.deadlineAt !== null) lines.push(`voting deadline: ${rfc3339(e.deadlineAt)}`);
  return lines.join('\n');
}
