/**
 * Pure pieces of the management canister: settings, the status record, reject helpers. The
 * stateful methods (create, install, stop, ...) live in the host, which owns the canisters.
 */
import { Principal } from '@dfinity/principal';
import type { Canister } from './canister';
import { ErrorCode, RejectCode, type SystemReject } from './errors';
import type * as M from './management-idl';
import type { CanisterSettings } from './store';

export const MAX_CONTROLLERS = 10;

export type Response = { reply: Uint8Array } | { reject: SystemReject };

export function canisterReject(message: string): SystemReject {
  return {
    rejectCode: RejectCode.CanisterReject,
    rejectMessage: message,
    errorCode: ErrorCode.CanisterRejectedMessage,
  };
}

export function managementReject(errorCode: string, message: string): Response {
  return {
    reject: {
      rejectCode: Number(errorCode.charAt(3)) as RejectCode,
      rejectMessage: message,
      errorCode,
    },
  };
}

export class ManagementError extends Error {
  constructor(readonly reject: SystemReject) {
    super(reject.rejectMessage);
  }
}

export function settingsArg(args: { controllers: Principal[] }): M.SettingsArg {
  return {
    controllers: [args.controllers],
    compute_allocation: [],
    memory_allocation: [],
    freezing_threshold: [],
    reserved_cycles_limit: [],
    log_visibility: [],
    wasm_memory_limit: [],
    wasm_memory_threshold: [],
    environment_variables: [],
  };
}

export function applySettings(
  base: CanisterSettings,
  s: M.SettingsArg | undefined,
): CanisterSettings {
  if (!s) return base;
  const next: CanisterSettings = { ...base };
  if (s.controllers[0]) {
    if (s.controllers[0].length > MAX_CONTROLLERS) {
      throw new ManagementError(
        canisterReject(`Invalid settings: at most ${MAX_CONTROLLERS} controllers are allowed`),
      );
    }
    next.controllers = [...new Set(s.controllers[0].map((p) => p.toText()))];
  }
  if (s.compute_allocation[0] !== undefined) next.computeAllocation = s.compute_allocation[0];
  if (s.memory_allocation[0] !== undefined) next.memoryAllocation = s.memory_allocation[0];
  if (s.freezing_threshold[0] !== undefined) next.freezingThreshold = s.freezing_threshold[0];
  if (s.reserved_cycles_limit[0] !== undefined)
    next.reservedCyclesLimit = s.reserved_cycles_limit[0];
  if (s.log_visibility[0]) {
    const v = s.log_visibility[0];
    next.logVisibility =
      'allowed_viewers' in v ? { allowed_viewers: v.allowed_viewers.map((p) => p.toText()) } : v;
  }
  if (s.wasm_memory_limit[0] !== undefined) next.wasmMemoryLimit = s.wasm_memory_limit[0];
  if (s.wasm_memory_threshold[0] !== undefined)
    next.wasmMemoryThreshold = s.wasm_memory_threshold[0];
  if (s.environment_variables[0]) next.environmentVariables = s.environment_variables[0];
  return next;
}

export function statusRecord(c: Canister): unknown {
  const s = c.settings;
  const heap = BigInt(c.instance?.heapBytes ?? 0);
  const stable = BigInt(c.stable.sizePages) * 65536n;
  const binary = BigInt(c.module?.wasm.length ?? 0);
  return {
    status: { [c.status]: null },
    ready_for_migration: false,
    version: c.version,
    settings: {
      controllers: s.controllers.map((p) => Principal.fromText(p)),
      compute_allocation: s.computeAllocation,
      memory_allocation: s.memoryAllocation,
      freezing_threshold: s.freezingThreshold,
      reserved_cycles_limit: s.reservedCyclesLimit,
      log_visibility:
        'allowed_viewers' in s.logVisibility
          ? { allowed_viewers: s.logVisibility.allowed_viewers.map((p) => Principal.fromText(p)) }
          : s.logVisibility,
      wasm_memory_limit: s.wasmMemoryLimit,
      wasm_memory_threshold: s.wasmMemoryThreshold,
      environment_variables: s.environmentVariables,
    },
    module_hash: c.module ? [c.module.hash] : [],
    memory_size: heap + stable + binary,
    memory_metrics: {
      wasm_memory_size: heap,
      stable_memory_size: stable,
      global_memory_size: 0n,
      wasm_binary_size: binary,
      custom_sections_size: 0n,
      canister_history_size: 0n,
      wasm_chunk_store_size: BigInt([...c.chunks.values()].reduce((n, ch) => n + ch.length, 0)),
      snapshots_size: 0n,
    },
    cycles: c.cycles,
    reserved_cycles: 0n,
    idle_cycles_burned_per_day: 0n,
    query_stats: {
      num_calls_total: 0n,
      num_instructions_total: 0n,
      request_payload_bytes_total: 0n,
      response_payload_bytes_total: 0n,
    },
  };
}
