/**
 * Canister snapshots: take (module, heap, globals, stable memory, certified data, timer), list,
 * load (the canister becomes what the snapshot holds) and delete. Controllers only. Snapshots
 * are part of the canister's durable state (they go into the change set).
 */
import { Principal } from '@dfinity/principal';
import { bytesToHex } from '@noble/hashes/utils';
import { EMPTY_CANDID } from '../call-contexts';
import type { Canister } from '../canister';
import { ErrorCode, RejectCode, rejects } from '../errors';
import type { CanisterSnapshot } from '../store';
import {
  ManagementError,
  bumpVersion,
  controlled,
  decode,
  reply,
  requireController,
  target,
  type Handler,
  type ManagementHost,
} from './context';
import * as M from './idl';
import { snapshotSize } from './reads';
import { visibleTo } from './settings';

/** The replica's default limit of snapshots per canister. */
export const MAX_SNAPSHOTS = 10;

function describe(s: CanisterSnapshot): M.SnapshotValue {
  return { id: s.id, taken_at_timestamp: s.takenAt, total_size: snapshotSize(s) };
}

function snapshotOf(c: Canister, id: Uint8Array): CanisterSnapshot {
  const hex = bytesToHex(id);
  const found = c.snapshots.find((s) => bytesToHex(s.id) === hex);
  if (!found) {
    throw new ManagementError({
      rejectCode: RejectCode.DestinationInvalid,
      errorCode: ErrorCode.CanisterSnapshotNotFound,
      rejectMessage: `Could not find the snapshot ID ${hex} for canister ${c.idText}.`,
    });
  }
  return found;
}

/** Snapshot ids are the canister id and a number unique on this host (like the replica's). */
function newSnapshotId(host: ManagementHost, c: Canister): Uint8Array {
  const local = new Uint8Array(8);
  new DataView(local.buffer).setBigUint64(0, host.state.sequence + 1n);
  return new Uint8Array([...c.idBytes, ...local]);
}

const take: Handler = (call, host) => {
  const a = decode<{
    canister_id: Principal;
    replace_snapshot: [] | [Uint8Array];
    uninstall_code: [] | [boolean];
  }>(M.TakeSnapshotArgs, call.arg);
  const c = controlled(host, call, a.canister_id);
  if (!c.module || !c.instance) {
    throw new ManagementError(
      rejects.withCode(
        ErrorCode.CanisterWasmModuleNotFound,
        `Canister ${c.idText} does not have a Wasm module: there is nothing to snapshot.`,
      ),
    );
  }
  const replaced = a.replace_snapshot[0] ? snapshotOf(c, a.replace_snapshot[0]) : undefined;
  if (!replaced && c.snapshots.length >= MAX_SNAPSHOTS) {
    throw new ManagementError(
      rejects.canisterReject(
        `Canister ${c.idText} has reached the maximum of ${MAX_SNAPSHOTS} snapshots: delete one or replace it.`,
      ),
    );
  }
  const snapshot: CanisterSnapshot = {
    id: newSnapshotId(host, c),
    takenAt: host.state.stepTime,
    version: c.version,
    module: { wasm: c.module.wasm, hash: c.module.hash },
    ...c.instance.committedState(),
    stable: { sizePages: c.stable.sizePages, pages: c.stable.committedPages() },
    certifiedData: c.certifiedData,
    globalTimer: c.globalTimer,
  };
  c.snapshots = [...c.snapshots.filter((s) => s !== replaced), snapshot];
  c.mark('snapshots');
  host.state.touch(c);
  if (a.uninstall_code[0] === true) host.installer.uninstall(c, call.caller);
  return reply([M.Snapshot], [describe(snapshot)]);
};

/** Controllers and the canister's snapshot viewers. */
const list: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal }>(M.CanisterIdRecord, call.arg);
  const c = target(host, a.canister_id);
  const controller = c.isController(call.caller);
  if (!visibleTo(c.settings.snapshotVisibility, call.caller, controller)) {
    requireController(c, call);
  }
  return reply([M.ListSnapshotsResult], [c.snapshots.map(describe)]);
};

/** The canister becomes what the snapshot holds: module, heap, stable memory, certified data. */
const load: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal; snapshot_id: Uint8Array }>(
    M.LoadSnapshotArgs,
    call.arg,
  );
  const c = controlled(host, call, a.canister_id);
  const s = snapshotOf(c, a.snapshot_id);
  const { installer, state } = host;
  const loaded = installer.load(s.module.wasm);
  const sender = Principal.fromText(call.caller).toUint8Array();
  const created = installer.instantiate({ canister: c, loaded, sender, time: state.stepTime });
  if (!created.instance) throw new ManagementError(created.trap!);
  host.contexts.dropCode(c, 'Canister has been loaded from a snapshot.');
  created.instance.loadState(s);
  c.stable.begin();
  c.stable.replace(s.stable);
  c.stable.commit();
  c.instance = created.instance;
  c.module = { ...s.module, loaded };
  c.certifiedData = s.certifiedData;
  c.globalTimer = s.globalTimer;
  bumpVersion(host, c, 'module', 'certifiedData');
  state.recordChange(c, call.caller, {
    load_snapshot: {
      from_canister_id: [],
      snapshot_id: s.id,
      canister_version: s.version,
      taken_at_timestamp: s.takenAt,
      source: { taken_from_canister: null },
    },
  });
  return { reply: EMPTY_CANDID };
};

const remove: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal; snapshot_id: Uint8Array }>(
    M.DeleteSnapshotArgs,
    call.arg,
  );
  const c = controlled(host, call, a.canister_id);
  const s = snapshotOf(c, a.snapshot_id);
  c.snapshots = c.snapshots.filter((x) => x !== s);
  c.mark('snapshots');
  host.state.touch(c);
  return { reply: EMPTY_CANDID };
};

export const snapshotMethods: Record<string, Handler> = {
  take_canister_snapshot: take,
  list_canister_snapshots: list,
  load_canister_snapshot: load,
  delete_canister_snapshot: remove,
};
