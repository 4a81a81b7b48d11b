/**
 * What the consensus means for a reader: the artifact that matters (the one whose hash the
 * proposal states), the badge in the proposal list, and whether the reader's threshold of
 * agreeing builders is met (like `--min-good-sigs` for Bitcoin's guix builds).
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

/** `good` green, `warn` amber, `bad` red, `pending` (agreeing but below threshold), `none` grey. */
export type BadgeTone = 'good' | 'warn' | 'bad' | 'pending' | 'none';

export interface ConsensusBadge {
  tone: BadgeTone;
  text: string;
  /** A sentence for screen readers and the tooltip. */
  description: string;
}

const builders = (n: number) => `${n} ${n === 1 ? 'builder' : 'builders'}`;

/**
 * Whose count a badge shows, when it is a trust list's: "on list CodeGov; 7 in all", and the
 * sentence "Reproduced by 5 builders on list CodeGov; 7 in all." (empty for everyone).
 */
export function scopeWording(summary: ProposalSummary): { suffix: string; sentence: string } {
  const list = summary.scope.trustList;
  if (list === null) return { suffix: '', sentence: '' };
  const match = primaryArtifact(summary)?.verdicts.match ?? 0;
  const inAll = summary.scope.matchingInAll;
  return {
    suffix: ` on list ${list.name}; ${inAll} in all`,
    sentence: `Reproduced by ${builders(match)} on list ${list.name}; ${inAll} in all. `,
  };
}

export function consensusBadge(summary: ProposalSummary, threshold: number): ConsensusBadge {
  const badge = unscopedBadge(summary, threshold);
  const { suffix, sentence } = scopeWording(summary);
  return { ...badge, text: badge.text + suffix, description: sentence + badge.description };
}

function unscopedBadge(summary: ProposalSummary, threshold: number): ConsensusBadge {
  const artifact = primaryArtifact(summary);
  const v = artifact?.verdicts;
  if (artifact === null || v === undefined || v.match + v.mismatch + v.build_failed === 0) {
    return {
      tone: 'none',
      text: 'no reproduction yet',
      description:
        summary.scope.trustList === null
          ? 'No builder has reported a build of this proposal yet.'
          : 'No builder on this trust list has reported a build of this proposal yet.',
    };
  }
  const reporting = v.match + v.mismatch + v.build_failed + v.not_built;
  const failed = v.build_failed > 0 ? ` · ${v.build_failed} failed` : '';
  const what = artifact.expectedSource === 'proposal' ? "the proposal's hash" : 'the expected hash';
  if (v.mismatch === 0) {
    const met = v.match >= threshold;
    return {
      tone: met ? 'good' : 'pending',
      text: `${builders(reporting)} · ${v.match} match${failed}`,
      description: met
        ? `${v.match} of ${builders(reporting)} reproduced ${what}; none differs (threshold ${threshold} met).`
        : `${v.match} of ${builders(reporting)} reproduced ${what}; the threshold of ${threshold} is not met yet.`,
    };
  }
  return {
    tone: v.match > 0 ? 'warn' : 'bad',
    text: `${v.match} match · ${v.mismatch} mismatch${failed}`,
    description: `${v.match} reproduced ${what}, ${v.mismatch} built something else${v.build_failed > 0 ? `, ${v.build_failed} failed to build` : ''}.`,
  };
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
