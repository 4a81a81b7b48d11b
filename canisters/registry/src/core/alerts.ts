/**
 * The red alert: independent builders agree with each other on a hash that is not the one the
 * proposal asks the network to run. A pure rule over the registry's consensus, so the event
 * stream, its tests and anyone reading the summary reach the same answer.
 *
 * "Agree" is at least `ALERT_MIN_BUILDERS` builders with the same other hash; "independent" is
 * that they built on at least `ALERT_MIN_ENVIRONMENTS` kinds of machine (environment classes,
 * as the registry counts them in a hash group: OS + virtualization + container runtime). Two
 * builders on the same kind of machine can share its quirk (the forum thread's WSL2 and
 * VirtualBox mismatches); two kinds of machine reaching the same other hash point at the
 * proposal. Only a hash the proposal itself states is checked against: builders' own claims of
 * an expected hash are not the proposal's.
 */
import type { Consensus } from './consensus';
import type { OnChainProposalJson } from './records';

export const ALERT_MIN_BUILDERS = 2;
export const ALERT_MIN_ENVIRONMENTS = 2;

/** Builders on the proposal's hash at which the event stream says "threshold reached". It is
 *  the frontend's default threshold (`DEFAULT_THRESHOLD`), so feed and page agree. */
export const EVENT_THRESHOLD = 3;

export interface RedAlert {
  kind: string;
  /** The hash the builders agree on. */
  sha256: string;
  /** The proposal's hash for the artifact. */
  expectedSha256: string;
  builders: number;
  environmentClasses: number;
  /** Builders on the proposal's own hash, for comparison. */
  reproducing: number;
  /** The voting deadline (ns since the epoch), when governance stated one. */
  deadlineAt: bigint | null;
  /** Whole seconds left to vote at `now`; 0 once the deadline passed; null without a deadline. */
  secondsLeft: number | null;
  /** Whether votes can still be cast: before the deadline and the proposal still open. */
  votingOpen: boolean;
}

export interface VotingWindow {
  deadlineAt: bigint | null;
  secondsLeft: number | null;
  votingOpen: boolean;
}

/** The voting deadline and what is left of it at `now`. */
export function votingWindow(onChain: OnChainProposalJson | null, now: bigint): VotingWindow {
  const deadlineAt = onChain?.deadlineAt == null ? null : BigInt(onChain.deadlineAt);
  const open = onChain?.status === 'open' || onChain?.status === 'unknown';
  if (deadlineAt === null) return { deadlineAt, secondsLeft: null, votingOpen: open };
  const left = deadlineAt > now ? Number((deadlineAt - now) / 1_000_000_000n) : 0;
  return { deadlineAt, secondsLeft: left, votingOpen: open && deadlineAt > now };
}

/**
 * Every (artifact, other hash) that independent builders agree on, largest first. Empty when
 * the proposal states no hash: there is nothing for builders to contradict. A passed deadline
 * still reports the alert (the builders still disagree with what runs), with `votingOpen` false.
 */
export function redAlerts(args: {
  consensus: Consensus;
  onChain: OnChainProposalJson | null;
  now: bigint;
}): RedAlert[] {
  const window = votingWindow(args.onChain, args.now);
  const alerts: RedAlert[] = [];
  for (const artifact of args.consensus.artifacts) {
    if (artifact.expectedSource !== 'proposal' || artifact.expectedSha256 === null) continue;
    const reproducing =
      artifact.hashGroups.find((g) => g.matchesExpected === true)?.builderCount ?? 0;
    for (const group of artifact.hashGroups) {
      if (group.matchesExpected !== false) continue;
      if (group.builderCount < ALERT_MIN_BUILDERS) continue;
      if (group.environmentClasses < ALERT_MIN_ENVIRONMENTS) continue;
      alerts.push({
        kind: artifact.kind,
        sha256: group.sha256,
        expectedSha256: artifact.expectedSha256,
        builders: group.builderCount,
        environmentClasses: group.environmentClasses,
        reproducing,
        ...window,
      });
    }
  }
  return alerts.sort(
    (a, b) => b.builders - a.builders || (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0),
  );
}

/** "3 days 4 hours", "2 hours 5 minutes", "40 seconds": the time left, for titles. */
export function durationText(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.floor(seconds));
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 && parts.length < 2) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    else if (parts.length > 0) break;
  }
  return parts.length === 0 ? '0 seconds' : parts.join(' ');
}
