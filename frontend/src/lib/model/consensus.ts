/**
 * What the consensus means for a reader: the artifact that matters (the one whose hash the
 * proposal states) and whether the reader's threshold of agreeing builders is met (like
 * `--min-good-sigs` for Bitcoin's guix builds). The verdict itself is `headline.ts`.
 */
import type { ArtifactConsensus, HashGroup, ProposalSummary } from './types';

export const DEFAULT_THRESHOLD = 3;

/**
 * The artifact the proposal asks the network to run: the one with the on-chain hash, else the
 * proposal's OS, else GuestOS, else the one most builders reported on.
 */
export function primaryArtifact(summary: ProposalSummary): ArtifactConsensus | null {
  const { artifacts } = summary;
  const total = (a: ArtifactConsensus) =>
    a.verdicts.match + a.verdicts.mismatch + a.verdicts.build_failed + a.verdicts.not_built;
  return (
    artifacts.find((a) => a.expectedSource === 'proposal') ??
    artifacts.find((a) => a.kind === (summary.onChain?.os ?? 'guestos')) ??
    artifacts.find((a) => a.kind === 'guestos') ??
    [...artifacts].sort((a, b) => total(b) - total(a))[0] ??
    null
  );
}

export interface ThresholdStatus {
  /** The group counted: the expected one, or the largest when no hash is expected. */
  group: HashGroup | null;
  /** Whether `group` is the expected hash (false: builders only agree with each other). */
  againstExpected: boolean;
  agreeing: number;
  met: boolean;
}

export function thresholdStatus(artifact: ArtifactConsensus, threshold: number): ThresholdStatus {
  const expected = artifact.hashGroups.find((g) => g.matchesExpected === true) ?? null;
  const knownExpected = artifact.expectedSha256 !== null;
  const group = knownExpected ? expected : (largestGroup(artifact.hashGroups) ?? null);
  const agreeing = group?.builderCount ?? 0;
  return { group, againstExpected: knownExpected, agreeing, met: agreeing >= threshold };
}

function largestGroup(groups: HashGroup[]): HashGroup | undefined {
  return [...groups].sort(
    (a, b) => b.builderCount - a.builderCount || (a.sha256 < b.sha256 ? -1 : 1),
  )[0];
}

/** Parses a threshold the reader typed; null when it is not a whole number from 1 to 99. */
export function parseThreshold(value: string): number | null {
  if (!/^[0-9]{1,2}$/.test(value.trim())) return null;
  const n = Number(value.trim());
  return n >= 1 ? n : null;
}
