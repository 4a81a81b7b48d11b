import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

/*
 * Candid types of the ExecuteNnsFunction payloads that carry a canister module. Governance
 * passes such a payload unchanged as the argument of the named method, so the types are those
 * methods' arguments (dfinity/ic .did files named below). As with the election payloads, each is
 * decoded with one supertype of every historic version: fields that came and went are `opt` or
 * left out (Candid skips wire fields the type does not name).
 */

/** `CanisterInstallMode` of root.did; the 2021 type had only `reinstall` and `upgrade`. */
const CanisterInstallModeIdl = IDL.Variant({
  install: IDL.Null,
  reinstall: IDL.Null,
  upgrade: IDL.Null,
});

export type CanisterInstallModeValue = { install: null } | { reinstall: null } | { upgrade: null };

/** root.did `ChunkedCanisterWasm` (2025): the module sits in a store canister's chunks. */
const ChunkedCanisterWasmIdl = IDL.Record({
  wasm_module_hash: IDL.Vec(IDL.Nat8),
  store_canister_id: IDL.Principal,
  chunk_hashes_list: IDL.Vec(IDL.Vec(IDL.Nat8)),
});

/**
 * NnsFunction 4, root's `change_nns_canister`: `ChangeNnsCanisterProposalPayload` (2021, with
 * `authz_changes` and allocations), `ChangeCanisterProposal` (2022–2024, rs/nervous_system/root
 * change_canister.rs), `ChangeCanisterRequest` (root.did, 2025, with `chunked_canister_wasm`).
 */
export const ChangeCanisterPayloadIdl = IDL.Record({
  stop_before_installing: IDL.Bool,
  mode: CanisterInstallModeIdl,
  canister_id: IDL.Principal,
  wasm_module: IDL.Vec(IDL.Nat8),
  arg: IDL.Vec(IDL.Nat8),
  chunked_canister_wasm: IDL.Opt(ChunkedCanisterWasmIdl),
});

export interface ChangeCanisterPayloadValue {
  stop_before_installing: boolean;
  mode: CanisterInstallModeValue;
  canister_id: Principal;
  wasm_module: Uint8Array | number[];
  arg: Uint8Array | number[];
  chunked_canister_wasm: [] | [{ wasm_module_hash: Uint8Array | number[] }];
}

/** NnsFunction 3, root's `add_nns_canister` (`AddCanisterRequest`, root.did). */
export const AddCanisterPayloadIdl = IDL.Record({
  name: IDL.Text,
  wasm_module: IDL.Vec(IDL.Nat8),
  arg: IDL.Vec(IDL.Nat8),
});

export interface AddCanisterPayloadValue {
  name: string;
  wasm_module: Uint8Array | number[];
  arg: Uint8Array | number[];
}

/** NnsFunction 9, lifeline's `upgrade_root` (`UpgradeRootProposalPayload`, lifeline.did). */
export const UpgradeRootPayloadIdl = IDL.Record({
  module_arg: IDL.Vec(IDL.Nat8),
  stop_upgrade_start: IDL.Bool,
  wasm_module: IDL.Vec(IDL.Nat8),
});

export interface UpgradeRootPayloadValue {
  module_arg: Uint8Array | number[];
  stop_upgrade_start: boolean;
  wasm_module: Uint8Array | number[];
}

/** NnsFunction 42, lifeline's `hard_reset_root_to_version` (`HardResetRootToVersionPayload`). */
export const HardResetRootPayloadIdl = IDL.Record({
  wasm_module: IDL.Vec(IDL.Nat8),
  init_arg: IDL.Vec(IDL.Nat8),
});

export interface HardResetRootPayloadValue {
  wasm_module: Uint8Array | number[];
  init_arg: Uint8Array | number[];
}

/**
 * NnsFunction 30, SNS-W's `add_wasm` (sns-wasm.did `AddWasmRequest`): `hash` is what SNS-W
 * files the module under (it refuses a module that does not hash to it); `SnsWasm.proposal_id`
 * came in 2023, `skip_update_latest_version` in 2024.
 */
export const AddWasmRequestIdl = IDL.Record({
  hash: IDL.Vec(IDL.Nat8),
  wasm: IDL.Opt(
    IDL.Record({
      wasm: IDL.Vec(IDL.Nat8),
      proposal_id: IDL.Opt(IDL.Nat64),
      canister_type: IDL.Int32,
    }),
  ),
  skip_update_latest_version: IDL.Opt(IDL.Bool),
});

export interface AddWasmRequestValue {
  hash: Uint8Array | number[];
  wasm: [] | [{ wasm: Uint8Array | number[]; proposal_id: [] | [bigint]; canister_type: number }];
  skip_update_latest_version: [] | [boolean];
}
