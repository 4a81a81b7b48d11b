/**
 * What a management canister method handler is given (the call, and the parts of the host it
 * may use), and the checks every handler shares: decoding, the target canister, controllers.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import type { CallContexts, Origin, Response } from '../call-contexts';
import type { Canister } from '../canister';
import { ErrorCode, RejectCode, rejects, type SystemReject } from '../errors';
import type { Executor } from '../executor';
import type { Installer } from '../installer';
import type { HostState } from '../state';

/** Thrown by a handler to reject the call; the dispatcher turns it into the response. */
export class ManagementError extends Error {
  constructor(readonly reject: SystemReject) {
    super(reject.rejectMessage);
  }
}

export function canisterReject(message: string): SystemReject {
  return rejects.canisterReject(message);
}

export interface ManagementCall {
  method: string;
  arg: Uint8Array;
  /** The caller, text form. */
  caller: string;
  /** Calls from canisters may use methods ingress messages may not. */
  fromCanister: boolean;
  /** Cycles attached to the call. */
  cycles: bigint;
  origin: Origin;
  /** Non-replicated: state changes are not possible (a query to `aaaaa-aa`). */
  query: boolean;
}

export interface ManagementHost {
  state: HostState;
  contexts: CallContexts;
  installer: Installer;
  executor: Executor;
  random: (size: number) => Uint8Array;
}

/** A handler's answer; `deferred` when it answers later (stop_canister). */
export type ManagementResult = Response | 'deferred';

export type Handler = (call: ManagementCall, host: ManagementHost) => ManagementResult;

export function decode<T>(type: IDL.Type, arg: Uint8Array): T {
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

export function reply(types: IDL.Type[], values: unknown[]): Response {
  return { reply: new Uint8Array(IDL.encode(types, values)) };
}

export function target(host: ManagementHost, id: Principal): Canister {
  const c = host.state.get(id.toText());
  if (!c) throw new ManagementError(rejects.canisterNotFound(id.toText()));
  return c;
}

export function requireController(c: Canister, call: ManagementCall): void {
  if (!c.isController(call.caller)) {
    throw new ManagementError(
      rejects.notController({
        canisterId: c.idText,
        method: call.method,
        sender: call.caller,
        controllers: c.settings.controllers,
      }),
    );
  }
}

/** The target canister of `canister_id`, which the caller must control. */
export function controlled(host: ManagementHost, call: ManagementCall, id: Principal): Canister {
  const c = target(host, id);
  requireController(c, call);
  return c;
}

export function onlyCanisters(call: ManagementCall): void {
  if (!call.fromCanister) {
    throw new ManagementError(
      canisterReject(`ic00 method ${call.method} can not be called via ingress messages`),
    );
  }
}

/** Marks a management change of `c` (a new canister version) for the change set. */
export function bumpVersion(
  host: ManagementHost,
  c: Canister,
  ...fields: Parameters<Canister['mark']>
) {
  c.version += 1n;
  c.mark('version', ...fields);
  host.state.touch(c);
}
