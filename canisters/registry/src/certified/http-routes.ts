/**
 * The registry's certified HTTP routes: which paths are rendered in advance and when (see
 * `certified-http.ts`). Every answer is exactly what `handleHttp` gives for a GET of the path —
 * the same bytes as the raw domain, pinned by the JSON API's golden file.
 *
 * Add a route here: e.g. a feed that changes with every log entry is
 * `{ queryParameters: [], changed: (c) => (c.attestations.size > 0 ? ['/feed.atom'] : []),
 *    all: () => ['/feed.atom'], render: get }`.
 */
import type { HttpResponseParts } from '@repro-registry/certification';

import type { Registry } from '../core/registry';
import { handleHttp } from '../http';
import type { RouteRenderer } from './certified-http';

/** Ids of the proposals the registry knows, ascending (held and rejected ones included). */
export type ProposalIds = () => Iterable<bigint>;

export function registryRoutes(args: {
  registry: Registry;
  proposalIds: ProposalIds;
  /** The canister's cycle balance, for `/api/v1/info` (as of the certification). */
  cycles: () => bigint;
}): RouteRenderer[] {
  const { registry, proposalIds, cycles } = args;
  const get = (path: string): HttpResponseParts => {
    const r = handleHttp(
      registry,
      { method: 'GET', url: path, headers: [], body: new Uint8Array(), certificate_version: [] },
      cycles(),
    );
    return { statusCode: r.status_code, headers: r.headers, body: r.body };
  };
  const proposalPaths = (id: bigint) => [`/api/v1/proposals/${id}`, `/badge/${id}.svg`];
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
  ];
}
