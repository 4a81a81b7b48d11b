/**
 * Call contexts: an update, its outgoing calls and their callbacks share one; it is answered
 * once, and closed when nothing is outstanding (an unanswered call is rejected then). Also the
 * callers waiting for `stop_canister`, which is answered when the canister has no open context.
 */
import type { Canister } from './canister';
import { rejects, type SystemReject } from './errors';
import type { HostState } from './state';
import type { OutgoingCall } from './system-api';
import type { CallResult } from './types';

export type Response = { reply: Uint8Array } | { reject: SystemReject };

/** Who is waiting for the answer of a call. */
export type Origin =
  | {
      kind: 'ingress';
      sender: string;
      finish: (r: CallResult) => void;
      fail: (e: unknown) => void;
    }
  | { kind: 'canister'; canister: string; callbackId: number }
  | { kind: 'system' };

export interface CallContext {
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

export interface PendingCallback {
  id: number;
  canister: Canister;
  context: CallContext;
  call: OutgoingCall;
}

/** Sends a response to whoever waits for it (the scheduler's). */
export type Respond = (args: {
  origin: Origin;
  response: Response;
  refund: bigint;
  instructions?: bigint;
}) => void;

/** `()` in Candid: the reply of methods that return nothing. */
export const EMPTY_CANDID = new Uint8Array([0x44, 0x49, 0x44, 0x4c, 0x00, 0x00]);

export class CallContexts {
  private readonly contexts = new Map<number, CallContext>();
  private readonly callbacks = new Map<number, PendingCallback>();
  private readonly pendingStops = new Map<Canister, Origin[]>();
  private nextContextId = 1;
  private nextCallbackId = 1;

  constructor(
    private readonly state: HostState,
    private readonly respond: Respond,
  ) {}

  open(args: { canister: Canister; origin: Origin; cycles: bigint; caller: Uint8Array }) {
    const context: CallContext = {
      id: this.nextContextId++,
      canister: args.canister,
      caller: args.caller,
      origin: args.origin,
      responded: false,
      outstanding: 0,
      cyclesAvailable: args.cycles,
      instructions: 0n,
    };
    this.contexts.set(context.id, context);
    args.canister.openContexts++;
    return context;
  }

  /** Answers the context's call (once). */
  answer(context: CallContext, response: Response): void {
    context.responded = true;
    this.respond({
      origin: context.origin,
      response,
      refund: context.cyclesAvailable,
      instructions: context.instructions,
    });
    context.cyclesAvailable = 0n;
  }

  /** Closes the context if nothing is outstanding; an unanswered call is rejected then. */
  settle(context: CallContext, trap?: SystemReject): void {
    if (context.outstanding > 0) return;
    if (!context.responded && context.origin.kind !== 'system') {
      this.answer(context, { reject: trap ?? rejects.didNotReply(context.canister.idText) });
    }
    this.contexts.delete(context.id);
    context.canister.openContexts--;
    this.maybeStopped(context.canister);
  }

  /** Registers the callback of an outgoing call; its id travels with the call. */
  addCallback(context: CallContext, call: OutgoingCall): number {
    const id = this.nextCallbackId++;
    this.callbacks.set(id, { id, canister: context.canister, context, call });
    context.outstanding++;
    return id;
  }

  /** The callback a response is for, or undefined when its canister lost its code meanwhile. */
  takeCallback(id: number): PendingCallback | undefined {
    const cb = this.callbacks.get(id);
    if (!cb) return undefined;
    this.callbacks.delete(id);
    cb.context.outstanding--;
    return cb;
  }

  /** Rejects the open calls of `c` and forgets its callbacks (its code is going away). */
  dropCode(c: Canister, why: string): void {
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
          response: { reject: rejects.canisterReject(why) },
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

  /** `stop_canister`: answered once the canister has no open call context. */
  waitForStop(c: Canister, origin: Origin): void {
    const waiting = this.pendingStops.get(c) ?? [];
    waiting.push(origin);
    this.pendingStops.set(c, waiting);
    this.maybeStopped(c);
  }

  /** `start_canister` while stopping: the waiting stop calls are rejected. */
  cancelStops(c: Canister, reject: SystemReject): void {
    for (const origin of this.pendingStops.get(c) ?? []) {
      this.respond({ origin, response: { reject }, refund: 0n });
    }
    this.pendingStops.delete(c);
  }

  private maybeStopped(c: Canister): void {
    if (c.status !== 'stopping' || c.openContexts > 0) return;
    c.status = 'stopped';
    c.version += 1n;
    c.mark('status', 'version');
    this.state.touch(c);
    const waiting = this.pendingStops.get(c) ?? [];
    this.pendingStops.delete(c);
    for (const origin of waiting)
      this.respond({ origin, response: { reply: EMPTY_CANDID }, refund: 0n });
  }
}
