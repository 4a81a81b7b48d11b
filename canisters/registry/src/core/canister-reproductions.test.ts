/**
 * Canister reproductions (issue 12): the registry reads canister installs and SNS module
 * publications from governance's real replies, holds and counts `canister-reproduction/v1`
 * attestations for them under the IC-OS rules, and checks what the target runs once executed.
 */
import { readFileSync } from 'node:fs';

import {
  PREDICATE_TYPE_CANISTER_V1,
  signAttestation,
  type Artifact,
} from '@repro-registry/attestation';
import { IDL } from '@dfinity/candid';
import {
  NnsFunction,
  SentActionIdl,
  hexToBytes,
  proposalInfoIdl,
  proposalInfoValue,
} from '@repro-registry/proposals';
import { ErrorCode } from '@repro-registry/registry-api';
import { describe, expect, it } from 'vitest';

import { COMMIT, hashOf, predicate, testBuilder, type TestBuilder } from '../../test/builders';
import { T0, accepted, codeOf, confirm, newRegistry, submit } from '../../test/core-support';
import { DEPLOYED_READS, deployedView } from './deployed';
import { outcomeOfProposalInfoReply } from './governance';
import type { Registry } from './registry';

interface Fixtures {
  replies: { name: string; replyHex: string }[];
  payloads: { name: string; payloadHex: string }[];
}
const fixtures = JSON.parse(
  readFileSync(
    new URL('../../../../packages/proposals/fixtures/canister-proposals.json', import.meta.url),
    'utf8',
  ),
) as Fixtures;
const reply = (name: string) => hexToBytes(fixtures.replies.find((r) => r.name === name)!.replyHex);

// Proposal 133311 (real): cycles minting upgraded to a module built from ca884754.
const CMC = 133311n;
const CMC_MODULE = '57f2cbbdbc2d8943173acc6ebd55aca9b9c12e2140b38ff5f20aea7b101ea570';
const CMC_COMMIT = 'ca8847547d327ce8a3bd81d25a590e01da1a3af5';
const CMC_ID = 'rkp4c-7iaaa-aaaaa-aaaca-cai';

function module(over: Partial<Artifact> = {}): Artifact {
  return {
    kind: 'canister:cycles-minting',
    name: 'cycles-minting-canister.wasm.gz',
    sha256: CMC_MODULE,
    expectedSha256: CMC_MODULE,
    verdict: 'match',
    ...over,
  };
}

function canisterEnvelope(
  builder: TestBuilder,
  args: { proposalId?: bigint; commit?: string; artifacts?: Artifact[] } = {},
): Uint8Array {
  return signAttestation({
    predicate: predicate({
      proposalId: (args.proposalId ?? CMC).toString(),
      commit: args.commit ?? CMC_COMMIT,
      artifacts: args.artifacts ?? [module()],
    }),
    secretKey: builder.secretKey,
    predicateType: PREDICATE_TYPE_CANISTER_V1,
  }).envelopeBytes;
}

/** Governance's real reply for 133311, recorded as the registry's read of it. */
function readCmc(r: Registry, status: 'open' | 'executed' = 'open') {
  const outcome = outcomeOfProposalInfoReply(CMC, reply('install-code-133311-cycles-minting'));
  if (!outcome.ok) throw new Error(outcome.error);
  // The recorded reply is of the executed proposal; it is also read as if still open.
  outcome.onChain.status = status;
  return r.recordProposalRead({ proposalId: CMC, now: T0, outcome });
}

describe('canister install proposals', () => {
  it('are read from governance with the hashes and commit they state', () => {
    const outcome = outcomeOfProposalInfoReply(CMC, reply('install-code-133311-cycles-minting'));
    expect(outcome.ok && outcome.onChain).toMatchObject({
      kind: 'canister_install',
      canisterInstall: {
        source: 'InstallCode',
        targetCanisterId: CMC_ID,
        targetName: 'cycles-minting',
        wasmModuleHashHex: CMC_MODULE,
      },
      claimedCommit: CMC_COMMIT,
      expected: [{ kind: 'canister:cycles-minting', sha256: CMC_MODULE }],
    });
  });

  it('hold canister reproductions until confirmed, then count them per canister kind', () => {
    const r = newRegistry();
    const [a, b, c] = [testBuilder('c1'), testBuilder('c2'), testBuilder('c3')];
    accepted(submit(r, a, canisterEnvelope(a)));
    expect(r.proposalNeedsRead(CMC)).toBe(true);
    expect(codeOf(r.summary(CMC))).toBe(ErrorCode.PROPOSAL_PENDING);
    readCmc(r);
    const other = hashOf('another cycles-minting build');
    accepted(submit(r, b, canisterEnvelope(b)));
    accepted(
      submit(
        r,
        c,
        canisterEnvelope(c, { artifacts: [module({ sha256: other, verdict: 'mismatch' })] }),
      ),
    );
    const summary = r.summary(CMC);
    if (!summary.ok) throw new Error(summary.error.code);
    expect(summary.value.commit).toBe(CMC_COMMIT);
    expect(summary.value.builderCount).toBe(3);
    expect(summary.value.consensus.artifacts).toEqual([
      expect.objectContaining({
        kind: 'canister:cycles-minting',
        expectedSha256: CMC_MODULE,
        expectedSource: 'proposal',
        verdicts: { match: 2, mismatch: 1, build_failed: 0, not_built: 0 },
        hashGroups: [
          expect.objectContaining({ sha256: CMC_MODULE, builderCount: 2, matchesExpected: true }),
          expect.objectContaining({ sha256: other, builderCount: 1, matchesExpected: false }),
        ],
      }),
    ]);
    expect(summary.value.scope.matchingInAll).toBe(2);
  });

  it('refuse another commit than the summary claims, other targets and IC-OS artifacts', () => {
    const r = newRegistry();
    readCmc(r);
    const b = testBuilder('c4');
    expect(codeOf(submit(r, b, canisterEnvelope(b, { commit: 'a'.repeat(40) })))).toBe(
      ErrorCode.COMMIT_MISMATCH,
    );
    const wrongTarget = module({ kind: 'canister:governance' });
    const refused = submit(r, b, canisterEnvelope(b, { artifacts: [wrongTarget] }));
    expect(codeOf(refused)).toBe(ErrorCode.ARTIFACT_NOT_FOR_PROPOSAL);
    expect(!refused.ok && refused.error.message).toMatch(
      /installs a module into cycles-minting: it accepts canister:cycles-minting, not canister:governance/,
    );
    // An IC-OS reproduction of the same proposal id.
    expect(
      codeOf(submit(r, b, predicate({ proposalId: CMC.toString(), commit: CMC_COMMIT }))),
    ).toBe(ErrorCode.ARTIFACT_NOT_FOR_PROPOSAL);
    // And a canister reproduction for an IC-OS election.
    confirm(r, 134567n);
    expect(codeOf(submit(r, b, canisterEnvelope(b, { proposalId: 134567n, commit: COMMIT })))).toBe(
      ErrorCode.ARTIFACT_NOT_FOR_PROPOSAL,
    );
  });

  it('reject held attestations that do not fit once governance answers', () => {
    const r = newRegistry();
    const b = testBuilder('c5');
    const held = accepted(
      submit(r, b, canisterEnvelope(b, { artifacts: [module({ kind: 'canister:ledger' })] })),
    );
    readCmc(r);
    const view = r.attestation(held.attestationId);
    expect(view.ok && view.value.record.rejection).toMatch(
      /canister:ledger does not belong to an install into cycles-minting/,
    );
  });
});

describe('AddSnsWasm proposals', () => {
  it('count sns-wasm:<type> reproductions against the payload hash', () => {
    // Proposal 133384's real payload (SNS governance at aa91ecac), inside a ProposalInfo.
    const payload = hexToBytes(
      fixtures.payloads.find((p) => p.name === 'add-sns-wasm-133384-sns-governance')!.payloadHex,
    );
    const info = proposalInfoValue({
      id: 133384n,
      status: 4,
      topic: 14,
      title: 'Publish SNS Governance WASM Built at Commit aa91eca',
      summary: '',
      url: '',
      action: { ExecuteNnsFunction: { nns_function: NnsFunction.AddSnsWasm, payload } },
      proposalSeconds: 1_728_000_000n,
      deadlineSeconds: 1_728_345_600n,
      decidedSeconds: 1_728_100_000n,
      executedSeconds: 1_728_100_100n,
      failedSeconds: 0n,
      rewardStatus: 3,
    });
    const encoded = IDL.encode([IDL.Opt(proposalInfoIdl(SentActionIdl).info)], [[info]]);
    const outcome = outcomeOfProposalInfoReply(133384n, new Uint8Array(encoded));
    if (!outcome.ok) throw new Error(outcome.error);
    const hash = 'bc91fd7bc4d6c01ea814b12510a1ff8f4f74fcac9ab16248ad4af7cb98d9c69d';
    expect(outcome.onChain).toMatchObject({
      kind: 'sns_wasm',
      snsWasm: { canisterType: 'governance', wasmHashHex: hash },
      expected: [{ kind: 'sns-wasm:governance', sha256: hash }],
    });
    const r = newRegistry();
    r.recordProposalRead({ proposalId: 133384n, now: T0, outcome });
    const b = testBuilder('s1');
    const artifact = module({
      kind: 'sns-wasm:governance',
      name: 'sns-governance-canister.wasm.gz',
      sha256: hash,
      expectedSha256: hash,
    });
    accepted(
      submit(
        r,
        b,
        canisterEnvelope(b, {
          proposalId: 133384n,
          commit: 'aa91ecacdf3824e193e21b70e0127e8d3edab51a',
          artifacts: [artifact],
        }),
      ),
    );
    const summary = r.summary(133384n);
    expect(summary.ok && summary.value.consensus.artifacts[0]).toMatchObject({
      kind: 'sns-wasm:governance',
      expectedSource: 'proposal',
      verdicts: { match: 1 },
    });
    // An SNS publication installs nothing: no deployed check.
    expect(r.deployedChecksDue(10)).toEqual([]);
  });
});

describe('the deployed-hash check', () => {
  function executedWithBuilders(): Registry {
    const r = newRegistry();
    readCmc(r, 'executed');
    const b = testBuilder('d1');
    accepted(submit(r, b, canisterEnvelope(b)));
    return r;
  }
  const deployedOf = (r: Registry) => {
    const s = r.summary(CMC);
    if (!s.ok) throw new Error(s.error.code);
    return deployedView(s.value.record, s.value.consensus);
  };

  it('is queued when an install is executed, and says proposed = reproduced = deployed', () => {
    const r = executedWithBuilders();
    expect(r.deployedChecksDue(10)).toEqual([{ proposalId: CMC, canisterId: CMC_ID }]);
    expect(deployedOf(r)?.agreement).toBe(
      'proposed = reproduced; the deployed module is not read yet',
    );
    r.recordDeployedRead({
      proposalId: CMC,
      now: T0,
      outcome: { ok: true, moduleHashHex: CMC_MODULE },
    });
    expect(deployedOf(r)).toMatchObject({
      check: { state: 'deployed', moduleHashHex: CMC_MODULE, canisterId: CMC_ID },
      proposedSha256: CMC_MODULE,
      reproducedSha256: CMC_MODULE,
      reproducedBuilders: 1,
      agreement: 'proposed = reproduced = deployed',
    });
    expect(r.deployedChecksDue(10)).toEqual([]);
    // Reading governance again does not read the canister again.
    readCmc(r, 'executed');
    expect(r.deployedChecksDue(10)).toEqual([]);
  });

  it('says where the chain differs', () => {
    const r = executedWithBuilders();
    const other = hashOf('what the canister runs');
    r.recordDeployedRead({ proposalId: CMC, now: T0, outcome: { ok: true, moduleHashHex: other } });
    expect(deployedOf(r)).toMatchObject({
      check: { state: 'differs', moduleHashHex: other },
      agreement: `proposed = reproduced; canister ${CMC_ID} runs another module than the proposed one`,
    });
    r.recordDeployedRead({ proposalId: CMC, now: T0, outcome: { ok: true, moduleHashHex: null } });
    expect(deployedOf(r)?.check.state).toBe('no_module');
  });

  it('retries a failed read a few times, then leaves it to sync_proposal', () => {
    const r = executedWithBuilders();
    for (let i = 0; i < DEPLOYED_READS; i++) {
      expect(r.deployedChecksDue(10)).toHaveLength(1);
      r.recordDeployedRead({ proposalId: CMC, now: T0, outcome: { ok: false, error: 'rejected' } });
    }
    expect(r.deployedChecksDue(10)).toEqual([]);
    expect(deployedOf(r)).toMatchObject({
      check: { state: 'error', error: 'rejected', attempts: DEPLOYED_READS },
    });
    expect(r.deployedCheckWanted(CMC)).toBe(CMC_ID);
  });

  it('is not made for open proposals', () => {
    const r = newRegistry();
    readCmc(r);
    expect(r.deployedChecksDue(10)).toEqual([]);
    expect(r.deployedCheckWanted(CMC)).toBeNull();
  });
});
