/**
 * Numbers of the `NnsFunction` enum of NNS governance (dfinity/ic,
 * rs/nns/governance/proto/ic_nns_governance/pb/v1/governance.proto). Only the ones that elect
 * IC-OS versions or carry a canister module matter here; the enum's numbers never change, names
 * sometimes do (38 was `NNS_FUNCTION_UPDATE_ELECTED_REPLICA_VERSIONS` before it became
 * `NNS_FUNCTION_REVISE_ELECTED_GUESTOS_VERSIONS`, with a payload of the same shape).
 */
export const NnsFunction = {
  /** Root's `add_nns_canister` (`AddCanisterRequest`): a new NNS canister with its module. */
  NnsCanisterInstall: 3,
  /** Root's `change_nns_canister` (`ChangeCanisterRequest`); obsolete since 2025 (InstallCode). */
  NnsCanisterUpgrade: 4,
  /** `BlessReplicaVersionPayload` (obsolete since 2023). */
  BlessReplicaVersion: 5,
  /** Lifeline's `upgrade_root` (`UpgradeRootProposalPayload`); obsolete since 2025 (InstallCode). */
  NnsRootUpgrade: 9,
  /** SNS-W's `add_wasm` (`AddWasmRequest`): publishes an SNS canister module. */
  AddSnsWasm: 30,
  /** `RetireReplicaVersionPayload`: only removes versions, nothing to build. */
  RetireReplicaVersion: 36,
  /** `ReviseElectedGuestosVersionsPayload`, formerly `UpdateElectedReplicaVersionsPayload`. */
  ReviseElectedGuestosVersions: 38,
  /** `UpdateElectedHostosVersionsPayload` (obsolete, same shape as 50). */
  UpdateElectedHostosVersions: 40,
  /** Lifeline's `hard_reset_root_to_version` (`HardResetRootToVersionPayload`). */
  HardResetNnsRootToVersion: 42,
  /** `ReviseElectedHostosVersionsPayload`. */
  ReviseElectedHostosVersions: 50,
} as const;

export type IcOsElectionFunction =
  | typeof NnsFunction.BlessReplicaVersion
  | typeof NnsFunction.ReviseElectedGuestosVersions
  | typeof NnsFunction.UpdateElectedHostosVersions
  | typeof NnsFunction.ReviseElectedHostosVersions;

/** Governance `ProposalStatus` (governance.proto). */
export const PROPOSAL_STATUS_NAMES = {
  0: 'unspecified',
  1: 'open',
  2: 'rejected',
  3: 'adopted',
  4: 'executed',
  5: 'failed',
} as const;

export type ProposalStatusName =
  (typeof PROPOSAL_STATUS_NAMES)[keyof typeof PROPOSAL_STATUS_NAMES] | 'unknown';

/** Governance `ProposalRewardStatus`. */
export const REWARD_STATUS_NAMES = {
  0: 'unspecified',
  1: 'accept_votes',
  2: 'ready_to_settle',
  3: 'settled',
  4: 'ineligible',
} as const;

export type RewardStatusName =
  (typeof REWARD_STATUS_NAMES)[keyof typeof REWARD_STATUS_NAMES] | 'unknown';

/**
 * Governance `Topic` (governance.proto). 8 was `NetworkCanisterManagement` until 2024, when
 * protocol canisters (17) and SNS canisters and SNS-W (18) got topics of their own and 8 was left
 * to the other NNS-controlled canisters; 11 (`SnsDecentralizationSale`) is obsolete.
 */
export const TOPIC_NAMES = {
  0: 'unspecified',
  1: 'neuron_management',
  2: 'exchange_rate',
  3: 'network_economics',
  4: 'governance',
  5: 'node_admin',
  6: 'participant_management',
  7: 'subnet_management',
  8: 'application_canister_management',
  9: 'kyc',
  10: 'node_provider_rewards',
  11: 'sns_decentralization_sale',
  12: 'ic_os_version_deployment',
  13: 'ic_os_version_election',
  14: 'sns_and_community_fund',
  15: 'api_boundary_node_management',
  16: 'subnet_rental',
  17: 'protocol_canister_management',
  18: 'service_nervous_system_management',
} as const;

/** Topics whose proposals carry something to reproduce (IC-OS images, canister modules). */
export const REPRODUCIBLE_TOPICS = [8, 13, 17, 18] as const;

export type TopicName = (typeof TOPIC_NAMES)[keyof typeof TOPIC_NAMES] | 'unknown';

/** The name of a code in one of governance's enum tables; 'unknown' for a code added later. */
export function lookup<T extends string>(table: Record<number, T>, value: number): T | 'unknown' {
  return Object.prototype.hasOwnProperty.call(table, value) ? table[value] : 'unknown';
}

export function proposalStatusName(status: number): ProposalStatusName {
  return lookup(PROPOSAL_STATUS_NAMES, status);
}

export function rewardStatusName(status: number): RewardStatusName {
  return lookup(REWARD_STATUS_NAMES, status);
}

export function topicName(topic: number): TopicName {
  return lookup(TOPIC_NAMES, topic);
}
