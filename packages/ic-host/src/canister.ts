/** The host's record of one canister: system state, module instance, stable memory. */
import type { Principal } from '@dfinity/principal';
import type { CanisterInstance } from './instance';
import type { LoadedModule } from './module-cache';
import { StableMemory } from './stable-memory';
import type { CanisterEnv } from './system-api';
import type {
  CanisterChange,
  CanisterHistory,
  CanisterSettings,
  CanisterSnapshot,
  CanisterStatus,
  HistoryEntry,
} from './store';

export const DEFAULT_FREEZING_THRESHOLD = 2_592_000n;
export const DEFAULT_RESERVED_CYCLES_LIMIT = 5_000_000_000_000n;
export const DEFAULT_WASM_MEMORY_LIMIT = 3n * 1024n * 1024n * 1024n;
/** The replica's default (and, for now, only) size of a canister's log buffer. */
export const DEFAULT_LOG_MEMORY_LIMIT = 4096n;
/** Changes `canister_info` can report; older ones are only counted. */
export const MAX_HISTORY_ENTRIES = 20;
/** `provisional_create_canister_with_cycles` without an amount. */
export const DEFAULT_PROVISIONAL_CYCLES = 100_000_000_000_000n;

export function defaultSettings(controllers: string[]): CanisterSettings {
  return {
    controllers,
    computeAllocation: 0n,
    memoryAllocation: 0n,
    freezingThreshold: DEFAULT_FREEZING_THRESHOLD,
    reservedCyclesLimit: DEFAULT_RESERVED_CYCLES_LIMIT,
    minimumIncomingCanisterCallCycles: 0n,
    logVisibility: { controllers: null },
    logMemoryLimit: DEFAULT_LOG_MEMORY_LIMIT,
    snapshotVisibility: { controllers: null },
    statusVisibility: { controllers: null },
    wasmMemoryLimit: DEFAULT_WASM_MEMORY_LIMIT,
    wasmMemoryThreshold: 0n,
    environmentVariables: [],
  };
}

export interface CanisterLogRecord {
  idx: bigint;
  timestampNanos: bigint;
  content: Uint8Array;
}

/** Fields whose change goes into the next change set. */
type Tracked =
  | 'created'
  | 'deleted'
  | 'certifiedData'
  | 'module'
  | 'install'
  | 'settings'
  | 'status'
  | 'version'
  | 'cycles'
  | 'history'
  | 'snapshots';

export class Canister {
  readonly idText: string;
  readonly idBytes: Uint8Array;
  settings: CanisterSettings;
  status: CanisterStatus = 'running';
  version = 0n;
  cycles: bigint;
  certifiedData: Uint8Array = new Uint8Array(0);
  globalTimer = 0n;
  module: { wasm: Uint8Array; hash: Uint8Array; loaded: LoadedModule } | undefined;
  install: { arg: Uint8Array; sender: string } | undefined;
  instance: CanisterInstance | undefined;
  stable = new StableMemory();
  readonly chunks = new Map<string, Uint8Array>();
  readonly logs: CanisterLogRecord[] = [];
  private logBytes = 0;
  private nextLogIdx = 0n;
  history: CanisterHistory = { total: 0n, recent: [] };
  snapshots: CanisterSnapshot[] = [];
  /** Call contexts not yet closed. */
  openContexts = 0;
  deleted = false;
  private readonly changed = new Set<Tracked>();
  private storedStableSize = 0;

  constructor(
    readonly id: Principal,
    args: { settings: CanisterSettings; cycles: bigint },
  ) {
    this.idText = id.toText();
    this.idBytes = id.toUint8Array();
    this.settings = args.settings;
    this.cycles = args.cycles;
  }

  mark(...fields: Tracked[]): void {
    for (const f of fields) this.changed.add(f);
  }

  isController(principalText: string): boolean {
    return this.settings.controllers.includes(principalText);
  }

  env(): CanisterEnv {
    return {
      idText: this.idText,
      idBytes: this.idBytes,
      cycles: this.cycles,
      version: this.version,
      status: this.status,
      controllers: new Set(this.settings.controllers),
      globalTimer: this.globalTimer,
      stable: this.stable,
    };
  }

  /** Keeps the newest records that fit in the canister's `log_memory_limit`. */
  addLog(timestampNanos: bigint, message: string): void {
    const content = new TextEncoder().encode(message);
    this.logs.push({ idx: this.nextLogIdx++, timestampNanos, content });
    this.logBytes += content.length;
    const limit = Number(this.settings.logMemoryLimit);
    while (this.logs.length > 0 && this.logBytes > limit) {
      this.logBytes -= this.logs.shift()!.content.length;
    }
  }

  get logMemoryBytes(): number {
    return this.logBytes;
  }

  addHistory(entry: HistoryEntry): void {
    const recent = [...this.history.recent, entry].slice(-MAX_HISTORY_ENTRIES);
    this.history = { total: this.history.total + 1n, recent };
    this.mark('history');
  }

  /** The change of this canister since the last call, or undefined if nothing changed. */
  takeChange(): CanisterChange | undefined {
    const stableDirty = this.stable.takeDirty();
    const sizeChanged = this.stable.sizePages !== this.storedStableSize;
    if (this.changed.size === 0 && !stableDirty && !sizeChanged) return undefined;
    const c: CanisterChange = { canisterId: this.idText };
    const has = (f: Tracked) => this.changed.has(f);
    if (has('deleted')) {
      this.changed.clear();
      return { canisterId: this.idText, deleted: true };
    }
    if (has('created')) {
      c.created = true;
      c.settings = this.settings;
      c.status = this.status;
      c.version = this.version;
      c.cycles = this.cycles;
      c.history = this.history;
    }
    if (stableDirty || sizeChanged) {
      c.stable = {
        reset: stableDirty?.reset ?? false,
        sizePages: this.stable.sizePages,
        pages: stableDirty?.pages ?? [],
      };
      this.storedStableSize = this.stable.sizePages;
    }
    if (has('certifiedData')) c.certifiedData = this.certifiedData;
    if (has('module'))
      c.module = this.module ? { wasm: this.module.wasm, hash: this.module.hash } : null;
    if (has('install')) c.install = this.install ?? null;
    if (has('settings')) c.settings = this.settings;
    if (has('status')) c.status = this.status;
    if (has('version')) c.version = this.version;
    if (has('cycles')) c.cycles = this.cycles;
    if (has('history')) c.history = this.history;
    if (has('snapshots')) c.snapshots = this.snapshots;
    this.changed.clear();
    return c;
  }

  /** After a restore: what is in the store is the baseline. */
  markStored(): void {
    this.changed.clear();
    this.stable.takeDirty();
    this.storedStableSize = this.stable.sizePages;
  }
}
