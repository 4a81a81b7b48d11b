/**
 * The read-only HTTP API for apps outside the IC, and the SVG badges people embed in forum
 * posts. Served by the `http_request` query.
 */
import { Principal } from '@dfinity/principal';
import { LIMITS, utf8Encode } from '@repro-registry/attestation';
import * as C from '@repro-registry/registry-api';
import { ErrorCode } from '@repro-registry/registry-api';

import { primaryArtifact } from './core/consensus';
import type { RegistryError } from './core/errors';
import {
  DEFAULT_REFRESH_SECONDS,
  PAGE_LIMIT,
  rateLimitOf,
  type ProposalSummaryView,
  type Registry,
} from './core/registry';
import type { Result } from './core/errors';
import { FEED_ENDPOINTS, feedRoute } from './feeds/routes';
import { xmlText } from './xml';
import { attestationJson, attestationPageJson } from './json-attestation';
import {
  candidBuilder,
  candidProposalPage,
  candidSummary,
  candidTrustList,
  candidTrustListPage,
  toJson,
} from './replies';

interface Response {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

// Every response: readable from any origin (read-only data), and never sniffed into another
// type (a JSON body holding user text must not become HTML).
const COMMON: [string, string][] = [
  ['access-control-allow-origin', '*'],
  ['access-control-allow-methods', 'GET, HEAD, OPTIONS'],
  ['x-content-type-options', 'nosniff'],
];

function json(status: number, value: unknown): Response {
  return {
    status,
    headers: [
      ['content-type', 'application/json; charset=utf-8'],
      ['cache-control', 'no-cache'],
      ...COMMON,
    ],
    body: utf8Encode(JSON.stringify(value)),
  };
}

function error(status: number, e: RegistryError): Response {
  return json(status, { error: { code: e.code, message: e.message } });
}

const notFound = (message: string) => error(404, { code: ErrorCode.INVALID_ARGUMENT, message });
const badRequest = (message: string) => error(400, { code: ErrorCode.INVALID_ARGUMENT, message });

function statusOf(e: RegistryError): number {
  return e.code.endsWith('_NOT_FOUND') ? 404 : 400;
}

function parseU64(text: string | null | undefined): bigint | null {
  if (text === null || text === undefined || !/^(0|[1-9][0-9]{0,19})$/.test(text)) return null;
  const v = BigInt(text);
  return v < 2n ** 64n ? v : null;
}

function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    try {
      params.set(decodeURIComponent(key), decodeURIComponent(value.replace(/\+/g, ' ')));
    } catch {
      // A malformed escape: skip the parameter rather than fail the whole request.
    }
  }
  return params;
}

/** Optional numeric query parameter: undefined when absent, null when malformed. */
function numberParam(params: Map<string, string>, name: string): bigint | undefined | null {
  const raw = params.get(name);
  return raw === undefined ? undefined : parseU64(raw);
}

export function handleHttp(
  registry: Registry,
  request: C.HttpRequest,
  cycles: bigint,
  /** The canister's id, for the feeds' ids (`feeds/atom.ts`). */
  registryId = 'registry',
): C.HttpResponse {
  const response = route(registry, request, cycles, registryId);
  return {
    status_code: response.status,
    headers: response.headers,
    body: request.method.toUpperCase() === 'HEAD' ? new Uint8Array() : response.body,
    upgrade: [],
  };
}

function route(
  registry: Registry,
  request: C.HttpRequest,
  cycles: bigint,
  registryId: string,
): Response {
  const method = request.method.toUpperCase();
  if (method === 'OPTIONS') return { status: 204, headers: COMMON, body: new Uint8Array() };
  if (method !== 'GET' && method !== 'HEAD') {
    return error(405, {
      code: ErrorCode.INVALID_ARGUMENT,
      message: 'the HTTP API is read-only: use GET',
    });
  }
  const [rawPath = '/', rawQuery = ''] = request.url.split('?', 2);
  const path = rawPath.replace(/\/+$/, '') || '/';
  const params = parseQuery(rawQuery);
  const feed = feedRoute({ registry, path, params, registryId });
  if (feed !== null) {
    return {
      status: feed.status,
      headers: [['content-type', feed.contentType], ['cache-control', 'no-cache'], ...COMMON],
      body: utf8Encode(feed.body),
    };
  }
  const cursor = numberParam(params, 'cursor');
  const limit = numberParam(params, 'limit');
  if (cursor === null) return badRequest('cursor must be a non-negative integer');
  if (limit === null) return badRequest('limit must be a non-negative integer');
  const limitNumber = limit === undefined ? undefined : Number(limit > 1000n ? 1000n : limit);
  // `?list=<id>`: count only the builders on that trust list.
  const list = numberParam(params, 'list');
  if (list === null) return badRequest('list must be a trust list id (a non-negative integer)');
  const scope = list === undefined ? {} : { trustList: list };

  let m: RegExpMatchArray | null;
  if (path === '/' || path === '/api/v1') {
    return json(200, {
      name: 'repro-registry',
      endpoints: [
        '/api/v1/info',
        '/api/v1/proposals?cursor=&limit=&list=',
        '/api/v1/proposals/<id>?list=',
        '/api/v1/proposals/<id>/attestations?verdict=&cursor=&limit=',
        '/api/v1/attestations/<id>',
        '/api/v1/builders/<principal>',
        '/api/v1/trust-lists?cursor=&limit=',
        '/api/v1/trust-lists/<id>?version=',
        '/badge/<proposal id>.svg?list=',
        ...FEED_ENDPOINTS,
      ],
    });
  }
  if (path === '/api/v1/info') {
    return json(200, toJson(C.RegistryInfo, registryInfo(registry, cycles)));
  }
  if (path === '/api/v1/proposals') {
    const page = registry.listProposals({ cursor, limit: limitNumber, ...scope });
    if (!page.ok) return error(statusOf(page.error), page.error);
    return json(200, toJson(C.ProposalPage, candidProposalPage(page.value)));
  }
  if (path === '/api/v1/trust-lists') {
    const page = registry.listTrustLists({
      cursor: Number(cursor ?? 0n),
      limit: Math.min(limitNumber ?? PAGE_LIMIT.default, PAGE_LIMIT.max) || PAGE_LIMIT.default,
    });
    return json(200, toJson(C.TrustListPage, candidTrustListPage(page)));
  }
  if ((m = path.match(/^\/api\/v1\/trust-lists\/([^/]+)$/))) {
    const id = parseU64(m[1]);
    if (id === null) return notFound(`"${m[1]}" is not a trust list id`);
    const version = numberParam(params, 'version');
    if (version === null || (version !== undefined && version > 0xffffffffn))
      return badRequest('version must be a version number');
    const found = registry.getTrustList({
      id,
      ...(version === undefined ? {} : { version: Number(version) }),
    });
    if (!found.ok) return error(statusOf(found.error), found.error);
    return json(200, toJson(C.TrustList, candidTrustList(found.value)));
  }
  if ((m = path.match(/^\/api\/v1\/proposals\/([^/]+)$/))) {
    const id = parseU64(m[1]);
    if (id === null) return notFound(`"${m[1]}" is not a proposal id`);
    const summary = registry.summary({ proposalId: id, ...scope });
    if (!summary.ok) return error(statusOf(summary.error), summary.error);
    return json(200, toJson(C.ProposalSummary, candidSummary(summary.value)));
  }
  if ((m = path.match(/^\/api\/v1\/proposals\/([^/]+)\/attestations$/))) {
    const id = parseU64(m[1]);
    if (id === null) return notFound(`"${m[1]}" is not a proposal id`);
    const page = registry.listAttestations({
      proposalId: id,
      verdict: params.get('verdict'),
      cursor,
      limit: limitNumber,
      includeEnvelopes: params.get('envelopes') === 'true',
    });
    if (!page.ok) return error(statusOf(page.error), page.error);
    return json(200, attestationPageJson(page.value));
  }
  if ((m = path.match(/^\/api\/v1\/attestations\/([^/]+)$/))) {
    const id = parseU64(m[1]);
    if (id === null) return notFound(`"${m[1]}" is not an attestation id`);
    const attestation = registry.attestation(id);
    if (!attestation.ok) return error(statusOf(attestation.error), attestation.error);
    return json(200, attestationJson(attestation.value));
  }
  if ((m = path.match(/^\/api\/v1\/builders\/([^/]+)$/))) {
    let builder: Principal;
    try {
      builder = Principal.fromText(decodeURIComponent(m[1]));
    } catch {
      return notFound(`"${m[1]}" is not a principal`);
    }
    const page = registry.builder({ builder, cursor, limit: limitNumber });
    if (!page.ok) return error(statusOf(page.error), page.error);
    return json(200, {
      attestations: attestationPageJson(page.value.attestations),
      profile: toJson(C.BuilderProfile, candidBuilder(page.value.profile)),
    });
  }
  if ((m = path.match(/^\/badge\/([^/]+)\.svg$/))) {
    const id = parseU64(m[1]);
    if (id === null) return notFound(`"${m[1]}" is not a proposal id`);
    return badgeResponse(badgeOf(registry.summary({ proposalId: id, ...scope })));
  }
  return notFound(`no such endpoint: ${path}`);
}

/**
 * Route families whose paths without a certified answer of their own all get one fixed answer,
 * certified once (`certified/http-routes.ts`): what a proposal the registry does not know (yet)
 * answers, without its id, so that one certification covers every id. (Attestations have no
 * family: it would need an exact entry per known attestation, a tree leaf each, measured
 * +29 M instructions per certification message; their certified form is
 * `get_certified_attestation`.)
 */
export const NOT_KNOWN_FAMILIES = {
  /** A proposal's summary, attestations and events. */
  proposals: '/api/v1/proposals/',
  /** A proposal's Atom feed. */
  feeds: '/proposals/',
  badges: '/badge/',
} as const;

/** The fixed answer of a `NOT_KNOWN_FAMILIES` scope. */
export function notKnownAnswer(scope: string): C.HttpResponse {
  let response: Response;
  switch (scope) {
    case NOT_KNOWN_FAMILIES.proposals:
    case NOT_KNOWN_FAMILIES.feeds:
      response = error(404, {
        code: ErrorCode.PROPOSAL_NOT_FOUND,
        message: 'the registry knows nothing about this proposal yet',
      });
      break;
    case NOT_KNOWN_FAMILIES.badges:
      response = badgeResponse(
        badgeOf({
          ok: false,
          error: { code: ErrorCode.PROPOSAL_NOT_FOUND, message: 'unknown proposal' },
        }),
      );
      break;
    default:
      throw new RangeError(`${scope} is no route family`);
  }
  return {
    status_code: response.status,
    headers: response.headers,
    body: response.body,
    upgrade: [],
  };
}

function badgeResponse(badge: Badge): Response {
  return {
    status: 200,
    headers: [['content-type', 'image/svg+xml'], ['cache-control', 'max-age=60'], ...COMMON],
    body: utf8Encode(badgeSvg({ label: 'reproduced', ...badge })),
  };
}

export function registryInfo(registry: Registry, cycles: bigint): C.RegistryInfo {
  const stats = registry.stats();
  const meta = registry.meta();
  const limit = rateLimitOf(meta);
  const limits = registry.limits(meta);
  return {
    version: '1',
    attestation_count: stats.attestations,
    proposal_count: stats.proposals,
    builder_count: stats.builders,
    governance_canister_id:
      meta.governanceCanisterId === null ? [] : [Principal.fromText(meta.governanceCanisterId)],
    rate_limit: {
      capacity: limit.capacity,
      refill_interval_seconds: Number(limit.refillIntervalNs / 1_000_000_000n),
    },
    proposal_refresh_seconds: meta.refreshSeconds ?? DEFAULT_REFRESH_SECONDS,
    max_envelope_bytes: LIMITS.envelopeBytes,
    max_page_size: PAGE_LIMIT.max,
    pending_proposal_count: stats.pendingProposals,
    trust_list_count: stats.trustLists,
    limits: {
      attestations_per_builder: limits.attestationsPerBuilder,
      attestations_total: BigInt(limits.attestationsTotal),
      pending_proposals_per_builder: limits.pendingProposalsPerBuilder,
      pending_proposals_total: limits.pendingProposalsTotal,
      held_per_proposal: limits.heldPerProposal,
      trust_lists_per_owner: limits.trustListsPerOwner,
      trust_lists_total: limits.trustListsTotal,
      trust_list_members: limits.trustListMembers,
      min_cycles: limits.minCycles,
    },
    cycles,
  };
}

const GREEN = '#2e7d32';
const AMBER = '#b26a00';
const RED = '#c62828';
const GREY = '#6b7280';

export interface Badge {
  /** What the badge says, short. */
  value: string;
  /** The whole badge as a sentence (the SVG's title and accessible name). */
  title: string;
  color: string;
}

const builders = (n: number) => `${n} ${n === 1 ? 'builder' : 'builders'}`;

/**
 * The badge counts builders on the artifact the proposal's hash is about (the first artifact
 * with results otherwise): "5/5" means five of five builders reproduced it. With a trust list it
 * says whose count it is: "5/5 on list CodeGov; 7 in all".
 */
export function badgeOf(summary: Result<ProposalSummaryView>): Badge {
  const grey = (value: string, title = `reproduced: ${value}`) => ({ value, title, color: GREY });
  if (!summary.ok) {
    switch (summary.error.code) {
      case ErrorCode.PROPOSAL_PENDING:
        return grey(
          'unconfirmed proposal',
          'the registry has not confirmed this proposal on chain yet',
        );
      case ErrorCode.PROPOSAL_NOT_ON_CHAIN:
        return grey('no such proposal', 'NNS governance has no such proposal');
      case ErrorCode.PROPOSAL_NOT_ICOS_ELECTION:
        return grey('not an IC-OS election', 'the proposal elects no IC-OS version');
      case ErrorCode.TRUST_LIST_NOT_FOUND:
        return grey('no such trust list');
      default:
        return grey('no reproduction yet');
    }
  }
  const { consensus, scope } = summary.value;
  const list = scope.trustList;
  const onList = list === null ? '' : ` on list ${list.name}`;
  const inAll = list === null ? '' : `; ${scope.matchingInAll} in all`;
  const primary = primaryArtifact(consensus);
  const v = primary?.verdicts;
  const attempted = v === undefined ? 0 : v.match + v.mismatch + v.build_failed;
  if (v === undefined || attempted === 0) return grey(`no reproduction yet${onList}${inAll}`);
  const value = `${v.match}/${attempted}${onList}${inAll}`;
  const of = attempted === v.match ? builders(v.match) : `${v.match} of ${builders(attempted)}`;
  const title = `reproduced by ${of}${onList}${inAll}`;
  if (v.mismatch === 0 && v.build_failed === 0) return { value, title, color: GREEN };
  return { value, title, color: v.match > 0 ? AMBER : RED };
}

/** A flat two-part badge. */
export function badgeSvg(args: {
  label: string;
  value: string;
  title: string;
  color: string;
}): string {
  const { label, value, color } = args;
  const w = (s: string) => 6.5 * [...s].length + 12;
  const lw = w(label);
  const vw = w(value);
  const total = lw + vw;
  const title = xmlText(args.title);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${title}">` +
    `<title>${title}</title>` +
    `<rect width="${lw}" height="20" fill="#555"/>` +
    `<rect x="${lw}" width="${vw}" height="20" fill="${color}"/>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">` +
    `<text x="${lw / 2}" y="14">${xmlText(label)}</text>` +
    `<text x="${lw + vw / 2}" y="14">${xmlText(value)}</text>` +
    `</g></svg>`
  );
}
