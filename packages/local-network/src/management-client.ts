/**
 * A client for the parts of the management canister's interface (`aaaaa-aa`) that deploying
 * needs, through `@dfinity/agent`: works the same against this network, a `dfx start`
 * replica and the IC. Calls are routed by effective canister id like the agent's own helper
 * used to: the `canister_id` (or `target_canister`) of the argument.
 */
import { Actor, type ActorSubclass, type HttpAgent } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

const CanisterSettings = IDL.Record({
  controllers: IDL.Opt(IDL.Vec(IDL.Principal)),
  compute_allocation: IDL.Opt(IDL.Nat),
  memory_allocation: IDL.Opt(IDL.Nat),
  freezing_threshold: IDL.Opt(IDL.Nat),
  reserved_cycles_limit: IDL.Opt(IDL.Nat),
  wasm_memory_limit: IDL.Opt(IDL.Nat),
});
const InstallMode = IDL.Variant({
  install: IDL.Null,
  reinstall: IDL.Null,
  upgrade: IDL.Opt(
    IDL.Record({
      skip_pre_upgrade: IDL.Opt(IDL.Bool),
      wasm_memory_persistence: IDL.Opt(IDL.Variant({ keep: IDL.Null, replace: IDL.Null })),
    }),
  ),
});
const ChunkHash = IDL.Record({ hash: IDL.Vec(IDL.Nat8) });

const managementIdl: IDL.InterfaceFactory = () =>
  IDL.Service({
    provisional_create_canister_with_cycles: IDL.Func(
      [
        IDL.Record({
          amount: IDL.Opt(IDL.Nat),
          settings: IDL.Opt(CanisterSettings),
          specified_id: IDL.Opt(IDL.Principal),
          sender_canister_version: IDL.Opt(IDL.Nat64),
        }),
      ],
      [IDL.Record({ canister_id: IDL.Principal })],
      [],
    ),
    install_code: IDL.Func(
      [
        IDL.Record({
          mode: InstallMode,
          canister_id: IDL.Principal,
          wasm_module: IDL.Vec(IDL.Nat8),
          arg: IDL.Vec(IDL.Nat8),
          sender_canister_version: IDL.Opt(IDL.Nat64),
        }),
      ],
      [],
      [],
    ),
    upload_chunk: IDL.Func(
      [IDL.Record({ canister_id: IDL.Principal, chunk: IDL.Vec(IDL.Nat8) })],
      [ChunkHash],
      [],
    ),
    clear_chunk_store: IDL.Func([IDL.Record({ canister_id: IDL.Principal })], [], []),
    install_chunked_code: IDL.Func(
      [
        IDL.Record({
          mode: InstallMode,
          target_canister: IDL.Principal,
          store_canister: IDL.Opt(IDL.Principal),
          chunk_hashes_list: IDL.Vec(ChunkHash),
          wasm_module_hash: IDL.Vec(IDL.Nat8),
          arg: IDL.Vec(IDL.Nat8),
          sender_canister_version: IDL.Opt(IDL.Nat64),
        }),
      ],
      [],
      [],
    ),
    update_settings: IDL.Func(
      [
        IDL.Record({
          canister_id: IDL.Principal,
          settings: CanisterSettings,
          sender_canister_version: IDL.Opt(IDL.Nat64),
        }),
      ],
      [],
      [],
    ),
    start_canister: IDL.Func([IDL.Record({ canister_id: IDL.Principal })], [], []),
    stop_canister: IDL.Func([IDL.Record({ canister_id: IDL.Principal })], [], []),
  });

export type InstallMode =
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

export interface CanisterSettingsArg {
  controllers: [] | [Principal[]];
  compute_allocation: [] | [bigint];
  memory_allocation: [] | [bigint];
  freezing_threshold: [] | [bigint];
  reserved_cycles_limit: [] | [bigint];
  wasm_memory_limit: [] | [bigint];
}

export interface ManagementCanister {
  provisional_create_canister_with_cycles(arg: {
    amount: [] | [bigint];
    settings: [] | [CanisterSettingsArg];
    specified_id: [] | [Principal];
    sender_canister_version: [] | [bigint];
  }): Promise<{ canister_id: Principal }>;
  install_code(arg: {
    mode: InstallMode;
    canister_id: Principal;
    wasm_module: Uint8Array;
    arg: Uint8Array;
    sender_canister_version: [] | [bigint];
  }): Promise<void>;
  upload_chunk(arg: { canister_id: Principal; chunk: Uint8Array }): Promise<{ hash: Uint8Array }>;
  clear_chunk_store(arg: { canister_id: Principal }): Promise<void>;
  install_chunked_code(arg: {
    mode: InstallMode;
    target_canister: Principal;
    store_canister: [] | [Principal];
    chunk_hashes_list: { hash: Uint8Array }[];
    wasm_module_hash: Uint8Array;
    arg: Uint8Array;
    sender_canister_version: [] | [bigint];
  }): Promise<void>;
  update_settings(arg: {
    canister_id: Principal;
    settings: CanisterSettingsArg;
    sender_canister_version: [] | [bigint];
  }): Promise<void>;
  start_canister(arg: { canister_id: Principal }): Promise<void>;
  stop_canister(arg: { canister_id: Principal }): Promise<void>;
}

export function managementCanister(agent: HttpAgent): ActorSubclass<ManagementCanister> {
  return Actor.createActor<ManagementCanister>(managementIdl, {
    agent,
    canisterId: Principal.fromText('aaaaa-aa'),
    callTransform: (_method, args) => effective(args),
    queryTransform: (_method, args) => effective(args),
  });
}

function effective(args: unknown[]): { effectiveCanisterId: Principal } {
  const first = args[0] as { canister_id?: Principal; target_canister?: Principal } | undefined;
  const id = first?.canister_id ?? first?.target_canister;
  return { effectiveCanisterId: id ? Principal.from(id) : Principal.fromText('aaaaa-aa') };
}
