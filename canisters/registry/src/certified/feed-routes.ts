/**
 * The event feeds' certified routes (issue 12): `/feed.atom`, and per proposal
 * `/proposals/<id>/feed.atom` and `/api/v1/proposals/<id>/events`. Their answers change only when
 * events are appended, so the renderer watches the stream's counter (`meta.events.next`) and
 * renders again `/feed.atom` and the feeds of the proposals the new events name — nothing when
 * the counter did not move, whatever else the certification changed.
 *
 * A known proposal without events gets its (empty) feeds certified too, once (heap set; install
 * and upgrade render all again): otherwise its paths would fall to the "not known" answer of
 * their route families (`http-routes.ts`).
 *
 * `/api/v1/events` (with or without `since`/`limit`) is NOT certified, on purpose: HTTP
 * certification v2 refuses the `no_certification` wildcard for a request whose path has an
 * exact entry ("a potential exact expression path … might exist in the tree"), so certifying
 * the bare path would make every `?since=<cursor>` page — the polling API — fail at the
 * gateways. It is answered live under the wildcard; a reader checks what it pages through
 * against the certified feeds (entry ids and per-proposal event lists).
 */
import type { HttpResponseParts } from '@repro-registry/certification';

import type { Registry } from '../core/registry';
import type { CertifiedChanges, RouteRenderer } from './certified-http';
import type { ProposalIds } from './http-routes';

const GLOBAL_PATHS = ['/feed.atom'];

/** New events read per step when naming their proposals (the page maximum of the JSON API). */
const PAGE = 1000;

const proposalPaths = (id: bigint | string) => [
  `/proposals/${id}/feed.atom`,
  `/api/v1/proposals/${id}/events`,
];

export function feedRoutes(args: {
  registry: Registry;
  proposalIds: ProposalIds;
  render: (path: string) => HttpResponseParts | null;
}): RouteRenderer[] {
  const { registry, proposalIds, render } = args;
  /** Known proposals whose feeds were named for rendering since install or upgrade. */
  const named = new Set<bigint>();
  const nextSeq = () => BigInt(registry.meta().events?.next ?? '1');
  /**
   * The counter as of the last render decision. Heap only: install and upgrade render every
   * path again (`all`, which sets it), so what was appended before is covered.
   */
  let seen: bigint | undefined;

  /**
   * Paths whose answers changed since the last call: those of newly known proposals, and when
   * events were appended, the global feed and the feeds of the proposals they name.
   */
  const changed = (changes: CertifiedChanges): string[] => {
    const paths = new Set<string>();
    for (const id of changes.proposals) {
      if (named.has(id)) continue;
      named.add(id);
      for (const p of proposalPaths(id)) paths.add(p);
    }
    const next = nextSeq();
    const from = seen ?? next;
    seen = next;
    if (from === next) return [...paths];
    for (const p of GLOBAL_PATHS) paths.add(p);
    for (let since = from - 1n; ;) {
      const page = registry.eventsSince({ since, limit: PAGE });
      if (page.events.length === 0) break;
      for (const event of page.events)
        for (const p of proposalPaths(event.proposalId)) paths.add(p);
      since = BigInt(page.next);
    }
    return [...paths];
  };

  return [
    {
      // The feeds read no query parameter.
      queryParameters: [],
      // Hundreds of M instructions (a 50-entry feed is ~48 KB): not in the message that
      // certifies a submission, but in the one after it.
      deferred: true,
      changed,
      all: function* () {
        seen = nextSeq();
        yield* GLOBAL_PATHS;
        // Every known proposal (one without events: its empty feeds).
        for (const id of proposalIds()) {
          named.add(id);
          yield* proposalPaths(id);
        }
      },
      render,
    },
  ];
}
