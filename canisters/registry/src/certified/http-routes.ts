/**
 * The registry's certified HTTP routes: which paths are rendered in advance and when (see
 * `certified-http.ts`). Every answer is exactly what `handleHttp` gives for a GET of the path —
 * the same bytes as the raw domain, pinned by the JSON API's golden file.
 *
 * Add a route here: a `RouteRenderer` names the paths it answers (`all`) and, from what a
 * certification changed, the ones to render again (`changed`: cheap, nothing rendered there).
 *
 * Route families (`NOT_KNOWN_FAMILIES`: a proposal's summary, attestations and events, its feed,
 * its badge) certify one fixed "not known" answer for every path below them that
 * has no entry of its own; a path below a family that is answered live for a known id (its
 * attestations, paged by query) gets an exact `no_certification` entry (`kind: 'live'`).
 */
import type { HttpResponseParts } from '@repro-registry/certification';

import type { Registry } from '../core/registry';
import { u64Key } from '../core/tables';
import { handleHttp, NOT_KNOWN_FAMILIES, notKnownAnswer } from '../http';
import type { RouteRenderer } from './certified-http';
import { feedRoutes } from './feed-routes';

/** Ids of the proposals the registry knows, ascending (held and rejected ones included). */
export type ProposalIds = () => Iterable<bigint>;

/** The proposal id a family path names (`/badge/7.svg`, `/api/v1/proposals/7/events`), or null. */
function idIn(path: string): bigint | null {
  const m = /^\/(?:api\/v1\/)?(?:proposals|badge)\/(0|[1-9][0-9]{0,19})(?:\.svg)?(?:\/|$)/.exec(
    path,
  );
  if (m === null) return null;
  const id = BigInt(m[1]);
  return id < 2n ** 64n ? id : null;
}

/** The paths the renderers below give each known proposal an entry for (a sub-path's shape). */
const OWN_ANSWER =
  /^\/(?:api\/v1\/proposals\/\d+(?:\/attestations|\/events)?|proposals\/\d+\/feed\.atom|badge\/\d+\.svg)$/;

const attestationsPath = (id: bigint) => `/api/v1/proposals/${id}/attestations`;
/** A `live` path's render: only that it exists matters. */
const LIVE: HttpResponseParts = { statusCode: 200, headers: [], body: new Uint8Array() };

export function registryRoutes(args: {
  registry: Registry;
  proposalIds: ProposalIds;
  /** The canister's cycle balance, for `/api/v1/info` (as of the certification). */
  cycles: () => bigint;
  /** The canister's id: the feeds' Atom ids name it. */
  registryId: () => string;
}): RouteRenderer[] {
  const { registry, proposalIds, cycles, registryId } = args;
  const get = (path: string): HttpResponseParts => {
    const r = handleHttp(
      registry,
      { method: 'GET', url: path, headers: [], body: new Uint8Array(), certificate_version: [] },
      cycles(),
      registryId(),
    );
    return { statusCode: r.status_code, headers: r.headers, body: r.body };
  };
  const proposalPaths = (id: bigint) => [`/api/v1/proposals/${id}`, `/badge/${id}.svg`];
  /** Proposals whose live entries were named since install or upgrade; true when new. */
  const named = new Set<bigint>();
  const name = (id: bigint): boolean => {
    if (named.has(id)) return false;
    named.add(id);
    return true;
  };
  return [
    // The index: changes only with the code.
    { queryParameters: [], changed: () => [], all: () => ['/', '/api/v1'], render: get },
    // Counts change with every certification that changed anything.
    {
      queryParameters: [],
      changed: (c) => (c.proposals.size + c.attestations.size > 0 ? ['/api/v1/info'] : []),
      all: () => ['/api/v1/info'],
      render: get,
    },
    // A proposal's summary and badge (everyone counted; `?list=` is answered live).
    {
      queryParameters: ['list'],
      changed: (c) => [...c.proposals].flatMap(proposalPaths),
      all: function* () {
        for (const id of proposalIds()) yield* proposalPaths(id);
      },
      render: get,
    },
    // The event stream's feeds: rendered again only when events were appended.
    ...feedRoutes({ registry, proposalIds, render: get }),
    // Below the families, answered live: the proposal list and a known proposal's attestations
    // (paged and filtered by query). Their exact entries keep the families' "not known" answer
    // from standing in for them. Named once per proposal (heap set; install and upgrade name
    // all again): each entry is a tree leaf, and a no-op render still costs a few M.
    {
      kind: 'live',
      queryParameters: [],
      changed: (c) => [...c.proposals].filter((id) => name(id)).map(attestationsPath),
      all: function* () {
        yield '/api/v1/proposals';
        for (const id of proposalIds()) {
          name(id);
          yield attestationsPath(id);
        }
      },
      render: () => LIVE,
    },
    // What a proposal the registry does not know answers: fixed, certified once.
    {
      kind: 'family',
      queryParameters: [],
      changed: () => [],
      all: () => Object.values(NOT_KNOWN_FAMILIES),
      render: (scope) => {
        const r = notKnownAnswer(scope);
        return { statusCode: r.status_code, headers: r.headers, body: r.body };
      },
      knows: (path) => {
        const id = idIn(path);
        if (id === null || registry.tables.proposals.get(u64Key(id)) === undefined) return false;
        return OWN_ANSWER.test(path) ? 'answer' : 'known';
      },
    },
  ];
}
