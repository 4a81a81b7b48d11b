/**
 * Candid types of the management canister `aaaaa-aa`, from the current interface description
 * (the IC interface specification's `ic.did` with what the IC's own tools, icp-cli among them,
 * now read: `log_memory_limit`, `log_memory_store_size`, snapshot and status visibility, the
 * minimum cycles of incoming calls, `opt change_details`). The one copy in the repository: the host decodes and encodes with
 * it, the local network's client (`managementCanister`) builds its actor from `managementIdl`.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

const LogVisibility = IDL.Variant({
  controllers: IDL.Null,
  public: IDL.Null,
  allowed_viewers: IDL.Vec(IDL.Principal),
});
const EnvironmentVariable = IDL.Record({ name: IDL.Text, value: IDL.Text });
const SnapshotId = IDL.Vec(IDL.Nat8);

export const CanisterSettingsArg = IDL.Record({
  controllers: IDL.Opt(IDL.Vec(IDL.Principal)),
  compute_allocation: IDL.Opt(IDL.Nat),
  memory_allocation: IDL.Opt(IDL.Nat),
  freezing_threshold: IDL.Opt(IDL.Nat),
  reserved_cycles_limit: IDL.Opt(IDL.Nat),
  minimum_incoming_canister_call_cycles: IDL.Opt(IDL.Nat),
  log_visibility: IDL.Opt(LogVisibility),
  log_memory_limit: IDL.Opt(IDL.Nat),
  snapshot_visibility: IDL.Opt(LogVisibility),
  status_visibility: IDL.Opt(LogVisibility),
  wasm_memory_limit: IDL.Opt(IDL.Nat),
  wasm_memory_threshold: IDL.Opt(IDL.Nat),
  environment_variables: IDL.Opt(IDL.Vec(EnvironmentVariable)),
});

export const DefiniteCanisterSettings = IDL.Record({
  controllers: IDL.Vec(IDL.Principal),
  compute_allocation: IDL.Nat,
  memory_allocation: IDL.Nat,
  freezing_threshold: IDL.Nat,
  reserved_cycles_limit: IDL.Nat,
  minimum_incoming_canister_call_cycles: IDL.Nat,
  log_visibility: LogVisibility,
  log_memory_limit: IDL.Nat,
  snapshot_visibility: LogVisibility,
  status_visibility: LogVisibility,
  wasm_memory_limit: IDL.Nat,
  wasm_memory_threshold: IDL.Nat,
  environment_variables: IDL.Vec(EnvironmentVariable),
});

export const CanisterIdRecord = IDL.Record({ canister_id: IDL.Principal });
export const CanisterIdResult = IDL.Record({ canister_id: IDL.Principal });

export const CreateCanisterArgs = IDL.Record({
  settings: IDL.Opt(CanisterSettingsArg),
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

export const ProvisionalCreateArgs = IDL.Record({
  amount: IDL.Opt(IDL.Nat),
  settings: IDL.Opt(CanisterSettingsArg),
  specified_id: IDL.Opt(IDL.Principal),
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

export const UpdateSettingsArgs = IDL.Record({
  canister_id: IDL.Principal,
  settings: CanisterSettingsArg,
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

export const InstallMode = IDL.Variant({
  install: IDL.Null,
  reinstall: IDL.Null,
  upgrade: IDL.Opt(
    IDL.Record({
      skip_pre_upgrade: IDL.Opt(IDL.Bool),
      wasm_memory_persistence: IDL.Opt(IDL.Variant({ keep: IDL.Null, replace: IDL.Null })),
    }),
  ),
});

export const InstallCodeArgs = IDL.Record({
  mode: InstallMode,
  canister_id: IDL.Principal,
  wasm_module: IDL.Vec(IDL.Nat8),
  arg: IDL.Vec(IDL.Nat8),
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

const ChunkHash = IDL.Record({ hash: IDL.Vec(IDL.Nat8) });

export const InstallChunkedCodeArgs = IDL.Record({
  mode: InstallMode,
  target_canister: IDL.Principal,
  store_canister: IDL.Opt(IDL.Principal),
  chunk_hashes_list: IDL.Vec(ChunkHash),
  wasm_module_hash: IDL.Vec(IDL.Nat8),
  arg: IDL.Vec(IDL.Nat8),
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

export const UploadChunkArgs = IDL.Record({ canister_id: IDL.Principal, chunk: IDL.Vec(IDL.Nat8) });
export const UploadChunkResult = ChunkHash;
export const StoredChunksResult = IDL.Vec(ChunkHash);

export const UninstallCodeArgs = IDL.Record({
  canister_id: IDL.Principal,
  sender_canister_version: IDL.Opt(IDL.Nat64),
});

export const CanisterStatusResult = IDL.Record({
  status: IDL.Variant({ running: IDL.Null, stopping: IDL.Null, stopped: IDL.Null }),
  ready_for_migration: IDL.Bool,
  version: IDL.Nat64,
  settings: DefiniteCanisterSettings,
  module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
  memory_size: IDL.Nat,
  memory_metrics: IDL.Record({
    wasm_memory_size: IDL.Nat,
    stable_memory_size: IDL.Nat,
    global_memory_size: IDL.Nat,
    wasm_binary_size: IDL.Nat,
    custom_sections_size: IDL.Nat,
    canister_history_size: IDL.Nat,
    wasm_chunk_store_size: IDL.Nat,
    snapshots_size: IDL.Nat,
    log_memory_store_size: IDL.Nat,
  }),
  cycles: IDL.Nat,
  reserved_cycles: IDL.Nat,
  idle_cycles_burned_per_day: IDL.Nat,
  query_stats: IDL.Record({
    num_calls_total: IDL.Nat,
    num_instructions_total: IDL.Nat,
    request_payload_bytes_total: IDL.Nat,
    response_payload_bytes_total: IDL.Nat,
  }),
});

export const CanisterInfoArgs = IDL.Record({
  canister_id: IDL.Principal,
  num_requested_changes: IDL.Opt(IDL.Nat64),
});

const ChangeOrigin = IDL.Variant({
  from_user: IDL.Record({ user_id: IDL.Principal }),
  from_canister: IDL.Record({ canister_id: IDL.Principal, canister_version: IDL.Opt(IDL.Nat64) }),
});
const ChangeDetails = IDL.Variant({
  creation: IDL.Record({
    controllers: IDL.Vec(IDL.Principal),
    environment_variables_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
  }),
  code_uninstall: IDL.Null,
  code_deployment: IDL.Record({
    mode: IDL.Variant({ install: IDL.Null, reinstall: IDL.Null, upgrade: IDL.Null }),
    module_hash: IDL.Vec(IDL.Nat8),
  }),
  load_snapshot: IDL.Record({
    from_canister_id: IDL.Opt(IDL.Principal),
    snapshot_id: SnapshotId,
    canister_version: IDL.Nat64,
    taken_at_timestamp: IDL.Nat64,
    source: IDL.Variant({ taken_from_canister: IDL.Reserved, metadata_upload: IDL.Reserved }),
  }),
  controllers_change: IDL.Record({ controllers: IDL.Vec(IDL.Principal) }),
});
export const CanisterInfoResult = IDL.Record({
  total_num_changes: IDL.Nat64,
  recent_changes: IDL.Vec(
    IDL.Record({
      timestamp_nanos: IDL.Nat64,
      canister_version: IDL.Nat64,
      origin: ChangeOrigin,
      details: IDL.Opt(ChangeDetails),
    }),
  ),
  module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
  controllers: IDL.Vec(IDL.Principal),
});

export const CanisterMetadataArgs = IDL.Record({ canister_id: IDL.Principal, name: IDL.Text });
export const CanisterMetadataResult = IDL.Record({ value: IDL.Vec(IDL.Nat8) });

export const TopUpArgs = IDL.Record({ canister_id: IDL.Principal, amount: IDL.Nat });

export const RawRandResult = IDL.Vec(IDL.Nat8);

export const FetchLogsArgs = IDL.Record({
  canister_id: IDL.Principal,
  filter: IDL.Opt(
    IDL.Variant({
      by_idx: IDL.Record({ start: IDL.Nat64, end: IDL.Nat64 }),
      by_timestamp_nanos: IDL.Record({ start: IDL.Nat64, end: IDL.Nat64 }),
    }),
  ),
});
export const FetchLogsResult = IDL.Record({
  canister_log_records: IDL.Vec(
    IDL.Record({ idx: IDL.Nat64, timestamp_nanos: IDL.Nat64, content: IDL.Vec(IDL.Nat8) }),
  ),
});

export const Snapshot = IDL.Record({
  id: SnapshotId,
  taken_at_timestamp: IDL.Nat64,
  total_size: IDL.Nat64,
});
export const TakeSnapshotArgs = IDL.Record({
  canister_id: IDL.Principal,
  replace_snapshot: IDL.Opt(SnapshotId),
  uninstall_code: IDL.Opt(IDL.Bool),
  sender_canister_version: IDL.Opt(IDL.Nat64),
});
export const LoadSnapshotArgs = IDL.Record({
  canister_id: IDL.Principal,
  snapshot_id: SnapshotId,
  sender_canister_version: IDL.Opt(IDL.Nat64),
});
export const DeleteSnapshotArgs = IDL.Record({
  canister_id: IDL.Principal,
  snapshot_id: SnapshotId,
});
export const ListSnapshotsResult = IDL.Vec(Snapshot);

/** The service, for actors (`Actor.createActor(managementIdl, …)`). */
export const managementIdl: IDL.InterfaceFactory = () =>
  IDL.Service({
    create_canister: IDL.Func([CreateCanisterArgs], [CanisterIdResult], []),
    provisional_create_canister_with_cycles: IDL.Func(
      [ProvisionalCreateArgs],
      [CanisterIdResult],
      [],
    ),
    provisional_top_up_canister: IDL.Func([TopUpArgs], [], []),
    update_settings: IDL.Func([UpdateSettingsArgs], [], []),
    upload_chunk: IDL.Func([UploadChunkArgs], [UploadChunkResult], []),
    clear_chunk_store: IDL.Func([CanisterIdRecord], [], []),
    stored_chunks: IDL.Func([CanisterIdRecord], [StoredChunksResult], []),
    install_code: IDL.Func([InstallCodeArgs], [], []),
    install_chunked_code: IDL.Func([InstallChunkedCodeArgs], [], []),
    uninstall_code: IDL.Func([UninstallCodeArgs], [], []),
    start_canister: IDL.Func([CanisterIdRecord], [], []),
    stop_canister: IDL.Func([CanisterIdRecord], [], []),
    canister_status: IDL.Func([CanisterIdRecord], [CanisterStatusResult], []),
    canister_info: IDL.Func([CanisterInfoArgs], [CanisterInfoResult], []),
    canister_metadata: IDL.Func([CanisterMetadataArgs], [CanisterMetadataResult], []),
    delete_canister: IDL.Func([CanisterIdRecord], [], []),
    deposit_cycles: IDL.Func([CanisterIdRecord], [], []),
    raw_rand: IDL.Func([], [RawRandResult], []),
    take_canister_snapshot: IDL.Func([TakeSnapshotArgs], [Snapshot], []),
    load_canister_snapshot: IDL.Func([LoadSnapshotArgs], [], []),
    list_canister_snapshots: IDL.Func([CanisterIdRecord], [ListSnapshotsResult], []),
    delete_canister_snapshot: IDL.Func([DeleteSnapshotArgs], [], []),
    fetch_canister_logs: IDL.Func([FetchLogsArgs], [FetchLogsResult], ['query']),
  });

// ---- TypeScript shapes of the values above (as @dfinity/candid decodes them) ----------------

export type LogVisibilityArg =
  { controllers: null } | { public: null } | { allowed_viewers: Principal[] };

export interface SettingsArg {
  controllers: [] | [Principal[]];
  compute_allocation: [] | [bigint];
  memory_allocation: [] | [bigint];
  freezing_threshold: [] | [bigint];
  reserved_cycles_limit: [] | [bigint];
  minimum_incoming_canister_call_cycles: [] | [bigint];
  log_visibility: [] | [LogVisibilityArg];
  log_memory_limit: [] | [bigint];
  snapshot_visibility: [] | [LogVisibilityArg];
  status_visibility: [] | [LogVisibilityArg];
  wasm_memory_limit: [] | [bigint];
  wasm_memory_threshold: [] | [bigint];
  environment_variables: [] | [{ name: string; value: string }[]];
}

export type InstallModeValue =
  | { install: null }
  | { reinstall: null }
  | {
      upgrade:
        | []
        | [
            {
              skip_pre_upgrade: [] | [boolean];
              wasm_memory_persistence: [] | [{ keep: null } | { replace: null }];
            },
          ];
    };

export interface InstallCodeValue {
  mode: InstallModeValue;
  canister_id: Principal;
  wasm_module: Uint8Array;
  arg: Uint8Array;
  sender_canister_version: [] | [bigint];
}

export interface InstallChunkedCodeValue {
  mode: InstallModeValue;
  target_canister: Principal;
  store_canister: [] | [Principal];
  chunk_hashes_list: { hash: Uint8Array }[];
  wasm_module_hash: Uint8Array;
  arg: Uint8Array;
  sender_canister_version: [] | [bigint];
}

export interface SnapshotValue {
  id: Uint8Array;
  taken_at_timestamp: bigint;
  total_size: bigint;
}
