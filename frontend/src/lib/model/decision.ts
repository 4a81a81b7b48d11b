/**
 * Where a proposal stands in its vote, in words: "voting ends in 2 d", "executed 2026-11-21
 * 10:00 UTC". Governance writes 0 for times it does not know (old proposals, a stand-in), which
 * would read as 1970-01-01: those are treated as unknown.
 */
import { formatRelative, formatTime } from './format';
import type { OnChainProposal } from './types';

/** A time governance knows, or null (absent, zero or negative). */
export function knownTime(ms: number | null | undefined): number | null {
  return ms === null || ms === undefined || !(ms > 0) ? null : ms;
}

export interface DecisionLine {
  /** "Voting ends", "Executed", "Voting ended", … */
  label: string;
  at: number | null;
  /** "in 2 d 3 h", "3 h ago"; null when there is no time. */
  relative: string | null;
  /** The whole line as text ("deadline unknown" when nothing is known). */
  text: string;
}

export function decisionLine(onChain: OnChainProposal | null, now: number): DecisionLine {
  const line = (label: string, at: number | null): DecisionLine => {
    const relative = at === null ? null : formatRelative(at, now);
    return {
      label,
      at,
      relative,
      text: at === null ? label : `${label} ${formatTime(at)} (${relative})`,
    };
  };
  if (onChain === null) return line('not read from governance yet', null);
  const deadline = knownTime(onChain.deadlineAt);
  const decided = knownTime(onChain.decidedAt);
  switch (onChain.status) {
    case 'open':
      if (deadline === null) return line('deadline unknown', null);
      return line(deadline > now ? 'Voting ends' : 'Voting ended', deadline);
    case 'executed':
      return line('Executed', knownTime(onChain.executedAt) ?? decided);
    case 'failed':
      return line('Adopted, execution failed', knownTime(onChain.failedAt) ?? decided);
    case 'adopted':
      return line('Adopted', decided);
    case 'rejected':
      return line('Rejected', decided);
    case 'unknown':
      return deadline === null ? line('deadline unknown', null) : line('Voting ended', deadline);
    default:
      return onChain.status satisfies never;
  }
}
