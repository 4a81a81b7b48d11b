/**
 * The registry's certified HTTP routes: which paths are rendered in advance and when (see
 * `certified-http.ts`). Every answer is exactly what `handleHttp` gives for a GET of the path —
 * the same bytes as the raw domain, pinned by the JSON API's golden file.
 *
 * Add a route here: a `RouteRenderer` names the paths it answers (`all`) and, from what a
 * certification changed, the ones to render again (`changed`: cheap, nothing rendered there).
 */
import type { HttpResponseParts } from '@repro-registry/certification';

import type { Registry } from '../core/registry';
import { handleHttp } from '../http';
import type { RouteRenderer } from './certified-http';
import { feedRoutes } from './feed-routes';

/** Ids of the proposals the registry knows, ascending (held and rejected ones included). */
export type ProposalIds = () => Iterable<bigint>;

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
    ...feedRoutes({ registry, render: get }),
  ];
}
