import { createHash } from 'node:crypto';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, IcHost, IcHostError, ModuleCache, RejectCode } from '../src/index';
import {
  CanisterIdRecord,
  CanisterStatusResult,
  FetchLogsResult,
  InstallChunkedCodeArgs,
  UpdateSettingsArgs,
  UploadChunkArgs,
} from '../src/management/idl';
import { settingsArg } from '../src/management/settings';
import {
  alice,
  bob,
  call,
  enc,
  expectReject,
  installProbe,
  probeWasm,
  query,
  replyOf,
  TestClock,
} from './helpers';

const ic = Principal.managementCanister();
const settings = (controllers: Principal[]) => settingsArg({ controllers: [controllers] });

describe('management canister', () => {
  let host: IcHost;
  let id: Principal;
  const clock = new TestClock();
  beforeAll(async () => {
    host = await IcHost.create({ clock: clock.now, log: () => undefined });
    id = await installProbe(host);
  });

  const manage = (method: string, arg: Uint8Array, sender = alice) =>
    host.update({ canisterId: ic, method, arg, sender });

  it('allocates canister ids like a local replica, and honours a specified id', async () => {
    const fresh = await IcHost.create({ log: () => undefined });
    expect((await fresh.createCanister({ controllers: [alice] })).toText()).toBe(
      'bkyz2-fmaaa-aaaaa-qaaaq-cai',
    );
    expect((await fresh.createCanister({ controllers: [alice] })).toText()).toBe(
      'bd3sg-teaaa-aaaaa-qaaba-cai',
    );
    const wanted = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
    expect(
      (await fresh.createCanister({ controllers: [alice], specifiedId: wanted })).toText(),
    ).toBe(wanted.toText());
    await expect(
      fresh.createCanister({ controllers: [alice], specifiedId: wanted }),
    ).rejects.toMatchObject({
      errorCode: ErrorCode.CanisterIdAlreadyExists,
    });
    expect(fresh.canisterIds().map((p) => p.toText())).toEqual([
      'bkyz2-fmaaa-aaaaa-qaaaq-cai',
      'bd3sg-teaaa-aaaaa-qaaba-cai',
      wanted.toText(),
    ]);
  });

  it('lets only controllers install, read status, change settings, stop and delete', async () => {
    const idArg = enc([CanisterIdRecord], [{ canister_id: id }]);
    for (const method of [
      'canister_status',
      'stop_canister',
      'start_canister',
      'delete_canister',
    ]) {
      const r = expectReject(
        await manage(method, idArg, bob),
        ErrorCode.CanisterInvalidController,
        RejectCode.CanisterError,
      );
      expect(r.rejectMessage).toContain(
        `Only controllers of canister ${id.toText()} can call ic00 method ${method}`,
      );
    }
    expectReject(
      await manage(
        'update_settings',
        enc(
          [UpdateSettingsArgs],
          [{ canister_id: id, settings: settings([bob]), sender_canister_version: [] }],
        ),
        bob,
      ),
      ErrorCode.CanisterInvalidController,
      RejectCode.CanisterError,
    );
    await expect(
      host.installCode({
        canisterId: id,
        wasm: probeWasm(),
        arg: enc([IDL.Text], ['x']),
        mode: 'upgrade',
        sender: bob,
      }),
    ).rejects.toMatchObject({ errorCode: ErrorCode.CanisterInvalidController });
  });

  it('reports canister status to controllers', async () => {
    const r = await manage('canister_status', enc([CanisterIdRecord], [{ canister_id: id }]));
    const status = replyOf<{
      status: Record<string, null>;
      module_hash: [] | [Uint8Array];
      settings: { controllers: Principal[] };
      cycles: bigint;
      memory_metrics: { stable_memory_size: bigint };
    }>(r, CanisterStatusResult);
    expect(status.status).toEqual({ running: null });
    expect([...status.module_hash[0]!]).toEqual([
      ...createHash('sha256').update(probeWasm()).digest(),
    ]);
    expect(status.settings.controllers.map((p) => p.toText())).toEqual([alice.toText()]);
    expect(status.cycles).toBe(100_000_000_000_000n);
    expect(status.memory_metrics.stable_memory_size).toBeGreaterThan(0n);
    // Also answered as a query.
    const q = await host.query({
      canisterId: ic,
      method: 'canister_status',
      arg: enc([CanisterIdRecord], [{ canister_id: id }]),
      sender: alice,
    });
    expect(q.status).toBe('replied');
  });

  it('changes controllers with update_settings', async () => {
    const other = await installProbe(host);
    await manage(
      'update_settings',
      enc(
        [UpdateSettingsArgs],
        [{ canister_id: other, settings: settings([alice, bob]), sender_canister_version: [] }],
      ),
    );
    expect(host.canister(other)!.controllers.map((p) => p.toText())).toEqual([
      alice.toText(),
      bob.toText(),
    ]);
    await host.installCode({
      canisterId: other,
      wasm: probeWasm(),
      arg: enc([IDL.Text], ['by bob']),
      mode: 'upgrade',
      sender: bob,
    });
    expect(
      replyOf<string[]>(
        await query(host, { id: other, method: 'getLifecycle' }),
        IDL.Vec(IDL.Text),
      ),
    ).toEqual(['postUpgrade:by bob']);
  });

  it('stops, starts and deletes', async () => {
    const victim = await installProbe(host);
    const idArg = enc([CanisterIdRecord], [{ canister_id: victim }]);
    expect((await manage('stop_canister', idArg)).status).toBe('replied');
    expect(host.canister(victim)!.status).toBe('stopped');
    const r = expectReject(
      await call(host, { id: victim, method: 'increment' }),
      ErrorCode.CanisterStopped,
      RejectCode.CanisterError,
    );
    expect(r.rejectMessage).toBe(`Canister ${victim.toText()} is stopped`);
    expect((await manage('start_canister', idArg)).status).toBe('replied');
    expect((await call(host, { id: victim, method: 'increment' })).status).toBe('replied');
    expectReject(
      await manage('delete_canister', idArg),
      ErrorCode.CanisterNotStopped,
      RejectCode.CanisterError,
    );
    await manage('stop_canister', idArg);
    expect((await manage('delete_canister', idArg)).status).toBe('replied');
    expect(host.canister(victim)).toBeUndefined();
    expectReject(
      await call(host, { id: victim, method: 'increment' }),
      ErrorCode.CanisterNotFound,
      RejectCode.DestinationInvalid,
    );
  });

  it('stops a canister only once its open calls are answered, refusing new ones meanwhile', async () => {
    const a = await installProbe(host);
    const b = await installProbe(host);
    const idArg = enc([CanisterIdRecord], [{ canister_id: a }]);
    // Queued in this order: A calls B; the stop request; a new call to A.
    const pending = call(host, {
      id: a,
      method: 'incrementOther',
      types: [IDL.Principal],
      values: [b],
    });
    const stop = manage('stop_canister', idArg);
    const late = call(host, { id: a, method: 'increment' });
    const [r, stopped, refused] = await Promise.all([pending, stop, late]);
    expect(replyOf<bigint>(r, IDL.Nat64)).toBe(1n);
    expect(stopped.status).toBe('replied');
    const rejected = expectReject(refused, ErrorCode.CanisterStopping, RejectCode.CanisterError);
    expect(rejected.rejectMessage).toBe(`Canister ${a.toText()} is stopping`);
    expect(host.canister(a)!.status).toBe('stopped');
  });

  it('installs chunked code (modules larger than an ingress message)', async () => {
    const target = await host.createCanister({ controllers: [alice] });
    const wasm = probeWasm();
    const hashes: Uint8Array[] = [];
    for (let at = 0; at < wasm.length; at += 1024 * 1024) {
      const chunk = wasm.subarray(at, at + 1024 * 1024);
      const r = await manage(
        'upload_chunk',
        enc([UploadChunkArgs], [{ canister_id: target, chunk }]),
      );
      hashes.push(replyOf<{ hash: Uint8Array }>(r, IDL.Record({ hash: IDL.Vec(IDL.Nat8) })).hash);
    }
    const r = await manage(
      'install_chunked_code',
      enc(
        [InstallChunkedCodeArgs],
        [
          {
            mode: { install: null },
            target_canister: target,
            store_canister: [],
            chunk_hashes_list: hashes.map((hash) => ({ hash })),
            wasm_module_hash: createHash('sha256').update(wasm).digest(),
            arg: enc([IDL.Text], ['chunked']),
            sender_canister_version: [],
          },
        ],
      ),
    );
    expect(r.status).toBe('replied');
    expect(
      replyOf<string>(await query(host, { id: target, method: 'getGreeting' }), IDL.Text),
    ).toBe('chunked');
  });

  it('rejects create_canister from ingress and unknown methods', async () => {
    const r = expectReject(
      await manage('create_canister', enc([IDL.Record({})], [{}])),
      ErrorCode.CanisterRejectedMessage,
      RejectCode.CanisterReject,
    );
    expect(r.rejectMessage).toBe(
      'ic00 method create_canister can not be called via ingress messages',
    );
    expectReject(
      await manage('no_such_method', enc([], [])),
      ErrorCode.CanisterMethodNotFound,
      RejectCode.CanisterError,
    );
    expectReject(
      await manage('canister_status', enc([IDL.Text], ['garbage'])),
      ErrorCode.InvalidManagementPayload,
      RejectCode.CanisterReject,
    );
  });

  it('serves the debug_print log through fetch_canister_logs', async () => {
    await call(host, { id, method: 'shout', types: [IDL.Text], values: ['for the log'] });
    const r = await host.query({
      canisterId: ic,
      method: 'fetch_canister_logs',
      arg: enc([CanisterIdRecord], [{ canister_id: id }]),
      sender: alice,
    });
    const logs = replyOf<{ canister_log_records: { content: Uint8Array }[] }>(r, FetchLogsResult);
    expect(
      logs.canister_log_records.some((l) =>
        new TextDecoder().decode(l.content).includes('for the log'),
      ),
    ).toBe(true);
    const denied = await host.query({
      canisterId: ic,
      method: 'fetch_canister_logs',
      arg: enc([CanisterIdRecord], [{ canister_id: id }]),
      sender: bob,
    });
    expect(denied.status).toBe('rejected');
  });
});

describe('module loading', () => {
  /** The probe module with one import renamed (same length), like a newer azle adding one. */
  function withRenamedImport(from: string, to: string): Uint8Array {
    const wasm = new Uint8Array(probeWasm());
    const needle = new TextEncoder().encode(from);
    const at = Buffer.from(wasm).indexOf(Buffer.from(needle));
    expect(at).toBeGreaterThan(0);
    wasm.set(new TextEncoder().encode(to), at);
    return wasm;
  }

  it('fails loudly, naming the import, when a module imports a System API function the host lacks', async () => {
    const wasm = withRenamedImport('in_replicated_execution', 'in_replicated_executiox');
    expect(() => new ModuleCache().load(wasm, { instrumented: false })).toThrow(IcHostError);
    expect(() => new ModuleCache().load(wasm, { instrumented: false })).toThrow(
      "Module imports function 'ic0.in_replicated_executiox' that this host does not implement",
    );
    const host = await IcHost.create({ log: () => undefined });
    const id = await host.createCanister({ controllers: [alice] });
    const failing = host.installCode({
      canisterId: id,
      wasm,
      arg: enc([IDL.Text], ['x']),
      mode: 'install',
      sender: alice,
    });
    await expect(failing).rejects.toMatchObject({
      errorCode: ErrorCode.CanisterInvalidWasm,
      rejectCode: RejectCode.CanisterError,
    });
    await expect(failing).rejects.toThrow(/in_replicated_executiox/);
    expect(host.canister(id)!.moduleHash).toBeUndefined();
  });

  it('rejects bytes that are not a Wasm module', async () => {
    expect(() =>
      new ModuleCache().load(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), { instrumented: false }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_WASM' }));
  });

  it('caches compiled modules by hash and mode', () => {
    const cache = new ModuleCache();
    const first = cache.load(probeWasm(), { instrumented: false });
    expect(cache.load(new Uint8Array(probeWasm()), { instrumented: false })).toBe(first);
    expect(cache.load(probeWasm(), { instrumented: true })).not.toBe(first);
  });
});
