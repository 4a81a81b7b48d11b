/**
 * Attestations against the voting deadline: what a voter has to go on when they must decide.
 */
import { knownTime } from './decision';
import type { Attestation, ProposalSummary, Verdict } from './types';

export interface TimelinePoint {
  id: string;
  builder: string;
  at: number;
  verdict: Verdict;
  /** Superseded or hidden attestations are drawn hollow: they no longer count. */
  counts: boolean;
}

export interface Timeline {
  start: number;
  end: number;
  proposedAt: number | null;
  deadline: number | null;
  now: number;
  points: TimelinePoint[];
  /** When the threshold-th builder reproduced the expected hash (counting attestations that count). */
  thresholdReachedAt: number | null;
}

const HOUR = 3_600_000;

export function buildTimeline(args: {
  summary: ProposalSummary;
  attestations: Attestation[];
  threshold: number;
  now: number;
}): Timeline {
  const { summary, attestations, threshold, now } = args;
  const points = attestations
    .map((a) => ({
      id: a.id.toString(),
      builder: a.builder,
      at: a.submittedAt,
      verdict: a.effectiveVerdict,
      counts: a.supersededBy === null && a.hidden === null && !a.commitDiffersFromProposal,
    }))
    .sort((a, b) => a.at - b.at);
  // Governance's 0 ("unknown") would stretch the axis back to 1970.
  const proposedAt = knownTime(summary.onChain?.proposedAt);
  const deadline = knownTime(summary.onChain?.deadlineAt);
  // From the proposal (or the first attestation) to the deadline (or now while it is unknown).
  const times = [...points.map((p) => p.at), proposedAt].filter((t): t is number => t !== null);
  let start = times.length > 0 ? Math.min(...times) : now - 24 * HOUR;
  let end = Math.max(...times, deadline ?? now);
  if (end - start < HOUR) {
    // A single instant would collapse the axis: give it an hour around.
    start -= HOUR / 2;
    end += HOUR / 2;
  }
  let reached: number | null = null;
  let agreeing = 0;
  for (const p of points) {
    if (!p.counts || p.verdict !== 'match') continue;
    agreeing += 1;
    if (agreeing === threshold) {
      reached = p.at;
      break;
    }
  }
  return { start, end, proposedAt, deadline, now, points, thresholdReachedAt: reached };
}
