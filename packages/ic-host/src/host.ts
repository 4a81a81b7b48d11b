/**
 * IcHost: many canisters, a clock, a FIFO message queue, call contexts and callbacks, global
 * timers, the management canister, and one store commit per state-changing message.
 *
 * Every message executes synchronously inside one "step"; a step ends by committing its
 * change set to the store (awaited) and only then releasing the results it produced. Steps
 * never overlap, and queries wait for an in-flight commit, so nothing observes state the store
 * has not accepted.
 */
import { randomBytes } from 'node:crypto';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import {
  Canister,
  DEFAULT_PROVISIONAL_CYCLES,
  defaultSettings,
  type HistoryEntry,
} from './canister';
import {
  ErrorCode,
  IcHostError,
  IcRejectError,
  RejectCode,
  rejects,
  type SystemReject,
} from './errors';
import { CanisterInstance, type Entry } from './instance';
import * as M from './management-idl';
import {
  ManagementError,
  applySettings,
  canisterReject,
  managementReject,
  settingsArg,
  statusRecord,
  type Response,
} from './management';
import { defaultModuleCache, sha256, type ModuleCache } from './module-cache';
import { StableMemory } from './stable-memory';
import type { ChangeSet, StateStore, StoredState } from './store';
import { InMemoryStateStore } from './store';
import { Execution, type ExecKind, type OutgoingCall } from './system-api';

export type CallResult =
  | { status: 'replied'; reply: Uint8Array; instructions?: bigint }
  | {
      status: 'rejected';
      rejectCode: RejectCode;
      rejectMessage: string;
      errorCode: string;
      instructions?: bigint;
    };

export type InspectResult =
  | { accepted: true; instructions?: bigint }
  | {
      accepted: false;
      rejectCode: RejectCode;
      rejectMessage: string;
      errorCode: string;
      instructions?: bigint;
    };

export interface LogLine {
  canisterId: string;
  message: string;
  timeNanos: bigint;
}

export interface Limits {
  updateInstructions: bigint;
  queryInstructions: bigint;
  inspectInstructions: bigint;
  installInstructions: bigint;
  ingressBytes: number;
  callPayloadBytes: number;
  replicatedReplyBytes: number;
  queryReplyBytes: number;
}

export const IC_LIMITS: Readonly<Limits> = {
  updateInstructions: 40_000_000_000n,
  queryInstructions: 5_000_000_000n,
  inspectInstructions: 200_000_000n,
  installInstructions: 300_000_000_000n,
  ingressBytes: 2 * 1024 * 1024,
  callPayloadBytes: 2 * 1024 * 1024,
  replicatedReplyBytes: 2 * 1024 * 1024,
  queryReplyBytes: 3 * 1024 * 1024,
};

/** One Wasm execution, reported to `HostOptions.onExecution` (metrics, benchmarks). */
export interface ExecutionRecord {
  canisterId: string;
  kind: ExecKind;
  /** Export name, or `callback` for reply/reject/cleanup callbacks. */
  entry: string;
  /** Instructions (instrumented mode; 0 otherwise). */
  instructions: bigint;
  /** Wall time of the Wasm run, without snapshot and commit. */
  ms: number;
  trapped: boolean;
}

export interface HostOptions {
  onExecution?: (record: ExecutionRecord) => void;
  clock?: () => bigint;
  instrumented?: boolean;
  store?: StateStore;
  log?: (line: LogLine) => void;
  random?: (size: number) => Uint8Array;
  limits?: Partial<Limits>;
  moduleCache?: ModuleCache;
}

export interface CanisterView {
  id: Principal;
  moduleHash?: Uint8Array;
  controllers: Principal[];
  certifiedData: Uint8Array;
  status: 'running' | 'stopping' | 'stopped';
  version: bigint;
  cycles: bigint;
  stableMemoryPages: bigint;
  wasmMemoryBytes: number;
  globalTimer: bigint;
}

type Origin =
  | {
      kind: 'ingress';
      sender: string;
      finish: (r: CallResult) => void;
      fail: (e: unknown) => void;
    }
  | { kind: 'canister'; canister: string; callbackId: number }
  | { kind: 'system' };

interface CallContext {
  id: number;
  canister: Canister;
  /** The caller of the call that opened the context; callbacks see it as msg_caller. */
  caller: Uint8Array;
  origin: Origin;
  responded: boolean;
  outstanding: number;
  cyclesAvailable: bigint;
  instructions: bigint;
}

interface PendingCallback {
  id: number;
  canister: Canister;
  context: CallContext;
  call: OutgoingCall;
}

type Message =
  | {
      kind: 'call';
      target: string;
      method: string;
      arg: Uint8Array;
      caller: Uint8Array;
      cycles: bigint;
      origin: Origin;
    }
  | { kind: 'response'; callbackId: number; response: Response; refund: bigint }
  | { kind: 'timer'; canister: string }
  | { kind: 'heartbeat'; canister: string };

const MANAGEMENT = Principal.managementCanister();
const MANAGEMENT_TEXT = MANAGEMENT.toText();
const ANONYMOUS_TEXT = Principal.anonymous().toText();
/** u64 part of dfx's first canister id, bkyz2-fmaaa-aaaaa-qaaaq-cai. */
export const FIRST_CANISTER_ID = 0x8000000000100001n;
const MAX_CHUNK_BYTES = 1024 * 1024;
/** Canisters on one composite query call path, root included. */
const MAX_QUERY_DEPTH = 6;
const EMPTY_CANDID = new Uint8Array(IDL.encode([], []));

export function canisterIdFromU64(n: bigint): Principal {
  const bytes = new Uint8Array(10);
  new DataView(bytes.buffer).setBigUint64(0, n);
  bytes[8] = 0x01;
  bytes[9] = 0x01;
  return Principal.fromUint8Array(bytes);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function callResult(response: Response, instructions: bigint | undefined): CallResult {
  const extra = instructions === undefined ? {} : { instructions };
  if ('reply' in response) return { status: 'replied', reply: response.reply, ...extra };
  return { status: 'rejected', ...response.reject, ...extra };
}

function encode(types: IDL.Type[], values: unknown[]): Uint8Array {
  return new Uint8Array(IDL.encode(types, values));
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class IcHost {
  readonly instrumented: boolean;
  private readonly limits: Limits;
  private readonly clock: () => bigint;
  private readonly store: StateStore;
  private readonly logSink: (line: LogLine) => void;
  private readonly random: (size: number) => Uint8Array;
  private readonly modules: ModuleCache;
  private readonly onExecution: ((record: ExecutionRecord) => void) | undefined;

  private readonly canisters = new Map<string, Canister>();
  private nextCanisterId = FIRST_CANISTER_ID;
  private hostCounterChanged = false;
  private sequence = 0n;
  private lastTime = 0n;
  private readonly queue: Message[] = [];
  private readonly contexts = new Map<number, CallContext>();
  private readonly callbacks = new Map<number, PendingCallback>();
  private readonly pendingStops = new Map<Canister, Origin[]>();
  private nextContextId = 1;
  private nextCallbackId = 1;
  private pumping: Promise<void> | null = null;
  private committing: Promise<void> = Promise.resolve();
  /** Results of the current step, released after its commit (or failed if the commit fails). */
  private afterCommit: { release: () => void; fail: (e: unknown) => void }[] = [];
  private touched = new Set<Canister>();
  private broken: Error | undefined;
  private stepTime = 0n;

  private constructor(opts: HostOptions) {
    this.instrumented = opts.instrumented ?? false;
    this.limits = { ...IC_LIMITS, ...opts.limits };
    this.clock = opts.clock ?? (() => BigInt(Date.now()) * 1_000_000n);
    this.store = opts.store ?? new InMemoryStateStore();
    this.logSink =
      opts.log ??
      ((line) => process.stderr.write(`[Canister ${line.canisterId}] ${line.message}\n`));
    this.random = opts.random ?? ((n) => new Uint8Array(randomBytes(n)));
    this.modules = opts.moduleCache ?? defaultModuleCache;
    this.onExecution = opts.onExecution;
  }

  /** Builds a host; if the store holds state, every canister is rebuilt from it. */
  static async create(opts: HostOptions = {}): Promise<IcHost> {
    const host = new IcHost(opts);
    const stored = await host.store.load();
    if (stored) await host.restore(stored);
    return host;
  }

  // ---- public API -------------------------------------------------------------------------

  now(): bigint {
    const t = this.clock();
    if (t > this.lastTime) this.lastTime = t;
    return this.lastTime;
  }

  canisterIds(): Principal[] {
    return [...this.canisters.values()].map((c) => c.id);
  }

  canister(id: Principal): CanisterView | undefined {
    const c = this.canisters.get(id.toText());
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
    };
  }

  async update(args: {
    canisterId: Principal;
    method: string;
    arg: Uint8Array;
    sender: Principal;
  }): Promise<CallResult> {
    this.assertUsable();
    const arg = toBytes(args.arg, 'arg');
    if (arg.length > this.limits.ingressBytes) {
      return callResult(
        { reject: rejects.payloadTooLarge({ size: arg.length, limit: this.limits.ingressBytes }) },
        undefined,
      );
    }
    return this.submit({
      target: principalText(args.canisterId, 'canisterId'),
      method: args.method,
      arg,
      sender: principalOf(args.sender, 'sender'),
    });
  }

  async query(args: {
    canisterId: Principal;
    method: string;
    arg: Uint8Array;
    sender: Principal;
    dataCertificate?: Uint8Array;
  }): Promise<CallResult> {
    this.assertUsable();
    const arg = toBytes(args.arg, 'arg');
    const sender = principalOf(args.sender, 'sender');
    const target = principalText(args.canisterId, 'canisterId');
    if (arg.length > this.limits.ingressBytes) {
      return callResult(
        { reject: rejects.payloadTooLarge({ size: arg.length, limit: this.limits.ingressBytes }) },
        undefined,
      );
    }
    await this.committing;
    if (target === MANAGEMENT_TEXT) {
      return callResult(
        this.managementQuery({ method: args.method, arg, caller: sender.toText() }),
        undefined,
      );
    }
    const canister = this.canisters.get(target);
    const blocked = this.unavailable(canister, target);
    if (blocked) return callResult({ reject: blocked }, undefined);
    const c = canister!;
    let kind: ExecKind;
    let exportName: string;
    if (c.instance!.hasExport(`canister_query ${args.method}`)) {
      kind = 'query';
      exportName = `canister_query ${args.method}`;
    } else if (c.instance!.hasExport(`canister_composite_query ${args.method}`)) {
      kind = 'composite_query';
      exportName = `canister_composite_query ${args.method}`;
    } else {
      return callResult(
        { reject: rejects.methodNotFound(c.idText, 'query', args.method) },
        undefined,
      );
    }
    const budget = { instructions: 0n };
    const response = this.queryGraph({
      canister: c,
      kind,
      exportName,
      arg,
      caller: sender.toUint8Array(),
      stack: [c.idText],
      budget,
      ...(args.dataCertificate
        ? { dataCertificate: toBytes(args.dataCertificate, 'dataCertificate') }
        : {}),
    });
    return callResult(response, this.instrumented ? budget.instructions : undefined);
  }

  /**
   * Runs a query and, for a composite query, the query calls it makes (depth first, each
   * callee's state discarded after its call) and its callbacks. The state of every canister
   * involved is discarded at the end.
   */
  private queryGraph(args: {
    canister: Canister;
    kind: 'query' | 'composite_query';
    exportName: string;
    arg: Uint8Array;
    caller: Uint8Array;
    stack: string[];
    budget: { instructions: bigint };
    dataCertificate?: Uint8Array;
  }): Response {
    const c = args.canister;
    const composite = args.kind === 'composite_query';
    const target = { responded: false, cyclesAvailable: 0n };
    const time = this.now();
    const first = this.execute({
      canister: c,
      kind: args.kind,
      entry: { export: args.exportName },
      arg: args.arg,
      caller: args.caller,
      respondTo: target,
      limit: this.limits.queryInstructions,
      time,
      ...(args.dataCertificate ? { dataCertificate: args.dataCertificate } : {}),
    });
    args.budget.instructions += first.instructions;
    let response: Response | undefined;
    if (first.trap) {
      response = { reject: first.trap };
    } else {
      if (first.exec.response) {
        response = this.toResponse(first.exec.response, c);
        target.responded = true;
      }
      const pending = [...first.exec.calls];
      while (pending.length > 0) {
        const call = pending.shift()!;
        const answer = this.queryCallee({
          call,
          caller: c,
          stack: args.stack,
          budget: args.budget,
        });
        const isReply = 'reply' in answer;
        const callback = this.execute({
          canister: c,
          kind: composite
            ? isReply
              ? 'composite_reply'
              : 'composite_reject'
            : isReply
              ? 'reply'
              : 'reject',
          entry: isReply
            ? { table: call.reply.fun, env: call.reply.env }
            : { table: call.reject.fun, env: call.reject.env },
          arg: 'reply' in answer ? answer.reply : new Uint8Array(0),
          caller: args.caller,
          respondTo: target,
          limit: this.limits.queryInstructions,
          time,
          ...('reject' in answer
            ? {
                rejectInfo: {
                  code: answer.reject.rejectCode,
                  message: answer.reject.rejectMessage,
                },
              }
            : {}),
        });
        args.budget.instructions += callback.instructions;
        if (callback.trap) {
          if (call.cleanup) {
            const cleanup = this.execute({
              canister: c,
              kind: 'composite_cleanup',
              entry: { table: call.cleanup.fun, env: call.cleanup.env },
              arg: new Uint8Array(0),
              caller: args.caller,
              limit: this.limits.queryInstructions,
              time,
            });
            args.budget.instructions += cleanup.instructions;
          }
          // A trap leaves the heap inconsistent (there is no checkpoint inside a query), so
          // the rest of this canister's call graph is abandoned.
          response ??= { reject: callback.trap };
          break;
        }
        if (callback.exec.response && !response) {
          response = this.toResponse(callback.exec.response, c);
          target.responded = true;
        }
        pending.push(...callback.exec.calls);
      }
    }
    this.rollbackExecution(c);
    return response ?? { reject: rejects.didNotReply(c.idText) };
  }

  private queryCallee(args: {
    call: OutgoingCall;
    caller: Canister;
    stack: string[];
    budget: { instructions: bigint };
  }): Response {
    const { call, caller } = args;
    const id = Principal.fromUint8Array(call.callee).toText();
    const callee = this.canisters.get(id);
    const blocked =
      id === MANAGEMENT_TEXT
        ? rejects.methodNotFound(id, 'query', call.method)
        : this.unavailable(callee, id);
    if (blocked) return { reject: blocked };
    const c = callee!;
    if (args.stack.includes(c.idText)) return { reject: rejects.queryLoop(c.idText) };
    if (args.stack.length >= MAX_QUERY_DEPTH)
      return { reject: rejects.queryTooDeep(MAX_QUERY_DEPTH) };
    const instance = c.instance!;
    let kind: 'query' | 'composite_query';
    let exportName: string;
    if (instance.hasExport(`canister_query ${call.method}`)) {
      kind = 'query';
      exportName = `canister_query ${call.method}`;
    } else if (instance.hasExport(`canister_composite_query ${call.method}`)) {
      kind = 'composite_query';
      exportName = `canister_composite_query ${call.method}`;
    } else {
      return { reject: rejects.methodNotFound(c.idText, 'query', call.method) };
    }
    return this.queryGraph({
      canister: c,
      kind,
      exportName,
      arg: call.arg,
      caller: caller.idBytes,
      stack: [...args.stack, c.idText],
      budget: args.budget,
    });
  }

  async inspectMessage(args: {
    canisterId: Principal;
    method: string;
    arg: Uint8Array;
    sender: Principal;
  }): Promise<InspectResult> {
    this.assertUsable();
    const arg = toBytes(args.arg, 'arg');
    const sender = principalOf(args.sender, 'sender');
    const target = principalText(args.canisterId, 'canisterId');
    // The specification does not run inspect_message for calls to the management canister.
    if (target === MANAGEMENT_TEXT) return { accepted: true };
    await this.committing;
    const canister = this.canisters.get(target);
    const blocked = this.unavailable(canister, target);
    if (blocked) return { accepted: false, ...blocked };
    const c = canister!;
    if (!c.instance!.hasExport('canister_inspect_message')) return { accepted: true };
    const { exec, trap, instructions } = this.execute({
      canister: c,
      kind: 'inspect',
      entry: { export: 'canister_inspect_message' },
      arg,
      caller: sender.toUint8Array(),
      methodName: args.method,
      limit: this.limits.inspectInstructions,
      time: this.now(),
    });
    this.rollbackExecution(c);
    const extra = this.instrumented ? { instructions } : {};
    if (trap) return { accepted: false, ...trap, ...extra };
    if (!exec.accepted) return { accepted: false, ...rejects.messageRejected(c.idText), ...extra };
    return { accepted: true, ...extra };
  }

  async createCanister(args: {
    controllers: Principal[];
    specifiedId?: Principal;
    cycles?: bigint;
  }): Promise<Principal> {
    const sender = args.controllers[0] ?? Principal.anonymous();
    const arg = encode(
      [M.ProvisionalCreateArgs],
      [
        {
          amount: args.cycles === undefined ? [] : [args.cycles],
          settings: [settingsArg({ controllers: args.controllers })],
          specified_id: args.specifiedId ? [args.specifiedId] : [],
          sender_canister_version: [],
        },
      ],
    );
    const r = await this.submit({
      target: MANAGEMENT_TEXT,
      method: 'provisional_create_canister_with_cycles',
      arg,
      sender,
    });
    if (r.status === 'rejected') throw new IcRejectError(r);
    const [out] = IDL.decode([IDL.Record({ canister_id: IDL.Principal })], r.reply) as unknown as [
      { canister_id: Principal },
    ];
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
    const mode = args.mode === 'upgrade' ? { upgrade: [] } : { [args.mode]: null };
    const arg = encode(
      [M.InstallCodeArgs],
      [
        {
          mode,
          canister_id: args.canisterId,
          wasm_module: toBytes(args.wasm, 'wasm'),
          arg: toBytes(args.arg, 'arg'),
          sender_canister_version: [],
        },
      ],
    );
    const r = await this.submit({
      target: MANAGEMENT_TEXT,
      method: 'install_code',
      arg,
      sender: args.sender,
    });
    if (r.status === 'rejected') throw new IcRejectError(r);
  }

  /** Fires every global timer due now (once each) and runs the queue until it is empty. */
  async tick(): Promise<void> {
    this.assertUsable();
    const now = this.now();
    for (const c of this.canisters.values()) {
      if (c.status !== 'running' || !c.instance) continue;
      if (c.globalTimer !== 0n && c.globalTimer <= now)
        this.queue.push({ kind: 'timer', canister: c.idText });
      if (c.instance.hasExport('canister_heartbeat'))
        this.queue.push({ kind: 'heartbeat', canister: c.idText });
    }
    await this.pump();
  }

  /**
   * Calls `tick` every `intervalMs` (like a replica's rounds) until the returned function is
   * called. The interval does not keep the process alive.
   */
  startAutoTick(intervalMs = 100): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running || this.broken) return;
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
    await this.pump();
  }

  // ---- queue ------------------------------------------------------------------------------

  private submit(args: {
    target: string;
    method: string;
    arg: Uint8Array;
    sender: Principal;
  }): Promise<CallResult> {
    return new Promise<CallResult>((resolve, reject) => {
      this.queue.push({
        kind: 'call',
        target: args.target,
        method: args.method,
        arg: args.arg,
        caller: args.sender.toUint8Array(),
        cycles: 0n,
        origin: { kind: 'ingress', sender: args.sender.toText(), finish: resolve, fail: reject },
      });
      void this.pump().catch(() => undefined);
    });
  }

  private pump(): Promise<void> {
    if (!this.pumping) {
      this.pumping = (async () => {
        // Yield first: with an empty queue the loop would otherwise finish (and clear
        // `pumping`) before the assignment around it stores the finished promise for good.
        await Promise.resolve();
        try {
          for (;;) {
            const msg = this.queue.shift();
            if (!msg) break;
            await this.step(msg);
            await yieldToEventLoop();
          }
        } finally {
          this.pumping = null;
        }
      })();
    }
    return this.pumping;
  }

  private async step(msg: Message): Promise<void> {
    if (this.broken) {
      if (msg.kind === 'call' && msg.origin.kind === 'ingress') msg.origin.fail(this.broken);
      return;
    }
    this.afterCommit = [];
    this.stepTime = this.now();
    try {
      this.process(msg);
    } catch (e) {
      // A host fault: the message is dropped; its ingress caller learns why.
      if (msg.kind === 'call' && msg.origin.kind === 'ingress') {
        const fail = msg.origin.fail;
        this.afterCommit.push({ release: () => fail(e), fail });
      } else {
        this.logSink({
          canisterId: MANAGEMENT_TEXT,
          message: `host fault: ${String(e)}`,
          timeNanos: this.stepTime,
        });
      }
    }
    await this.commitStep();
  }

  private async commitStep(): Promise<void> {
    const changes = this.collectChanges();
    const release = this.afterCommit;
    this.afterCommit = [];
    if (changes) {
      const pending = (async () => this.store.commit(changes))();
      this.committing = pending.catch(() => undefined);
      try {
        await pending;
      } catch (e) {
        this.broken = new IcHostError(
          'STORE_COMMIT_FAILED',
          `the store failed to commit change set ${changes.sequence}; the host stops processing messages`,
          { cause: e },
        );
        for (const m of this.queue.splice(0)) {
          if (m.kind === 'call' && m.origin.kind === 'ingress') m.origin.fail(this.broken);
        }
        // Results produced by the failed message are not released.
        for (const r of release) r.fail(this.broken);
        throw this.broken;
      }
    }
    for (const r of release) r.release();
  }

  private collectChanges(): ChangeSet | undefined {
    const canisters = [];
    for (const c of this.touched) {
      const change = c.takeChange();
      if (change) canisters.push(change);
    }
    this.touched.clear();
    if (canisters.length === 0 && !this.hostCounterChanged) return undefined;
    this.sequence += 1n;
    const set: ChangeSet = { sequence: this.sequence, time: this.stepTime, canisters };
    if (this.hostCounterChanged) set.nextCanisterId = this.nextCanisterId;
    this.hostCounterChanged = false;
    return set;
  }

  private touch(c: Canister): void {
    this.touched.add(c);
  }

  private process(msg: Message): void {
    switch (msg.kind) {
      case 'call':
        if (msg.target === MANAGEMENT_TEXT) this.processManagement(msg);
        else this.processCall(msg);
        return;
      case 'response':
        this.processResponse(msg);
        return;
      case 'timer':
        this.processSystemTask(msg.canister, 'canister_global_timer');
        return;
      case 'heartbeat':
        this.processSystemTask(msg.canister, 'canister_heartbeat');
        return;
    }
  }

  // ---- responses and call contexts ---------------------------------------------------------

  private respond(args: {
    origin: Origin;
    response: Response;
    refund: bigint;
    instructions?: bigint;
  }): void {
    const { origin, response, refund } = args;
    switch (origin.kind) {
      case 'ingress': {
        const result = callResult(response, this.instrumented ? args.instructions : undefined);
        const finish = origin.finish;
        this.afterCommit.push({ release: () => finish(result), fail: origin.fail });
        return;
      }
      case 'canister':
        this.queue.push({ kind: 'response', callbackId: origin.callbackId, response, refund });
        return;
      case 'system':
        return;
    }
  }

  private openContext(args: {
    canister: Canister;
    origin: Origin;
    cycles: bigint;
    caller: Uint8Array;
  }): CallContext {
    const { canister, origin, cycles } = args;
    const context: CallContext = {
      id: this.nextContextId++,
      canister,
      caller: args.caller,
      origin,
      responded: false,
      outstanding: 0,
      cyclesAvailable: cycles,
      instructions: 0n,
    };
    this.contexts.set(context.id, context);
    canister.openContexts++;
    return context;
  }

  /** Closes the context if nothing is outstanding; an unanswered call is rejected then. */
  private settleContext(context: CallContext, trap?: SystemReject): void {
    if (context.outstanding > 0) return;
    if (!context.responded && context.origin.kind !== 'system') {
      context.responded = true;
      this.respond({
        origin: context.origin,
        response: { reject: trap ?? rejects.didNotReply(context.canister.idText) },
        refund: context.cyclesAvailable,
        instructions: context.instructions,
      });
      context.cyclesAvailable = 0n;
    }
    this.contexts.delete(context.id);
    context.canister.openContexts--;
    this.maybeStopped(context.canister);
  }

  private maybeStopped(c: Canister): void {
    if (c.status !== 'stopping' || c.openContexts > 0) return;
    c.status = 'stopped';
    c.version += 1n;
    c.mark('status', 'version');
    this.touch(c);
    const waiting = this.pendingStops.get(c) ?? [];
    this.pendingStops.delete(c);
    for (const origin of waiting)
      this.respond({ origin, response: { reply: EMPTY_CANDID }, refund: 0n });
  }

  // ---- executions ----------------------------------------------------------------------------

  private execute(args: {
    canister: Canister;
    kind: ExecKind;
    entry: Entry;
    arg: Uint8Array;
    caller: Uint8Array;
    limit: bigint;
    time: bigint;
    respondTo?: { responded: boolean; cyclesAvailable: bigint };
    context?: CallContext;
    methodName?: string;
    rejectInfo?: { code: number; message: string };
    refunded?: bigint;
    dataCertificate?: Uint8Array;
    instance?: CanisterInstance;
  }): { exec: Execution; trap?: SystemReject; instructions: bigint } {
    const c = args.canister;
    const query = [
      'query',
      'composite_query',
      'composite_reply',
      'composite_reject',
      'composite_cleanup',
    ].includes(args.kind);
    const exec = new Execution({
      kind: args.kind,
      canister: c.env(),
      caller: args.caller,
      arg: args.arg,
      time: args.time,
      maxReplyBytes: query ? this.limits.queryReplyBytes : this.limits.replicatedReplyBytes,
      maxCallPayloadBytes: this.limits.callPayloadBytes,
      log: (message) => {
        c.addLog(args.time, message);
        this.logSink({ canisterId: c.idText, message, timeNanos: args.time });
      },
      ...((args.respondTo ?? args.context) ? { respondTo: args.respondTo ?? args.context! } : {}),
      ...(args.methodName !== undefined ? { methodName: args.methodName } : {}),
      ...(args.rejectInfo ? { rejectInfo: args.rejectInfo } : {}),
      ...(args.refunded !== undefined ? { refunded: args.refunded } : {}),
      ...(args.dataCertificate ? { dataCertificate: args.dataCertificate } : {}),
      ...(args.context ? { contextInstructions: args.context.instructions } : {}),
    });
    const instance = args.instance ?? c.instance!;
    if (!c.stable.inTransaction) c.stable.begin();
    const t0 = performance.now();
    const result = instance.run(exec, args.entry, args.limit);
    if (this.onExecution) {
      this.onExecution({
        canisterId: c.idText,
        kind: args.kind,
        entry: 'export' in args.entry ? args.entry.export : 'callback',
        instructions: result.instructions,
        ms: performance.now() - t0,
        trapped: result.trap !== undefined,
      });
    }
    if (args.context) args.context.instructions += result.instructions;
    return { exec, ...result };
  }

  private rollbackExecution(c: Canister, instance?: CanisterInstance): void {
    (instance ?? c.instance)?.rollback();
    if (c.stable.inTransaction) c.stable.rollback();
  }

  /** Applies a completed replicated execution: state, calls, response. */
  private commitExecution(args: {
    canister: Canister;
    exec: Execution;
    context?: CallContext;
  }): void {
    const { canister: c, exec, context } = args;
    c.instance!.checkpoint();
    if (c.stable.inTransaction) c.stable.commit();
    if (exec.certifiedData) {
      c.certifiedData = exec.certifiedData;
      c.mark('certifiedData');
    }
    if (exec.globalTimer !== undefined) c.globalTimer = exec.globalTimer;
    const delta = exec.cyclesAccepted - exec.cyclesBurned - exec.cyclesSent;
    if (delta !== 0n) {
      c.cycles += delta;
      c.mark('cycles');
    }
    c.version += 1n;
    c.mark('version');
    this.touch(c);
    if (!context) return;
    context.cyclesAvailable -= exec.cyclesAccepted;
    for (const call of exec.calls) {
      const id = this.nextCallbackId++;
      this.callbacks.set(id, { id, canister: c, context, call });
      context.outstanding++;
      this.queue.push({
        kind: 'call',
        target: Principal.fromUint8Array(call.callee).toText(),
        method: call.method,
        arg: call.arg,
        caller: c.idBytes,
        cycles: call.cycles,
        origin: { kind: 'canister', canister: c.idText, callbackId: id },
      });
    }
    if (exec.response) {
      context.responded = true;
      this.respond({
        origin: context.origin,
        response: this.toResponse(exec.response, c),
        refund: context.cyclesAvailable,
        instructions: context.instructions,
      });
      context.cyclesAvailable = 0n;
    }
  }

  private toResponse(r: Execution['response'], c: Canister): Response {
    if (!r) return { reject: rejects.didNotReply(c.idText) };
    if ('reply' in r) return { reply: r.reply };
    return { reject: canisterReject(r.reject) };
  }

  /** Why `target` cannot run a message now, or undefined if it can. */
  private unavailable(c: Canister | undefined, target: string): SystemReject | undefined {
    if (!c) return rejects.canisterNotFound(target);
    if (c.status === 'stopped') return rejects.canisterStopped(c.idText);
    if (c.status === 'stopping') return rejects.canisterStopping(c.idText);
    if (!c.instance) return rejects.wasmModuleNotFound(c.idText);
    return undefined;
  }

  private processCall(msg: Extract<Message, { kind: 'call' }>): void {
    const c = this.canisters.get(msg.target);
    const blocked = this.unavailable(c, msg.target);
    if (blocked) {
      this.respond({ origin: msg.origin, response: { reject: blocked }, refund: msg.cycles });
      return;
    }
    const canister = c!;
    const instance = canister.instance!;
    let kind: ExecKind;
    let exportName: string;
    if (instance.hasExport(`canister_update ${msg.method}`)) {
      kind = 'update';
      exportName = `canister_update ${msg.method}`;
    } else if (instance.hasExport(`canister_query ${msg.method}`)) {
      kind = 'replicated_query';
      exportName = `canister_query ${msg.method}`;
    } else if (instance.hasExport(`canister_composite_query ${msg.method}`)) {
      this.respond({
        origin: msg.origin,
        response: { reject: rejects.compositeInReplicatedMode(canister.idText, msg.method) },
        refund: msg.cycles,
      });
      return;
    } else {
      this.respond({
        origin: msg.origin,
        response: { reject: rejects.methodNotFound(canister.idText, 'update', msg.method) },
        refund: msg.cycles,
      });
      return;
    }
    const context = this.openContext({
      canister,
      origin: msg.origin,
      cycles: msg.cycles,
      caller: msg.caller,
    });
    const { exec, trap } = this.execute({
      canister,
      kind,
      entry: { export: exportName },
      arg: msg.arg,
      caller: msg.caller,
      context,
      limit: this.limits.updateInstructions,
      time: this.stepTime,
    });
    if (trap) {
      this.rollbackExecution(canister);
    } else if (kind === 'replicated_query') {
      // A query keeps no state even when it runs replicated; only its response counts.
      this.rollbackExecution(canister);
      if (exec.response) {
        context.responded = true;
        this.respond({
          origin: context.origin,
          response: this.toResponse(exec.response, canister),
          refund: context.cyclesAvailable,
          instructions: context.instructions,
        });
        context.cyclesAvailable = 0n;
      }
    } else {
      this.commitExecution({ canister, exec, context });
    }
    this.settleContext(context, trap);
  }

  private processResponse(msg: Extract<Message, { kind: 'response' }>): void {
    const cb = this.callbacks.get(msg.callbackId);
    if (!cb) return; // The caller was uninstalled or deleted meanwhile.
    this.callbacks.delete(cb.id);
    const c = cb.canister;
    const context = cb.context;
    context.outstanding--;
    if (msg.refund > 0n) {
      c.cycles += msg.refund;
      c.mark('cycles');
      this.touch(c);
    }
    if (!c.instance || c.deleted) {
      this.settleContext(context);
      return;
    }
    const isReply = 'reply' in msg.response;
    const { exec, trap } = this.execute({
      canister: c,
      kind: isReply ? 'reply' : 'reject',
      entry: isReply
        ? { table: cb.call.reply.fun, env: cb.call.reply.env }
        : { table: cb.call.reject.fun, env: cb.call.reject.env },
      arg: 'reply' in msg.response ? msg.response.reply : new Uint8Array(0),
      caller: context.caller,
      context,
      refunded: msg.refund,
      limit: this.limits.updateInstructions,
      time: this.stepTime,
      ...('reject' in msg.response
        ? {
            rejectInfo: {
              code: msg.response.reject.rejectCode,
              message: msg.response.reject.rejectMessage,
            },
          }
        : {}),
    });
    if (!trap) {
      this.commitExecution({ canister: c, exec, context });
      this.settleContext(context);
      return;
    }
    this.rollbackExecution(c);
    if (cb.call.cleanup) {
      const cleanup = this.execute({
        canister: c,
        kind: 'cleanup',
        entry: { table: cb.call.cleanup.fun, env: cb.call.cleanup.env },
        arg: new Uint8Array(0),
        caller: context.caller,
        limit: this.limits.updateInstructions,
        time: this.stepTime,
        rejectInfo: isReply
          ? { code: 0, message: '' }
          : { code: (msg.response as { reject: SystemReject }).reject.rejectCode, message: '' },
      });
      if (cleanup.trap) this.rollbackExecution(c);
      else this.commitExecution({ canister: c, exec: cleanup.exec });
    }
    this.settleContext(context, trap);
  }

  /** Runs a global timer or heartbeat (system tasks: caller is the management canister). */
  private processSystemTask(
    id: string,
    task: 'canister_global_timer' | 'canister_heartbeat',
  ): void {
    const c = this.canisters.get(id);
    if (!c || !c.instance || c.status !== 'running') return;
    if (task === 'canister_global_timer') {
      if (c.globalTimer === 0n || c.globalTimer > this.stepTime) return;
      // The timer is deactivated before the handler runs; a trap does not re-arm it.
      c.globalTimer = 0n;
    }
    if (!c.instance.hasExport(task)) return;
    const context = this.openContext({
      canister: c,
      origin: { kind: 'system' },
      cycles: 0n,
      caller: MANAGEMENT.toUint8Array(),
    });
    const { exec, trap } = this.execute({
      canister: c,
      kind: 'timer',
      entry: { export: task },
      arg: new Uint8Array(0),
      caller: MANAGEMENT.toUint8Array(),
      context,
      limit: this.limits.updateInstructions,
      time: this.stepTime,
    });
    if (trap) {
      this.rollbackExecution(c);
      this.logSink({
        canisterId: c.idText,
        message: `[TRAP] ${task}: ${trap.rejectMessage}`,
        timeNanos: this.stepTime,
      });
    } else {
      this.commitExecution({ canister: c, exec, context });
    }
    this.settleContext(context, trap);
  }

  // ---- management canister -------------------------------------------------------------

  private processManagement(msg: Extract<Message, { kind: 'call' }>): void {
    const caller = Principal.fromUint8Array(msg.caller).toText();
    const fromCanister = msg.origin.kind === 'canister';
    let response: Response | 'deferred';
    try {
      response = this.management({
        method: msg.method,
        arg: msg.arg,
        caller,
        fromCanister,
        cycles: msg.cycles,
        origin: msg.origin,
      });
    } catch (e) {
      if (e instanceof ManagementError) response = { reject: e.reject };
      else throw e;
    }
    if (response === 'deferred') return;
    const consumed = msg.method === 'create_canister' || msg.method === 'deposit_cycles';
    this.respond({
      origin: msg.origin,
      response,
      refund: consumed && 'reply' in response ? 0n : msg.cycles,
    });
  }

  private decode<T>(type: IDL.Type, arg: Uint8Array): T {
    try {
      const [value] = IDL.decode([type], arg);
      return value as T;
    } catch (e) {
      throw new ManagementError({
        rejectCode: RejectCode.CanisterReject,
        errorCode: ErrorCode.InvalidManagementPayload,
        rejectMessage: `Error decoding candid: ${(e as Error).message}`,
      });
    }
  }

  private target(id: Principal): Canister {
    const c = this.canisters.get(id.toText());
    if (!c) throw new ManagementError(rejects.canisterNotFound(id.toText()));
    return c;
  }

  private requireController(c: Canister, caller: string, method: string): void {
    if (!c.isController(caller)) {
      throw new ManagementError(
        rejects.notController({
          canisterId: c.idText,
          method,
          sender: caller,
          controllers: c.settings.controllers,
        }),
      );
    }
  }

  private management(args: {
    method: string;
    arg: Uint8Array;
    caller: string;
    fromCanister: boolean;
    cycles: bigint;
    origin: Origin;
  }): Response | 'deferred' {
    const { method, arg, caller, fromCanister } = args;
    const onlyCanisters = (): void => {
      if (!fromCanister) {
        throw new ManagementError(canisterReject(`Only canisters can call ic00 method ${method}`));
      }
    };
    switch (method) {
      case 'provisional_create_canister_with_cycles': {
        const a = this.decode<{
          amount: [] | [bigint];
          settings: [] | [M.SettingsArg];
          specified_id: [] | [Principal];
        }>(M.ProvisionalCreateArgs, arg);
        const c = this.createCanisterRecord({
          caller,
          settings: a.settings[0],
          cycles: a.amount[0] ?? DEFAULT_PROVISIONAL_CYCLES,
          ...(a.specified_id[0] ? { specifiedId: a.specified_id[0] } : {}),
        });
        return {
          reply: encode([IDL.Record({ canister_id: IDL.Principal })], [{ canister_id: c.id }]),
        };
      }
      case 'create_canister': {
        onlyCanisters();
        const a = this.decode<{ settings: [] | [M.SettingsArg] }>(M.CreateCanisterArgs, arg);
        const c = this.createCanisterRecord({
          caller,
          settings: a.settings[0],
          cycles: args.cycles,
        });
        return {
          reply: encode([IDL.Record({ canister_id: IDL.Principal })], [{ canister_id: c.id }]),
        };
      }
      case 'update_settings': {
        const a = this.decode<{ canister_id: Principal; settings: M.SettingsArg }>(
          M.UpdateSettingsArgs,
          arg,
        );
        const c = this.target(a.canister_id);
        this.requireController(c, caller, method);
        const before = c.settings.controllers.join(',');
        c.settings = applySettings(c.settings, a.settings);
        c.version += 1n;
        c.mark('settings', 'version');
        if (c.settings.controllers.join(',') !== before) {
          this.recordHistory(c, caller, {
            controllers_change: {
              controllers: c.settings.controllers.map((p) => Principal.fromText(p)),
            },
          });
        }
        this.touch(c);
        return { reply: EMPTY_CANDID };
      }
      case 'install_code': {
        const a = this.decode<{
          mode: M.InstallModeValue;
          canister_id: Principal;
          wasm_module: Uint8Array;
          arg: Uint8Array;
        }>(M.InstallCodeArgs, arg);
        const c = this.target(a.canister_id);
        this.requireController(c, caller, method);
        return this.install({
          canister: c,
          mode: a.mode,
          wasm: new Uint8Array(a.wasm_module),
          arg: new Uint8Array(a.arg),
          sender: caller,
        });
      }
      case 'install_chunked_code': {
        const a = this.decode<{
          mode: M.InstallModeValue;
          target_canister: Principal;
          store_canister: [] | [Principal];
          chunk_hashes_list: { hash: Uint8Array }[];
          wasm_module_hash: Uint8Array;
          arg: Uint8Array;
        }>(M.InstallChunkedCodeArgs, arg);
        const c = this.target(a.target_canister);
        this.requireController(c, caller, method);
        const store = a.store_canister[0] ? this.target(a.store_canister[0]) : c;
        if (store !== c) this.requireController(store, caller, method);
        const parts: Uint8Array[] = [];
        for (const { hash } of a.chunk_hashes_list) {
          const chunk = store.chunks.get(hex(hash));
          if (!chunk)
            throw new ManagementError(
              canisterReject(`Chunk ${hex(hash)} is not in the chunk store of ${store.idText}`),
            );
          parts.push(chunk);
        }
        const wasm = new Uint8Array(Buffer.concat(parts));
        if (hex(sha256(wasm)) !== hex(a.wasm_module_hash)) {
          throw new ManagementError(
            canisterReject('Wasm module hash does not match the hash of the concatenated chunks'),
          );
        }
        return this.install({
          canister: c,
          mode: a.mode,
          wasm,
          arg: new Uint8Array(a.arg),
          sender: caller,
        });
      }
      case 'upload_chunk': {
        const a = this.decode<{ canister_id: Principal; chunk: Uint8Array }>(
          M.UploadChunkArgs,
          arg,
        );
        const c = this.target(a.canister_id);
        this.requireController(c, caller, method);
        if (a.chunk.length > MAX_CHUNK_BYTES) {
          throw new ManagementError(
            canisterReject(
              `Chunk of ${a.chunk.length} bytes exceeds the maximum of ${MAX_CHUNK_BYTES}`,
            ),
          );
        }
        const chunk = new Uint8Array(a.chunk);
        const hash = sha256(chunk);
        c.chunks.set(hex(hash), chunk);
        return { reply: encode([M.UploadChunkResult], [{ hash }]) };
      }
      case 'stored_chunks': {
        const a = this.decode<{ canister_id: Principal }>(M.CanisterIdRecord, arg);
        const c = this.target(a.canister_id);
        this.requireController(c, caller, method);
        return {
          reply: encode(
            [M.StoredChunksResult],
            [[...c.chunks.keys()].map((h) => ({ hash: Buffer.from(h, 'hex') }))],
          ),
        };
      }
      case 'clear_chunk_store': {
        const a = this.decode<{ canister_id: Principal }>(M.CanisterIdRecord, arg);
        const c = this.target(a.canister_id);
        this.requireController(c, caller, method);
        c.chunks.clear();
        return { reply: EMPTY_CANDID };
      }
      case 'uninstall_code': {
        const a = this.decode<{ canister_id: Principal }>(M.UninstallCodeArgs, arg);
        const c = this.target(a.canister_id);
        this.requireController(c, caller, method);
        this.uninstall(c, caller);
        return { reply: EMPTY_CANDID };
      }
      case 'start_canister': {
        const a = this.decode<{ canister_id: Principal }>(M.CanisterIdRecord, arg);
        const c = this.target(a.canister_id);
        this.requireController(c, caller, method);
        if (c.status !== 'running') {
          for (const origin of this.pendingStops.get(c) ?? []) {
            this.respond({
              origin,
              response: managementReject(
                'IC0511',
                `Canister ${c.idText} was started before stopping completed`,
              ),
              refund: 0n,
            });
          }
          this.pendingStops.delete(c);
          c.status = 'running';
          c.version += 1n;
          c.mark('status', 'version');
          this.touch(c);
        }
        return { reply: EMPTY_CANDID };
      }
      case 'stop_canister': {
        const a = this.decode<{ canister_id: Principal }>(M.CanisterIdRecord, arg);
        const c = this.target(a.canister_id);
        this.requireController(c, caller, method);
        if (c.status === 'stopped') return { reply: EMPTY_CANDID };
        if (c.status === 'running') {
          c.status = 'stopping';
          c.version += 1n;
          c.mark('status', 'version');
          this.touch(c);
        }
        const waiting = this.pendingStops.get(c) ?? [];
        waiting.push(args.origin);
        this.pendingStops.set(c, waiting);
        this.maybeStopped(c);
        return 'deferred';
      }
      case 'delete_canister': {
        const a = this.decode<{ canister_id: Principal }>(M.CanisterIdRecord, arg);
        const c = this.target(a.canister_id);
        this.requireController(c, caller, method);
        if (c.status !== 'stopped') {
          throw new ManagementError({
            rejectCode: RejectCode.CanisterError,
            errorCode: ErrorCode.CanisterNotStopped,
            rejectMessage: `Canister ${c.idText} must be stopped before it is deleted.`,
          });
        }
        this.dropCode(c, 'Canister has been deleted.');
        c.deleted = true;
        c.instance = undefined;
        this.canisters.delete(c.idText);
        c.mark('deleted');
        this.touch(c);
        return { reply: EMPTY_CANDID };
      }
      case 'canister_status': {
        const a = this.decode<{ canister_id: Principal }>(M.CanisterIdRecord, arg);
        const c = this.target(a.canister_id);
        if (caller !== c.idText) this.requireController(c, caller, method);
        return { reply: encode([M.CanisterStatusResult], [statusRecord(c)]) };
      }
      case 'canister_info': {
        onlyCanisters();
        const a = this.decode<{ canister_id: Principal; num_requested_changes: [] | [bigint] }>(
          M.CanisterInfoArgs,
          arg,
        );
        const c = this.target(a.canister_id);
        const n = Number(a.num_requested_changes[0] ?? 0n);
        return {
          reply: encode(
            [M.CanisterInfoResult],
            [
              {
                total_num_changes: BigInt(c.history.length),
                recent_changes: n > 0 ? c.history.slice(-n) : [],
                module_hash: c.module ? [c.module.hash] : [],
                controllers: c.settings.controllers.map((p) => Principal.fromText(p)),
              },
            ],
          ),
        };
      }
      case 'deposit_cycles': {
        const a = this.decode<{ canister_id: Principal }>(M.CanisterIdRecord, arg);
        const c = this.target(a.canister_id);
        c.cycles += args.cycles;
        c.mark('cycles');
        this.touch(c);
        return { reply: EMPTY_CANDID };
      }
      case 'provisional_top_up_canister': {
        const a = this.decode<{ canister_id: Principal; amount: bigint }>(M.TopUpArgs, arg);
        const c = this.target(a.canister_id);
        c.cycles += a.amount;
        c.mark('cycles');
        this.touch(c);
        return { reply: EMPTY_CANDID };
      }
      case 'raw_rand': {
        onlyCanisters();
        const bytes = this.random(32);
        if (bytes.length !== 32) throw new Error('random source returned other than 32 bytes');
        return { reply: encode([M.RawRandResult], [bytes]) };
      }
      default:
        throw new ManagementError({
          rejectCode: RejectCode.CanisterError,
          errorCode: ErrorCode.CanisterMethodNotFound,
          rejectMessage: `Management canister has no update method '${method}'`,
        });
    }
  }

  private managementQuery(args: { method: string; arg: Uint8Array; caller: string }): Response {
    try {
      switch (args.method) {
        case 'canister_status': {
          const a = this.decode<{ canister_id: Principal }>(M.CanisterIdRecord, args.arg);
          const c = this.target(a.canister_id);
          this.requireController(c, args.caller, args.method);
          return { reply: encode([M.CanisterStatusResult], [statusRecord(c)]) };
        }
        case 'fetch_canister_logs': {
          const a = this.decode<{ canister_id: Principal }>(M.CanisterIdRecord, args.arg);
          const c = this.target(a.canister_id);
          const v = c.settings.logVisibility;
          const allowed =
            'public' in v ||
            c.isController(args.caller) ||
            ('allowed_viewers' in v && v.allowed_viewers.includes(args.caller));
          if (!allowed) {
            throw new ManagementError(
              canisterReject(
                `Caller ${args.caller} is not allowed to query ic00 method fetch_canister_logs`,
              ),
            );
          }
          return {
            reply: encode(
              [M.FetchLogsResult],
              [
                {
                  canister_log_records: c.logs.map((l) => ({
                    idx: l.idx,
                    timestamp_nanos: l.timestampNanos,
                    content: l.content,
                  })),
                },
              ],
            ),
          };
        }
        default:
          throw new ManagementError({
            rejectCode: RejectCode.CanisterError,
            errorCode: ErrorCode.CanisterMethodNotFound,
            rejectMessage: `Management canister has no query method '${args.method}'`,
          });
      }
    } catch (e) {
      if (e instanceof ManagementError) return { reject: e.reject };
      throw e;
    }
  }

  private createCanisterRecord(args: {
    caller: string;
    settings: M.SettingsArg | undefined;
    cycles: bigint;
    specifiedId?: Principal;
  }): Canister {
    let id: Principal;
    if (args.specifiedId) {
      id = args.specifiedId;
      if (this.canisters.has(id.toText())) {
        throw new ManagementError({
          rejectCode: RejectCode.SysTransient,
          errorCode: ErrorCode.CanisterIdAlreadyExists,
          rejectMessage: `Canister ${id.toText()} is already installed.`,
        });
      }
    } else {
      do {
        id = canisterIdFromU64(this.nextCanisterId);
        this.nextCanisterId += 1n;
      } while (this.canisters.has(id.toText()));
      this.hostCounterChanged = true;
    }
    const settings = applySettings(defaultSettings([args.caller]), args.settings);
    const c = new Canister(id, { settings, cycles: args.cycles });
    this.canisters.set(c.idText, c);
    c.mark('created');
    this.recordHistory(c, args.caller, {
      creation: {
        controllers: settings.controllers.map((p) => Principal.fromText(p)),
        environment_variables_hash: [],
      },
    });
    this.touch(c);
    return c;
  }

  private recordHistory(c: Canister, caller: string, details: HistoryEntry['details']): void {
    const who = Principal.fromText(caller);
    const fromCanister = this.canisters.has(caller);
    c.history.push({
      timestamp_nanos: this.stepTime,
      canister_version: c.version,
      origin: fromCanister
        ? { from_canister: { canister_id: who, canister_version: [] } }
        : { from_user: { user_id: who } },
      details,
    });
  }

  /** Rejects the open calls of `c` and forgets its callbacks (its code is going away). */
  private dropCode(c: Canister, why: string): void {
    for (const [id, cb] of this.callbacks) {
      if (cb.canister === c) {
        this.callbacks.delete(id);
        cb.context.outstanding--;
      }
    }
    for (const context of [...this.contexts.values()]) {
      if (context.canister !== c) continue;
      if (!context.responded && context.origin.kind !== 'system') {
        context.responded = true;
        this.respond({
          origin: context.origin,
          response: { reject: canisterReject(why) },
          refund: context.cyclesAvailable,
        });
      }
      if (context.outstanding <= 0) {
        this.contexts.delete(context.id);
        c.openContexts--;
      }
    }
    this.maybeStopped(c);
  }

  private uninstall(c: Canister, caller: string): void {
    this.dropCode(c, 'Canister has been uninstalled.');
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
    this.recordHistory(c, caller, { code_uninstall: null });
    this.touch(c);
  }

  private install(args: {
    canister: Canister;
    mode: M.InstallModeValue;
    wasm: Uint8Array;
    arg: Uint8Array;
    sender: string;
  }): Response {
    const { canister: c, wasm, arg, sender } = args;
    const mode: 'install' | 'reinstall' | 'upgrade' =
      'install' in args.mode ? 'install' : 'reinstall' in args.mode ? 'reinstall' : 'upgrade';
    const skipPreUpgrade =
      'upgrade' in args.mode && args.mode.upgrade[0]?.skip_pre_upgrade[0] === true;
    let loaded;
    try {
      loaded = this.modules.load(wasm, { instrumented: this.instrumented });
    } catch (e) {
      if (e instanceof IcHostError) return { reject: rejects.invalidWasm(c.idText, e.message) };
      throw e;
    }
    if (mode === 'install' && c.module) {
      return managementReject(
        ErrorCode.CanisterNonEmpty,
        `Canister ${c.idText} cannot be installed because the canister is not empty. Try installing with mode='reinstall' instead.`,
      );
    }
    if (mode === 'upgrade' && !c.instance) return { reject: rejects.wasmModuleNotFound(c.idText) };

    const senderBytes = Principal.fromText(sender).toUint8Array();
    const time = this.stepTime;
    let budget = this.limits.installInstructions;
    const old = c.instance;
    const oldVersion = c.version;
    c.stable.begin();
    const fail = (trap: SystemReject): Response => {
      c.stable.rollback();
      old?.rollback();
      c.version = oldVersion;
      return { reject: trap };
    };

    if (mode === 'upgrade' && !skipPreUpgrade && old!.hasExport('canister_pre_upgrade')) {
      const pre = this.execute({
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
    const startExec = new Execution({
      kind: 'start',
      canister: c.env(),
      caller: senderBytes,
      arg: new Uint8Array(0),
      time,
      maxReplyBytes: 0,
      maxCallPayloadBytes: 0,
      log: (message) => this.logSink({ canisterId: c.idText, message, timeNanos: time }),
    });
    let created;
    try {
      created = CanisterInstance.create(loaded, startExec);
    } catch (e) {
      c.stable.rollback();
      old?.rollback();
      c.version = oldVersion;
      return { reject: rejects.invalidWasm(c.idText, (e as Error).message) };
    }
    if (created.trap) return fail(created.trap);
    const instance = created.instance!;
    const certifiedBefore = c.certifiedData;
    const timerBefore = c.globalTimer;
    if (mode !== 'upgrade') c.certifiedData = new Uint8Array(0);
    c.globalTimer = 0n;
    const entry = mode === 'upgrade' ? 'canister_post_upgrade' : 'canister_init';
    let effects: Execution | undefined;
    if (instance.hasExport(entry)) {
      const run = this.execute({
        canister: c,
        kind: mode === 'upgrade' ? 'post_upgrade' : 'init',
        entry: { export: entry },
        arg,
        caller: senderBytes,
        limit: budget,
        time,
        instance,
      });
      if (run.trap) {
        c.certifiedData = certifiedBefore;
        c.globalTimer = timerBefore;
        return fail(run.trap);
      }
      effects = run.exec;
    }

    // Success: the new module replaces the old one.
    if (mode !== 'upgrade') this.dropCode(c, 'Canister has been reinstalled.');
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
    this.recordHistory(c, sender, {
      code_deployment: { mode: { [mode]: null } as { install: null }, module_hash: c.module.hash },
    });
    this.touch(c);
    return { reply: EMPTY_CANDID };
  }

  // ---- restore ---------------------------------------------------------------------------

  private async restore(state: StoredState): Promise<void> {
    this.sequence = state.sequence;
    this.nextCanisterId = state.nextCanisterId === 0n ? FIRST_CANISTER_ID : state.nextCanisterId;
    this.stepTime = this.now();
    for (const s of state.canisters) {
      const c = new Canister(Principal.fromText(s.canisterId), {
        settings: s.settings,
        cycles: s.cycles,
      });
      c.status = s.status === 'stopping' ? 'stopped' : s.status;
      c.version = s.version;
      c.certifiedData = s.certifiedData;
      c.stable = StableMemory.restore({ sizePages: s.stable.sizePages, pages: s.stable.pages });
      this.canisters.set(c.idText, c);
      c.markStored();
      if (s.status === 'stopping') {
        c.mark('status');
        this.touch(c);
      }
      if (!s.module) continue;
      let loaded;
      try {
        loaded = this.modules.load(s.module.wasm, { instrumented: this.instrumented });
      } catch (e) {
        throw new IcHostError(
          'RESTORE_FAILED',
          `canister ${c.idText}: stored module cannot be loaded: ${(e as Error).message}`,
          {
            cause: e,
          },
        );
      }
      c.module = { wasm: s.module.wasm, hash: s.module.hash, loaded };
      if (s.install) c.install = s.install;
      const sender = Principal.fromText(s.install?.sender ?? ANONYMOUS_TEXT).toUint8Array();
      const startExec = new Execution({
        kind: 'start',
        canister: c.env(),
        caller: sender,
        arg: new Uint8Array(0),
        time: this.stepTime,
        maxReplyBytes: 0,
        maxCallPayloadBytes: 0,
        log: (message) => this.logSink({ canisterId: c.idText, message, timeNanos: this.stepTime }),
      });
      c.stable.begin();
      const created = CanisterInstance.create(loaded, startExec);
      if (created.trap) {
        throw new IcHostError(
          'RESTORE_FAILED',
          `canister ${c.idText}: start trapped: ${created.trap.rejectMessage}`,
        );
      }
      const instance = created.instance!;
      if (instance.hasExport('canister_post_upgrade')) {
        const run = this.execute({
          canister: c,
          kind: 'post_upgrade',
          entry: { export: 'canister_post_upgrade' },
          arg: s.install?.arg ?? new Uint8Array(0),
          caller: sender,
          limit: this.limits.installInstructions,
          time: this.stepTime,
          instance,
        });
        if (run.trap) {
          c.stable.rollback();
          throw new IcHostError(
            'RESTORE_FAILED',
            `canister ${c.idText}: canister_post_upgrade trapped while rebuilding from the store: ${run.trap.rejectMessage}`,
          );
        }
        if (run.exec.certifiedData) {
          c.certifiedData = run.exec.certifiedData;
          c.mark('certifiedData');
        }
        if (run.exec.globalTimer !== undefined) c.globalTimer = run.exec.globalTimer;
      }
      c.stable.commit();
      instance.checkpoint();
      c.instance = instance;
      this.touch(c);
    }
    await this.commitStep();
  }

  private assertUsable(): void {
    if (this.broken) throw this.broken;
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
