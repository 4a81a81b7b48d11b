/**
 * Init and upgrade arguments applied to the registry's settings. Pure: the canister class traps
 * with the returned message, so a bad argument fails the install and changes nothing.
 */
import type * as C from '@repro-registry/registry-api';
import { ErrorCode } from '@repro-registry/registry-api';

import type { MetaJson } from './core/records';

type Limits = NonNullable<MetaJson['limits']>;

/** The settings with `args` applied, or why `args` is refused (`INVALID_ARGUMENT: ...`). */
export function applyInitArgs(
  meta: MetaJson,
  args: [] | [C.InitArgs],
): { ok: true; meta: MetaJson } | { ok: false; message: string } {
  const refuse = (why: string) => ({
    ok: false as const,
    message: `${ErrorCode.INVALID_ARGUMENT}: ${why}`,
  });
  const given = args[0];
  if (given === undefined) return { ok: true, meta };
  const next: MetaJson = { ...meta };
  const governance = given.governance_canister_id[0];
  if (governance !== undefined) next.governanceCanisterId = governance.toText();
  const rate = given.rate_limit[0];
  if (rate !== undefined) {
    if (rate.capacity < 1 || rate.refill_interval_seconds < 1)
      return refuse('rate_limit needs capacity >= 1 and refill_interval_seconds >= 1');
    next.rateLimit = { capacity: rate.capacity, refillSeconds: rate.refill_interval_seconds };
  }
  const refresh = given.proposal_refresh_seconds[0];
  if (refresh !== undefined) {
    if (refresh < 1) return refuse('proposal_refresh_seconds must be at least 1');
    next.refreshSeconds = refresh;
  }
  const limits = given.limits[0];
  if (limits !== undefined) {
    const set: Limits = { ...(meta.limits ?? {}) };
    const counts: [keyof Limits, [] | [number]][] = [
      ['attestationsPerBuilder', limits.attestations_per_builder],
      ['pendingProposalsPerBuilder', limits.pending_proposals_per_builder],
      ['pendingProposalsTotal', limits.pending_proposals_total],
      ['heldPerProposal', limits.held_per_proposal],
      ['trustListsPerOwner', limits.trust_lists_per_owner],
      ['trustListsTotal', limits.trust_lists_total],
      ['trustListMembers', limits.trust_list_members],
    ];
    for (const [name, [v]] of counts) {
      if (v === undefined) continue;
      if (v < 1) return refuse(`limits.${name} must be at least 1`);
      Object.assign(set, { [name]: v });
    }
    const total = limits.attestations_total[0];
    if (total !== undefined) {
      if (total < 1n) return refuse('limits.attestations_total must be at least 1');
      set.attestationsTotal = Number(total);
    }
    const cycles = limits.min_cycles[0];
    if (cycles !== undefined) set.minCycles = cycles.toString();
    next.limits = set;
  }
  return { ok: true, meta: next };
}
