/**
 * The governance stand-in's compiled wasm in the in-process IC: what `npm start` seeds decodes
 * with governance's own types, `list_proposals` filters by topic and pages, the first form of
 * `put_proposal` still works, and the local proposal 900004 states the module hash the network
 * reports for the stand-in itself.
 */
import { readFile } from 'node:fs/promises';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { ensureCanisterBuilt } from '@repro-registry/deploy';
import { IcHost } from '@repro-registry/ic-host';
import {
  ListProposalInfoIdl,
  ListProposalInfoResponseIdl,
  bytesToHex,
  decodeGetProposalInfoReply,
  expectedArtifacts,
  nextPageBefore,
  openProposalsRequest,
  summarizeProposalInfo,
  type ListProposalInfoValue,
  type ProposalInfoValue,
} from '@repro-registry/proposals';
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  DEPLOYED_MODULE_PROPOSAL_ID,
  RecordedProposal,
  RecordedProposalWithAction,
  deployedModuleProposal,
  seedProposals,
} from '../seed';

const CONTROLLER = Principal.fromText('rwlgt-iiaaa-aaaaa-aaaaa-cai');
const STRANGER = Principal.fromText('2vxsx-fae');
const FailureMode = IDL.Variant({ none: IDL.Null, trap: IDL.Null, reject: IDL.Null });
const NOW = 1_764_000_000n;
const EMPTY_ARG = new Uint8Array(IDL.encode([], []));

describe('the governance stand-in (real wasm)', () => {
  let host: IcHost;
  let governance: Principal;

  const update = async (method: string, types: IDL.Type[], args: unknown[], sender = CONTROLLER) =>
    host.update({
      canisterId: governance,
      method,
      arg: new Uint8Array(IDL.encode(types, args)),
      sender,
    });
  const put = async (p: unknown, type: IDL.Type = RecordedProposalWithAction) => {
    const result = await update('put_proposal', [type], [p]);
    if (result.status !== 'replied') throw new Error(result.rejectMessage);
  };
  const info = async (id: bigint): Promise<ProposalInfoValue | null> => {
    const result = await host.query({
      canisterId: governance,
      method: 'get_proposal_info',
      arg: new Uint8Array(IDL.encode([IDL.Nat64], [id])),
      sender: STRANGER,
    });
    if (result.status !== 'replied') throw new Error(result.rejectMessage);
    return decodeGetProposalInfoReply(result.reply);
  };
  const list = async (request: ListProposalInfoValue) => {
    const result = await host.query({
      canisterId: governance,
      method: 'list_proposals',
      arg: new Uint8Array(IDL.encode([ListProposalInfoIdl], [request])),
      sender: STRANGER,
    });
    if (result.status !== 'replied') return result;
    const [reply] = IDL.decode([ListProposalInfoResponseIdl], result.reply) as unknown as [
      { proposal_info: ProposalInfoValue[] },
    ];
    return reply.proposal_info;
  };
  const listed = async (request: ListProposalInfoValue) => {
    const page = await list(request);
    if (!Array.isArray(page)) throw new Error(page.rejectMessage);
    return page;
  };

  beforeAll(async () => {
    const wasm = await ensureCanisterBuilt('governance');
    host = await IcHost.create({ clock: () => NOW * 1_000_000_000n, log: () => {} });
    governance = await host.createCanister({ controllers: [CONTROLLER] });
    await host.installCode({
      canisterId: governance,
      wasm: new Uint8Array(await readFile(wasm)),
      arg: EMPTY_ARG,
      mode: 'install',
      sender: CONTROLLER,
    });
    for (const p of seedProposals(NOW)) await put(p);
    const moduleHash = host.canister(governance)?.moduleHash;
    if (moduleHash === undefined) throw new Error('no module installed');
    await put(
      deployedModuleProposal({
        canisterId: governance.toText(),
        moduleHashHex: bytesToHex(moduleHash),
        argHashHex: bytesToHex(sha256(EMPTY_ARG)),
        nowSeconds: NOW,
      }),
    );
  }, 120_000);

  it('answers every seed with what it was given, decoded with governance’s own types', async () => {
    for (const seed of seedProposals(NOW)) {
      const answer = await info(seed.id);
      if (answer === null) throw new Error(`no proposal ${seed.id}`);
      const summary = summarizeProposalInfo(answer);
      expect(summary.title).toBe(seed.title);
      const families = [summary.icOsElection, summary.canisterInstall].filter((f) => f.ok);
      expect(families).toHaveLength(1);
    }
    const cmc = summarizeProposalInfo((await info(133311n))!);
    expect(cmc.canisterInstall).toMatchObject({
      ok: true,
      value: {
        targetCanisterId: 'rkp4c-7iaaa-aaaaa-aaaca-cai',
        targetName: 'cycles-minting',
        wasmModuleHashHex: '57f2cbbdbc2d8943173acc6ebd55aca9b9c12e2140b38ff5f20aea7b101ea570',
        installMode: 'upgrade',
      },
    });
    expect(cmc.status).toBe('executed');
    expect(expectedArtifacts(cmc)).toEqual([
      expect.objectContaining({
        kind: 'canister:cycles-minting',
        expectedSha256: '57f2cbbdbc2d8943173acc6ebd55aca9b9c12e2140b38ff5f20aea7b101ea570',
      }),
    ]);
    expect(await info(123n)).toBeNull();
  });

  it('states in 900004 the module hash the network reports for the stand-in', async () => {
    const local = summarizeProposalInfo((await info(DEPLOYED_MODULE_PROPOSAL_ID))!);
    expect(local.canisterInstall).toMatchObject({
      ok: true,
      value: {
        targetCanisterId: governance.toText(),
        wasmModuleHashHex: bytesToHex(host.canister(governance)!.moduleHash!),
        argHashHex: bytesToHex(sha256(EMPTY_ARG)),
      },
    });
  });

  it('lists open proposals of the reproducible topics, newest first, page by page', async () => {
    const open = await listed(openProposalsRequest({ beforeProposal: null }));
    const ids = open.map((p) => p.id[0]?.id);
    expect(ids).toEqual([...ids].sort((a, b) => (a! > b! ? -1 : 1)));
    expect(ids).toContain(900001n);
    expect(ids).toContain(900005n);
    // Executed ones are not open.
    expect(ids).not.toContain(133311n);
    expect(ids).not.toContain(DEPLOYED_MODULE_PROPOSAL_ID);
    expect(open.every((p) => p.status === 1)).toBe(true);

    const first = await listed(openProposalsRequest({ beforeProposal: null, limit: 1 }));
    const before = nextPageBefore({ page: first, limit: 1 });
    expect(before).toBe(ids[0]);
    const second = await listed(openProposalsRequest({ beforeProposal: before, limit: 1 }));
    expect(second.map((p) => p.id[0]?.id)).toEqual([ids[1]]);

    // Only canister management (topic 17), whatever the status.
    const canisters = await listed({
      ...openProposalsRequest({ beforeProposal: null, topics: [17] }),
      include_status: [],
    });
    expect(canisters.map((p) => p.id[0]?.id)).toEqual([
      900005n,
      DEPLOYED_MODULE_PROPOSAL_ID,
      133385n,
      133311n,
    ]);
  });

  it('still takes the first form of put_proposal (no action)', async () => {
    const [first] = seedProposals(NOW);
    // The first form has no `action` field; Candid leaves out fields its type does not name.
    const withoutAction = { ...first, id: 5_000_000n };
    await put(withoutAction, RecordedProposal);
    const summary = summarizeProposalInfo((await info(5_000_000n))!);
    expect(summary.icOsElection.ok).toBe(true);
  });

  it('refuses changes from a non-controller, fails on purpose in list_proposals too, and keeps proposals over an upgrade', async () => {
    const [seed] = seedProposals(NOW);
    const refused = await update(
      'put_proposal',
      [RecordedProposalWithAction],
      [{ ...seed, id: 1n }],
      STRANGER,
    );
    expect(refused.status).toBe('rejected');
    expect(await info(1n)).toBeNull();

    const failure = (mode: string) => update('set_failure_mode', [FailureMode], [{ [mode]: null }]);
    await failure('reject');
    const rejected = await list(openProposalsRequest({ beforeProposal: null }));
    expect(!Array.isArray(rejected) && rejected.rejectMessage).toMatch(/simulated outage/);
    await failure('none');

    const wasm = await readFile(await ensureCanisterBuilt('governance'));
    await host.installCode({
      canisterId: governance,
      wasm: new Uint8Array(wasm),
      arg: EMPTY_ARG,
      mode: 'upgrade',
      sender: CONTROLLER,
    });
    expect(summarizeProposalInfo((await info(133385n))!).canisterInstall.ok).toBe(true);
    expect((await listed(openProposalsRequest({ beforeProposal: null }))).length).toBeGreaterThan(
      0,
    );
  });
});
