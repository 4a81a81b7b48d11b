/**
 * IcHost: many canisters, a clock, a FIFO message queue, call contexts and callbacks, global
 * timers, the management canister, and one store commit per state-changing message.
 *
 * This file is the host's face: it checks what callers hand in and puts the rooms together —
 * the replicated state (state.ts), executions (executor.ts), the queue and call contexts
 * (scheduler.ts, call-contexts.ts), queries (queries.ts), installing code (installer.ts), the
 * management canister (management/), and rebuilding from the store (restore.ts).
 */
import { randomBytes } from 'node:crypto';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { Executor } from './executor';
import { IcHostError, IcRejectError, rejects } from './errors';
import { Installer } from './installer';
import { ManagementCanister } from './management';
import * as M from './management/idl';
import { settingsArg } from './management/settings';
import { defaultModuleCache } from './module-cache';
import { QueryRunner } from './queries';
import { restoreState } from './restore';
import { MANAGEMENT_TEXT, Scheduler, callResult, unavailable } from './scheduler';
import { HostState } from './state';
import { InMemoryStateStore, type StateStore } from './store';
import {
  IC_LIMITS,
  type CallResult,
  type CanisterView,
  type HostOptions,
  type InspectResult,
  type LogLine,
} from './types';

export { FIRST_CANISTER_ID, canisterIdFromU64 } from './state';
export {
  IC_LIMITS,
  type CallResult,
  type CanisterView,
  type ExecutionRecord,
  type HostOptions,
  type InspectResult,
  type Limits,
  type LogLine,
} from './types';

interface CallArgs {
  canisterId: Principal;
  method: string;
  arg: Uint8Array;
  sender: Principal;
}

export class IcHost {
  readonly instrumented: boolean;
  private readonly state: HostState;
  private readonly store: StateStore;
  private readonly logSink: (line: LogLine) => void;
  private readonly limits;
  private readonly scheduler: Scheduler;
  private readonly queries: QueryRunner;
  private readonly installer: Installer;
  private readonly executor: Executor;
  private readonly management: ManagementCanister;

  private constructor(opts: HostOptions) {
    this.instrumented = opts.instrumented ?? false;
    const limits = { ...IC_LIMITS, ...opts.limits };
    this.limits = limits;
    this.store = opts.store ?? new InMemoryStateStore();
    this.logSink =
      opts.log ??
      ((line) => process.stderr.write(`[Canister ${line.canisterId}] ${line.message}\n`));
    const state = new HostState(opts.clock ?? (() => BigInt(Date.now()) * 1_000_000n));
    this.state = state;
    const logSink = this.logSink;
    this.executor = new Executor({ state, limits, logSink, onExecution: opts.onExecution });
    const executor = this.executor;
    this.scheduler = new Scheduler({
      state,
      executor,
      store: this.store,
      limits,
      instrumented: this.instrumented,
      logSink,
    });
    const contexts = this.scheduler.contexts;
    this.queries = new QueryRunner({ state, executor, limits });
    this.installer = new Installer({
      state,
      executor,
      contexts,
      modules: opts.moduleCache ?? defaultModuleCache,
      limits,
      instrumented: this.instrumented,
    });
    const random = opts.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
    this.management = new ManagementCanister(
      { state, contexts, installer: this.installer, executor, random },
      (args) => this.scheduler.respond(args),
    );
    this.scheduler.management = (msg) => this.management.call(msg);
  }

  /** Builds a host; if the store holds state, every canister is rebuilt from it. */
  static async create(opts: HostOptions = {}): Promise<IcHost> {
    const host = new IcHost(opts);
    const stored = await host.store.load();
    if (stored) {
      const { state, installer, executor, limits } = host;
      restoreState({ stored, state, installer, executor, limits });
      await host.scheduler.commitStep();
    }
    return host;
  }

  now(): bigint {
    return this.state.now();
  }

  canisterIds(): Principal[] {
    return [...this.state.canisters.values()].map((c) => c.id);
  }

  canister(id: Principal): CanisterView | undefined {
    const c = this.state.get(id.toText());
    if (!c) return undefined;
    return {
      id: c.id,
      ...(c.module ? { moduleHash: c.module.hash } : {}),
      controllers: c.settings.controllers.map((p) => Principal.fromText(p)),
      certifiedData: c.certifiedData,
      status: c.status,
      version: c.version,
      cycles: c.cycles,
      stableMemoryPages: BigInt(c.stable.sizePages),
      wasmMemoryBytes: c.instance?.heapBytes ?? 0,
      globalTimer: c.globalTimer,
      metadata: c.module?.loaded.metadata ?? new Map(),
    };
  }

  /** Ingress update (also to `aaaaa-aa`): resolves when answered and committed. */
  async update(args: CallArgs): Promise<CallResult> {
    this.assertUsable();
    const arg = toBytes(args.arg, 'arg');
    const tooLarge = this.checkIngressSize(arg);
    if (tooLarge) return tooLarge;
    return this.scheduler.submit({
      target: principalText(args.canisterId, 'canisterId'),
      method: args.method,
      arg,
      sender: principalOf(args.sender, 'sender'),
    });
  }

  /** Non-replicated query; state changes are always discarded. */
  async query(args: CallArgs & { dataCertificate?: Uint8Array }): Promise<CallResult> {
    this.assertUsable();
    const arg = toBytes(args.arg, 'arg');
    const sender = principalOf(args.sender, 'sender');
    const target = principalText(args.canisterId, 'canisterId');
    const tooLarge = this.checkIngressSize(arg);
    if (tooLarge) return tooLarge;
    await this.scheduler.committing;
    if (target === MANAGEMENT_TEXT) {
      const response = this.management.query({
        method: args.method,
        arg,
        caller: sender.toText(),
      });
      return callResult(response, undefined);
    }
    const c = this.state.get(target);
    const blocked = unavailable(c, target);
    if (blocked) return callResult({ reject: blocked }, undefined);
    const { response, instructions } = this.queries.run({
      canister: c!,
      method: args.method,
      arg,
      caller: sender.toUint8Array(),
      ...(args.dataCertificate
        ? { dataCertificate: toBytes(args.dataCertificate, 'dataCertificate') }
        : {}),
    });
    return callResult(response, this.instrumented ? instructions : undefined);
  }

  /** Runs `canister_inspect_message`; the network calls it before accepting an ingress update. */
  async inspectMessage(args: CallArgs): Promise<InspectResult> {
    this.assertUsable();
    const arg = toBytes(args.arg, 'arg');
    const sender = principalOf(args.sender, 'sender');
    const target = principalText(args.canisterId, 'canisterId');
    // The specification does not run inspect_message for calls to the management canister.
    if (target === MANAGEMENT_TEXT) return { accepted: true };
    await this.scheduler.committing;
    const c = this.state.get(target);
    const blocked = unavailable(c, target);
    if (blocked) return { accepted: false, ...blocked };
    return this.queries.inspect({
      canister: c!,
      method: args.method,
      arg,
      caller: sender.toUint8Array(),
      instrumented: this.instrumented,
    });
  }

  /** `provisional_create_canister_with_cycles` sent by `controllers[0]` (anonymous if none). */
  async createCanister(args: {
    controllers: Principal[];
    specifiedId?: Principal;
    cycles?: bigint;
  }): Promise<Principal> {
    const r = await this.managementCall({
      method: 'provisional_create_canister_with_cycles',
      sender: args.controllers[0] ?? Principal.anonymous(),
      type: M.ProvisionalCreateArgs,
      value: {
        amount: args.cycles === undefined ? [] : [args.cycles],
        settings: [settingsArg({ controllers: [args.controllers] })],
        specified_id: args.specifiedId ? [args.specifiedId] : [],
        sender_canister_version: [],
      },
    });
    const [out] = IDL.decode([M.CanisterIdResult], r) as unknown as [{ canister_id: Principal }];
    return out.canister_id;
  }

  /** install_code on behalf of `sender` (not subject to the ingress size limit). */
  async installCode(args: {
    canisterId: Principal;
    wasm: Uint8Array;
    arg: Uint8Array;
    mode: 'install' | 'reinstall' | 'upgrade';
    sender: Principal;
  }): Promise<void> {
    await this.managementCall({
      method: 'install_code',
      sender: args.sender,
      type: M.InstallCodeArgs,
      value: {
        mode: args.mode === 'upgrade' ? { upgrade: [] } : { [args.mode]: null },
        canister_id: args.canisterId,
        wasm_module: toBytes(args.wasm, 'wasm'),
        arg: toBytes(args.arg, 'arg'),
        sender_canister_version: [],
      },
    });
  }

  /** Fires every global timer due now (once each) and runs the queue until it is empty. */
  async tick(): Promise<void> {
    this.assertUsable();
    const now = this.now();
    for (const c of this.state.canisters.values()) {
      if (c.status !== 'running' || !c.instance) continue;
      if (c.globalTimer !== 0n && c.globalTimer <= now)
        this.scheduler.enqueue({ kind: 'timer', canister: c.idText });
      if (c.instance.hasExport('canister_heartbeat'))
        this.scheduler.enqueue({ kind: 'heartbeat', canister: c.idText });
    }
    await this.scheduler.pump();
  }

  /**
   * Calls `tick` every `intervalMs` (like a replica's rounds) until the returned function is
   * called. The interval does not keep the process alive.
   */
  startAutoTick(intervalMs = 100): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running || this.scheduler.broken) return;
      running = true;
      this.tick()
        .catch((e: unknown) =>
          this.logSink({
            canisterId: MANAGEMENT_TEXT,
            message: `tick failed: ${String(e)}`,
            timeNanos: this.now(),
          }),
        )
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Waits until the queue is empty. */
  async idle(): Promise<void> {
    await this.scheduler.pump();
  }

  private async managementCall(args: {
    method: string;
    sender: Principal;
    type: IDL.Type;
    value: unknown;
  }): Promise<Uint8Array> {
    const r = await this.scheduler.submit({
      target: MANAGEMENT_TEXT,
      method: args.method,
      arg: new Uint8Array(IDL.encode([args.type], [args.value])),
      sender: args.sender,
    });
    if (r.status === 'rejected') throw new IcRejectError(r);
    return r.reply;
  }

  private checkIngressSize(arg: Uint8Array): CallResult | undefined {
    const limit = this.limits.ingressBytes;
    if (arg.length <= limit) return undefined;
    return callResult({ reject: rejects.payloadTooLarge({ size: arg.length, limit }) }, undefined);
  }

  private assertUsable(): void {
    if (this.scheduler.broken) throw this.scheduler.broken;
  }
}

function toBytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new IcHostError('INVALID_ARGUMENT', `${name} must be a Uint8Array`);
  }
  // A fresh copy: callers may hand a view into a shared pool (Buffer.concat).
  return new Uint8Array(value);
}

function principalOf(value: unknown, name: string): Principal {
  if (
    !value ||
    typeof (value as Principal).toUint8Array !== 'function' ||
    typeof (value as Principal).toText !== 'function'
  ) {
    throw new IcHostError('INVALID_ARGUMENT', `${name} must be a Principal`);
  }
  return Principal.fromUint8Array((value as Principal).toUint8Array());
}

function principalText(value: unknown, name: string): string {
  return principalOf(value, name).toText();
}
