/**
 * The message queue: ingress calls, calls between canisters, their responses, timers and
 * heartbeats, one at a time (FIFO). Every message executes synchronously inside one step; a
 * step ends by committing its change set to the store (awaited) and only then releasing the
 * results it produced. Steps never overlap, and queries wait for an in-flight commit, so nothing
 * observes state the store has not accepted.
 */
import { Principal } from '@dfinity/principal';
import { CallContexts, type CallContext, type Origin, type Response } from './call-contexts';
import type { Canister } from './canister';
import { IcHostError, rejects, type SystemReject } from './errors';
import type { Executor } from './executor';
import type { HostState } from './state';
import type { StateStore } from './store';
import type { Entry } from './instance';
import type { Callback, ExecKind, Execution } from './system-api';
import type { CallResult, Limits, LogLine } from './types';

export type Message =
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

export type CallMessage = Extract<Message, { kind: 'call' }>;

export const MANAGEMENT_TEXT = Principal.managementCanister().toText();
const MANAGEMENT_BYTES = Principal.managementCanister().toUint8Array();

export function callResult(response: Response, instructions: bigint | undefined): CallResult {
  const extra = instructions === undefined ? {} : { instructions };
  if ('reply' in response) return { status: 'replied', reply: response.reply, ...extra };
  return { status: 'rejected', ...response.reject, ...extra };
}

/** Why `target` cannot run a message now, or undefined if it can. */
export function unavailable(c: Canister | undefined, target: string): SystemReject | undefined {
  if (!c) return rejects.canisterNotFound(target);
  if (c.status === 'stopped') return rejects.canisterStopped(c.idText);
  if (c.status === 'stopping') return rejects.canisterStopping(c.idText);
  if (!c.instance) return rejects.wasmModuleNotFound(c.idText);
  return undefined;
}

/** A canister's reply or reject as a response (no response: it did not reply). */
export function responseOf(r: Execution['response'], c: Canister): Response {
  if (!r) return { reject: rejects.didNotReply(c.idText) };
  if ('reply' in r) return { reply: r.reply };
  return { reject: rejects.canisterReject(r.reject) };
}

/** The Wasm function a callback names: a table index and its environment argument. */
export function callbackEntry(cb: Callback): Entry {
  return { table: cb.fun, env: cb.env };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Scheduler {
  readonly contexts: CallContexts;
  /** Resolves when the commit in flight (if any) is done; queries wait for it. */
  committing: Promise<void> = Promise.resolve();
  broken: Error | undefined;
  /** Handles calls to `aaaaa-aa` (set by the host, which owns the management canister). */
  management: (msg: CallMessage) => void = () => {
    throw new Error('no management canister');
  };
  private readonly queue: Message[] = [];
  private pumping: Promise<void> | null = null;
  /** Results of the current step, released after its commit (or failed if the commit fails). */
  private afterCommit: { release: () => void; fail: (e: unknown) => void }[] = [];

  constructor(
    private readonly deps: {
      state: HostState;
      executor: Executor;
      store: StateStore;
      limits: Limits;
      instrumented: boolean;
      logSink: (line: LogLine) => void;
    },
  ) {
    this.contexts = new CallContexts(deps.state, (args) => this.respond(args));
  }

  /** Queues an ingress call; resolves with its result once that result is committed. */
  submit(args: { target: string; method: string; arg: Uint8Array; sender: Principal }) {
    return new Promise<CallResult>((resolve, reject) => {
      this.enqueue({
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

  enqueue(msg: Message): void {
    this.queue.push(msg);
  }

  /** Runs queued messages until the queue is empty. */
  pump(): Promise<void> {
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
    this.deps.state.stepTime = this.deps.state.now();
    try {
      this.process(msg);
    } catch (e) {
      // A host fault: the message is dropped; its ingress caller learns why.
      if (msg.kind === 'call' && msg.origin.kind === 'ingress') {
        const fail = msg.origin.fail;
        this.afterCommit.push({ release: () => fail(e), fail });
      } else {
        this.deps.logSink({
          canisterId: MANAGEMENT_TEXT,
          message: `host fault: ${String(e)}`,
          timeNanos: this.deps.state.stepTime,
        });
      }
    }
    await this.commitStep();
  }

  /** Commits the current step's change set, then releases the results it produced. */
  async commitStep(): Promise<void> {
    const changes = this.deps.state.takeChanges();
    const release = this.afterCommit;
    this.afterCommit = [];
    if (changes) {
      const pending = (async () => this.deps.store.commit(changes))();
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

  private process(msg: Message): void {
    switch (msg.kind) {
      case 'call':
        if (msg.target === MANAGEMENT_TEXT) this.management(msg);
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

  /** Delivers a response: to an ingress caller after the commit, to a canister as a message. */
  respond(args: { origin: Origin; response: Response; refund: bigint; instructions?: bigint }) {
    const { origin, response, refund } = args;
    switch (origin.kind) {
      case 'ingress': {
        const result = callResult(response, this.deps.instrumented ? args.instructions : undefined);
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

  private processCall(msg: CallMessage): void {
    const c = this.deps.state.get(msg.target);
    const blocked = unavailable(c, msg.target);
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
    } else {
      const reject = instance.hasExport(`canister_composite_query ${msg.method}`)
        ? rejects.compositeInReplicatedMode(canister.idText, msg.method)
        : rejects.methodNotFound(canister.idText, 'update', msg.method);
      this.respond({ origin: msg.origin, response: { reject }, refund: msg.cycles });
      return;
    }
    const context = this.contexts.open({
      canister,
      origin: msg.origin,
      cycles: msg.cycles,
      caller: msg.caller,
    });
    const { executor } = this.deps;
    const { exec, trap } = executor.execute({
      canister,
      kind,
      entry: { export: exportName },
      arg: msg.arg,
      caller: msg.caller,
      context,
      limit: this.deps.limits.updateInstructions,
      time: this.deps.state.stepTime,
    });
    if (trap) {
      executor.rollback(canister);
    } else if (kind === 'replicated_query') {
      // A query keeps no state even when it runs replicated; only its response counts.
      executor.rollback(canister);
      if (exec.response) this.contexts.answer(context, responseOf(exec.response, canister));
    } else {
      this.commitExecution(canister, exec, context);
    }
    this.contexts.settle(context, trap);
  }

  private processResponse(msg: Extract<Message, { kind: 'response' }>): void {
    const cb = this.contexts.takeCallback(msg.callbackId);
    if (!cb) return; // The caller was uninstalled or deleted meanwhile.
    const { canister: c, context, call } = cb;
    const { executor, limits, state } = this.deps;
    if (msg.refund > 0n) {
      c.cycles += msg.refund;
      c.mark('cycles');
      state.touch(c);
    }
    if (!c.instance || c.deleted) {
      this.contexts.settle(context);
      return;
    }
    const reject = 'reject' in msg.response ? msg.response.reject : undefined;
    const { exec, trap } = executor.execute({
      canister: c,
      kind: reject ? 'reject' : 'reply',
      entry: callbackEntry(reject ? call.reject : call.reply),
      arg: 'reply' in msg.response ? msg.response.reply : new Uint8Array(0),
      caller: context.caller,
      context,
      refunded: msg.refund,
      limit: limits.updateInstructions,
      time: state.stepTime,
      ...(reject ? { rejectInfo: { code: reject.rejectCode, message: reject.rejectMessage } } : {}),
    });
    if (!trap) {
      this.commitExecution(c, exec, context);
      this.contexts.settle(context);
      return;
    }
    executor.rollback(c);
    if (call.cleanup) {
      const cleanup = executor.execute({
        canister: c,
        kind: 'cleanup',
        entry: callbackEntry(call.cleanup),
        arg: new Uint8Array(0),
        caller: context.caller,
        limit: limits.updateInstructions,
        time: state.stepTime,
        rejectInfo: { code: reject?.rejectCode ?? 0, message: '' },
      });
      if (cleanup.trap) executor.rollback(c);
      else executor.commit(c, cleanup.exec);
    }
    this.contexts.settle(context, trap);
  }

  /** Runs a global timer or heartbeat (system tasks: caller is the management canister). */
  private processSystemTask(id: string, task: 'canister_global_timer' | 'canister_heartbeat') {
    const { executor, state } = this.deps;
    const c = state.get(id);
    if (!c || !c.instance || c.status !== 'running') return;
    if (task === 'canister_global_timer') {
      if (c.globalTimer === 0n || c.globalTimer > state.stepTime) return;
      // The timer is deactivated before the handler runs; a trap does not re-arm it.
      c.globalTimer = 0n;
    }
    if (!c.instance.hasExport(task)) return;
    const context = this.contexts.open({
      canister: c,
      origin: { kind: 'system' },
      cycles: 0n,
      caller: MANAGEMENT_BYTES,
    });
    const { exec, trap } = executor.execute({
      canister: c,
      kind: 'timer',
      entry: { export: task },
      arg: new Uint8Array(0),
      caller: MANAGEMENT_BYTES,
      context,
      limit: this.deps.limits.updateInstructions,
      time: state.stepTime,
    });
    if (trap) {
      executor.rollback(c);
      this.deps.logSink({
        canisterId: c.idText,
        message: `[TRAP] ${task}: ${trap.rejectMessage}`,
        timeNanos: state.stepTime,
      });
    } else {
      this.commitExecution(c, exec, context);
    }
    this.contexts.settle(context, trap);
  }

  /** Applies a completed replicated execution: state, outgoing calls, response. */
  private commitExecution(c: Canister, exec: Execution, context: CallContext): void {
    this.deps.executor.commit(c, exec);
    context.cyclesAvailable -= exec.cyclesAccepted;
    for (const call of exec.calls) {
      const callbackId = this.contexts.addCallback(context, call);
      this.queue.push({
        kind: 'call',
        target: Principal.fromUint8Array(call.callee).toText(),
        method: call.method,
        arg: call.arg,
        caller: c.idBytes,
        cycles: call.cycles,
        origin: { kind: 'canister', canister: c.idText, callbackId },
      });
    }
    if (exec.response) this.contexts.answer(context, responseOf(exec.response, c));
  }
}
