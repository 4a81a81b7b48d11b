/**
 * What the registry keeps of a proposal read from NNS governance. Pure: the canister makes the
 * call (`../governance.ts`) and hands the raw reply here.
 */
import { decodeGetProposalInfoReply, summarizeProposalInfo } from '@repro-registry/proposals';

import { canisterFamilyOf } from './families';
import type { OnChainProposalJson, ProposalStatusName } from './records';

/**
 * What a read of governance gave: the proposal (of whatever kind), or a failure. `absent`:
 * governance answered that there is no such proposal. `final`: reading again cannot help (an
 * answer that does not decode, or no such proposal).
 */
export type ReadOutcome =
  | { ok: true; onChain: OnChainProposalJson }
  | { ok: false; error: string; final: boolean; absent: boolean };

const STATUSES: readonly ProposalStatusName[] = [
  'open',
  'rejected',
  'adopted',
  'executed',
  'failed',
];

/** Turns the bytes of a `get_proposal_info` reply into the registry's record of the proposal. */
export function outcomeOfProposalInfoReply(proposalId: bigint, reply: Uint8Array): ReadOutcome {
  let info;
  try {
    info = decodeGetProposalInfoReply(reply);
  } catch (e) {
    return {
      ok: false,
      error: `governance answered with something that is not a ProposalInfo: ${firstLine(e)}`,
      final: false,
      absent: false,
    };
  }
  // A builder attests a proposal they read: one governance does not know is not one to hold.
  if (info === null)
    return {
      ok: false,
      error: `governance has no proposal ${proposalId}`,
      final: true,
      absent: true,
    };

  const summary = summarizeProposalInfo(info);
  const status = (STATUSES as readonly string[]).includes(summary.status)
    ? (summary.status as ProposalStatusName)
    : 'unknown';
  const times = {
    proposedAt: summary.proposalTimestampNs.toString(),
    deadlineAt: summary.deadlineTimestampNs?.toString() ?? null,
    decidedAt: summary.decidedTimestampNs?.toString() ?? null,
    executedAt: summary.executedTimestampNs?.toString() ?? null,
    failedAt: summary.failedTimestampNs?.toString() ?? null,
  };
  const election = summary.icOsElection;
  if (!election.ok) {
    if (election.code === 'PAYLOAD_UNDECODABLE') {
      // An IC-OS election whose payload doesn't decode: nothing to compare builds with, and
      // reading it again won't change that.
      return { ok: false, error: election.message, final: true, absent: false };
    }
    // A canister install or an SNS module publication: its expected hashes (`families.ts`).
    const family = canisterFamilyOf(summary);
    return {
      ok: true,
      onChain: {
        kind: 'other',
        title: summary.title,
        os: null,
        payloadType: null,
        nnsFunction:
          summary.action.type === 'ExecuteNnsFunction' ? summary.action.nnsFunction : null,
        electedCommit: null,
        releasePackageSha256Hex: null,
        releasePackageUrls: [],
        launchMeasurementsHex: [],
        status,
        ...times,
        ...family,
      },
    };
  }
  const e = election.value;
  return {
    ok: true,
    onChain: {
      kind: 'icos_election',
      title: summary.title,
      os: e.os,
      payloadType: e.payloadType,
      nnsFunction: e.nnsFunction,
      electedCommit: e.electedCommit,
      releasePackageSha256Hex: e.releasePackageSha256Hex,
      releasePackageUrls: e.releasePackageUrls,
      launchMeasurementsHex: (e.launchMeasurements ?? []).map((m) => m.measurementHex),
      status,
      ...times,
    },
  };
}

/** A governance call that did not produce a reply: rejected, trapped, or not made. */
export function outcomeOfFailedCall(reason: string): ReadOutcome {
  return { ok: false, error: `could not read proposal: ${reason}`, final: false, absent: false };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
