import type { ListProposalInfoValue, ProposalInfoValue } from './governance';
import { REPRODUCIBLE_TOPICS, TOPIC_NAMES } from './nns-functions';

/*
 * How NNS governance's `list_proposals` answers (dfinity/ic rs/nns/governance/src/governance.rs
 * `list_proposals`, and `proposal_data_to_info` in src/pb/proposal_conversions.rs), as the local
 * stand-in reproduces it and clients page through it:
 *
 * - proposals newest first, only ids below `before_proposal` when given;
 * - a proposal is left out when its topic is in `exclude_topic`, when `include_reward_status` /
 *   `include_status` are non-empty and do not hold its reward status / status, and (ManageNeuron
 *   proposals only) when the caller's neurons may not see it;
 * - at most `limit` proposals, where 0 or more than 100 mean 100 — filtering happens before the
 *   limit, so a page shorter than the limit is the last one;
 * - ExecuteNnsFunction payloads over 1,000 bytes are replaced by an empty payload, InstallCode
 *   shows only the hashes of the module and argument, ballots only the caller's neurons';
 * - with `return_self_describing_action = opt true` the action is left out in favour of a
 *   self-describing rendering of it.
 */

/** `MAX_LIST_PROPOSAL_RESULTS` of governance.rs. */
export const MAX_LIST_PROPOSAL_RESULTS = 100;
/** `EXECUTE_NNS_FUNCTION_PAYLOAD_LISTING_BYTES_MAX` of governance.rs. */
export const EXECUTE_NNS_FUNCTION_PAYLOAD_LISTING_BYTES_MAX = 1000;

/** The page size governance applies to a requested `limit`. */
export function effectiveListLimit(limit: number): number {
  return limit === 0 || limit > MAX_LIST_PROPOSAL_RESULTS ? MAX_LIST_PROPOSAL_RESULTS : limit;
}

/** Governance filters by excluding topics: every known topic but the wanted ones. */
export function excludedTopics(wanted: readonly number[]): number[] {
  return Object.keys(TOPIC_NAMES)
    .map(Number)
    .filter((topic) => !wanted.includes(topic));
}

/**
 * One page of the proposals open for voting in the topics that carry something to reproduce
 * (IC-OS elections, protocol, application and SNS canister management). A topic governance adds
 * later is not excluded: callers keep only what decodes as a family they know.
 */
export function openProposalsRequest(args: {
  beforeProposal: bigint | null;
  limit?: number;
  topics?: readonly number[];
}): ListProposalInfoValue {
  return {
    include_reward_status: [],
    omit_large_fields: [true],
    before_proposal: args.beforeProposal === null ? [] : [{ id: args.beforeProposal }],
    limit: args.limit ?? MAX_LIST_PROPOSAL_RESULTS,
    exclude_topic: excludedTopics(args.topics ?? REPRODUCIBLE_TOPICS),
    include_all_manage_neuron_proposals: [],
    include_status: [1],
    return_self_describing_action: [],
  };
}

/** The `before_proposal` of the next page, or null when this page was the last. */
export function nextPageBefore(args: {
  page: readonly ProposalInfoValue[];
  limit: number;
}): bigint | null {
  if (args.page.length < effectiveListLimit(args.limit)) return null;
  let lowest: bigint | null = null;
  for (const info of args.page) {
    const id = info.id[0]?.id;
    if (id !== undefined && (lowest === null || id < lowest)) lowest = id;
  }
  return lowest;
}
