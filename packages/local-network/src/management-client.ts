/**
 * A typed actor for the management canister `aaaaa-aa` through `@dfinity/agent`, built from the
 * one copy of its interface (`ManagementIdl` of `@repro-registry/ic-host`): works the same
 * against this network, a `dfx start` replica and the IC. Calls are routed by effective canister
 * id as the specification asks: the `canister_id` (or `target_canister`) of the argument.
 */
import { Actor, type ActorSubclass, type HttpAgent } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import { ManagementIdl, settingsArg } from '@repro-registry/ic-host';

export type InstallMode = ManagementIdl.InstallModeValue;
export type CanisterSettingsArg = ManagementIdl.SettingsArg;

type CanisterId = { canister_id: Principal };

/** The methods deploying and the tests use, with the types `@dfinity/candid` decodes to. */
export interface ManagementCanister {
  provisional_create_canister_with_cycles(arg: {
    amount: [] | [bigint];
    settings: [] | [CanisterSettingsArg];
    specified_id: [] | [Principal];
    sender_canister_version: [] | [bigint];
  }): Promise<CanisterId>;
  install_code(arg: ManagementIdl.InstallCodeValue): Promise<void>;
  upload_chunk(arg: { canister_id: Principal; chunk: Uint8Array }): Promise<{ hash: Uint8Array }>;
  clear_chunk_store(arg: CanisterId): Promise<void>;
  install_chunked_code(arg: ManagementIdl.InstallChunkedCodeValue): Promise<void>;
  update_settings(arg: {
    canister_id: Principal;
    settings: CanisterSettingsArg;
    sender_canister_version: [] | [bigint];
  }): Promise<void>;
  start_canister(arg: CanisterId): Promise<void>;
  stop_canister(arg: CanisterId): Promise<void>;
  delete_canister(arg: CanisterId): Promise<void>;
  take_canister_snapshot(arg: {
    canister_id: Principal;
    replace_snapshot: [] | [Uint8Array];
    uninstall_code: [] | [boolean];
    sender_canister_version: [] | [bigint];
  }): Promise<ManagementIdl.SnapshotValue>;
  list_canister_snapshots(arg: CanisterId): Promise<ManagementIdl.SnapshotValue[]>;
  load_canister_snapshot(arg: {
    canister_id: Principal;
    snapshot_id: Uint8Array;
    sender_canister_version: [] | [bigint];
  }): Promise<void>;
  delete_canister_snapshot(arg: { canister_id: Principal; snapshot_id: Uint8Array }): Promise<void>;
}

/** Settings that leave every field as it is, except those given. */
export const canisterSettings = settingsArg;

export function managementCanister(agent: HttpAgent): ActorSubclass<ManagementCanister> {
  return Actor.createActor<ManagementCanister>(ManagementIdl.managementIdl, {
    agent,
    canisterId: Principal.managementCanister(),
    callTransform: (_method, args) => effective(args),
    queryTransform: (_method, args) => effective(args),
  });
}

function effective(args: unknown[]): { effectiveCanisterId: Principal } {
  const first = args[0] as { canister_id?: Principal; target_canister?: Principal } | undefined;
  const id = first?.canister_id ?? first?.target_canister;
  return { effectiveCanisterId: id ? Principal.from(id) : Principal.managementCanister() };
}
