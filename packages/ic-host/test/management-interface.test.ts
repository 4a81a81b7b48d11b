/**
 * The management canister as the current interface has it: canister snapshots, canister_info
 * and canister_metadata (canisters only), settings kept as given, and modules that import their
 * memory or export none.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  IcHost,
  InMemoryStateStore,
  RejectCode,
  ManagementIdl as M,
  type CallResult,
} from '../src/index';
import { settingsArg } from '../src/management/settings';
import {
  alice,
  bob,
  call,
  enc,
  expectReject,
  installProbe,
  probeHost,
  query,
  replyOf,
  type ProbeSetup,
} from './helpers';

const ic = Principal.managementCanister();

/** Asserts that a call was answered with a reply (of `()`). */
function replied(r: CallResult): void {
  if (r.status !== 'replied')
    throw new Error(`expected a reply, got ${r.errorCode}: ${r.rejectMessage}`);
}

function manage(host: IcHost, method: string, type: IDL.Type, value: unknown, sender = alice) {
  return host.update({ canisterId: ic, method, arg: enc([type], [value]), sender });
}

describe('canister snapshots', () => {
  let s: ProbeSetup;
  beforeAll(async () => {
    s = await probeHost();
  });

  it('takes, lists, loads and deletes snapshots (controllers only)', async () => {
    const { host, id } = s;
    await call(host, { id, method: 'increment' });
    await call(host, { id, method: 'put', types: [IDL.Text, IDL.Text], values: ['k', 'before'] });
    const taken = replyOf<M.SnapshotValue>(
      await manage(host, 'take_canister_snapshot', M.TakeSnapshotArgs, {
        canister_id: id,
        replace_snapshot: [],
        uninstall_code: [],
        sender_canister_version: [],
      }),
      M.Snapshot,
    );
    expect([...taken.id.subarray(0, id.toUint8Array().length)]).toEqual([...id.toUint8Array()]);
    expect(taken.total_size).toBeGreaterThan(0n);

    // Change heap and stable memory after the snapshot.
    await call(host, { id, method: 'increment' });
    await call(host, { id, method: 'put', types: [IDL.Text, IDL.Text], values: ['k', 'after'] });
    const count = async () =>
      replyOf<bigint>(await query(host, { id, method: 'getCount' }), IDL.Nat64);
    expect(await count()).toBe(2n);

    const listed = replyOf<M.SnapshotValue[]>(
      await manage(host, 'list_canister_snapshots', M.CanisterIdRecord, { canister_id: id }),
      M.ListSnapshotsResult,
    );
    expect(listed.map((x) => Buffer.from(x.id).toString('hex'))).toEqual([
      Buffer.from(taken.id).toString('hex'),
    ]);
    expectReject(
      await manage(host, 'list_canister_snapshots', M.CanisterIdRecord, { canister_id: id }, bob),
      ErrorCode.CanisterInvalidController,
      RejectCode.CanisterError,
    );

    replied(
      await manage(host, 'load_canister_snapshot', M.LoadSnapshotArgs, {
        canister_id: id,
        snapshot_id: taken.id,
        sender_canister_version: [],
      }),
    );
    // Heap (the counter) and stable memory (the map) are as they were when it was taken.
    expect(await count()).toBe(1n);
    const value = await query(host, { id, method: 'get', types: [IDL.Text], values: ['k'] });
    expect(replyOf<[] | [string]>(value, IDL.Opt(IDL.Text))).toEqual(['before']);
    // And the canister works on from there.
    await call(host, { id, method: 'increment' });
    expect(await count()).toBe(2n);

    replied(
      await manage(host, 'delete_canister_snapshot', M.DeleteSnapshotArgs, {
        canister_id: id,
        snapshot_id: taken.id,
      }),
    );
    expectReject(
      await manage(host, 'load_canister_snapshot', M.LoadSnapshotArgs, {
        canister_id: id,
        snapshot_id: taken.id,
        sender_canister_version: [],
      }),
      ErrorCode.CanisterSnapshotNotFound,
      RejectCode.DestinationInvalid,
    );
  });

  it('keeps snapshots in the store: a restarted host still lists and loads them', async () => {
    const store = new InMemoryStateStore();
    const first = await IcHost.create({ store, log: () => undefined });
    const id = await installProbe(first);
    await call(first, { id, method: 'put', types: [IDL.Text, IDL.Text], values: ['k', 'v1'] });
    const taken = replyOf<M.SnapshotValue>(
      await manage(first, 'take_canister_snapshot', M.TakeSnapshotArgs, {
        canister_id: id,
        replace_snapshot: [],
        uninstall_code: [],
        sender_canister_version: [],
      }),
      M.Snapshot,
    );
    await call(first, { id, method: 'put', types: [IDL.Text, IDL.Text], values: ['k', 'v2'] });

    const again = await IcHost.create({ store, log: () => undefined });
    replied(
      await manage(again, 'load_canister_snapshot', M.LoadSnapshotArgs, {
        canister_id: id,
        snapshot_id: taken.id,
        sender_canister_version: [],
      }),
    );
    const value = await query(again, { id, method: 'get', types: [IDL.Text], values: ['k'] });
    expect(replyOf<[] | [string]>(value, IDL.Opt(IDL.Text))).toEqual(['v1']);
  });
});

describe('settings, status and public canister data', () => {
  it('keeps every setting given and reports today’s status record', async () => {
    const { host, id } = await probeHost();
    const settings = {
      ...settingsArg({ controllers: [[alice, bob]] }),
      compute_allocation: [7n],
      freezing_threshold: [1_000n],
      log_visibility: [{ allowed_viewers: [bob] }],
      log_memory_limit: [8192n],
      wasm_memory_limit: [1_000_000_000n],
      wasm_memory_threshold: [1_000n],
      environment_variables: [[{ name: 'MODE', value: 'test' }]],
    };
    replied(
      await manage(host, 'update_settings', M.UpdateSettingsArgs, {
        canister_id: id,
        settings,
        sender_canister_version: [],
      }),
    );
    await call(host, { id, method: 'shout', types: [IDL.Text], values: ['a line for the log'] });
    const status = replyOf<{
      settings: Record<string, unknown>;
      memory_metrics: Record<string, bigint>;
      memory_size: bigint;
    }>(
      await manage(host, 'canister_status', M.CanisterIdRecord, { canister_id: id }, bob),
      M.CanisterStatusResult,
    );
    expect(status.settings).toMatchObject({
      compute_allocation: 7n,
      freezing_threshold: 1_000n,
      log_memory_limit: 8192n,
      wasm_memory_limit: 1_000_000_000n,
      wasm_memory_threshold: 1_000n,
      environment_variables: [{ name: 'MODE', value: 'test' }],
    });
    expect(
      (status.settings.log_visibility as { allowed_viewers: Principal[] }).allowed_viewers.map(
        (p) => p.toText(),
      ),
    ).toEqual([bob.toText()]);
    const m = status.memory_metrics;
    expect(m.log_memory_store_size).toBeGreaterThan(0n); // it printed above
    expect(m.custom_sections_size).toBeGreaterThan(0n);
    expect(status.memory_size).toBe(Object.values(m).reduce((a, b) => a + b, 0n));
  });

  it('answers canister_info and canister_metadata to canisters, not to users', async () => {
    const { host, id } = await probeHost();
    const other = await installProbe(host);
    const info = replyOf<Uint8Array>(
      await call(host, {
        id,
        method: 'forward',
        types: [IDL.Principal, IDL.Text, IDL.Vec(IDL.Nat8)],
        values: [
          ic,
          'canister_info',
          enc([M.CanisterInfoArgs], [{ canister_id: other, num_requested_changes: [5n] }]),
        ],
      }),
      IDL.Vec(IDL.Nat8),
    );
    const [decoded] = IDL.decode([M.CanisterInfoResult], info) as unknown as [
      {
        total_num_changes: bigint;
        recent_changes: { details: [] | [Record<string, unknown>] }[];
        module_hash: [] | [Uint8Array];
        controllers: Principal[];
      },
    ];
    expect(decoded.total_num_changes).toBe(2n);
    expect(decoded.recent_changes.map((c) => Object.keys(c.details[0]!)[0])).toEqual([
      'creation',
      'code_deployment',
    ]);
    expect(decoded.module_hash[0]).toEqual(host.canister(other)!.moduleHash);
    expect(decoded.controllers.map((p) => p.toText())).toEqual([alice.toText()]);
    expectReject(
      await manage(host, 'canister_info', M.CanisterInfoArgs, {
        canister_id: other,
        num_requested_changes: [],
      }),
      ErrorCode.CanisterRejectedMessage,
      RejectCode.CanisterReject,
    );
  });
});

describe('modules as the IC accepts them', () => {
  const name = (s: string) => [s.length, ...new TextEncoder().encode(s)];
  /** Wraps section payloads into a module (payload sizes < 128). */
  const module = (sections: [number, number[]][]) => {
    const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    for (const [id, payload] of sections) out.push(id, payload.length, ...payload);
    return new Uint8Array(out);
  };
  // `hello` replies Candid ("hi") from a data segment: msg_reply_data_append(0, 10); msg_reply().
  const REPLY = [0x44, 0x49, 0x44, 0x4c, 0x00, 0x01, 0x71, 0x02, 0x68, 0x69];
  const code = [0x00, 0x41, 0x00, 0x41, 0x0a, 0x10, 0x00, 0x10, 0x01, 0x0b];
  const parts = (memory: 'imported' | 'defined'): [number, number[]][] => [
    [1, [0x02, 0x60, 0x02, 0x7f, 0x7f, 0x00, 0x60, 0x00, 0x00]],
    [
      2,
      [
        memory === 'imported' ? 0x03 : 0x02,
        ...name('ic0'),
        ...name('msg_reply_data_append'),
        0x00,
        0x00,
        ...name('ic0'),
        ...name('msg_reply'),
        0x00,
        0x01,
        ...(memory === 'imported' ? [...name('env'), ...name('memory'), 0x02, 0x00, 0x01] : []),
      ],
    ],
    [3, [0x01, 0x01]],
    ...(memory === 'defined' ? ([[5, [0x01, 0x00, 0x01]]] as [number, number[]][]) : []),
    [7, [0x01, ...name('canister_update hello'), 0x00, 0x02]],
    [10, [0x01, code.length, ...code]],
    [11, [0x01, 0x00, 0x41, 0x00, 0x0b, REPLY.length, ...REPLY]],
  ];

  it('runs a module with a 64-bit memory, its System API addresses i64 as the IC has them', async () => {
    const host = await IcHost.create({ log: () => undefined });
    const id = await host.createCanister({ controllers: [alice] });
    const code64 = [0x00, 0x42, 0x00, 0x42, 0x0a, 0x10, 0x00, 0x10, 0x01, 0x0b];
    const wasm64 = module([
      [1, [0x02, 0x60, 0x02, 0x7e, 0x7e, 0x00, 0x60, 0x00, 0x00]],
      [
        2,
        [
          0x02,
          ...name('ic0'),
          ...name('msg_reply_data_append'),
          0x00,
          0x00,
          ...name('ic0'),
          ...name('msg_reply'),
          0x00,
          0x01,
        ],
      ],
      [3, [0x01, 0x01]],
      [5, [0x01, 0x04, 0x01]],
      [7, [0x01, ...name('canister_update hello'), 0x00, 0x02]],
      [10, [0x01, code64.length, ...code64]],
      [11, [0x01, 0x00, 0x42, 0x00, 0x0b, REPLY.length, ...REPLY]],
    ]);
    await host.installCode({
      canisterId: id,
      wasm: wasm64,
      arg: enc([], []),
      mode: 'install',
      sender: alice,
    });
    expect(replyOf<string>(await call(host, { id, method: 'hello' }), IDL.Text)).toBe('hi');
    // A 32-bit signature in a 64-bit module is refused, naming the import.
    const wrong = await IcHost.create({ log: () => undefined });
    const other = await wrong.createCanister({ controllers: [alice] });
    await expect(
      wrong.installCode({
        canisterId: other,
        wasm: module(
          parts('defined').map(([id, p]) => (id === 5 ? [5, [0x01, 0x04, 0x01]] : [id, p])),
        ),
        arg: enc([], []),
        mode: 'install',
        sender: alice,
      }),
    ).rejects.toThrow(
      /msg_reply_data_append' is imported with type \(i32, i32\) -> \(\), expected \(i64, i64\) -> \(\)/,
    );
  });

  for (const memory of ['imported', 'defined'] as const) {
    it(`runs a module whose memory is ${memory} and not exported`, async () => {
      const host = await IcHost.create({ log: () => undefined });
      const id = await host.createCanister({ controllers: [alice] });
      await host.installCode({
        canisterId: id,
        wasm: module(parts(memory)),
        arg: enc([], []),
        mode: 'install',
        sender: alice,
      });
      const r = await call(host, { id, method: 'hello' });
      expect(replyOf<string>(r, IDL.Text)).toBe('hi');
    });
  }
});
