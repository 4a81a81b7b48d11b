/**
 * Canister settings as the management canister takes them (`canister_settings`, every field
 * optional) and reports them (`definite_canister_settings`). Every field given is kept.
 */
import { Principal } from '@dfinity/principal';
import type { CanisterSettings, LogVisibility } from '../store';
import { ManagementError, canisterReject } from './context';
import type * as M from './idl';

export const MAX_CONTROLLERS = 10;

/** A `canister_settings` argument that changes only the fields given. */
export function settingsArg(set: Partial<M.SettingsArg> = {}): M.SettingsArg {
  return {
    controllers: [],
    compute_allocation: [],
    memory_allocation: [],
    freezing_threshold: [],
    reserved_cycles_limit: [],
    minimum_incoming_canister_call_cycles: [],
    log_visibility: [],
    log_memory_limit: [],
    snapshot_visibility: [],
    status_visibility: [],
    wasm_memory_limit: [],
    wasm_memory_threshold: [],
    environment_variables: [],
    ...set,
  };
}

function invalid(message: string): ManagementError {
  return new ManagementError(canisterReject(`Invalid settings: ${message}`));
}

export function applySettings(
  base: CanisterSettings,
  s: M.SettingsArg | undefined,
): CanisterSettings {
  if (!s) return base;
  const next: CanisterSettings = { ...base };
  const [controllers] = s.controllers;
  if (controllers) {
    if (controllers.length > MAX_CONTROLLERS) {
      throw invalid(`at most ${MAX_CONTROLLERS} controllers are allowed`);
    }
    next.controllers = [...new Set(controllers.map((p) => p.toText()))];
  }
  const [compute] = s.compute_allocation;
  if (compute !== undefined) {
    if (compute > 100n) throw invalid('compute_allocation must be between 0 and 100');
    next.computeAllocation = compute;
  }
  if (s.memory_allocation[0] !== undefined) next.memoryAllocation = s.memory_allocation[0];
  if (s.freezing_threshold[0] !== undefined) next.freezingThreshold = s.freezing_threshold[0];
  if (s.reserved_cycles_limit[0] !== undefined)
    next.reservedCyclesLimit = s.reserved_cycles_limit[0];
  if (s.minimum_incoming_canister_call_cycles[0] !== undefined)
    next.minimumIncomingCanisterCallCycles = s.minimum_incoming_canister_call_cycles[0];
  if (s.log_visibility[0]) next.logVisibility = visibilityOf(s.log_visibility[0]);
  if (s.snapshot_visibility[0]) next.snapshotVisibility = visibilityOf(s.snapshot_visibility[0]);
  if (s.status_visibility[0]) next.statusVisibility = visibilityOf(s.status_visibility[0]);
  if (s.log_memory_limit[0] !== undefined) next.logMemoryLimit = s.log_memory_limit[0];
  if (s.wasm_memory_limit[0] !== undefined) next.wasmMemoryLimit = s.wasm_memory_limit[0];
  if (s.wasm_memory_threshold[0] !== undefined)
    next.wasmMemoryThreshold = s.wasm_memory_threshold[0];
  if (s.environment_variables[0]) next.environmentVariables = s.environment_variables[0];
  return next;
}

function visibilityOf(v: M.LogVisibilityArg): LogVisibility {
  return 'allowed_viewers' in v ? { allowed_viewers: v.allowed_viewers.map((p) => p.toText()) } : v;
}

function visibilityArg(v: LogVisibility): M.LogVisibilityArg {
  return 'allowed_viewers' in v
    ? { allowed_viewers: v.allowed_viewers.map((p) => Principal.fromText(p)) }
    : v;
}

/** Whether `caller` may see what `visibility` guards (controllers always may). */
export function visibleTo(visibility: LogVisibility, caller: string, isController: boolean) {
  return (
    isController ||
    'public' in visibility ||
    ('allowed_viewers' in visibility && visibility.allowed_viewers.includes(caller))
  );
}

/** `definite_canister_settings` of a canister's settings. */
export function definiteSettings(s: CanisterSettings): unknown {
  return {
    controllers: s.controllers.map((p) => Principal.fromText(p)),
    compute_allocation: s.computeAllocation,
    memory_allocation: s.memoryAllocation,
    freezing_threshold: s.freezingThreshold,
    reserved_cycles_limit: s.reservedCyclesLimit,
    minimum_incoming_canister_call_cycles: s.minimumIncomingCanisterCallCycles,
    log_visibility: visibilityArg(s.logVisibility),
    log_memory_limit: s.logMemoryLimit,
    snapshot_visibility: visibilityArg(s.snapshotVisibility),
    status_visibility: visibilityArg(s.statusVisibility),
    wasm_memory_limit: s.wasmMemoryLimit,
    wasm_memory_threshold: s.wasmMemoryThreshold,
    environment_variables: s.environmentVariables,
  };
}
