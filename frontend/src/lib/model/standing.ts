/**
 * Which attestation stands for each builder, decided in the browser from the attestations
 * themselves rather than from the registry's `counted` flags: per builder and artifact kind, the
 * newest result with a hash, else the newest attempt — the registry's own rule
 * (canisters/registry/src/core/counting.ts). Hidden, held and rejected attestations never stand;
 * they are what a registry controller or the confirmation on chain decided, and the page shows
 * them as such.
 */
import type { Attestation } from './types';

/** A builder's standing result for one artifact kind. */
export interface Standing {
  builder: string;
  attestation: Attestation;
  /** The SHA-256 the builder reported; null when the standing attempt built nothing. */
  sha256: string | null;
  /** A newer attestation of the builder failed or skipped the artifact; this hash still stands. */
  laterAttemptFailed: boolean;
}

/** Attestations that can stand: visible, confirmed, for the commit consensus is about. */
export function canStand(a: Attestation): boolean {
  return a.hidden === null && !a.held && a.rejection === null && !a.commitDiffersFromProposal;
}

const newestFirst = (a: Attestation, b: Attestation) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Per builder, their standing result for `kind` (builders without one are absent). */
export function standingsFor(attestations: Iterable<Attestation>, kind: string): Standing[] {
  const byBuilder = new Map<string, Attestation[]>();
  for (const a of attestations) {
    if (!canStand(a) || !a.artifacts.some((r) => r.kind === kind)) continue;
    byBuilder.set(a.builder, [...(byBuilder.get(a.builder) ?? []), a]);
  }
  const standings: Standing[] = [];
  for (const [builder, own] of byBuilder) {
    own.sort(newestFirst);
    const withHash = own.find((a) => a.artifacts.find((r) => r.kind === kind)?.sha256 != null);
    const chosen = withHash ?? own[0];
    const sha256 = chosen.artifacts.find((r) => r.kind === kind)?.sha256 ?? null;
    standings.push({
      builder,
      attestation: chosen,
      sha256,
      laterAttemptFailed: withHash !== undefined && withHash !== own[0],
    });
  }
  return standings;
}

/** Ids of the attestations that stand for some builder and some artifact kind. */
export function standingIds(attestations: readonly Attestation[]): Set<bigint> {
  const kinds = new Set(attestations.flatMap((a) => a.artifacts.map((r) => r.kind)));
  const ids = new Set<bigint>();
  for (const kind of kinds) {
    for (const s of standingsFor(attestations, kind)) ids.add(s.attestation.id);
  }
  return ids;
}

/**
 * The attestations the table shows by default: one row per builder — the ones that stand, or the
 * builder's newest visible one when none stands. Superseded and hidden ones appear only on
 * request.
 */
export function defaultRows(attestations: readonly Attestation[]): Attestation[] {
  const standing = standingIds(attestations);
  const builders = new Set(attestations.filter((a) => standing.has(a.id)).map((a) => a.builder));
  const newestVisible = new Map<string, Attestation>();
  for (const a of attestations) {
    if (builders.has(a.builder) || a.hidden !== null) continue;
    const seen = newestVisible.get(a.builder);
    if (seen === undefined || a.id > seen.id) newestVisible.set(a.builder, a);
  }
  const shown = new Set([...standing, ...[...newestVisible.values()].map((a) => a.id)]);
  return attestations.filter((a) => shown.has(a.id));
}
