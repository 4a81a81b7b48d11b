/**
 * A `ProposalInfo` value as governance sends it (governance.did; IDL in `governance.ts`), built
 * in one place for everything that plays governance: the local stand-in's replies, the recorded
 * fixtures and tests. Times are governance's seconds; fields governance fills for voters
 * (ballots, tally, proposer) default to absent or empty.
 */
import type { ProposalInfoValue } from './governance';

/** Governance's `reject_cost_e8s` (25 ICP). */
export const REJECT_COST_E8S = 2_500_000_000n;

export interface ProposalInfoFields<Action> {
  id: bigint;
  status: number;
  topic: number;
  title: string;
  summary: string;
  url: string;
  /** Null: the action left out (as with `return_self_describing_action`). */
  action: Action | null;
  proposalSeconds: bigint;
  deadlineSeconds: bigint | null;
  decidedSeconds: bigint;
  executedSeconds: bigint;
  failedSeconds: bigint;
  rewardStatus: number;
  ballots?: ProposalInfoValue['ballots'];
  latestTally?: ProposalInfoValue['latest_tally'];
  proposer?: bigint | null;
}

/**
 * The value, typed for any action variant: encode it with `proposalInfoIdl(<actions>).info` of
 * the variant the action belongs to.
 */
export function proposalInfoValue<Action>(f: ProposalInfoFields<Action>) {
  const proposal = {
    url: f.url,
    title: [f.title] as [string],
    action: (f.action === null ? [] : [f.action]) as [] | [Action],
    summary: f.summary,
    // Governance renders the action self-describing only when asked, with each target's
    // Candid; nothing here can, so it is absent.
    self_describing_action: [] as [],
  };
  return {
    id: [{ id: f.id }] as [{ id: bigint }],
    status: f.status,
    topic: f.topic,
    failure_reason: [] as [],
    ballots: f.ballots ?? [],
    proposal_timestamp_seconds: f.proposalSeconds,
    reward_event_round: 0n,
    deadline_timestamp_seconds: f.deadlineSeconds === null ? [] : [f.deadlineSeconds],
    failed_timestamp_seconds: f.failedSeconds,
    reject_cost_e8s: REJECT_COST_E8S,
    derived_proposal_information: [] as [],
    latest_tally: f.latestTally ?? [],
    reward_status: f.rewardStatus,
    decided_timestamp_seconds: f.decidedSeconds,
    proposal: [proposal] as [typeof proposal],
    proposer: f.proposer == null ? [] : [{ id: f.proposer }],
    executed_timestamp_seconds: f.executedSeconds,
    total_potential_voting_power: [] as [],
  };
}
