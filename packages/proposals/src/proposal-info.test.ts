import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  decodeGetProposalInfoReply,
  encodeGetProposalInfoReply,
  hexToBytes,
  summarizeProposalInfo,
  type ProposalInfoValue,
} from './index';

const { replies } = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/proposal-info.json', import.meta.url)), 'utf8'),
) as { replies: Array<{ name: string; replyHex: string }> };

function reply(name: string): Uint8Array {
  const found = replies.find((r) => r.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return hexToBytes(found.replyHex);
}

describe('get_proposal_info replies encoded with the full governance ProposalInfo type', () => {
  it('summarizes an open GuestOS election with names, nanoseconds and the decoded payload', () => {
    const info = decodeGetProposalInfoReply(reply('open-guestos-election'));
    expect(info).not.toBeNull();
    const summary = summarizeProposalInfo(info!);
    expect(summary).toMatchObject({
      id: 139768n,
      title: 'Elect new IC/GuestOS revision (commit bcac7ca)',
      status: 'open',
      statusCode: 1,
      topic: 'ic_os_version_election',
      rewardStatus: 'accept_votes',
      proposalTimestampNs: 1_763_650_000_000_000_000n,
      deadlineTimestampNs: 1_764_000_000_000_000_000n,
      decidedTimestampNs: null,
      executedTimestampNs: null,
      failedTimestampNs: null,
      action: { type: 'ExecuteNnsFunction', nnsFunction: 38 },
      icOsElection: {
        ok: true,
        value: {
          os: 'guestos',
          electedCommit: 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4',
          releasePackageSha256Hex:
            '2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1',
        },
      },
    });
  });

  it('reports a motion as executed and not an IC-OS election', () => {
    const summary = summarizeProposalInfo(decodeGetProposalInfoReply(reply('executed-motion'))!);
    expect(summary.status).toBe('executed');
    expect(summary.topic).toBe('governance');
    expect(summary.executedTimestampNs).toBe(1_663_400_001_000_000_000n);
    expect(summary.action).toEqual({ type: 'other', name: 'Motion' });
    expect(summary.icOsElection).toMatchObject({ ok: false, code: 'NOT_ICOS_ELECTION' });
  });

  it('survives an Action case added to governance after this decoder: action unknown, the rest intact', () => {
    const summary = summarizeProposalInfo(decodeGetProposalInfoReply(reply('future-action'))!);
    expect(summary.id).toBe(200000n);
    expect(summary.title).toBe('Something new');
    expect(summary.topic).toBe('unknown');
    expect(summary.deadlineTimestampNs).toBeNull();
    expect(summary.action).toEqual({ type: 'unknown' });
    expect(summary.icOsElection).toMatchObject({ ok: false, code: 'NOT_ICOS_ELECTION' });
  });

  it('returns null for an unknown proposal', () => {
    expect(decodeGetProposalInfoReply(reply('no-such-proposal'))).toBeNull();
  });

  it('throws on bytes that are not a reply', () => {
    expect(() => decodeGetProposalInfoReply(new TextEncoder().encode('nope'))).toThrow();
  });

  it('encodes replies that it decodes back (stand-in governance canisters use this)', () => {
    const info: ProposalInfoValue = {
      id: [{ id: 5n }],
      status: 2,
      topic: 13,
      failure_reason: [],
      ballots: [],
      proposal_timestamp_seconds: 10n,
      reward_event_round: 0n,
      reject_cost_e8s: 0n,
      derived_proposal_information: [],
      total_potential_voting_power: [],
      deadline_timestamp_seconds: [20n],
      decided_timestamp_seconds: 15n,
      executed_timestamp_seconds: 0n,
      failed_timestamp_seconds: 0n,
      reward_status: 3,
      latest_tally: [],
      proposal: [
        {
          url: 'u',
          title: ['t'],
          summary: 's',
          action: [{ ExecuteNnsFunction: { nns_function: 11, payload: new Uint8Array([1, 2]) } }],
          self_describing_action: [],
        },
      ],
      proposer: [],
    };
    const summary = summarizeProposalInfo(
      decodeGetProposalInfoReply(encodeGetProposalInfoReply(info))!,
    );
    expect(summary).toMatchObject({
      id: 5n,
      status: 'rejected',
      decidedTimestampNs: 15_000_000_000n,
      action: { nnsFunction: 11 },
    });
    if (summary.action.type === 'ExecuteNnsFunction')
      expect([...summary.action.payload]).toEqual([1, 2]);
  });
});
