/**
 * Management methods that read a canister or the system: canister_status, canister_info,
 * canister_metadata, fetch_canister_logs, raw_rand.
 */
import { Principal } from '@dfinity/principal';
import type { Canister } from '../canister';
import type { CanisterSnapshot } from '../store';
import {
  ManagementError,
  canisterReject,
  decode,
  onlyCanisters,
  reply,
  requireController,
  target,
  type Handler,
} from './context';
import * as M from './idl';
import { definiteSettings, visibleTo } from './settings';

export function snapshotSize(s: CanisterSnapshot): bigint {
  const stable = [...s.stable.pages.values()].reduce((n, p) => n + p.length, 0);
  return BigInt(s.heap.length + stable + s.module.wasm.length + s.certifiedData.length);
}

export function statusRecord(c: Canister): unknown {
  const heap = BigInt(c.instance?.heapBytes ?? 0);
  const stable = BigInt(c.stable.sizePages) * 65536n;
  const binary = BigInt(c.module?.wasm.length ?? 0);
  const customSections = BigInt(c.module?.loaded.info.customSectionsBytes ?? 0);
  const chunks = BigInt([...c.chunks.values()].reduce((n, ch) => n + ch.length, 0));
  const snapshots = c.snapshots.reduce((n, s) => n + snapshotSize(s), 0n);
  const logs = BigInt(c.logMemoryBytes);
  return {
    status: { [c.status]: null },
    ready_for_migration: false,
    version: c.version,
    settings: definiteSettings(c.settings),
    module_hash: c.module ? [c.module.hash] : [],
    memory_size: heap + stable + binary + customSections + chunks + snapshots + logs,
    memory_metrics: {
      wasm_memory_size: heap,
      stable_memory_size: stable,
      global_memory_size: 0n,
      wasm_binary_size: binary,
      custom_sections_size: customSections,
      canister_history_size: 0n,
      wasm_chunk_store_size: chunks,
      snapshots_size: snapshots,
      log_memory_store_size: logs,
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

/** Controllers, the canister itself and its status viewers may read its status (also as a query). */
const canisterStatus: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal }>(M.CanisterIdRecord, call.arg);
  const c = target(host, a.canister_id);
  const self = call.caller === c.idText;
  if (!visibleTo(c.settings.statusVisibility, call.caller, self)) requireController(c, call);
  return reply([M.CanisterStatusResult], [statusRecord(c)]);
};

/** Public to canisters: module hash, controllers, the recent changes. */
const canisterInfo: Handler = (call, host) => {
  onlyCanisters(call);
  const a = decode<{ canister_id: Principal; num_requested_changes: [] | [bigint] }>(
    M.CanisterInfoArgs,
    call.arg,
  );
  const c = target(host, a.canister_id);
  const n = Number(a.num_requested_changes[0] ?? 0n);
  const recent = n > 0 ? c.history.recent.slice(-n) : [];
  return reply(
    [M.CanisterInfoResult],
    [
      {
        total_num_changes: c.history.total,
        recent_changes: recent.map((e) => ({ ...e, details: [e.details] })),
        module_hash: c.module ? [c.module.hash] : [],
        controllers: c.settings.controllers.map((p) => Principal.fromText(p)),
      },
    ],
  );
};

/** A metadata section of the module: public ones to anyone, private ones to controllers. */
const canisterMetadata: Handler = (call, host) => {
  onlyCanisters(call);
  const a = decode<{ canister_id: Principal; name: string }>(M.CanisterMetadataArgs, call.arg);
  const c = target(host, a.canister_id);
  const section = c.module?.loaded.metadata.get(a.name);
  const value =
    section && (section.visibility === 'public' || c.isController(call.caller))
      ? section.content
      : undefined;
  if (!value) {
    throw new ManagementError(
      canisterReject(`The canister ${c.idText} has no public metadata section named ${a.name}`),
    );
  }
  return reply([M.CanisterMetadataResult], [{ value }]);
};

/** A query: the `debug_print` lines the log visibility setting lets the caller read. */
const fetchCanisterLogs: Handler = (call, host) => {
  if (!call.query) {
    throw new ManagementError(
      canisterReject(`ic00 method ${call.method} can not be called via ingress messages`),
    );
  }
  const a = decode<{
    canister_id: Principal;
    filter: [] | [{ by_idx: Range } | { by_timestamp_nanos: Range }];
  }>(M.FetchLogsArgs, call.arg);
  const c = target(host, a.canister_id);
  if (!visibleTo(c.settings.logVisibility, call.caller, c.isController(call.caller))) {
    throw new ManagementError(
      canisterReject(
        `Caller ${call.caller} is not allowed to query ic00 method fetch_canister_logs`,
      ),
    );
  }
  const [filter] = a.filter;
  const inRange = (x: bigint, r: Range) => x >= r.start && x < r.end;
  const records = c.logs.filter(
    (l) =>
      !filter ||
      ('by_idx' in filter
        ? inRange(l.idx, filter.by_idx)
        : inRange(l.timestampNanos, filter.by_timestamp_nanos)),
  );
  return reply(
    [M.FetchLogsResult],
    [
      {
        canister_log_records: records.map((l) => ({
          idx: l.idx,
          timestamp_nanos: l.timestampNanos,
          content: l.content,
        })),
      },
    ],
  );
};

interface Range {
  start: bigint;
  end: bigint;
}

const rawRand: Handler = (call, host) => {
  onlyCanisters(call);
  const bytes = host.random(32);
  if (bytes.length !== 32) throw new Error('random source returned other than 32 bytes');
  return reply([M.RawRandResult], [bytes]);
};

export const readMethods: Record<string, Handler> = {
  canister_status: canisterStatus,
  canister_info: canisterInfo,
  canister_metadata: canisterMetadata,
  raw_rand: rawRand,
};

/** What `aaaaa-aa` answers as a query. */
export const queryMethods: Record<string, Handler> = {
  canister_status: canisterStatus,
  fetch_canister_logs: fetchCanisterLogs,
};
