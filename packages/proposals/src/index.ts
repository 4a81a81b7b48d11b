export {
  decodeIcOsElection,
  encodeGuestosElectionPayload,
  encodeHostosElectionPayload,
  ProposalsErrorCode,
  type DecodeResult,
  type IcOsElection,
  type IcOsElectionPayloadType,
  type LaunchMeasurement,
} from './decode';
export {
  summarizeProposalInfo,
  decodeGetProposalInfoReply,
  encodeGetProposalInfoReply,
  type ProposalAction,
  type ProposalSummary,
} from './proposal-info';
export {
  ACTION_CASES,
  ActionIdl,
  ExecuteNnsFunctionIdl,
  governanceIdlFactory,
  NNS_GOVERNANCE_CANISTER_ID,
  NNS_REGISTRY_CANISTER_ID,
  ProposalIdl,
  ProposalInfoIdl,
  type ActionCase,
  type ActionValue,
  type ExecuteNnsFunctionValue,
  type ProposalInfoValue,
  type ProposalValue,
} from './governance';
export {
  NnsFunction,
  PROPOSAL_STATUS_NAMES,
  REWARD_STATUS_NAMES,
  TOPIC_NAMES,
  proposalStatusName,
  rewardStatusName,
  topicName,
  type IcOsElectionFunction,
  type ProposalStatusName,
  type RewardStatusName,
  type TopicName,
} from './nns-functions';
export {
  BlessReplicaVersionPayloadIdl,
  GuestLaunchMeasurementsIdl,
  GuestosElectionPayloadIdl,
  HostosElectionPayloadIdl,
  ReviseElectedGuestosVersionsPayloadIdl,
  ReviseElectedHostosVersionsPayloadIdl,
} from './registry-payloads';
export { bytesToHex, hexToBytes } from './hex';
