/**
 * Runs one entry point of a canister (one Wasm execution) against an `Execution` of the System
 * API, and applies or rolls back what it did to the canister's own state. Call contexts,
 * outgoing calls and responses are the scheduler's; this file knows one canister at a time.
 */
import type { Canister } from './canister';
import type { SystemReject } from './errors';
import type { CanisterInstance, Entry } from './instance';
import type { HostState } from './state';
import { Execution, type ExecKind, type RespondTarget } from './system-api';
import type { ExecutionRecord, Limits, LogLine } from './types';

const QUERY_KINDS: ReadonlySet<ExecKind> = new Set([
  'query',
  'composite_query',
  'composite_reply',
  'composite_reject',
  'composite_cleanup',
]);

export interface ExecuteArgs {
  canister: Canister;
  kind: ExecKind;
  entry: Entry;
  arg: Uint8Array;
  caller: Uint8Array;
  limit: bigint;
  time: bigint;
  respondTo?: RespondTarget;
  /** Instructions already spent by the call context (performance_counter(1)); added to after. */
  context?: RespondTarget & { instructions: bigint };
  methodName?: string;
  rejectInfo?: { code: number; message: string };
  refunded?: bigint;
  dataCertificate?: Uint8Array;
  /** Run on this instance instead of the canister's (a module being installed). */
  instance?: CanisterInstance;
}

export interface Executed {
  exec: Execution;
  trap?: SystemReject;
  instructions: bigint;
}

export class Executor {
  constructor(
    private readonly deps: {
      state: HostState;
      limits: Limits;
      logSink: (line: LogLine) => void;
      onExecution: ((record: ExecutionRecord) => void) | undefined;
    },
  ) {}

  execute(args: ExecuteArgs): Executed {
    const c = args.canister;
    const { limits } = this.deps;
    const respondTo = args.respondTo ?? args.context;
    const exec = new Execution({
      kind: args.kind,
      canister: c.env(),
      caller: args.caller,
      arg: args.arg,
      time: args.time,
      maxReplyBytes: QUERY_KINDS.has(args.kind)
        ? limits.queryReplyBytes
        : limits.replicatedReplyBytes,
      maxCallPayloadBytes: limits.callPayloadBytes,
      log: (message) => this.log(c, args.time, message),
      ...(respondTo ? { respondTo } : {}),
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
    this.deps.onExecution?.({
      canisterId: c.idText,
      kind: args.kind,
      entry: 'export' in args.entry ? args.entry.export : 'callback',
      instructions: result.instructions,
      ms: performance.now() - t0,
      trapped: result.trap !== undefined,
    });
    if (args.context) args.context.instructions += result.instructions;
    return { exec, ...result };
  }

  /** The `debug_print` of a canister: kept for `fetch_canister_logs` and handed to the sink. */
  log(c: Canister, time: bigint, message: string): void {
    c.addLog(time, message);
    this.deps.logSink({ canisterId: c.idText, message, timeNanos: time });
  }

  /** Discards what the last execution did to heap and stable memory. */
  rollback(c: Canister, instance?: CanisterInstance): void {
    (instance ?? c.instance)?.rollback();
    if (c.stable.inTransaction) c.stable.rollback();
  }

  /** Keeps what a completed replicated execution did to its canister's own state. */
  commit(c: Canister, exec: Execution): void {
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
    this.deps.state.touch(c);
  }
}
