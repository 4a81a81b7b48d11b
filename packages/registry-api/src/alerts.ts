/**
 * The red alert's rule, shared by the registry (its event stream) and the frontend (the banner
 * on a proposal page): independent builders agree with each other on a hash that is not the one
 * the proposal asks the network to run, and more of them than got the proposal's hash.
 *
 * "Agree" is at least `ALERT_MIN_BUILDERS` builders with the same other hash; "independent" is
 * that they built on at least `ALERT_MIN_ENVIRONMENTS` kinds of machine (environment classes,
 * as the registry counts them in a hash group: OS + virtualization + container runtime). Two
 * builders on the same kind of machine can share its quirk (the forum thread's WSL2 and
 * VirtualBox mismatches); two kinds of machine reaching the same other hash point at the
 * proposal. Only a hash the proposal itself states is checked against: builders' own claims of
 * an expected hash are not the proposal's.
 */
import type { ArtifactConsensus } from './consensus';

export const ALERT_MIN_BUILDERS = 2;
export const ALERT_MIN_ENVIRONMENTS = 2;

export interface IndependentDisagreement {
  kind: string;
  /** The hash the builders agree on. */
  sha256: string;
  /** The proposal's hash for the artifact. */
  expectedSha256: string;
  builders: number;
  environmentClasses: number;
  /** Builders on the proposal's own hash, for comparison. */
  reproducing: number;
}

/** Every (artifact, other hash) independent builders agree on, largest first; [] without a hash on chain. */
export function independentDisagreements(
  artifacts: readonly ArtifactConsensus[],
): IndependentDisagreement[] {
  const found: IndependentDisagreement[] = [];
  for (const artifact of artifacts) {
    const expected = artifact.expectedSha256;
    if (artifact.expectedSource !== 'proposal' || expected === null) continue;
    const reproducing =
      artifact.hashGroups.find((g) => g.matchesExpected === true)?.builderCount ?? 0;
    for (const group of artifact.hashGroups) {
      if (group.matchesExpected !== false) continue;
      if (group.builderCount < ALERT_MIN_BUILDERS) continue;
      if (group.environmentClasses < ALERT_MIN_ENVIRONMENTS) continue;
      // Fewer than reproduce the proposal's hash: builders differ (the headline's "split"),
      // the proposal is not contradicted.
      if (group.builderCount <= reproducing) continue;
      found.push({
        kind: artifact.kind,
        sha256: group.sha256,
        expectedSha256: expected,
        builders: group.builderCount,
        environmentClasses: group.environmentClasses,
        reproducing,
      });
    }
  }
  return found.sort(
    (a, b) => b.builders - a.builders || (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0),
  );
}
