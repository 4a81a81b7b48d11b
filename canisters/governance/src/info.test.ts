/**
 * The stand-in's answers decode with governance's own types and follow governance.rs's listing
 * rules (filters before the limit, newest first, large payloads emptied).
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import {
  ListProposalInfoResponseIdl,
  NnsFunction,
  ProposalInfoIdl,
  SentActionIdl,
  encodeGuestosElectionPayload,
  openProposalsRequest,
  payloadOmitted,
  proposalInfoIdl,
  summarizeProposalInfo,
  type ListProposalInfoValue,
  type ProposalInfoValue,
} from '@repro-registry/proposals';
import { describe, expect, it } from 'vitest';

import { listProposals, proposalInfoOf } from './info';
import type { RecordedProposalWithAction } from './recorded';

const COMMIT = 'ca8847547d327ce8a3bd81d25a590e01da1a3af5';
const HASH = '57f2cbbdbc2d8943173acc6ebd55aca9b9c12e2140b38ff5f20aea7b101ea570';
const SentResponse = IDL.Record({
  proposal_info: IDL.Vec(proposalInfoIdl(SentActionIdl).info),
});

function recorded(
  id: bigint,
  over: Partial<RecordedProposalWithAction> = {},
): RecordedProposalWithAction {
  return {
    id,
    title: `proposal ${id}`,
    summary: `__Source code__: [${COMMIT}][new-commit]`,
    url: 'https://example.org',
    topic: 17,
    status: 1,
    execute_nns_function: [],
    action: [
      {
        InstallCode: {
          skip_stopping_before_installing: [],
          wasm_module_hash: [Uint8Array.from(Buffer.from(HASH, 'hex'))],
          canister_id: [Principal.fromText('rkp4c-7iaaa-aaaaa-aaaca-cai')],
          arg_hash: [],
          install_mode: [3],
        },
      },
    ],
    proposal_timestamp_seconds: 1_764_000_000n,
    deadline_timestamp_seconds: [1_764_345_600n],
    decided_timestamp_seconds: 0n,
    executed_timestamp_seconds: 0n,
    failed_timestamp_seconds: 0n,
    ...over,
  };
}

/** What a client sees: the reply encoded as sent, decoded with governance's full types. */
function wire(infos: unknown[]): ProposalInfoValue[] {
  const bytes = IDL.encode([SentResponse], [{ proposal_info: infos }]);
  const [decoded] = IDL.decode([ListProposalInfoResponseIdl], bytes) as unknown as [
    { proposal_info: ProposalInfoValue[] },
  ];
  return decoded.proposal_info;
}

const election = (id: bigint, urls: string[]) =>
  recorded(id, {
    topic: 13,
    action: [],
    execute_nns_function: [
      {
        nns_function: NnsFunction.ReviseElectedGuestosVersions,
        payload: encodeGuestosElectionPayload({
          electedCommit: COMMIT,
          releasePackageSha256Hex: HASH,
          releasePackageUrls: urls,
        }),
      },
    ],
  });

describe('proposalInfoOf', () => {
  it('shows an InstallCode proposal as governance does: hashes, target, mode', () => {
    const [info] = wire([
      proposalInfoOf(recorded(133311n), { listing: false, selfDescribing: false }),
    ]);
    const summary = summarizeProposalInfo(info);
    expect(summary).toMatchObject({
      id: 133311n,
      topic: 'protocol_canister_management',
      status: 'open',
    });
    expect(summary.canisterInstall).toMatchObject({
      ok: true,
      value: {
        source: 'InstallCode',
        targetName: 'cycles-minting',
        wasmModuleHashHex: HASH,
        argHashHex: null,
        installMode: 'upgrade',
      },
    });
  });

  it('shows a proposal of the first form (no action) as its ExecuteNnsFunction, else a motion', () => {
    const nns = election(5n, []);
    const motion = recorded(6n, { action: [], topic: 1 });
    const [a, b] = wire(
      [nns, motion].map((p) => proposalInfoOf(p, { listing: false, selfDescribing: false })),
    );
    expect(summarizeProposalInfo(a).icOsElection).toMatchObject({
      ok: true,
      value: { electedCommit: COMMIT, releasePackageSha256Hex: HASH },
    });
    expect(b.proposal[0]?.action[0]).toEqual({ Motion: { motion_text: motion.summary } });
  });

  it('leaves the action out when the self-describing form is asked for', () => {
    const [info] = wire([proposalInfoOf(recorded(1n), { listing: true, selfDescribing: true })]);
    expect(info.proposal[0]?.action).toEqual([]);
  });
});

describe('listProposals', () => {
  const request = (over: Partial<ListProposalInfoValue>): ListProposalInfoValue => ({
    ...openProposalsRequest({ beforeProposal: null }),
    include_status: [],
    exclude_topic: [],
    ...over,
  });
  const ids = (infos: unknown[]) => wire(infos).map((i) => i.id[0]?.id);

  it('lists newest first, below before_proposal, at most limit (0 or over 100: 100)', () => {
    const proposals = [3n, 10n, 7n, 1n].map((id) => recorded(id));
    expect(ids(listProposals({ proposals, request: request({ limit: 2 }) }))).toEqual([10n, 7n]);
    expect(
      ids(
        listProposals({ proposals, request: request({ limit: 2, before_proposal: [{ id: 7n }] }) }),
      ),
    ).toEqual([3n, 1n]);
    const many = Array.from({ length: 120 }, (_, i) => recorded(BigInt(i + 1)));
    expect(listProposals({ proposals: many, request: request({ limit: 0 }) })).toHaveLength(100);
    expect(listProposals({ proposals: many, request: request({ limit: 500 }) })).toHaveLength(100);
  });

  it('filters by topic, status and reward status before the limit', () => {
    const proposals = [
      recorded(1n, { topic: 13 }),
      recorded(2n, { topic: 4 }),
      recorded(3n, { topic: 17, status: 4 }),
      recorded(4n, { topic: 17 }),
      recorded(5n, { topic: 4 }),
    ];
    expect(
      ids(listProposals({ proposals, request: request({ exclude_topic: [4], limit: 2 }) })),
    ).toEqual([4n, 3n]);
    expect(ids(listProposals({ proposals, request: request({ include_status: [4] }) }))).toEqual([
      3n,
    ]);
    // Reward status 1 (accepting votes) = open here; 3 (settled) = decided.
    expect(
      ids(listProposals({ proposals, request: request({ include_reward_status: [3] }) })),
    ).toEqual([3n]);
    // The request the CLI sends for open proposals in the reproducible topics.
    expect(
      ids(listProposals({ proposals, request: openProposalsRequest({ beforeProposal: null }) })),
    ).toEqual([4n, 1n]);
  });

  it('empties ExecuteNnsFunction payloads over 1,000 bytes, as governance does', () => {
    const small = election(1n, []);
    const large = election(
      2n,
      Array.from({ length: 20 }, (_, i) => `https://example.org/${i}/${'x'.repeat(60)}`),
    );
    expect(large.execute_nns_function[0]!.payload.length).toBeGreaterThan(1000);
    const [l, s] = wire(listProposals({ proposals: [small, large], request: request({}) })).map(
      summarizeProposalInfo,
    );
    expect(payloadOmitted(l)).toBe(true);
    expect(l.icOsElection).toMatchObject({ ok: false, code: 'PAYLOAD_OMITTED' });
    expect(s.icOsElection.ok).toBe(true);
    // get_proposal_info shows it whole.
    const [whole] = wire([proposalInfoOf(large, { listing: false, selfDescribing: false })]);
    expect(summarizeProposalInfo(whole).icOsElection.ok).toBe(true);
  });

  it('decodes with ProposalInfo of the real .did one entry at a time, too', () => {
    const info = proposalInfoOf(recorded(9n), { listing: true, selfDescribing: false });
    const bytes = IDL.encode([proposalInfoIdl(SentActionIdl).info], [info]);
    const [decoded] = IDL.decode([ProposalInfoIdl], bytes) as unknown as [ProposalInfoValue];
    expect(decoded.id[0]?.id).toBe(9n);
  });
});
