import { describe, expect, it } from 'vitest';
import { IDL } from '@dfinity/candid';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  decodeCanisterInstall,
  decodeGetProposalInfoReply,
  decodeSnsWasmPublication,
  hexToBytes,
  ProposalsErrorCode,
  summarizeProposalInfo,
  type ProposalAction,
} from './index';

interface PayloadFixture {
  name: string;
  nnsFunction: number;
  payloadHex: string;
  realWasmModuleHashHex?: string;
  publishedArgHashHex?: string;
  expected: { ok: true; value: unknown } | { ok: false; code: string };
}

const fixtures = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../fixtures/canister-proposals.json', import.meta.url)),
    'utf8',
  ),
) as { payloads: PayloadFixture[]; replies: Array<{ name: string; replyHex: string }> };

const execute = (nnsFunction: number, payload: Uint8Array): ProposalAction => ({
  type: 'ExecuteNnsFunction',
  nnsFunction,
  payload,
});

function decoded(fixture: PayloadFixture) {
  const action = execute(fixture.nnsFunction, hexToBytes(fixture.payloadHex));
  return fixture.nnsFunction === 30
    ? decodeSnsWasmPublication(action)
    : decodeCanisterInstall(action);
}

describe('canister-module payloads encoded with each historic type', () => {
  for (const fixture of fixtures.payloads) {
    it(fixture.name, () => {
      const result = decoded(fixture);
      if (fixture.expected.ok) {
        expect(result).toEqual(fixture.expected);
      } else {
        expect(result).toMatchObject({ ok: false, code: fixture.expected.code });
        if (!result.ok) expect(result.message.length).toBeGreaterThan(10);
      }
    });
  }

  it('covers every module-carrying NNS function and every failure code', () => {
    const functions = new Set(
      fixtures.payloads.filter((f) => f.expected.ok).map((f) => f.nnsFunction),
    );
    expect([...functions].sort((a, b) => a - b)).toEqual([3, 4, 9, 30, 42]);
    const codes = new Set(
      fixtures.payloads.flatMap((f) => (f.expected.ok ? [] : [f.expected.code])),
    );
    expect(codes).toEqual(
      new Set(['FIELD_INVALID', 'PAYLOAD_UNDECODABLE', 'PAYLOAD_OMITTED', 'NOT_CANISTER_INSTALL']),
    );
  });

  it("hashes proposal 122287's upgrade argument to the hash its announcement published", () => {
    const fixture = fixtures.payloads.find(
      (f) => f.name === 'nns-canister-upgrade-122287-cmc-2023',
    )!;
    const result = decoded(fixture);
    expect(result.ok && 'argHashHex' in result.value && result.value.argHashHex).toBe(
      fixture.publishedArgHashHex,
    );
  });

  it('says which hash a stand-in module replaced, and never passes it off as the real one', () => {
    for (const fixture of fixtures.payloads.filter((f) => f.realWasmModuleHashHex)) {
      const result = decoded(fixture);
      if (!result.ok) throw new Error(result.message);
      const computed =
        'wasmModuleHashHex' in result.value
          ? result.value.wasmModuleHashHex
          : result.value.wasmSha256Hex;
      expect(computed).not.toBe(fixture.realWasmModuleHashHex);
    }
  });

  it('reads a payload that sits inside a larger buffer at an offset', () => {
    const fixture = fixtures.payloads.find((f) => f.name === 'nns-root-upgrade-2021')!;
    const payload = hexToBytes(fixture.payloadHex);
    const big = new Uint8Array(payload.length + 64);
    big.set(payload, 33);
    expect(decodeCanisterInstall(execute(9, big.subarray(33, 33 + payload.length)))).toEqual(
      fixture.expected,
    );
  });

  it('computes module hashes as sha256sum does (node:crypto as the oracle)', () => {
    const module = new Uint8Array(70_000).map((_, i) => (i * 7) & 0xff);
    // hard_reset_root_to_version's argument with a module of realistic size.
    const big = IDL.encode(
      [IDL.Record({ wasm_module: IDL.Vec(IDL.Nat8), init_arg: IDL.Vec(IDL.Nat8) })],
      [{ wasm_module: module, init_arg: new Uint8Array([1, 2, 3]) }],
    );
    const result = decodeCanisterInstall(execute(42, big));
    expect(result).toMatchObject({
      ok: true,
      value: {
        wasmModuleHashHex: createHash('sha256').update(module).digest('hex'),
        argHashHex: createHash('sha256')
          .update(new Uint8Array([1, 2, 3]))
          .digest('hex'),
        wasmModuleBytes: 70_000,
      },
    });
  });
});

describe('InstallCode proposals as governance shows them', () => {
  const reply = (name: string) =>
    summarizeProposalInfo(
      decodeGetProposalInfoReply(
        hexToBytes(fixtures.replies.find((r) => r.name === name)!.replyHex),
      )!,
    );

  it('decodes proposal 133311: the cycles minting canister, its module hash, no argument hash stated', () => {
    const summary = reply('install-code-133311-cycles-minting');
    expect(summary.topic).toBe('protocol_canister_management');
    expect(summary.canisterInstall).toEqual({
      ok: true,
      value: {
        source: 'InstallCode',
        nnsFunction: null,
        targetCanisterId: 'rkp4c-7iaaa-aaaaa-aaaca-cai',
        targetName: 'cycles-minting',
        installMode: 'upgrade',
        wasmModuleHashHex: '57f2cbbdbc2d8943173acc6ebd55aca9b9c12e2140b38ff5f20aea7b101ea570',
        argHashHex: null,
        argHex: null,
        wasmModuleBytes: null,
        stopBeforeInstalling: null,
      },
    });
    expect(summary.icOsElection).toMatchObject({ ok: false, code: 'NOT_ICOS_ELECTION' });
    expect(summary.snsWasm).toMatchObject({ ok: false, code: 'NOT_SNS_WASM' });
  });

  it('decodes proposal 133385: governance, an empty arg_hash meaning no argument', () => {
    const summary = reply('install-code-133385-governance');
    expect(summary.canisterInstall).toMatchObject({
      ok: true,
      value: {
        targetName: 'governance',
        wasmModuleHashHex: '18ca5b86271c76459f249c87d80c9e0172e09f64e18c04cf1c28d95f3489de4e',
        argHashHex: null,
      },
    });
  });

  const installCode = (
    over: Partial<Extract<ProposalAction, { type: 'InstallCode' }>>,
  ): ProposalAction => ({
    type: 'InstallCode',
    canisterId: 'rrkah-fqaaa-aaaaa-aaaaq-cai',
    installMode: 3,
    wasmModuleHashHex: 'ab'.repeat(32),
    argHashHex: 'cd'.repeat(32),
    skipStoppingBeforeInstalling: true,
    ...over,
  });

  it('refuses what no real InstallCode proposal can be', () => {
    for (const over of [
      { canisterId: null },
      { wasmModuleHashHex: null },
      { wasmModuleHashHex: 'ab'.repeat(31) },
      { argHashHex: 'cd'.repeat(16) },
    ])
      expect(decodeCanisterInstall(installCode(over))).toMatchObject({
        ok: false,
        code: ProposalsErrorCode.FIELD_INVALID,
      });
  });

  it('names unknown canisters by id, unknown modes as unknown, and reads skip_stopping', () => {
    const result = decodeCanisterInstall(
      installCode({ canisterId: 'aaaaa-aa', installMode: 9, skipStoppingBeforeInstalling: true }),
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        targetCanisterId: 'aaaaa-aa',
        targetName: null,
        installMode: 'unknown',
        stopBeforeInstalling: false,
        argHashHex: 'cd'.repeat(32),
      },
    });
  });

  it('is not a canister install for motions, unknown actions and other NNS functions', () => {
    for (const action of [
      { type: 'other', name: 'Motion' },
      { type: 'unknown' },
      execute(38, new Uint8Array([1])),
    ] as ProposalAction[])
      expect(decodeCanisterInstall(action)).toMatchObject({
        ok: false,
        code: ProposalsErrorCode.NOT_CANISTER_INSTALL,
      });
  });
});
