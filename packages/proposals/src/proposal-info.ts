import { IDL } from '@dfinity/candid';
import {
  decodeIcOsElection,
  ProposalsErrorCode,
  type DecodeResult,
  type IcOsElection,
} from './decode';
import { ProposalInfoIdl, type ProposalInfoValue } from './governance';
import {
  proposalStatusName,
  rewardStatusName,
  topicName,
  type ProposalStatusName,
  type RewardStatusName,
  type TopicName,
} from './nns-functions';

export type ProposalAction =
  | { type: 'ExecuteNnsFunction'; nnsFunction: number; payload: Uint8Array }
  | { type: 'other'; name: string }
  /** No action, or one added to governance after this decoder was written. */
  | { type: 'unknown' };

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
}

const NS_PER_SECOND = 1_000_000_000n;

function secondsToNs(seconds: bigint): bigint {
  return seconds * NS_PER_SECOND;
}

function zeroIsNull(seconds: bigint): bigint | null {
  return seconds === 0n ? null : secondsToNs(seconds);
}

function actionOf(info: ProposalInfoValue): ProposalAction {
  const proposal = info.proposal[0];
  const action = proposal?.action[0];
  if (action === undefined) return { type: 'unknown' };
  const name = Object.keys(action)[0];
  if (name === undefined) return { type: 'unknown' };
  if (name === 'ExecuteNnsFunction') {
    const execute = (
      action as { ExecuteNnsFunction: { nns_function: number; payload: Uint8Array | number[] } }
    ).ExecuteNnsFunction;
    return {
      type: 'ExecuteNnsFunction',
      nnsFunction: execute.nns_function,
      payload: Uint8Array.from(execute.payload),
    };
  }
  return { type: 'other', name };
}

/** Names for codes, nanoseconds for times, and the decoded IC-OS election if there is one. */
export function summarizeProposalInfo(info: ProposalInfoValue): ProposalSummary {
  const proposal = info.proposal[0];
  const action = actionOf(info);
  const icOsElection: DecodeResult<IcOsElection> =
    action.type === 'ExecuteNnsFunction'
      ? decodeIcOsElection({ nnsFunction: action.nnsFunction, payload: action.payload })
      : {
          ok: false,
          code: ProposalsErrorCode.NOT_ICOS_ELECTION,
          message:
            action.type === 'other'
              ? `the proposal's action is ${action.name}, not an IC-OS election`
              : 'the proposal has no action this decoder knows',
        };
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
    icOsElection,
  };
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

/** Encodes a `get_proposal_info` reply (for governance stand-ins on local networks and for fixtures). */
export function encodeGetProposalInfoReply(info: ProposalInfoValue | null): Uint8Array {
  return IDL.encode([IDL.Opt(ProposalInfoIdl)], [info === null ? [] : [info]]);
}
