/**
 * Routing of calls to the management canister `aaaaa-aa` by effective canister id, as the
 * interface specification defines it, and which of its methods ingress messages may call.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

export const MANAGEMENT_CANISTER_ID = new Uint8Array(0);

/** Methods that create canisters: any effective canister id is accepted. */
const CREATE_METHODS = new Set(['create_canister', 'provisional_create_canister_with_cycles']);

/** Management methods a user may call with an ingress message (the rest are canister-only). */
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
  'canister_info',
  'delete_canister',
  'take_canister_snapshot',
  'load_canister_snapshot',
  'list_canister_snapshots',
  'delete_canister_snapshot',
  'fetch_canister_logs',
]);

export function isCreateMethod(method: string): boolean {
  return CREATE_METHODS.has(method);
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
 * The effective canister id a call to the management canister must be routed by: `undefined`
 * for the create methods (any id goes), `null` when it cannot be determined (the replica
 * rejects such calls).
 */
export function managementEffectiveCanisterId(
  method: string,
  arg: Uint8Array,
): Uint8Array | undefined | null {
  if (isCreateMethod(method)) return undefined;
  const field = method === 'install_chunked_code' ? 'target_canister' : 'canister_id';
  const p = decodeField(arg, field);
  return p ? p.toUint8Array() : null;
}
