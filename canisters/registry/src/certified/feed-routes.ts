/**
 * The event feeds' certified routes (issue 12): `/feed.atom`, and per proposal
 * `/proposals/<id>/feed.atom` and `/api/v1/proposals/<id>/events`. Their answers change only when
 * events are appended, so the renderer watches the stream's counter (`meta.events.next`) and
 * renders again `/feed.atom` and the feeds of the proposals the new events name — nothing when
 * the counter did not move, whatever else the certification changed.
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
import { u64FromKey } from '../core/tables';
import type { RouteRenderer } from './certified-http';

const GLOBAL_PATHS = ['/feed.atom'];

/** New events read per step when naming their proposals (the page maximum of the JSON API). */
const PAGE = 1000;

const proposalPaths = (id: bigint | string) => [
  `/proposals/${id}/feed.atom`,
  `/api/v1/proposals/${id}/events`,
];

export function feedRoutes(args: {
  registry: Registry;
  render: (path: string) => HttpResponseParts | null;
}): RouteRenderer[] {
  const { registry, render } = args;
  const nextSeq = () => BigInt(registry.meta().events?.next ?? '1');
  /**
   * The counter as of the last render decision. Heap only: install and upgrade render every
   * path again (`all`, which sets it), so what was appended before is covered.
   */
  let seen: bigint | undefined;

  /** Paths whose answers changed since the last call: none when no event was appended. */
  const changed = (): string[] => {
    const next = nextSeq();
    const from = seen ?? next;
    seen = next;
    if (from === next) return [];
    const paths = new Set(GLOBAL_PATHS);
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
        // Every proposal that has events (one without answers live: an empty feed).
        const table = registry.tables.proposalEvents;
        for (const key of table.keys(0, table.len())) yield* proposalPaths(u64FromKey(key));
      },
      render,
    },
  ];
}
