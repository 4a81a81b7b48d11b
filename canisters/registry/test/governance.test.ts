/**
 * Expected hashes come from the proposal on chain: the registry wasm reads the governance
 * stand-in's wasm, both in one in-process IC.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { ErrorCode } from '@repro-registry/registry-api';
import type * as T from '@repro-registry/client';
import { readAttestation } from '@repro-registry/client/attestation';
import { IcHost } from '@repro-registry/ic-host';
import { beforeAll, describe, expect, it } from 'vitest';

import { COMMIT, GUESTOS_HASH, artifact, hashOf, predicate, sign, testBuilder } from './builders';
import {
  FailureMode,
  RecordedProposal,
  SECOND,
  installGovernance,
  proposal,
} from './governance-standin';
import { CONTROLLER, RegistryUnderTest, errOf, okOf } from './harness';

describe('the registry reads proposals from governance (real wasm)', () => {
  let host: IcHost;
  let registry: RegistryUnderTest;
  let governance: Principal;
  let clock = 1_764_000_000n * SECOND;

  const governanceCall = async (method: string, types: IDL.Type[], args: unknown[]) => {
    const result = await host.update({
      canisterId: governance,
      method,
      arg: new Uint8Array(IDL.encode(types, args)),
      sender: CONTROLLER,
    });
    if (result.status !== 'replied') throw new Error(result.rejectMessage);
  };
  const put = (p: ReturnType<typeof proposal>) =>
    governanceCall('put_proposal', [RecordedProposal], [p]);
  const fail = (mode: 'none' | 'trap' | 'reject') =>
    governanceCall('set_failure_mode', [FailureMode], [{ [mode]: null }]);
  // Like a replica between rounds, run the timers a submission sets (the proposal read).
  const submit = async (builder: ReturnType<typeof testBuilder>, p = predicate()) => {
    const result = await registry.call<{ Ok: T.SubmitReceipt } | { Err: T.RegistryError }>(
      'submit',
      [{ envelope: sign(builder, p) }],
      builder.principal,
    );
    await host.tick();
    await host.idle();
    return result;
  };
  const summary = async (id: bigint) =>
    okOf(await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [id]));

  beforeAll(async () => {
    host = await IcHost.create({ clock: () => clock, log: () => {} });
    governance = await installGovernance(host);
    registry = await RegistryUnderTest.start({ host, governance });
    await put(proposal(134567n));
    await put(proposal(777n, { motion: true }));
  });

  it('judges against the proposal’s own hash and commit', async () => {
    const honest = testBuilder('gov-honest');
    okOf(await submit(honest));
    const s = await summary(134567n);
    expect(s.on_chain[0]).toMatchObject({
      kind: 'icos_election',
      os: ['guestos'],
      elected_commit: [COMMIT],
      release_package_sha256_hex: [GUESTOS_HASH],
      status: 'open',
    });
    expect(s.on_chain[0]?.deadline_at).toEqual([(1_764_000_000n + 4n * 86400n) * SECOND]);
    expect(s.sync).toMatchObject({ state: 'ok', final: false, error: [] });
    expect(s.artifacts[0]).toMatchObject({
      expected_sha256: [GUESTOS_HASH],
      expected_source: 'proposal',
    });
  });

  it('flags a builder whose expected hash is not the proposal’s, and counts it apart', async () => {
    const stale = testBuilder('gov-stale');
    const receipt = okOf(
      await submit(
        stale,
        predicate({
          artifacts: [artifact({ kind: 'guestos', expectedSha256: hashOf('old release') })],
        }),
      ),
    );
    const stored = okOf(
      await registry.call<{ Ok: T.Attestation }>('get_attestation', [receipt.attestation_id]),
    );
    // The builder's own verdict is the signed one; what counts is the registry's.
    const read = readAttestation(stored);
    expect(read.ok && read.value.signed.predicate.artifacts[0]?.verdict).toBe('mismatch');
    expect(stored.artifacts[0]).toMatchObject({
      effective_verdict: 'match',
      expected_differs_from_proposal: true,
    });
    const s = await summary(134567n);
    expect(s.artifacts[0]?.expected_claim_mismatches).toBe(1n);
    expect(s.artifacts[0]?.verdicts.match).toBe(2n);
  });

  it('rejects an attestation for another commit, and for a proposal that elects nothing', async () => {
    const wrong = testBuilder('gov-wrong');
    expect(errOf(await submit(wrong, predicate({ commit: 'c'.repeat(40) })))).toBe(
      ErrorCode.COMMIT_MISMATCH,
    );
    // Anyone may have the registry read a proposal; one that elects nothing is not stored.
    expect(errOf(await registry.call('sync_proposal', [777n], Principal.anonymous()))).toBe(
      ErrorCode.PROPOSAL_NOT_ICOS_ELECTION,
    );
    // An attestation for it is held until the registry reads it, then rejected; later ones refused.
    okOf(await submit(wrong, predicate({ proposalId: '777' })));
    expect(errOf(await submit(wrong, predicate({ proposalId: '777', note: 'again' })))).toBe(
      ErrorCode.PROPOSAL_NOT_ICOS_ELECTION,
    );
    const info = await registry.call<T.RegistryInfo>('get_registry_info', []);
    expect(info.attestation_count).toBe(3n);
    expect(info.proposal_count).toBe(1n);
  });

  it('holds an attestation until the proposal is confirmed, then counts it', async () => {
    await fail('reject');
    const early = testBuilder('gov-early');
    okOf(await submit(early, predicate({ proposalId: '200000' })));
    const held = await registry.call<{ Err: T.RegistryError }>('get_proposal_summary', [200000n]);
    expect(errOf(held)).toBe(ErrorCode.PROPOSAL_PENDING);
    expect(held.Err.message).toMatch(/could not read proposal/);

    await fail('none');
    await put(proposal(200000n));
    clock += 31n * SECOND;
    const s = okOf(
      await registry.call<{ Ok: T.ProposalSummary }>(
        'sync_proposal',
        [200000n],
        Principal.anonymous(),
      ),
    );
    expect(s.sync.state).toBe('ok');
    expect(s.builder_count).toBe(1n);
    expect(s.artifacts[0]).toMatchObject({
      expected_source: 'proposal',
      expected_sha256: [GUESTOS_HASH],
    });
    // Right away again: refused, the proposal was just read.
    expect(errOf(await registry.call('sync_proposal', [200000n], Principal.anonymous()))).toBe(
      ErrorCode.RATE_LIMITED,
    );
  });

  it('keeps attestations while governance is down, says why, and recovers', async () => {
    for (const mode of ['trap', 'reject'] as const) {
      const id = mode === 'trap' ? 300001n : 300002n;
      await put(proposal(id));
      await fail(mode);
      const builder = testBuilder(`gov-down-${mode}`);
      okOf(await submit(builder, predicate({ proposalId: id.toString() })));
      const held = await registry.call<{ Err: T.RegistryError }>('get_proposal_summary', [id]);
      expect(errOf(held)).toBe(ErrorCode.PROPOSAL_PENDING);
      expect(held.Err.message).toMatch(/could not read proposal: governance rejected the call/);

      await fail('none');
      clock += 31n * SECOND;
      const s = okOf(
        await registry.call<{ Ok: T.ProposalSummary }>(
          'sync_proposal',
          [id],
          Principal.anonymous(),
        ),
      );
      expect(s.sync).toMatchObject({ state: 'ok', error: [] });
      expect(s.builder_count).toBe(1n);
    }
  });

  it('refreshes open proposals on a timer until they are decided', async () => {
    await put(proposal(134567n, { status: 4 }));
    clock += 601n * SECOND;
    await host.tick();
    await host.idle();
    const s = await summary(134567n);
    expect(s.on_chain[0]?.status).toBe('executed');
    expect(s.on_chain[0]?.executed_at.length).toBe(1);
    expect(s.sync.final).toBe(true);
  });

  it('sets the governance canister for controllers only', async () => {
    const stranger = testBuilder('gov-stranger').principal;
    await expect(registry.call('set_governance_canister', [governance], stranger)).rejects.toThrow(
      /NOT_CONTROLLER/,
    );
    okOf(await registry.call('set_governance_canister', [governance], CONTROLLER));
    const info = await registry.call<T.RegistryInfo>('get_registry_info', []);
    expect(info.governance_canister_id[0]?.toText()).toBe(governance.toText());
  });
});
