/**
 * Persistence contract between the host and a durable store (the local network keeps one on
 * disk). The host hands over one ChangeSet per state-changing message; a store applies each
 * atomically. `applyChangeSet` is the reference fold, `InMemoryStateStore` keeps its result in
 * memory.
 */
import type { Principal } from '@dfinity/principal';

export type CanisterStatus = 'running' | 'stopping' | 'stopped';

export type LogVisibility =
  { controllers: null } | { public: null } | { allowed_viewers: string[] };

/** One entry of a canister's history (what `canister_info` reports), as Candid values. */
export interface HistoryEntry {
  timestamp_nanos: bigint;
  canister_version: bigint;
  origin:
    | { from_user: { user_id: Principal } }
    | { from_canister: { canister_id: Principal; canister_version: [] | [bigint] } };
  details: HistoryDetails;
}

export type HistoryDetails =
  | { creation: { controllers: Principal[]; environment_variables_hash: [] | [Uint8Array] } }
  | { code_uninstall: null }
  | {
      code_deployment: {
        mode: { install: null } | { reinstall: null } | { upgrade: null };
        module_hash: Uint8Array;
      };
    }
  | {
      load_snapshot: {
        from_canister_id: [] | [Principal];
        snapshot_id: Uint8Array;
        canister_version: bigint;
        taken_at_timestamp: bigint;
        source: { taken_from_canister: null };
      };
    }
  | { controllers_change: { controllers: Principal[] } };

/** The recent changes of a canister (the IC keeps the last 20) and how many there were. */
export interface CanisterHistory {
  total: bigint;
  recent: HistoryEntry[];
}

/** A canister snapshot: everything `load_canister_snapshot` puts back. */
export interface CanisterSnapshot {
  id: Uint8Array;
  takenAt: bigint;
  /** Canister version when it was taken. */
  version: bigint;
  module: { wasm: Uint8Array; hash: Uint8Array };
  /** The Wasm heap and the values of the mutable globals. */
  heap: Uint8Array;
  globals: (number | bigint)[];
  stable: { sizePages: number; pages: Map<number, Uint8Array> };
  certifiedData: Uint8Array;
  globalTimer: bigint;
}

export interface CanisterSettings {
  /** Principals in text form. */
  controllers: string[];
  computeAllocation: bigint;
  memoryAllocation: bigint;
  freezingThreshold: bigint;
  reservedCyclesLimit: bigint;
  minimumIncomingCanisterCallCycles: bigint;
  logVisibility: LogVisibility;
  logMemoryLimit: bigint;
  /** Who besides controllers may list and read snapshots. */
  snapshotVisibility: LogVisibility;
  /** Who besides controllers may read `canister_status`. */
  statusVisibility: LogVisibility;
  wasmMemoryLimit: bigint;
  wasmMemoryThreshold: bigint;
  environmentVariables: { name: string; value: string }[];
}

export interface StablePage {
  /** Page number (64 KiB pages). */
  index: number;
  /** Exactly 65536 bytes. Never mutated after it is handed over. */
  data: Uint8Array;
}

export interface CanisterChange {
  canisterId: string;
  created?: true;
  deleted?: true;
  stable?: {
    /** Drop every stored page before applying `pages` (install, reinstall, uninstall). */
    reset: boolean;
    sizePages: number;
    pages: StablePage[];
  };
  certifiedData?: Uint8Array;
  /** The installed module as given (maybe gzipped) and its SHA-256; null when uninstalled. */
  module?: { wasm: Uint8Array; hash: Uint8Array } | null;
  /** Argument and sender of the last install or upgrade, replayed to post_upgrade on restart. */
  install?: { arg: Uint8Array; sender: string } | null;
  settings?: CanisterSettings;
  status?: CanisterStatus;
  version?: bigint;
  cycles?: bigint;
  /** The whole history, when it changed. */
  history?: CanisterHistory;
  /** Every snapshot of the canister, when they changed. */
  snapshots?: CanisterSnapshot[];
}

export interface ChangeSet {
  /** 1 for the first change set of a fresh store, then +1 per change set. */
  sequence: bigint;
  /** Host time (ns) of the message. */
  time: bigint;
  /** Next canister id counter (u64 part of the id), when it changed. */
  nextCanisterId?: bigint;
  canisters: CanisterChange[];
}

export interface StoredCanister {
  canisterId: string;
  module?: { wasm: Uint8Array; hash: Uint8Array };
  install?: { arg: Uint8Array; sender: string };
  settings: CanisterSettings;
  status: CanisterStatus;
  version: bigint;
  cycles: bigint;
  certifiedData: Uint8Array;
  stable: { sizePages: number; pages: Map<number, Uint8Array> };
  history?: CanisterHistory;
  snapshots?: CanisterSnapshot[];
}

export interface StoredState {
  sequence: bigint;
  nextCanisterId: bigint;
  /** In creation order. */
  canisters: StoredCanister[];
}

export interface StateStore {
  /** The stored state, or undefined for a fresh store. */
  load(): Promise<StoredState | undefined>;
  /** Applies one change set atomically. The host awaits it before releasing results. */
  commit(changes: ChangeSet): Promise<void> | void;
}

export function emptyState(): StoredState {
  return { sequence: 0n, nextCanisterId: 0n, canisters: [] };
}

/**
 * Folds a change set into a state (in place) and returns it. Throws if the change set does not
 * follow the state (sequence gap) or names a canister the state does not have.
 */
export function applyChangeSet(state: StoredState, changes: ChangeSet): StoredState {
  if (changes.sequence !== state.sequence + 1n) {
    throw new Error(
      `change set ${changes.sequence} does not follow stored sequence ${state.sequence}`,
    );
  }
  if (changes.nextCanisterId !== undefined) state.nextCanisterId = changes.nextCanisterId;
  for (const c of changes.canisters) {
    let index = state.canisters.findIndex((s) => s.canisterId === c.canisterId);
    if (c.created) {
      if (index >= 0) throw new Error(`canister ${c.canisterId} already stored`);
      if (!c.settings) throw new Error(`created canister ${c.canisterId} has no settings`);
      state.canisters.push({
        canisterId: c.canisterId,
        settings: c.settings,
        status: 'running',
        version: 0n,
        cycles: 0n,
        certifiedData: new Uint8Array(0),
        stable: { sizePages: 0, pages: new Map() },
      });
      index = state.canisters.length - 1;
    }
    if (index < 0) throw new Error(`change set names unknown canister ${c.canisterId}`);
    if (c.deleted) {
      state.canisters.splice(index, 1);
      continue;
    }
    const s = state.canisters[index];
    if (c.stable) {
      if (c.stable.reset) s.stable.pages.clear();
      s.stable.sizePages = c.stable.sizePages;
      for (const p of c.stable.pages) s.stable.pages.set(p.index, p.data);
    }
    if (c.certifiedData !== undefined) s.certifiedData = c.certifiedData;
    if (c.module !== undefined) {
      if (c.module === null) delete s.module;
      else s.module = c.module;
    }
    if (c.install !== undefined) {
      if (c.install === null) delete s.install;
      else s.install = c.install;
    }
    if (c.settings) s.settings = c.settings;
    if (c.status) s.status = c.status;
    if (c.version !== undefined) s.version = c.version;
    if (c.cycles !== undefined) s.cycles = c.cycles;
    if (c.history) s.history = c.history;
    if (c.snapshots) s.snapshots = c.snapshots;
  }
  state.sequence = changes.sequence;
  return state;
}

function copyState(state: StoredState): StoredState {
  return {
    sequence: state.sequence,
    nextCanisterId: state.nextCanisterId,
    canisters: state.canisters.map((c) => ({
      ...c,
      settings: { ...c.settings, controllers: [...c.settings.controllers] },
      stable: { sizePages: c.stable.sizePages, pages: new Map(c.stable.pages) },
    })),
  };
}

/** Keeps the folded state in memory; `commits` records every change set, for tests. */
export class InMemoryStateStore implements StateStore {
  private state: StoredState | undefined;
  readonly commits: ChangeSet[] = [];

  constructor(private readonly keepHistory = false) {}

  async load(): Promise<StoredState | undefined> {
    return this.state ? copyState(this.state) : undefined;
  }

  commit(changes: ChangeSet): void {
    // Fold into a copy first so a failing change set leaves the stored state untouched.
    const next = applyChangeSet(copyState(this.state ?? emptyState()), changes);
    this.state = next;
    if (this.keepHistory) this.commits.push(changes);
  }

  /** The current stored state (a copy). */
  snapshot(): StoredState | undefined {
    return this.state ? copyState(this.state) : undefined;
  }
}
