/**
 * The read-only HTTP API for apps outside the IC, and the SVG badges people embed in forum
 * posts. Served by the `http_request` query.
 */
import { Principal } from '@dfinity/principal';
import { ErrorCode, LIMITS, utf8Encode } from '@repro-registry/attestation';

import * as C from './candid_types';
import type { ArtifactConsensus } from './core/consensus';
import type { RegistryError } from './core/errors';
import { DEFAULT_REFRESH_SECONDS, PAGE_LIMIT, rateLimitOf, type Registry } from './core/registry';
import {
  candidAttestation,
  candidAttestationPage,
  candidBuilder,
  candidSummary,
  toJson,
} from './views';

interface Response {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

const CORS: [string, string][] = [
  ['access-control-allow-origin', '*'],
  ['access-control-allow-methods', 'GET, HEAD, OPTIONS'],
];

function json(status: number, value: unknown): Response {
  return {
    status,
    headers: [
      ['content-type', 'application/json; charset=utf-8'],
      ['cache-control', 'no-cache'],
      ...CORS,
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

export function handleHttp(registry: Registry, request: C.HttpRequest): C.HttpResponse {
  const response = route(registry, request);
  return {
    status_code: response.status,
    headers: response.headers,
    body: request.method.toUpperCase() === 'HEAD' ? new Uint8Array() : response.body,
    upgrade: [],
  };
}

function route(registry: Registry, request: C.HttpRequest): Response {
  const method = request.method.toUpperCase();
  if (method === 'OPTIONS') return { status: 204, headers: CORS, body: new Uint8Array() };
  if (method !== 'GET' && method !== 'HEAD') {
    return error(405, {
      code: ErrorCode.INVALID_ARGUMENT,
      message: 'the HTTP API is read-only: use GET',
    });
  }
  const [rawPath = '/', rawQuery = ''] = request.url.split('?', 2);
  const path = rawPath.replace(/\/+$/, '') || '/';
  const params = parseQuery(rawQuery);
  const cursor = numberParam(params, 'cursor');
  const limit = numberParam(params, 'limit');
  if (cursor === null) return badRequest('cursor must be a non-negative integer');
  if (limit === null) return badRequest('limit must be a non-negative integer');
  const limitNumber = limit === undefined ? undefined : Number(limit > 1000n ? 1000n : limit);

  let m: RegExpMatchArray | null;
  if (path === '/' || path === '/api/v1') {
    return json(200, {
      name: 'repro-registry',
      endpoints: [
        '/api/v1/info',
        '/api/v1/proposals?cursor=&limit=',
        '/api/v1/proposals/<id>',
        '/api/v1/proposals/<id>/attestations?verdict=&cursor=&limit=',
        '/api/v1/attestations/<id>',
        '/api/v1/builders/<principal>',
        '/badge/<proposal id>.svg',
      ],
    });
  }
  if (path === '/api/v1/info') {
    return json(200, toJson(C.RegistryInfo, registryInfo(registry)));
  }
  if (path === '/api/v1/proposals') {
    const page = registry.listProposals({ cursor, limit: limitNumber });
    const value: C.ProposalPage = {
      proposals: page.items.map(candidSummary),
      next_cursor: page.next === null ? [] : [page.next],
      total: page.total,
    };
    return json(200, toJson(C.ProposalPage, value));
  }
  if ((m = path.match(/^\/api\/v1\/proposals\/([^/]+)$/))) {
    const id = parseU64(m[1]);
    if (id === null) return notFound(`"${m[1]}" is not a proposal id`);
    const summary = registry.summary(id);
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
    return json(200, toJson(C.AttestationPage, candidAttestationPage(page.value)));
  }
  if ((m = path.match(/^\/api\/v1\/attestations\/([^/]+)$/))) {
    const id = parseU64(m[1]);
    if (id === null) return notFound(`"${m[1]}" is not an attestation id`);
    const attestation = registry.attestation(id);
    if (!attestation.ok) return error(statusOf(attestation.error), attestation.error);
    return json(200, toJson(C.Attestation, candidAttestation(attestation.value)));
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
    return json(
      200,
      toJson(C.BuilderPage, {
        profile: candidBuilder(page.value.profile),
        attestations: candidAttestationPage(page.value.attestations),
      }),
    );
  }
  if ((m = path.match(/^\/badge\/([^/]+)\.svg$/))) {
    const id = parseU64(m[1]);
    if (id === null) return notFound(`"${m[1]}" is not a proposal id`);
    const summary = registry.summary(id);
    const badge = summary.ok
      ? badgeOf(summary.value.consensus.artifacts)
      : { text: 'no reproduction yet', color: GREY };
    return {
      status: 200,
      headers: [['content-type', 'image/svg+xml'], ['cache-control', 'max-age=60'], ...CORS],
      body: utf8Encode(badgeSvg('reproduced', badge.text, badge.color)),
    };
  }
  return notFound(`no such endpoint: ${path}`);
}

export function registryInfo(registry: Registry): C.RegistryInfo {
  const stats = registry.stats();
  const meta = registry.meta();
  const limit = rateLimitOf(meta);
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
  };
}

const GREEN = '#2e7d32';
const AMBER = '#b26a00';
const RED = '#c62828';
const GREY = '#6b7280';

/**
 * The badge counts builders on the artifact the proposal's hash is about (the first artifact
 * with results otherwise): "5/5" means five of five builders reproduced it.
 */
export function badgeOf(artifacts: ArtifactConsensus[]): { text: string; color: string } {
  const primary = artifacts.find((a) => a.expectedSource === 'proposal') ?? artifacts[0];
  if (primary === undefined) return { text: 'no reproduction yet', color: GREY };
  const v = primary.verdicts;
  const attempted = v.match + v.mismatch + v.build_failed;
  if (attempted === 0) return { text: 'no reproduction yet', color: GREY };
  const text = `${v.match}/${attempted}`;
  if (v.mismatch === 0 && v.build_failed === 0) return { text, color: GREEN };
  return { text, color: v.match > 0 ? AMBER : RED };
}

/** A flat two-part badge; only digits and fixed words reach it, so no escaping is needed. */
export function badgeSvg(label: string, value: string, color: string): string {
  const w = (s: string) => 6.5 * s.length + 12;
  const lw = w(label);
  const vw = w(value);
  const total = lw + vw;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${label}: ${value}">` +
    `<title>${label}: ${value}</title>` +
    `<rect width="${lw}" height="20" fill="#555"/>` +
    `<rect x="${lw}" width="${vw}" height="20" fill="${color}"/>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">` +
    `<text x="${lw / 2}" y="14">${label}</text>` +
    `<text x="${lw + vw / 2}" y="14">${value}</text>` +
    `</g></svg>`
  );
}
