/**
 * The event stream's HTTP routes, as pure renderers from the registry's state to a body and its
 * content type: `/feed.atom`, `/proposals/<id>/feed.atom`, `/api/v1/events?since=&limit=` and
 * `/api/v1/proposals/<id>/events`. `http.ts` adds the common headers; being pure functions of
 * the stored events, each answer can be certified like the rest of the HTTP API.
 */
import { ErrorCode } from '@repro-registry/registry-api';

import type { Registry } from '../core/registry';
import { renderAtomFeed, type Rendered } from './atom';

/** Entries in an Atom feed: the newest ones (readers poll; the JSON API pages further back). */
export const ATOM_ENTRIES = 50;

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export const FEED_ENDPOINTS = [
  '/feed.atom',
  '/proposals/<id>/feed.atom',
  '/api/v1/events?since=&limit=',
  '/api/v1/proposals/<id>/events',
];

export interface FeedAnswer extends Rendered {
  status: number;
}

const U64 = /^(0|[1-9][0-9]{0,19})$/;

function u64(text: string | undefined): bigint | null {
  if (text === undefined || !U64.test(text)) return null;
  const v = BigInt(text);
  return v < 2n ** 64n ? v : null;
}

function jsonAnswer(status: number, value: unknown): FeedAnswer {
  return { status, contentType: JSON_CONTENT_TYPE, body: JSON.stringify(value) };
}

const invalid = (status: number, message: string) =>
  jsonAnswer(status, { error: { code: ErrorCode.INVALID_ARGUMENT, message } });

/** The answer for `path` (trailing slashes removed), or null when it is not a feed route. */
export function feedRoute(args: {
  registry: Registry;
  path: string;
  params: Map<string, string>;
  registryId: string;
}): FeedAnswer | null {
  const { registry, path, params, registryId } = args;
  if (path === '/feed.atom') {
    const events = registry.latestEvents(ATOM_ENTRIES);
    return { status: 200, ...renderAtomFeed({ scope: { registryId, proposalId: null }, events }) };
  }
  if (path === '/api/v1/events') {
    const rawSince = params.get('since');
    const since = rawSince === undefined || rawSince === '' ? undefined : u64(rawSince);
    if (since === null)
      return invalid(400, 'since must be an event cursor (a non-negative integer)');
    const rawLimit = params.get('limit');
    const limit = rawLimit === undefined ? undefined : u64(rawLimit);
    if (limit === null) return invalid(400, 'limit must be a non-negative integer');
    const page = registry.eventsSince({
      ...(since === undefined ? {} : { since }),
      ...(limit === undefined ? {} : { limit: Number(limit > 1000n ? 1000n : limit) }),
    });
    return jsonAnswer(200, page);
  }
  const m = path.match(/^(?:\/api\/v1)?\/proposals\/([^/]+)\/(feed\.atom|events)$/);
  if (m === null) return null;
  const proposalId = u64(m[1]);
  if (proposalId === null) return invalid(404, `"${m[1]}" is not a proposal id`);
  const atom = m[2] === 'feed.atom';
  // The Atom feed lives at /proposals/<id>/feed.atom, the JSON list under /api/v1.
  if (atom === path.startsWith('/api/v1')) return null;
  const events = registry.proposalEvents(proposalId);
  if (atom)
    return { status: 200, ...renderAtomFeed({ scope: { registryId, proposalId }, events }) };
  return jsonAnswer(200, { events });
}
