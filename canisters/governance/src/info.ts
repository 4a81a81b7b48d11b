/**
 * The stand-in's answers, as NNS governance gives them (pure: the canister class only stores
 * and replies). `get_proposal_info` shows one proposal whole; `list_proposals` filters, orders
 * and pages as governance.rs does and shows each proposal as a listing does — see
 * `@repro-registry/proposals` listing.ts for the rules and where they come from.
 */
import {
  EXECUTE_NNS_FUNCTION_PAYLOAD_LISTING_BYTES_MAX,
  effectiveListLimit,
  proposalInfoValue,
  type ListProposalInfoValue,
} from '@repro-registry/proposals';

import type { RecordedAction, RecordedProposalWithAction } from './recorded';

const STATUS_OPEN = 1;
const REWARD_STATUS_ACCEPT_VOTES = 1;
const REWARD_STATUS_SETTLED = 3;

/** How a proposal is shown: whole (`get_proposal_info`) or as a listing shows it. */
export interface View {
  listing: boolean;
  /** `return_self_describing_action`: governance then leaves the action out. */
  selfDescribing: boolean;
}

/** The stand-in has no reward rounds: open proposals accept votes, decided ones are settled. */
export function rewardStatusOf(recorded: { status: number }): number {
  return recorded.status === STATUS_OPEN ? REWARD_STATUS_ACCEPT_VOTES : REWARD_STATUS_SETTLED;
}

function actionOf(recorded: RecordedProposalWithAction): RecordedAction {
  const action = recorded.action[0];
  if (action !== undefined) return action;
  const execute = recorded.execute_nns_function[0];
  return execute !== undefined
    ? { ExecuteNnsFunction: execute }
    : { Motion: { motion_text: recorded.summary } };
}

/** A listing empties ExecuteNnsFunction payloads over 1,000 bytes (governance.rs). */
function shownAction(action: RecordedAction, view: View): RecordedAction {
  if (
    view.listing &&
    'ExecuteNnsFunction' in action &&
    action.ExecuteNnsFunction.payload.length > EXECUTE_NNS_FUNCTION_PAYLOAD_LISTING_BYTES_MAX
  )
    return { ExecuteNnsFunction: { ...action.ExecuteNnsFunction, payload: new Uint8Array() } };
  return action;
}

/** A recorded proposal as a `ProposalInfo` value (for `proposalInfoIdl(SentActionIdl).info`). */
export function proposalInfoOf(recorded: RecordedProposalWithAction, view: View) {
  return proposalInfoValue({
    id: recorded.id,
    status: recorded.status,
    topic: recorded.topic,
    title: recorded.title,
    summary: recorded.summary,
    url: recorded.url,
    action: view.selfDescribing ? null : shownAction(actionOf(recorded), view),
    proposalSeconds: recorded.proposal_timestamp_seconds,
    deadlineSeconds: recorded.deadline_timestamp_seconds[0] ?? null,
    decidedSeconds: recorded.decided_timestamp_seconds,
    executedSeconds: recorded.executed_timestamp_seconds,
    failedSeconds: recorded.failed_timestamp_seconds,
    rewardStatus: rewardStatusOf(recorded),
    // Ballots are shown for the caller's neurons only; the stand-in has no neurons.
    proposer: 1n,
  });
}

/**
 * `list_proposals`: newest first, below `before_proposal`, without the excluded topics and, when
 * the lists are not empty, only the included statuses and reward statuses, at most `limit`
 * (0 or over 100: 100). No ManageNeuron proposals are recorded here, so the caller's neurons
 * (`include_all_manage_neuron_proposals`) change nothing; nor does `omit_large_fields`, which only
 * concerns CreateServiceNervousSystem proposals.
 */
export function listProposals(args: {
  proposals: Iterable<RecordedProposalWithAction>;
  request: ListProposalInfoValue;
}) {
  const { request } = args;
  const before = request.before_proposal[0]?.id;
  const view: View = {
    listing: true,
    selfDescribing: request.return_self_describing_action[0] === true,
  };
  const limit = effectiveListLimit(request.limit);
  return [...args.proposals]
    .filter((p) => before === undefined || p.id < before)
    .sort((a, b) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0))
    .filter(
      (p) =>
        !request.exclude_topic.includes(p.topic) &&
        (request.include_status.length === 0 || request.include_status.includes(p.status)) &&
        (request.include_reward_status.length === 0 ||
          request.include_reward_status.includes(rewardStatusOf(p))),
    )
    .slice(0, limit)
    .map((p) => proposalInfoOf(p, view));
}
