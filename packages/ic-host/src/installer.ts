/**
 * Installing and removing code: install / reinstall / upgrade (pre_upgrade on the old instance,
 * post_upgrade or init on a new one, all or nothing), uninstall, and instantiating a module for
 * a canister (also used to rebuild canisters from the store and to load snapshots).
 */
import { Principal } from '@dfinity/principal';
import type { CallContexts, Response } from './call-contexts';
import { EMPTY_CANDID } from './call-contexts';
import type { Canister } from './canister';
import { ErrorCode, IcHostError, rejects, type SystemReject } from './errors';
import type { Executor } from './executor';
import { CanisterInstance } from './instance';
import { sha256, type LoadedModule, type ModuleCache } from './module-cache';
import type { HostState } from './state';
import { Execution } from './system-api';
import type { Limits } from './types';

export type InstallMode = 'install' | 'reinstall' | 'upgrade';

export class Installer {
  constructor(
    private readonly deps: {
      state: HostState;
      executor: Executor;
      contexts: CallContexts;
      modules: ModuleCache;
      limits: Limits;
      instrumented: boolean;
    },
  ) {}

  /** Loads (and caches) a module for this host's mode. Throws IcHostError for a bad module. */
  load(wasm: Uint8Array): LoadedModule {
    return this.deps.modules.load(wasm, { instrumented: this.deps.instrumented });
  }

  /** A new instance of `loaded` for `c`; a start function runs as `sender`. */
  instantiate(args: {
    canister: Canister;
    loaded: LoadedModule;
    sender: Uint8Array;
    time: bigint;
  }): { instance?: CanisterInstance; trap?: SystemReject } {
    const c = args.canister;
    const start = new Execution({
      kind: 'start',
      canister: c.env(),
      caller: args.sender,
      arg: new Uint8Array(0),
      time: args.time,
      maxReplyBytes: 0,
      maxCallPayloadBytes: 0,
      log: (message) => this.deps.executor.log(c, args.time, message),
    });
    return CanisterInstance.create(args.loaded, start);
  }

  install(args: {
    canister: Canister;
    mode: InstallMode;
    skipPreUpgrade: boolean;
    wasm: Uint8Array;
    arg: Uint8Array;
    sender: string;
  }): Response {
    const { canister: c, mode, wasm, arg, sender } = args;
    const { executor, state } = this.deps;
    let loaded;
    try {
      loaded = this.load(wasm);
    } catch (e) {
      if (e instanceof IcHostError) return { reject: rejects.invalidWasm(c.idText, e.message) };
      throw e;
    }
    if (mode === 'install' && c.module) {
      return {
        reject: rejects.withCode(
          ErrorCode.CanisterNonEmpty,
          `Canister ${c.idText} cannot be installed because the canister is not empty. Try installing with mode='reinstall' instead.`,
        ),
      };
    }
    if (mode === 'upgrade' && !c.instance) return { reject: rejects.wasmModuleNotFound(c.idText) };

    const senderBytes = Principal.fromText(sender).toUint8Array();
    const time = state.stepTime;
    let budget = this.deps.limits.installInstructions;
    const old = c.instance;
    const oldVersion = c.version;
    const certifiedBefore = c.certifiedData;
    const timerBefore = c.globalTimer;
    c.stable.begin();
    const fail = (trap: SystemReject): Response => {
      c.stable.rollback();
      old?.rollback();
      c.version = oldVersion;
      c.certifiedData = certifiedBefore;
      c.globalTimer = timerBefore;
      return { reject: trap };
    };

    if (mode === 'upgrade' && !args.skipPreUpgrade && old!.hasExport('canister_pre_upgrade')) {
      const pre = executor.execute({
        canister: c,
        kind: 'pre_upgrade',
        entry: { export: 'canister_pre_upgrade' },
        arg: new Uint8Array(0),
        caller: senderBytes,
        limit: budget,
        time,
      });
      if (pre.trap) return fail(pre.trap);
      budget -= pre.instructions;
      if (pre.exec.certifiedData) c.certifiedData = pre.exec.certifiedData;
    }
    if (mode !== 'upgrade') c.stable.reset();

    // The new module sees the new version (spec: post_upgrade sees the incremented counter).
    c.version = oldVersion + 1n;
    let created;
    try {
      created = this.instantiate({ canister: c, loaded, sender: senderBytes, time });
    } catch (e) {
      return fail(rejects.invalidWasm(c.idText, (e as Error).message));
    }
    if (created.trap) return fail(created.trap);
    const instance = created.instance!;
    if (mode !== 'upgrade') c.certifiedData = new Uint8Array(0);
    c.globalTimer = 0n;
    const entry = mode === 'upgrade' ? 'canister_post_upgrade' : 'canister_init';
    let effects: Execution | undefined;
    if (instance.hasExport(entry)) {
      const run = executor.execute({
        canister: c,
        kind: mode === 'upgrade' ? 'post_upgrade' : 'init',
        entry: { export: entry },
        arg,
        caller: senderBytes,
        limit: budget,
        time,
        instance,
      });
      if (run.trap) return fail(run.trap);
      effects = run.exec;
    }

    // Success: the new module replaces the old one.
    if (mode !== 'upgrade') this.deps.contexts.dropCode(c, 'Canister has been reinstalled.');
    c.stable.commit();
    instance.checkpoint();
    c.instance = instance;
    c.module = { wasm, hash: sha256(wasm), loaded };
    c.install = { arg, sender };
    if (effects?.certifiedData) c.certifiedData = effects.certifiedData;
    if (effects?.globalTimer !== undefined) c.globalTimer = effects.globalTimer;
    if (effects) {
      const delta = effects.cyclesAccepted - effects.cyclesBurned - effects.cyclesSent;
      if (delta !== 0n) c.cycles += delta;
    }
    c.mark('module', 'install', 'certifiedData', 'version', 'cycles');
    state.recordChange(c, sender, {
      code_deployment: { mode: { [mode]: null } as { install: null }, module_hash: c.module.hash },
    });
    return { reply: EMPTY_CANDID };
  }

  uninstall(c: Canister, caller: string): void {
    this.deps.contexts.dropCode(c, 'Canister has been uninstalled.');
    c.stable.begin();
    c.stable.reset();
    c.stable.commit();
    c.instance = undefined;
    c.module = undefined;
    c.install = undefined;
    c.certifiedData = new Uint8Array(0);
    c.globalTimer = 0n;
    c.chunks.clear();
    c.version += 1n;
    c.mark('module', 'install', 'certifiedData', 'version');
    this.deps.state.recordChange(c, caller, { code_uninstall: null });
  }
}
