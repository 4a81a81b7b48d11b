/**
 * Requests to the management canister `aaaaa-aa`, as the interface specification and the
 * replica treat them: which methods ingress messages may call, and the effective canister id a
 * call must be routed by.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import { ErrorCode, rejects, type SystemReject } from '@repro-registry/ic-host';

/** Methods that create canisters: any effective canister id is accepted. */
const CREATE_METHODS = new Set(['create_canister', 'provisional_create_canister_with_cycles']);

/** Management methods a user may call with an ingress message (update calls). */
export const INGRESS_MANAGEMENT_METHODS = new Set([
  'provisional_create_canister_with_cycles',
  'provisional_top_up_canister',
  'update_settings',
  'install_code',
  'install_chunked_code',
  'upload_chunk',
  'clear_chunk_store',
  'stored_chunks',
  'uninstall_code',
  'start_canister',
  'stop_canister',
  'canister_status',
  'delete_canister',
  'take_canister_snapshot',
  'load_canister_snapshot',
  'list_canister_snapshots',
  'delete_canister_snapshot',
  'read_canister_snapshot_metadata',
  'read_canister_snapshot_data',
  'upload_canister_snapshot_metadata',
  'upload_canister_snapshot_data',
]);

/** Methods of the interface only canisters may call (the replica rejects them from users). */
const CANISTER_ONLY_METHODS = new Set([
  'create_canister',
  'deposit_cycles',
  'raw_rand',
  'http_request',
  'flexible_http_request',
  'canister_info',
  'canister_metadata',
  'ecdsa_public_key',
  'sign_with_ecdsa',
  'schnorr_public_key',
  'sign_with_schnorr',
  'vetkd_public_key',
  'vetkd_derive_key',
  'bitcoin_get_balance',
  'bitcoin_get_utxos',
  'bitcoin_send_transaction',
  'bitcoin_get_current_fee_percentiles',
  'bitcoin_get_block_headers',
  'node_metrics_history',
  'subnet_info',
  'fetch_canister_logs',
]);

/** Management methods a user may call with a query (routed by their `canister_id`). */
export const QUERY_MANAGEMENT_METHODS = new Set(['canister_status', 'fetch_canister_logs']);

export function isCreateMethod(method: string): boolean {
  return CREATE_METHODS.has(method);
}

/**
 * Why the replica would not accept an ingress call of `method` to `aaaaa-aa`, or undefined:
 * canister-only methods (e.g. `raw_rand`) are rejected as the replica rejects them (reject code 4,
 * IC0406), and a method the interface does not have with IC0536.
 */
export function ingressRefusal(method: string): SystemReject | undefined {
  if (INGRESS_MANAGEMENT_METHODS.has(method)) return undefined;
  if (CANISTER_ONLY_METHODS.has(method)) {
    return rejects.canisterReject(`ic00 method ${method} can not be called via ingress messages`);
  }
  return rejects.withCode(
    ErrorCode.CanisterMethodNotFound,
    `ic00 interface does not expose method ${method}`,
  );
}

function decodeField(arg: Uint8Array, field: string): Principal | undefined {
  try {
    const [record] = IDL.decode(
      [IDL.Record({ [field]: IDL.Principal })],
      arg.slice(),
    ) as unknown as [Record<string, Principal>];
    return record?.[field];
  } catch {
    return undefined;
  }
}

/**
 * The effective canister id a call to the management canister must be routed by:
 * - `'any'` for the create methods, and for methods a user may not call (they are routed like
 *   any message, and the ingress filter rejects them, as on a replica);
 * - the `canister_id` (`target_canister`) of the argument otherwise, or `null` when the argument
 *   has none (the replica refuses such calls).
 */
export function managementEffectiveCanisterId(
  method: string,
  arg: Uint8Array,
): Uint8Array | 'any' | null {
  if (isCreateMethod(method) || ingressRefusal(method)) return 'any';
  const field = method === 'install_chunked_code' ? 'target_canister' : 'canister_id';
  const p = decodeField(arg, field);
  return p ? p.toUint8Array() : null;
}
