/**
 * The management canister `aaaaa-aa`: one handler per method (canisters.ts, code.ts, reads.ts,
 * snapshots.ts), dispatched here for calls (ingress and from canisters) and for queries.
 */
import { Principal } from '@dfinity/principal';
import type { Response } from '../call-contexts';
import { ErrorCode, RejectCode } from '../errors';
import type { CallMessage } from '../scheduler';
import { CYCLES_CONSUMING, canisterMethods } from './canisters';
import { codeMethods } from './code';
import {
  ManagementError,
  type Handler,
  type ManagementCall,
  type ManagementHost,
  type ManagementResult,
} from './context';
import { queryMethods, readMethods } from './reads';
import { snapshotMethods } from './snapshots';

const UPDATE_METHODS: Record<string, Handler> = {
  ...canisterMethods,
  ...codeMethods,
  ...readMethods,
  ...snapshotMethods,
};

/** Every method of the management canister this host implements (updates and queries). */
export const MANAGEMENT_METHODS: readonly string[] = [
  ...new Set([...Object.keys(UPDATE_METHODS), ...Object.keys(queryMethods)]),
];

function run(
  handlers: Record<string, Handler>,
  call: ManagementCall,
  host: ManagementHost,
): ManagementResult {
  const handler = Object.hasOwn(handlers, call.method) ? handlers[call.method] : undefined;
  try {
    if (!handler) {
      throw new ManagementError({
        rejectCode: RejectCode.CanisterError,
        errorCode: ErrorCode.CanisterMethodNotFound,
        rejectMessage: `Management canister has no ${call.query ? 'query' : 'update'} method '${call.method}'`,
      });
    }
    return handler(call, host);
  } catch (e) {
    if (e instanceof ManagementError) return { reject: e.reject };
    throw e;
  }
}

export class ManagementCanister {
  constructor(
    private readonly host: ManagementHost,
    private readonly respond: (args: {
      origin: CallMessage['origin'];
      response: Response;
      refund: bigint;
    }) => void,
  ) {}

  /** A call to `aaaaa-aa` from the queue (ingress or from a canister). */
  call(msg: CallMessage): void {
    const response = run(
      UPDATE_METHODS,
      {
        method: msg.method,
        arg: msg.arg,
        caller: Principal.fromUint8Array(msg.caller).toText(),
        fromCanister: msg.origin.kind === 'canister',
        cycles: msg.cycles,
        origin: msg.origin,
        query: false,
      },
      this.host,
    );
    if (response === 'deferred') return;
    const kept = CYCLES_CONSUMING.has(msg.method) && 'reply' in response;
    this.respond({ origin: msg.origin, response, refund: kept ? 0n : msg.cycles });
  }

  /** A query to `aaaaa-aa` (canister_status, fetch_canister_logs); changes nothing. */
  query(args: { method: string; arg: Uint8Array; caller: string }): Response {
    const response = run(
      queryMethods,
      { ...args, fromCanister: false, cycles: 0n, origin: { kind: 'system' }, query: true },
      this.host,
    );
    if (response === 'deferred') throw new Error(`query ${args.method} cannot be deferred`);
    return response;
  }
}
