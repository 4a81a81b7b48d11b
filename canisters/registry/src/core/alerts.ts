/**
 * The red alert in the registry: the shared rule (`independentDisagreements`, in
 * `@repro-registry/registry-api/consensus`, which the frontend's banner applies too) over the
 * proposal's consensus, with the time left to vote.
 */
import {
  ALERT_MIN_BUILDERS,
  ALERT_MIN_ENVIRONMENTS,
  independentDisagreements,
  type IndependentDisagreement,
} from '@repro-registry/registry-api/consensus';

import type { Consensus } from './consensus';
import type { OnChainProposalJson } from './records';

export { ALERT_MIN_BUILDERS, ALERT_MIN_ENVIRONMENTS };

/** Builders on the proposal's hash at which the event stream says "threshold reached". It is
 *  the frontend's default threshold (`DEFAULT_THRESHOLD`), so feed and page agree. */
export const EVENT_THRESHOLD = 3;

export interface RedAlert extends IndependentDisagreement {
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
  return independentDisagreements(args.consensus.artifacts).map((d) => ({ ...d, ...window }));
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
