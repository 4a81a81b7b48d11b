/**
 * Canister reproductions in the real wasm (issue 12): the registry reads InstallCode proposals
 * from the governance stand-in, counts `canister-reproduction/v1` attestations per canister kind
 * within the submit budget, and once a proposal is executed reads what the target runs with the
 * management canister's `canister_info`: "proposed = reproduced = deployed", or where it differs.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { Principal } from '@dfinity/principal';
import { PREDICATE_TYPE_CANISTER_V1, signAttestation } from '@repro-registry/attestation';
import type * as T from '@repro-registry/client';
import { ensureCanisterBuilt } from '@repro-registry/deploy';
import type { IcHost } from '@repro-registry/ic-host';
import { ErrorCode } from '@repro-registry/registry-api';
import { beforeAll, describe, expect, it } from 'vitest';

import { COMMIT, hashOf, predicate, testBuilder } from './builders';
import { SECOND, putInstallProposal, startWithGovernance } from './governance-standin';
import type { RegistryUnderTest } from './harness';
import { CONTROLLER, errOf, okOf } from './harness';

const NOW = 1_764_000_000n;
/** `SUBMIT_BUDGET` of budgets.test.ts: a canister reproduction costs what an IC-OS one does. */
const SUBMIT_BUDGET = 300_000_000n;

describe('canister reproductions and the deployed-hash check (real wasm)', () => {
  let host: IcHost;
  let registry: RegistryUnderTest;
  let governance: Principal;
  let standInModule: string;
  let clock = NOW * SECOND;

  /** An executed InstallCode proposal into `target` stating `moduleHash`, as governance has it. */
  const putInstall = (id: bigint, target: Principal, moduleHash: string) =>
    putInstallProposal(host, governance, { id, target, moduleHash });

  const submitModule = async (args: {
    seed: string;
    proposalId: bigint;
    sha256: string;
    target: Principal;
  }) => {
    const builder = testBuilder(args.seed);
    const envelope = signAttestation({
      predicate: predicate({
        proposalId: args.proposalId.toString(),
        artifacts: [
          {
            kind: `canister:${args.target.toText()}`,
            name: 'governance.wasm',
            sha256: args.sha256,
            expectedSha256: args.sha256,
            verdict: 'match',
          },
        ],
      }),
      secretKey: builder.secretKey,
      predicateType: PREDICATE_TYPE_CANISTER_V1,
    }).envelopeBytes;
    const result = await registry.call<{ Ok: T.SubmitReceipt } | { Err: T.RegistryError }>(
      'submit',
      [{ envelope }],
      builder.principal,
    );
    const instructions = registry.lastInstructions ?? 0n;
    // Like a replica between rounds: the proposal read and the deployed check the submit set.
    await host.tick();
    await host.idle();
    return { result, instructions };
  };

  const summary = async (id: bigint) =>
    okOf(await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [id]));

  beforeAll(async () => {
    ({ host, registry, governance } = await startWithGovernance({
      instrumented: true,
      clock: () => clock,
    }));
    const wasm = await readFile(await ensureCanisterBuilt('governance'));
    standInModule = createHash('sha256').update(wasm).digest('hex');
  });

  it('counts a canister reproduction within budget and finds proposed = reproduced = deployed', async () => {
    await putInstall(900104n, governance, standInModule);
    const { result, instructions } = await submitModule({
      seed: 'fam-1',
      proposalId: 900104n,
      sha256: standInModule,
      target: governance,
    });
    okOf(result);
    expect(instructions).toBeLessThanOrEqual(SUBMIT_BUDGET);
    const s = await summary(900104n);
    expect(s.on_chain[0]).toMatchObject({
      kind: 'canister_install',
      claimed_commit: [COMMIT],
      expected: [{ kind: `canister:${governance.toText()}`, sha256: standInModule }],
      status: 'executed',
    });
    expect(s.on_chain[0]?.canister_install[0]).toMatchObject({
      source: 'InstallCode',
      target_canister_id: [governance],
      install_mode: 'upgrade',
      wasm_module_hash: standInModule,
    });
    expect(s.artifacts).toEqual([
      expect.objectContaining({
        kind: `canister:${governance.toText()}`,
        expected_source: 'proposal',
        expected_sha256: [standInModule],
        verdicts: { match: 1n, mismatch: 0n, build_failed: 0n, not_built: 0n },
      }),
    ]);
    expect(s.deployed[0]).toMatchObject({
      canister_id: governance,
      state: 'deployed',
      proposed_sha256: standInModule,
      deployed_sha256: [standInModule],
      reproduced_sha256: [standInModule],
      reproduced_builder_count: 1n,
      agreement: 'proposed = reproduced = deployed',
    });
  });

  it('says where the chain differs from the proposal', async () => {
    const proposed = hashOf('a module the stand-in does not run');
    await putInstall(900105n, governance, proposed);
    okOf(
      (
        await submitModule({
          seed: 'fam-2',
          proposalId: 900105n,
          sha256: proposed,
          target: governance,
        })
      ).result,
    );
    const s = await summary(900105n);
    expect(s.deployed[0]).toMatchObject({
      state: 'differs',
      proposed_sha256: proposed,
      deployed_sha256: [standInModule],
      agreement: `proposed = reproduced; canister ${governance.toText()} runs another module than the proposed one`,
    });

    // A canister that does not exist on this network: the read fails, and says why.
    const absent = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
    await putInstall(900106n, absent, proposed);
    clock += 31n * SECOND;
    const synced = okOf(
      await registry.call<{ Ok: T.ProposalSummary }>('sync_proposal', [900106n], CONTROLLER),
    );
    expect(synced.deployed[0]).toMatchObject({ state: 'error', deployed_sha256: [] });
    expect(synced.deployed[0]?.error[0]).toMatch(/canister_info/);
  });

  it('refuses a module for another target than the proposal installs into', async () => {
    const other = Principal.fromText('rkp4c-7iaaa-aaaaa-aaaca-cai');
    const { result } = await submitModule({
      seed: 'fam-3',
      proposalId: 900104n,
      sha256: standInModule,
      target: other,
    });
    expect(errOf(result)).toBe(ErrorCode.ARTIFACT_NOT_FOR_PROPOSAL);
  });
});
