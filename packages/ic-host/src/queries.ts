/**
 * Non-replicated executions: queries (with the calls a composite query makes, depth first) and
 * `canister_inspect_message`. They run on the live instance against committed state and are
 * always rolled back.
 */
import { Principal } from '@dfinity/principal';
import type { Response } from './call-contexts';
import type { Canister } from './canister';
import { rejects } from './errors';
import type { Executor } from './executor';
import { MANAGEMENT_TEXT, callbackEntry, responseOf, unavailable } from './scheduler';
import type { HostState } from './state';
import type { OutgoingCall } from './system-api';
import type { InspectResult, Limits } from './types';

/** Canisters on one composite query call path, root included. */
const MAX_QUERY_DEPTH = 6;

type QueryKind = 'query' | 'composite_query';

interface QueryArgs {
  canister: Canister;
  kind: QueryKind;
  exportName: string;
  arg: Uint8Array;
  caller: Uint8Array;
  stack: string[];
  budget: { instructions: bigint };
  dataCertificate?: Uint8Array;
}

/** The export that answers query `method`, or undefined when the canister has none. */
export function queryEntry(
  c: Canister,
  method: string,
): { kind: QueryKind; exportName: string } | undefined {
  for (const kind of ['query', 'composite_query'] as const) {
    const exportName = `canister_${kind} ${method}`;
    if (c.instance!.hasExport(exportName)) return { kind, exportName };
  }
  return undefined;
}

export class QueryRunner {
  constructor(private readonly deps: { state: HostState; executor: Executor; limits: Limits }) {}

  /** Runs query `method` of `c`; every canister involved keeps nothing. */
  run(args: {
    canister: Canister;
    method: string;
    arg: Uint8Array;
    caller: Uint8Array;
    dataCertificate?: Uint8Array;
  }): { response: Response; instructions: bigint } {
    const c = args.canister;
    const entry = queryEntry(c, args.method);
    if (!entry) {
      return {
        response: { reject: rejects.methodNotFound(c.idText, 'query', args.method) },
        instructions: 0n,
      };
    }
    const budget = { instructions: 0n };
    const response = this.graph({
      canister: c,
      ...entry,
      arg: args.arg,
      caller: args.caller,
      stack: [c.idText],
      budget,
      ...(args.dataCertificate ? { dataCertificate: args.dataCertificate } : {}),
    });
    return { response, instructions: budget.instructions };
  }

  /**
   * Runs a query and, for a composite query, the query calls it makes (depth first, each
   * callee's state discarded after its call) and its callbacks. The state of every canister
   * involved is discarded at the end.
   */
  private graph(args: QueryArgs): Response {
    const { executor, limits } = this.deps;
    const c = args.canister;
    const composite = args.kind === 'composite_query';
    const target = { responded: false, cyclesAvailable: 0n };
    const time = this.deps.state.now();
    const first = executor.execute({
      canister: c,
      kind: args.kind,
      entry: { export: args.exportName },
      arg: args.arg,
      caller: args.caller,
      respondTo: target,
      limit: limits.queryInstructions,
      time,
      ...(args.dataCertificate ? { dataCertificate: args.dataCertificate } : {}),
    });
    args.budget.instructions += first.instructions;
    let response: Response | undefined;
    if (first.trap) {
      response = { reject: first.trap };
    } else {
      if (first.exec.response) {
        response = responseOf(first.exec.response, c);
        target.responded = true;
      }
      const pending = [...first.exec.calls];
      while (pending.length > 0) {
        const call = pending.shift()!;
        const answer = this.callee({ call, caller: c, stack: args.stack, budget: args.budget });
        const reject = 'reject' in answer ? answer.reject : undefined;
        const kind = reject
          ? composite
            ? 'composite_reject'
            : 'reject'
          : composite
            ? 'composite_reply'
            : 'reply';
        const callback = executor.execute({
          canister: c,
          kind,
          entry: callbackEntry(reject ? call.reject : call.reply),
          arg: 'reply' in answer ? answer.reply : new Uint8Array(0),
          caller: args.caller,
          respondTo: target,
          limit: limits.queryInstructions,
          time,
          ...(reject
            ? { rejectInfo: { code: reject.rejectCode, message: reject.rejectMessage } }
            : {}),
        });
        args.budget.instructions += callback.instructions;
        if (callback.trap) {
          if (call.cleanup) {
            const cleanup = executor.execute({
              canister: c,
              kind: 'composite_cleanup',
              entry: callbackEntry(call.cleanup),
              arg: new Uint8Array(0),
              caller: args.caller,
              limit: limits.queryInstructions,
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
          response = responseOf(callback.exec.response, c);
          target.responded = true;
        }
        pending.push(...callback.exec.calls);
      }
    }
    executor.rollback(c);
    return response ?? { reject: rejects.didNotReply(c.idText) };
  }

  private callee(args: {
    call: OutgoingCall;
    caller: Canister;
    stack: string[];
    budget: { instructions: bigint };
  }): Response {
    const { call, caller } = args;
    const id = Principal.fromUint8Array(call.callee).toText();
    const callee = this.deps.state.get(id);
    const blocked =
      id === MANAGEMENT_TEXT
        ? rejects.methodNotFound(id, 'query', call.method)
        : unavailable(callee, id);
    if (blocked) return { reject: blocked };
    const c = callee!;
    if (args.stack.includes(c.idText)) return { reject: rejects.queryLoop(c.idText) };
    if (args.stack.length >= MAX_QUERY_DEPTH)
      return { reject: rejects.queryTooDeep(MAX_QUERY_DEPTH) };
    const entry = queryEntry(c, call.method);
    if (!entry) return { reject: rejects.methodNotFound(c.idText, 'query', call.method) };
    return this.graph({
      canister: c,
      ...entry,
      arg: call.arg,
      caller: caller.idBytes,
      stack: [...args.stack, c.idText],
      budget: args.budget,
    });
  }

  /** Runs `canister_inspect_message` (accepted when the canister does not export it). */
  inspect(args: {
    canister: Canister;
    method: string;
    arg: Uint8Array;
    caller: Uint8Array;
    instrumented: boolean;
  }): InspectResult {
    const c = args.canister;
    if (!c.instance!.hasExport('canister_inspect_message')) return { accepted: true };
    const { executor } = this.deps;
    const { exec, trap, instructions } = executor.execute({
      canister: c,
      kind: 'inspect',
      entry: { export: 'canister_inspect_message' },
      arg: args.arg,
      caller: args.caller,
      methodName: args.method,
      limit: this.deps.limits.inspectInstructions,
      time: this.deps.state.now(),
    });
    executor.rollback(c);
    const extra = args.instrumented ? { instructions } : {};
    if (trap) return { accepted: false, ...trap, ...extra };
    if (!exec.accepted) return { accepted: false, ...rejects.messageRejected(c.idText), ...extra };
    return { accepted: true, ...extra };
  }
}
