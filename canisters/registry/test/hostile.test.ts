/**
 * What the registry accepts and counts, tried as an attacker would: unknown proposals,
 * implausible claims, spam and Sybil builders, against the real wasm reading a governance
 * stand-in. Every refusal has its code and leaves the counts as they were.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { ErrorCode, registryErrorOfReject } from '@repro-registry/registry-api';
import type * as T from '@repro-registry/client';
import type { IcHost } from '@repro-registry/ic-host';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  COMMIT,
  artifact,
  hashOf,
  predicate,
  sign,
  testBuilder,
  type TestBuilder,
} from './builders';
import {
  FailureMode,
  SECOND,
  proposal,
  putProposals,
  startWithGovernance,
} from './governance-standin';
import { CONTROLLER, CallFailed, RegistryUnderTest, errOf, okOf } from './harness';
import type { UnsignedPredicate } from '@repro-registry/attestation';

const GUESTOS_ELECTION = 134567n;
const HOSTOS_ELECTION = 900002n;
const WSL = hashOf('update-img built under WSL2');

type SubmitResult = { Ok: T.SubmitReceipt } | { Err: T.RegistryError };

describe('hostile and Sybil submissions (real wasm)', () => {
  let registry: RegistryUnderTest;
  let host: IcHost;
  let governance: Principal;
  let clock = 1_764_000_000n * SECOND; // 2025-11-24, after the test builds

  /** Submits as the builder; a refusal before execution (inspect_message) returns its code. */
  const submit = async (
    builder: TestBuilder,
    what: UnsignedPredicate | Uint8Array = predicate(),
  ): Promise<SubmitResult> => {
    const envelope = what instanceof Uint8Array ? what : sign(builder, what);
    try {
      return await registry.call<SubmitResult>('submit', [{ envelope }], builder.principal);
    } catch (e) {
      if (!(e instanceof CallFailed)) throw e;
      const coded = registryErrorOfReject(e.result);
      return { Err: { code: coded?.code ?? e.message, message: e.result.rejectMessage } };
    }
  };
  const summary = (id: bigint, trustList?: bigint) =>
    registry.call<{ Ok: T.ProposalSummary } | { Err: T.RegistryError }>('get_consensus', [
      { proposal_id: id, trust_list: trustList === undefined ? [] : [trustList] },
    ]);
  /** Everything that is counted: the confirmed proposals and their consensus over everyone. */
  const counted = async () => {
    const page = await registry.call<T.ProposalPage>('list_proposals', [
      { cursor: [], limit: [100], trust_list: [] },
    ]);
    return JSON.stringify(
      page.proposals.map((p) => [p.proposal_id, p.builder_count, p.artifacts, p.totals]),
      (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
    );
  };
  const attestation = async (id: bigint) =>
    okOf(await registry.call<{ Ok: T.Attestation }>('get_attestation', [id]));
  const governanceMode = async (mode: 'none' | 'reject') => {
    const r = await host.update({
      canisterId: governance,
      method: 'set_failure_mode',
      arg: new Uint8Array(IDL.encode([FailureMode], [{ [mode]: null }])),
      sender: CONTROLLER,
    });
    expect(r.status).toBe('replied');
  };

  beforeAll(async () => {
    ({ registry, host, governance } = await startWithGovernance({
      clock: () => clock,
      confirmed: [GUESTOS_ELECTION, proposal(HOSTOS_ELECTION, { os: 'hostos' })],
      rateLimit: { capacity: 5, refill_interval_seconds: 360 },
      limits: { pendingProposalsPerBuilder: 2, pendingProposalsTotal: 3 },
    }));
    // Honest builders first: what later cases must leave alone.
    for (const name of ['alice', 'bob', 'carol']) okOf(await submit(testBuilder(name)));
  });

  it('holds an unknown proposal id: never listed, summarised or badged; then rejects it with the reason', async () => {
    const before = await counted();
    const mallory = testBuilder('mallory-unknown');
    const receipt = okOf(await submit(mallory, predicate({ proposalId: '987654321' })));
    expect(errOf(await summary(987654321n))).toBe(ErrorCode.PROPOSAL_PENDING);
    expect((await registry.http('/badge/987654321.svg')).body).toContain('unconfirmed proposal');
    expect((await attestation(receipt.attestation_id)).held).toBe(true);
    expect(await counted()).toBe(before);

    await registry.settle(); // the registry asks governance, which has no such proposal
    expect(errOf(await summary(987654321n))).toBe(ErrorCode.PROPOSAL_NOT_ON_CHAIN);
    const rejected = await attestation(receipt.attestation_id);
    expect(rejected).toMatchObject({
      held: false,
      rejection: [expect.stringMatching(/no proposal 987654321/)],
    });
    expect((await registry.http('/badge/987654321.svg')).body).toContain('no such proposal');
    expect(
      errOf(await submit(testBuilder('mallory-again'), predicate({ proposalId: '987654321' }))),
    ).toBe(ErrorCode.PROPOSAL_NOT_ON_CHAIN);
    expect(await counted()).toBe(before);
  });

  it('stores nothing when anyone asks it to read an id governance does not know', async () => {
    const info = await registry.call<T.RegistryInfo>('get_registry_info', []);
    const result = await registry.call<{ Err: T.RegistryError }>(
      'sync_proposal',
      [123123123n],
      testBuilder('curious').principal,
    );
    expect(errOf(result)).toBe(ErrorCode.PROPOSAL_NOT_ON_CHAIN);
    const after = await registry.call<T.RegistryInfo>('get_registry_info', []);
    expect([after.proposal_count, after.pending_proposal_count]).toEqual([
      info.proposal_count,
      info.pending_proposal_count,
    ]);
  });

  it('rejects the held attestations of a proposal that elects nothing, and refuses more', async () => {
    const before = await counted();
    await putProposals(host, governance, [proposal(7777n, { motion: true })]);
    okOf(await submit(testBuilder('motion-1'), predicate({ proposalId: '7777' })));
    await registry.settle();
    expect(errOf(await summary(7777n))).toBe(ErrorCode.PROPOSAL_NOT_ICOS_ELECTION);
    expect(errOf(await submit(testBuilder('motion-2'), predicate({ proposalId: '7777' })))).toBe(
      ErrorCode.PROPOSAL_NOT_ICOS_ELECTION,
    );
    expect(await counted()).toBe(before);
  });

  it.each([
    ['in the year 3000', '3000-01-01T00:00:00Z', '3000-01-01T01:30:00Z'],
    ['in 1969', '1969-07-20T20:17:00Z', '1969-07-20T22:00:00Z'],
    ['in the year 0', '0000-01-01T00:00:00Z', '0000-01-01T01:00:00Z'],
    ['before the IC’s genesis', '2021-05-09T00:00:00Z', '2021-05-09T02:00:00Z'],
    ['ending an hour from now', '2025-11-24T15:00:00Z', '2025-11-24T17:00:00Z'],
    ['lasting three days', '2025-11-17T00:00:00Z', '2025-11-20T00:00:00Z'],
  ])('refuses a build %s with BUILD_TIME_IMPLAUSIBLE', async (_case, startedOn, finishedOn) => {
    const before = await counted();
    const p = predicate({ build: { startedOn, finishedOn, cleanCache: true } });
    expect(errOf(await submit(testBuilder(`time-${startedOn}`), p))).toBe(
      ErrorCode.BUILD_TIME_IMPLAUSIBLE,
    );
    expect(await counted()).toBe(before);
  });

  it('refuses a HostOS artifact on a GuestOS election, and a GuestOS one on a HostOS election', async () => {
    const before = await counted();
    const hostosToo = predicate({
      artifacts: [artifact({ kind: 'guestos' }), artifact({ kind: 'hostos' })],
    });
    expect(errOf(await submit(testBuilder('os-1'), hostosToo))).toBe(
      ErrorCode.ARTIFACT_NOT_FOR_PROPOSAL,
    );
    const guestosOnHostos = predicate({ proposalId: HOSTOS_ELECTION.toString() });
    expect(errOf(await submit(testBuilder('os-2'), guestosOnHostos))).toBe(
      ErrorCode.ARTIFACT_NOT_FOR_PROPOSAL,
    );
    expect(errOf(await submit(testBuilder('os-3'), predicate({ commit: 'c'.repeat(40) })))).toBe(
      ErrorCode.COMMIT_MISMATCH,
    );
    expect(await counted()).toBe(before);
  });

  it('rejects a held attestation with a foreign artifact once the proposal is confirmed', async () => {
    await putProposals(host, governance, [proposal(5555n)]);
    const held = okOf(
      await submit(
        testBuilder('os-held'),
        predicate({
          proposalId: '5555',
          artifacts: [artifact({ kind: 'guestos' }), artifact({ kind: 'setupos' })],
        }),
      ),
    );
    await registry.settle();
    const s = okOf(await summary(5555n));
    expect(s.builder_count).toBe(0n);
    expect(s.rejected_count).toBe(1n);
    expect((await attestation(held.attestation_id)).rejection[0]).toMatch(
      /setupos does not belong to a GuestOS election/,
    );
  });

  it('makes invalid signatures cost tokens: the caller is rate limited after its capacity', async () => {
    const before = await counted();
    const spammer = testBuilder('spammer');
    const forged = sign(spammer);
    forged[forged.length - 20] = forged[forged.length - 20] === 0x41 ? 0x42 : 0x41;
    for (let i = 0; i < 5; i++)
      expect(errOf(await submit(spammer, forged))).toBe(ErrorCode.SIGNATURE_INVALID);
    expect(errOf(await submit(spammer, forged))).toBe(ErrorCode.RATE_LIMITED);
    expect(errOf(await submit(spammer))).toBe(ErrorCode.RATE_LIMITED);
    expect(await counted()).toBe(before);
  });

  it('answers an envelope it stored as a duplicate even when its builder has no tokens left', async () => {
    const dora = testBuilder('dora');
    const envelope = sign(dora);
    const first = okOf(await submit(dora, envelope));
    const before = await counted();
    const junk = new TextEncoder().encode('{}');
    for (let i = 0; i < 4; i++) errOf(await submit(dora, junk));
    expect(errOf(await submit(dora, predicate({ note: 'new' })))).toBe(ErrorCode.RATE_LIMITED);
    const again = okOf(await submit(dora, envelope));
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await counted()).toBe(before);
  });

  it('keeps counting a mismatch when the builder’s retry fails to build', async () => {
    const erin = testBuilder('erin-wsl2');
    const mismatch = okOf(
      await submit(erin, predicate({ artifacts: [artifact({ kind: 'guestos', sha256: WSL })] })),
    );
    const retry = okOf(
      await submit(
        erin,
        predicate({
          artifacts: [artifact({ kind: 'guestos', sha256: null, verdict: 'build_failed' })],
          note: 'podman: no space left on device',
        }),
      ),
    );
    expect(retry.supersedes).toEqual([mismatch.attestation_id]);
    const groups = okOf(await summary(GUESTOS_ELECTION)).artifacts[0]?.hash_groups ?? [];
    expect(groups.find((g) => g.sha256 === WSL)?.builder_count).toBe(1n);
    expect((await attestation(mismatch.attestation_id)).artifacts[0]).toMatchObject({
      counted: true,
      later_attempt_failed: true,
    });
    expect((await attestation(retry.attestation_id)).artifacts[0]?.counted).toBe(false);
  });

  it('caps the unconfirmed proposals one builder and everyone may hold attestations for', async () => {
    const before = await counted();
    await governanceMode('reject'); // governance unreachable: nothing gets confirmed or rejected
    const flooder = testBuilder('flooder');
    okOf(await submit(flooder, predicate({ proposalId: '810001' })));
    okOf(await submit(flooder, predicate({ proposalId: '810002' })));
    expect(errOf(await submit(flooder, predicate({ proposalId: '810003' })))).toBe(
      ErrorCode.BUILDER_PENDING_LIMIT,
    );
    okOf(await submit(testBuilder('flooder-2'), predicate({ proposalId: '810003' })));
    expect(errOf(await submit(testBuilder('flooder-3'), predicate({ proposalId: '810004' })))).toBe(
      ErrorCode.PENDING_LIMIT,
    );
    await registry.settle();
    const info = await registry.call<T.RegistryInfo>('get_registry_info', []);
    expect(info.pending_proposal_count).toBe(3n);
    expect(await counted()).toBe(before);
    // Governance answers again: the ids don't exist, the holds are released.
    await governanceMode('none');
    clock += 31n * SECOND; // a proposal is read at most every 30 s
    for (const id of [810001n, 810002n, 810003n])
      errOf(await registry.call('sync_proposal', [id], CONTROLLER));
    expect(
      (await registry.call<T.RegistryInfo>('get_registry_info', [])).pending_proposal_count,
    ).toBe(0n);
  });

  it('counts ten keys on one machine as one environment class', async () => {
    for (let i = 0; i < 10; i++)
      okOf(
        await submit(
          testBuilder(`one-machine-${i}`),
          predicate({ artifacts: [artifact({ kind: 'guestos', sha256: hashOf('one machine') })] }),
        ),
      );
    const group = okOf(await summary(GUESTOS_ELECTION)).artifacts[0]?.hash_groups.find(
      (g) => g.sha256 === hashOf('one machine'),
    );
    expect(group).toMatchObject({ builder_count: 10n, environment_classes: 1n });
  });

  it('lets a trust list change the badge: free keys count in all, not on the list', async () => {
    const honest = ['alice', 'bob', 'carol'].map((n) => testBuilder(n).principal);
    const list = okOf(
      await registry.call<{ Ok: T.TrustList }>(
        'publish_trust_list',
        [{ id: [], name: 'CodeGov', description: 'reviewers', members: honest }],
        testBuilder('codegov-lead').principal,
      ),
    );
    await registry.settle();
    const all = okOf(await summary(GUESTOS_ELECTION)).artifacts[0]?.verdicts;
    const matching = all?.match ?? 0n;
    const attempted = matching + (all?.mismatch ?? 0n) + (all?.build_failed ?? 0n);
    expect(attempted - matching).toBeGreaterThanOrEqual(11n); // ten keys on one machine, WSL2
    const everyone = await registry.http(`/badge/${GUESTOS_ELECTION}.svg`);
    const onList = await registry.http(`/badge/${GUESTOS_ELECTION}.svg?list=${list.id}`);
    expect(everyone.body).toContain(`>${matching}/${attempted}<`);
    expect(everyone.body).toContain('#b26a00'); // amber: some builders disagree
    expect(onList.body).toContain(
      `aria-label="reproduced by 3 builders on list CodeGov; ${matching} in all"`,
    );
    expect(onList.body).toContain('#2e7d32'); // green: nobody on the list disagrees
    const s = okOf(await summary(GUESTOS_ELECTION, list.id));
    expect(s.builder_count).toBe(3n);
    expect(s.scope.trust_list[0]).toMatchObject({ id: list.id, name: 'CodeGov', version: 1 });
    expect(s.scope.builders_in_all).toBeGreaterThan(10n);
  });

  it('keeps trust lists to their owners and their names unique and plain', async () => {
    const owner = testBuilder('list-owner').principal;
    const list = okOf(
      await registry.call<{ Ok: T.TrustList }>(
        'publish_trust_list',
        [{ id: [], name: 'Reviewers', description: '', members: [owner] }],
        owner,
      ),
    );
    const mallory = testBuilder('list-mallory').principal;
    const publish = (name: string, id: [] | [bigint] = []) =>
      registry.call<{ Err: T.RegistryError }>(
        'publish_trust_list',
        [{ id, name, description: '', members: [mallory] }],
        mallory,
      );
    expect(errOf(await publish('Reviewers', [list.id]))).toBe(ErrorCode.NOT_LIST_OWNER);
    expect(errOf(await publish('REVIEWERS'))).toBe(ErrorCode.NAME_TAKEN);
    expect(errOf(await publish('Rеviewers'))).toBe(ErrorCode.NAME_CONFUSABLE); // Cyrillic е
    // An unknown list is answered with its code wherever a consensus is read.
    await expect(
      registry.call('list_proposals', [{ cursor: [], limit: [], trust_list: [999n] }]),
    ).rejects.toThrow(/TRUST_LIST_NOT_FOUND: /);
    const json = await registry.http(`/api/v1/proposals/${GUESTOS_ELECTION}?list=999`);
    expect(json.status).toBe(404);
    expect(JSON.parse(json.body)).toMatchObject({
      error: { code: ErrorCode.TRUST_LIST_NOT_FOUND },
    });
    expect((await registry.http(`/badge/${GUESTOS_ELECTION}.svg?list=999`)).body).toContain(
      'no such trust list',
    );
    const v = okOf(
      await registry.call<{ Ok: T.TrustList }>('get_trust_list', [{ id: list.id, version: [] }]),
    );
    expect(v.members.map((m) => m.toText())).toEqual([owner.toText()]);
  });

  it('keeps display names unique and plain, and profile links https without user-info', async () => {
    const alice = testBuilder('alice').principal;
    const bob = testBuilder('bob').principal;
    const profile = (who: Principal, display_name: string, url: [] | [string] = []) =>
      registry.call<{ Ok: T.BuilderProfile } | { Err: T.RegistryError }>(
        'set_builder_profile',
        [{ display_name, url }],
        who,
      );
    okOf(await profile(alice, 'Alice'));
    expect(errOf(await profile(bob, 'ALICE'))).toBe(ErrorCode.NAME_TAKEN);
    expect(errOf(await profile(bob, 'Аlice'))).toBe(ErrorCode.NAME_CONFUSABLE); // Cyrillic А
    expect(errOf(await profile(bob, 'Bob', ['http://bob.example']))).toBe(
      ErrorCode.PROFILE_INVALID,
    );
    expect(errOf(await profile(bob, 'Bob', ['https://bob.example@evil.example/']))).toBe(
      ErrorCode.PROFILE_INVALID,
    );
    // NFKC: full-width letters are stored as plain ones.
    const stored = okOf(await profile(bob, 'Ｂｏｂ', ['https://bob.example']));
    expect(stored.display_name).toEqual(['Bob']);
  });

  it('says which commit it counts for', async () => {
    expect(okOf(await summary(GUESTOS_ELECTION)).commit).toEqual([COMMIT]);
  });
});

describe('storage and cycles (real wasm)', () => {
  it('caps what one builder and the registry store', async () => {
    const { registry } = await startWithGovernance({
      confirmed: [GUESTOS_ELECTION],
      limits: { attestationsPerBuilder: 2, attestationsTotal: 3n },
    });
    const submit = (b: TestBuilder, p = predicate()) =>
      registry.call<SubmitResult>('submit', [{ envelope: sign(b, p) }], b.principal);
    const alice = testBuilder('alice');
    okOf(await submit(alice, predicate({ note: '1' })));
    okOf(await submit(alice, predicate({ note: '2' })));
    expect(errOf(await submit(alice, predicate({ note: '3' })))).toBe(
      ErrorCode.BUILDER_STORAGE_LIMIT,
    );
    okOf(await submit(testBuilder('bob')));
    expect(errOf(await submit(testBuilder('carol')))).toBe(ErrorCode.STORAGE_FULL);
    const info = await registry.call<T.RegistryInfo>('get_registry_info', []);
    expect(info.attestation_count).toBe(3n);
    expect(info.limits).toMatchObject({ attestations_per_builder: 2, attestations_total: 3n });
  });

  it('refuses updates while cycles run low and keeps answering queries', async () => {
    const low = await RegistryUnderTest.start({
      cycles: 1_000_000_000_000n,
      limits: { minCycles: 5_000_000_000_000n },
    });
    const alice = testBuilder('alice');
    await expect(low.call('submit', [{ envelope: sign(alice) }], alice.principal)).rejects.toThrow(
      /LOW_CYCLES: /,
    );
    await expect(
      low.call('set_builder_profile', [{ display_name: 'Alice', url: [] }], alice.principal),
    ).rejects.toThrow(/LOW_CYCLES: /);
    await expect(
      low.call(
        'publish_trust_list',
        [{ id: [], name: 'List', description: '', members: [alice.principal] }],
        alice.principal,
      ),
    ).rejects.toThrow(/LOW_CYCLES: /);
    // Queries are answered.
    const info = await low.call<T.RegistryInfo>('get_registry_info', []);
    expect(info.cycles).toBeLessThan(info.limits.min_cycles);
    expect((await low.http('/api/v1/info')).status).toBe(200);
    // Topped up, it takes updates again.
    const topUp = await low.host.update({
      canisterId: Principal.fromText('aaaaa-aa'),
      method: 'provisional_top_up_canister',
      arg: new Uint8Array(
        IDL.encode(
          [IDL.Record({ canister_id: IDL.Principal, amount: IDL.Nat })],
          [{ canister_id: low.canisterId, amount: 10_000_000_000_000n }],
        ),
      ),
      sender: CONTROLLER,
    });
    expect(topUp.status).toBe('replied');
    const stored = await low.call<SubmitResult>(
      'submit',
      [{ envelope: sign(alice) }],
      alice.principal,
    );
    // No governance here: the attestation is held, which is what a working registry does.
    expect(okOf(stored).duplicate).toBe(false);
  });
});
