/**
 * How much the registry stores and holds. Identities are free, so every per-builder limit comes
 * with a registry-wide one: together they bound the work a flood of new keys can cause.
 * Init and upgrade arguments may change each (tests use small ones).
 */
import type { MetaJson, RegistryLimitsJson } from './records';

export interface RegistryLimits {
  /** Attestations one builder may store (history included). */
  attestationsPerBuilder: number;
  /** Attestations the registry stores in all (about 7.5 KB of stable memory each). */
  attestationsTotal: number;
  /** Unconfirmed proposals one builder may have attestations held for at once. */
  pendingProposalsPerBuilder: number;
  /** Unconfirmed proposals the registry holds attestations for at once. */
  pendingProposalsTotal: number;
  /** Attestations held for one unconfirmed proposal. */
  heldPerProposal: number;
  trustListsPerOwner: number;
  trustListsTotal: number;
  trustListMembers: number;
  /** Below this cycle balance updates are refused (queries keep working). */
  minCycles: bigint;
}

export const DEFAULT_LIMITS: RegistryLimits = {
  attestationsPerBuilder: 1_000,
  attestationsTotal: 500_000,
  pendingProposalsPerBuilder: 3,
  pendingProposalsTotal: 100,
  heldPerProposal: 200,
  trustListsPerOwner: 5,
  trustListsTotal: 1_000,
  trustListMembers: 200,
  // About what 20 typical submissions cost; keeps the canister well above its freezing threshold.
  minCycles: 100_000_000_000n,
};

export function limitsOf(meta: MetaJson): RegistryLimits {
  const set: Partial<RegistryLimitsJson> = meta.limits ?? {};
  return {
    ...DEFAULT_LIMITS,
    ...Object.fromEntries(
      Object.entries(set).filter(([k, v]) => k !== 'minCycles' && v !== undefined),
    ),
    minCycles: set.minCycles === undefined ? DEFAULT_LIMITS.minCycles : BigInt(set.minCycles),
  };
}
