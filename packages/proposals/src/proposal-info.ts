import { IDL } from '@dfinity/candid';
import { actionOf, actionLabel, type ProposalAction } from './action';
import { decodeCanisterInstall, type CanisterInstall } from './canister-install';
import { decodeIcOsElection, type IcOsElection } from './decode';
import { ProposalInfoIdl, type ProposalInfoValue } from './governance';
import {
  proposalStatusName,
  rewardStatusName,
  topicName,
  type ProposalStatusName,
  type RewardStatusName,
  type TopicName,
} from './nns-functions';
import { ProposalsErrorCode, failure, type DecodeResult } from './result';
import { decodeSnsWasmPublication, type SnsWasmPublication } from './sns-wasm';

export interface ProposalSummary {
  id: bigint | null;
  title: string | null;
  summary: string;
  url: string;
  status: ProposalStatusName;
  statusCode: number;
  topic: TopicName;
  topicCode: number;
  rewardStatus: RewardStatusName;
  /** Nanoseconds since the Unix epoch (the IC's unit); governance counts in seconds. */
  proposalTimestampNs: bigint;
  /** Voting deadline; null if governance did not set one. */
  deadlineTimestampNs: bigint | null;
  /** Null while not decided / executed / failed (governance writes 0). */
  decidedTimestampNs: bigint | null;
  executedTimestampNs: bigint | null;
  failedTimestampNs: bigint | null;
  failureReason: string | null;
  action: ProposalAction;
  /** The IC-OS election in the payload, or why there is none. */
  icOsElection: DecodeResult<IcOsElection>;
  /** The canister module the proposal installs (InstallCode or an older form), or why none. */
  canisterInstall: DecodeResult<CanisterInstall>;
  /** The SNS canister module the proposal publishes (AddSnsWasm), or why none. */
  snsWasm: DecodeResult<SnsWasmPublication>;
}

const NS_PER_SECOND = 1_000_000_000n;

function secondsToNs(seconds: bigint): bigint {
  return seconds * NS_PER_SECOND;
}

function zeroIsNull(seconds: bigint): bigint | null {
  return seconds === 0n ? null : secondsToNs(seconds);
}

function decodeElection(action: ProposalAction): DecodeResult<IcOsElection> {
  if (action.type === 'ExecuteNnsFunction')
    return decodeIcOsElection({ nnsFunction: action.nnsFunction, payload: action.payload });
  return failure(
    ProposalsErrorCode.NOT_ICOS_ELECTION,
    action.type === 'unknown'
      ? 'the proposal has no action this decoder knows'
      : `the proposal's action is ${actionLabel(action)}, not an IC-OS election`,
  );
}

/** Names for codes, nanoseconds for times, and each family's decoding of the action. */
export function summarizeProposalInfo(info: ProposalInfoValue): ProposalSummary {
  const proposal = info.proposal[0];
  const action = actionOf(info);
  const deadline = info.deadline_timestamp_seconds[0];
  return {
    id: info.id[0]?.id ?? null,
    title: proposal?.title[0] ?? null,
    summary: proposal?.summary ?? '',
    url: proposal?.url ?? '',
    status: proposalStatusName(info.status),
    statusCode: info.status,
    topic: topicName(info.topic),
    topicCode: info.topic,
    rewardStatus: rewardStatusName(info.reward_status),
    proposalTimestampNs: secondsToNs(info.proposal_timestamp_seconds),
    deadlineTimestampNs: deadline === undefined ? null : secondsToNs(deadline),
    decidedTimestampNs: zeroIsNull(info.decided_timestamp_seconds),
    executedTimestampNs: zeroIsNull(info.executed_timestamp_seconds),
    failedTimestampNs: zeroIsNull(info.failed_timestamp_seconds),
    failureReason: info.failure_reason[0]?.error_message ?? null,
    action,
    icOsElection: decodeElection(action),
    canisterInstall: decodeCanisterInstall(action),
    snsWasm: decodeSnsWasmPublication(action),
  };
}

/** True when a family could not be read because a listing left the payload out. */
export function payloadOmitted(summary: ProposalSummary): boolean {
  return [summary.icOsElection, summary.canisterInstall, summary.snsWasm].some(
    (r) => !r.ok && r.code === ProposalsErrorCode.PAYLOAD_OMITTED,
  );
}

/**
 * Decodes the raw Candid reply of `get_proposal_info` (`opt ProposalInfo`). Throws on bytes that
 * are not such a reply; `null` means governance has no proposal with that id.
 */
export function decodeGetProposalInfoReply(reply: Uint8Array): ProposalInfoValue | null {
  const [value] = IDL.decode([IDL.Opt(ProposalInfoIdl)], Uint8Array.from(reply)) as [
    [] | [ProposalInfoValue],
  ];
  return value[0] ?? null;
}

/** Encodes a `get_proposal_info` reply (for fixtures; the stand-in encodes with `SentActionIdl`). */
export function encodeGetProposalInfoReply(info: ProposalInfoValue | null): Uint8Array {
  return IDL.encode([IDL.Opt(ProposalInfoIdl)], [info === null ? [] : [info]]);
}
