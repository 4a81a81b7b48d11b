/**
 * Who got which hash, from two sources: the registry's summary (what the list's badges have; not
 * checked) and the attestations the proposal page verified itself (what its headline counts).
 * Where the two differ the page says so at the top: a summary that does not add up is either a
 * registry bug or a lie.
 */
import { environmentClass } from '@repro-registry/attestation';

import type { VerificationOutcome } from '../verification/verify';
import { primaryArtifact } from './consensus';
import { shortHash, virtualizationLabel } from './format';
import type { Tally, TallyGroup } from './headline';
import { standingsFor } from './standing';
import type { Attestation, ProposalSummary } from './types';

/** The machines of one hash group's builders, when the attestations behind it are known. */
export interface GroupEnvironments {
  classes: ReadonlySet<string>;
  machines: readonly string[];
}

function scopeOf(summary: ProposalSummary): Tally['scope'] {
  return {
    listName: summary.scope.trustList?.name ?? null,
    matchingInAll: summary.scope.matchingInAll,
  };
}

function frame(summary: ProposalSummary): Omit<Tally, 'groups' | 'failed'> {
  const artifact = primaryArtifact(summary);
  return {
    kind: artifact?.kind ?? summary.onChain?.os ?? 'guestos',
    expectedSha256: artifact?.expectedSha256 ?? summary.onChain?.releasePackageSha256 ?? null,
    expectedSource:
      artifact?.expectedSource ??
      (summary.onChain?.releasePackageSha256 != null ? 'proposal' : 'none'),
    onChainRead: summary.onChain !== null,
    scope: scopeOf(summary),
  };
}

/**
 * The registry's own count (unchecked). `environments` adds, per hash, the machines of its
 * builders when they were read (the summary only says how many kinds there are).
 */
export function tallyFromSummary(
  summary: ProposalSummary,
  environments: ReadonlyMap<string, GroupEnvironments> | null = null,
): Tally {
  const artifact = primaryArtifact(summary);
  const groups: TallyGroup[] = (artifact?.hashGroups ?? []).map((g) => {
    const env = environments?.get(g.sha256) ?? null;
    return {
      sha256: g.sha256,
      builders: g.builderCount,
      classCount: g.environmentClasses,
      classes: env?.classes ?? null,
      machines: env?.machines ?? null,
    };
  });
  const v = artifact?.verdicts;
  return { ...frame(summary), groups, failed: v === undefined ? 0 : v.build_failed + v.not_built };
}

/**
 * Machines per hash from attestations as the registry lists them (not verified: for the list's
 * badges, which read the unchecked summary anyway).
 */
export function environmentsByHash(
  attestations: readonly Attestation[],
  kind: string,
  members: ReadonlySet<string> | null = null,
): Map<string, GroupEnvironments> {
  return groupEnvironments(
    standingsFor(attestations, kind)
      .filter((s) => s.sha256 !== null && (members === null || members.has(s.builder)))
      .map((s) => ({
        sha256: s.sha256 as string,
        environmentClass: s.attestation.environmentClass,
        virtualization: s.attestation.environment.virtualization,
      })),
  );
}

function groupEnvironments(
  results: { sha256: string; environmentClass: string; virtualization: string }[],
): Map<string, GroupEnvironments> {
  const byHash = new Map<string, { classes: Set<string>; machines: Set<string> }>();
  for (const r of results) {
    const g = byHash.get(r.sha256) ?? { classes: new Set(), machines: new Set() };
    g.classes.add(r.environmentClass);
    g.machines.add(virtualizationLabel(r.virtualization));
    byHash.set(r.sha256, g);
  }
  return new Map(
    [...byHash].map(([sha, g]) => [sha, { classes: g.classes, machines: [...g.machines] }]),
  );
}

/** An attestation that stands for its builder but failed the page's verification. */
export interface UnverifiedStanding {
  attestation: Attestation;
  outcome: VerificationOutcome & { ok: false };
}

export type VerifiedTally =
  | { status: 'pending'; checked: number; total: number }
  | { status: 'ready'; tally: Tally; failed: UnverifiedStanding[] };

/**
 * The count the headline shows: each builder's standing result (decided here, see
 * `standing.ts`) from attestations whose signature and fields this page verified, with the
 * machine read from the signed environment. A builder whose standing attestation fails
 * verification is not counted and is reported instead. Pending until every standing
 * attestation has been checked.
 */
export function tallyFromVerified(args: {
  summary: ProposalSummary;
  attestations: readonly Attestation[];
  verification: { get(key: string): VerificationOutcome | undefined };
  /** The trust list's builders when one is chosen (null: everyone). */
  members: ReadonlySet<string> | null;
}): VerifiedTally {
  const base = frame(args.summary);
  const inScope = args.attestations.filter(
    (a) => args.members === null || args.members.has(a.builder),
  );
  const standings = standingsFor(inScope, base.kind);
  let checked = 0;
  const failed: UnverifiedStanding[] = [];
  const hashed: { sha256: string; environmentClass: string; virtualization: string }[] = [];
  let noHash = 0;
  for (const s of standings) {
    const outcome = args.verification.get(s.attestation.id.toString());
    if (outcome === undefined) continue;
    checked++;
    if (!outcome.ok) {
      failed.push({ attestation: s.attestation, outcome });
      continue;
    }
    const environment = outcome.details.environment;
    if (s.sha256 === null) noHash++;
    else
      hashed.push({
        sha256: s.sha256,
        environmentClass: environmentClass(environment),
        virtualization: environment.virtualization,
      });
  }
  if (checked < standings.length) return { status: 'pending', checked, total: standings.length };
  const environments = groupEnvironments(hashed);
  const groups: TallyGroup[] = [...environments].map(([sha256, env]) => ({
    sha256,
    builders: hashed.filter((h) => h.sha256 === sha256).length,
    classCount: env.classes.size,
    classes: env.classes,
    machines: env.machines,
  }));
  groups.sort((a, b) => b.builders - a.builders || (a.sha256 < b.sha256 ? -1 : 1));
  return { status: 'ready', tally: { ...base, groups, failed: noHash }, failed };
}

/**
 * Sentences saying where the registry's summary and the verified attestations disagree (empty
 * when they agree). Both tallies must be for the same artifact and scope.
 */
export function summaryDifferences(
  summary: Tally,
  verified: Tally,
  /** Whose summary: the registry's (unchecked) or its certified one. */
  source = "The registry's summary",
): string[] {
  const out: string[] = [];
  const count = (t: Tally, sha: string | null) =>
    sha === null ? 0 : (t.groups.find((g) => g.sha256 === sha)?.builders ?? 0);
  const expected = verified.expectedSha256;
  const say = (what: string, claimed: number, seen: number) =>
    out.push(`${source} counts ${claimed} ${what}; the attestations verified here show ${seen}.`);
  if (expected !== null && count(summary, expected) !== count(verified, expected)) {
    say("builders with the proposal's hash", count(summary, expected), count(verified, expected));
  }
  const hashes = new Set([...summary.groups, ...verified.groups].map((g) => g.sha256));
  for (const sha of hashes) {
    if (sha === expected) continue;
    const claimed = count(summary, sha);
    const seen = count(verified, sha);
    if (claimed !== seen) say(`builders with hash ${shortHash(sha)}`, claimed, seen);
  }
  if (summary.failed !== verified.failed) {
    say('builders whose build failed or was skipped', summary.failed, verified.failed);
  }
  return out;
}
