export { ProposalsErrorCode, type DecodeResult } from './result';
export {
  decodeIcOsElection,
  encodeGuestosElectionPayload,
  encodeHostosElectionPayload,
  type IcOsElection,
  type IcOsElectionPayloadType,
  type LaunchMeasurement,
} from './decode';
export {
  decodeCanisterInstall,
  type CanisterInstall,
  type CanisterInstallSource,
} from './canister-install';
export { decodeSnsWasmPublication, type SnsWasmPublication } from './sns-wasm';
export { actionOf, type ProposalAction } from './action';
export {
  summarizeProposalInfo,
  payloadOmitted,
  decodeGetProposalInfoReply,
  encodeGetProposalInfoReply,
  type ProposalSummary,
} from './proposal-info';
export { REJECT_COST_E8S, proposalInfoValue, type ProposalInfoFields } from './proposal-info-value';
export {
  CANISTER_ARTIFACT_KIND,
  SNS_WASM_ARTIFACT_KIND,
  canisterArtifactKind,
  claimedCommit,
  expectedArtifacts,
  isCanisterArtifactKind,
  type ExpectedArtifact,
} from './artifacts';
export {
  EXECUTE_NNS_FUNCTION_PAYLOAD_LISTING_BYTES_MAX,
  MAX_LIST_PROPOSAL_RESULTS,
  effectiveListLimit,
  excludedTopics,
  nextPageBefore,
  openProposalsRequest,
} from './listing';
export {
  ACTION_CASES,
  ActionIdl,
  BallotIdl,
  ExecuteNnsFunctionIdl,
  GovernanceErrorIdl,
  InstallCodeIdl,
  ListProposalInfoIdl,
  ListProposalInfoResponseIdl,
  MotionIdl,
  NeuronIdIdl,
  NNS_GOVERNANCE_CANISTER_ID,
  NNS_REGISTRY_CANISTER_ID,
  ProposalIdIdl,
  ProposalIdl,
  ProposalInfoIdl,
  SentActionIdl,
  TallyIdl,
  governanceIdlFactory,
  proposalInfoIdl,
  type ActionCase,
  type ActionValue,
  type ExecuteNnsFunctionValue,
  type InstallCodeValue,
  type ListProposalInfoValue,
  type ProposalInfoValue,
  type ProposalValue,
} from './governance';
export {
  NnsFunction,
  PROPOSAL_STATUS_NAMES,
  REPRODUCIBLE_TOPICS,
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
  INSTALL_MODE_NAMES,
  NNS_CANISTER_NAMES,
  NNS_ROOT_CANISTER_ID,
  SNS_CANISTER_TYPE_NAMES,
  installModeName,
  nnsCanisterName,
  snsCanisterTypeName,
  type InstallModeName,
  type SnsCanisterTypeName,
} from './nns-canisters';
export {
  AddCanisterPayloadIdl,
  AddWasmRequestIdl,
  ChangeCanisterPayloadIdl,
  HardResetRootPayloadIdl,
  UpgradeRootPayloadIdl,
} from './canister-payloads';
export {
  BlessReplicaVersionPayloadIdl,
  GuestLaunchMeasurementsIdl,
  GuestosElectionPayloadIdl,
  HostosElectionPayloadIdl,
  ReviseElectedGuestosVersionsPayloadIdl,
  ReviseElectedHostosVersionsPayloadIdl,
} from './registry-payloads';
export { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
