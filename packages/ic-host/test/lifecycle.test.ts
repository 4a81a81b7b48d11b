import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { IDL } from '@dfinity/candid';
import { describe, expect, it } from 'vitest';
import { ErrorCode, IcRejectError, RejectCode } from '../src/index';
import { alice, call, enc, probeHost, probeWasm, query, replyOf } from './helpers';

const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

describe('install, upgrade, timers', () => {
  it('passes the init argument and records the module hash', async () => {
    const s = await probeHost({}, 'bonjour');
    expect(
      replyOf<string>(await query(s.host, { id: s.id, method: 'getGreeting' }), IDL.Text),
    ).toBe('bonjour');
    expect(
      replyOf<string[]>(
        await query(s.host, { id: s.id, method: 'getLifecycle' }),
        IDL.Vec(IDL.Text),
      ),
    ).toEqual(['init']);
    expect(s.host.canister(s.id)!.moduleHash).toEqual(sha256(probeWasm()));
  });

  it('upgrades: stable memory kept, heap rebuilt by post_upgrade, version bumped', async () => {
    const s = await probeHost();
    await call(s.host, {
      id: s.id,
      method: 'put',
      types: [IDL.Text, IDL.Text],
      values: ['kept', 'yes'],
    });
    await call(s.host, { id: s.id, method: 'increment' });
    await call(s.host, { id: s.id, method: 'increment' });
    const version = s.host.canister(s.id)!.version;
    await s.host.installCode({
      canisterId: s.id,
      wasm: probeWasm(),
      arg: enc([IDL.Text], ['v2']),
      mode: 'upgrade',
      sender: alice,
    });
    expect(
      replyOf(
        await query(s.host, { id: s.id, method: 'get', types: [IDL.Text], values: ['kept'] }),
        IDL.Opt(IDL.Text),
      ),
    ).toEqual(['yes']);
    // pre_upgrade saved the count in stable memory; post_upgrade read it back into the fresh heap.
    expect(replyOf<bigint>(await query(s.host, { id: s.id, method: 'getCount' }), IDL.Nat64)).toBe(
      2n,
    );
    expect(
      replyOf<string[]>(
        await query(s.host, { id: s.id, method: 'getLifecycle' }),
        IDL.Vec(IDL.Text),
      ),
    ).toEqual(['postUpgrade:v2']);
    expect(s.host.canister(s.id)!.version).toBeGreaterThan(version);
    expect(replyOf<bigint>(await query(s.host, { id: s.id, method: 'version' }), IDL.Nat64)).toBe(
      s.host.canister(s.id)!.version,
    );
  });

  it('leaves the old module and all state untouched when an upgrade fails', async () => {
    const s = await probeHost();
    await call(s.host, {
      id: s.id,
      method: 'put',
      types: [IDL.Text, IDL.Text],
      values: ['before', 'upgrade'],
    });
    await call(s.host, { id: s.id, method: 'increment' });
    const view = s.host.canister(s.id)!;
    const failing = s.host.installCode({
      canisterId: s.id,
      wasm: gzipSync(probeWasm()),
      arg: enc([IDL.Text], ['trap']),
      mode: 'upgrade',
      sender: alice,
    });
    await expect(failing).rejects.toBeInstanceOf(IcRejectError);
    await expect(failing).rejects.toMatchObject({
      errorCode: ErrorCode.CanisterCalledTrap,
      rejectCode: RejectCode.CanisterError,
    });
    await expect(failing).rejects.toThrow(/post_upgrade refused/);
    const after = s.host.canister(s.id)!;
    expect(after.moduleHash).toEqual(view.moduleHash);
    expect(after.version).toBe(view.version);
    // The heap is the one before pre_upgrade ran (pre_upgrade's stable write is undone too).
    expect(replyOf<bigint>(await query(s.host, { id: s.id, method: 'getCount' }), IDL.Nat64)).toBe(
      1n,
    );
    expect(
      replyOf<string[]>(
        await query(s.host, { id: s.id, method: 'getLifecycle' }),
        IDL.Vec(IDL.Text),
      ),
    ).toEqual(['init']);
    expect(
      replyOf(
        await query(s.host, {
          id: s.id,
          method: 'get',
          types: [IDL.Text],
          values: ['preUpgradeCount'],
        }),
        IDL.Opt(IDL.Text),
      ),
    ).toEqual([]);
    expect(
      replyOf(
        await query(s.host, { id: s.id, method: 'get', types: [IDL.Text], values: ['before'] }),
        IDL.Opt(IDL.Text),
      ),
    ).toEqual(['upgrade']);
    expect(replyOf<bigint>(await call(s.host, { id: s.id, method: 'increment' }), IDL.Nat64)).toBe(
      2n,
    );
  });

  it('leaves the canister empty when canister_init traps, and a later install works', async () => {
    const s = await probeHost();
    const id = await s.host.createCanister({ controllers: [alice] });
    const failing = s.host.installCode({
      canisterId: id,
      wasm: probeWasm(),
      arg: enc([IDL.Text], ['trap']),
      mode: 'install',
      sender: alice,
    });
    await expect(failing).rejects.toMatchObject({ errorCode: ErrorCode.CanisterCalledTrap });
    await expect(failing).rejects.toThrow(/init refused/);
    expect(s.host.canister(id)!.moduleHash).toBeUndefined();
    expect(s.host.canister(id)!.stableMemoryPages).toBe(0n);
    const r = await query(s.host, { id, method: 'getGreeting' });
    expect(r).toMatchObject({
      status: 'rejected',
      errorCode: ErrorCode.CanisterWasmModuleNotFound,
    });
    await s.host.installCode({
      canisterId: id,
      wasm: probeWasm(),
      arg: enc([IDL.Text], ['second try']),
      mode: 'install',
      sender: alice,
    });
    expect(replyOf<string>(await query(s.host, { id, method: 'getGreeting' }), IDL.Text)).toBe(
      'second try',
    );
  });

  it('reinstall wipes stable memory; install on a non-empty canister is refused', async () => {
    const s = await probeHost();
    await call(s.host, {
      id: s.id,
      method: 'put',
      types: [IDL.Text, IDL.Text],
      values: ['gone', 'soon'],
    });
    await expect(
      s.host.installCode({
        canisterId: s.id,
        wasm: probeWasm(),
        arg: enc([IDL.Text], ['x']),
        mode: 'install',
        sender: alice,
      }),
    ).rejects.toMatchObject({ errorCode: ErrorCode.CanisterNonEmpty });
    await s.host.installCode({
      canisterId: s.id,
      wasm: probeWasm(),
      arg: enc([IDL.Text], ['again']),
      mode: 'reinstall',
      sender: alice,
    });
    expect(
      replyOf(
        await query(s.host, { id: s.id, method: 'get', types: [IDL.Text], values: ['gone'] }),
        IDL.Opt(IDL.Text),
      ),
    ).toEqual([]);
    expect(
      replyOf<string>(await query(s.host, { id: s.id, method: 'getGreeting' }), IDL.Text),
    ).toBe('again');
  });

  it('installs a gzipped module; its hash is that of the bytes given', async () => {
    const s = await probeHost();
    const gz = gzipSync(probeWasm());
    await s.host.installCode({
      canisterId: s.id,
      wasm: gz,
      arg: enc([IDL.Text], ['zipped']),
      mode: 'upgrade',
      sender: alice,
    });
    expect(s.host.canister(s.id)!.moduleHash).toEqual(sha256(gz));
    expect(
      replyOf<string[]>(
        await query(s.host, { id: s.id, method: 'getLifecycle' }),
        IDL.Vec(IDL.Text),
      ),
    ).toEqual(['postUpgrade:zipped']);
  });

  it('fires a global timer when it is due, not before', async () => {
    const s = await probeHost();
    await call(s.host, { id: s.id, method: 'scheduleTimer', types: [IDL.Nat32], values: [5] });
    expect(s.host.canister(s.id)!.globalTimer).toBe(s.clock.t + 5_000_000_000n);
    s.clock.advanceSeconds(4);
    await s.host.tick();
    expect(
      replyOf<bigint>(await query(s.host, { id: s.id, method: 'timerCount' }), IDL.Nat64),
    ).toBe(0n);
    s.clock.advanceSeconds(2);
    await s.host.tick();
    expect(
      replyOf<bigint>(await query(s.host, { id: s.id, method: 'timerCount' }), IDL.Nat64),
    ).toBe(1n);
    expect(s.host.canister(s.id)!.globalTimer).toBe(0n);
  });

  it('runs canister_heartbeat on every tick', async () => {
    const s = await probeHost();
    const before = replyOf<bigint>(
      await query(s.host, { id: s.id, method: 'heartbeatCount' }),
      IDL.Nat64,
    );
    await s.host.tick();
    await s.host.tick();
    expect(
      replyOf<bigint>(await query(s.host, { id: s.id, method: 'heartbeatCount' }), IDL.Nat64),
    ).toBe(before + 2n);
  });

  it('fires timers on its own with startAutoTick (wall clock)', async () => {
    const s = await probeHost({ clock: () => BigInt(Date.now()) * 1_000_000n });
    await call(s.host, { id: s.id, method: 'scheduleTimer', types: [IDL.Nat32], values: [0] });
    const stop = s.host.startAutoTick(10);
    try {
      const deadline = Date.now() + 10_000;
      let fired = 0n;
      while (fired === 0n && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        fired = replyOf<bigint>(await query(s.host, { id: s.id, method: 'timerCount' }), IDL.Nat64);
      }
      expect(fired).toBe(1n);
    } finally {
      stop();
    }
  });

  it('serves raw_rand to canisters (and the seed timer of azle init went through it)', async () => {
    let draws = 0;
    const s = await probeHost({
      random: (n) => {
        draws++;
        return new Uint8Array(n).fill(7);
      },
    });
    // azle's init sets a timer; its handler self-calls timer_executor, which calls raw_rand.
    expect(draws).toBe(1);
    const bytes = replyOf<Uint8Array>(
      await call(s.host, { id: s.id, method: 'rawRand' }),
      IDL.Vec(IDL.Nat8),
    );
    expect([...bytes]).toEqual(new Array(32).fill(7));
    // Ingress may not call raw_rand.
    const r = await s.host.update({
      canisterId: (await import('@dfinity/principal')).Principal.managementCanister(),
      method: 'raw_rand',
      arg: enc([], []),
      sender: alice,
    });
    expect(r).toMatchObject({
      status: 'rejected',
      rejectCode: RejectCode.CanisterReject,
      errorCode: ErrorCode.CanisterRejectedMessage,
    });
  });
});
