/**
 * The state directory's durable store: the host's `StateStore` (canister modules, settings,
 * stable memory, certified data, as change sets) plus the network's own records (request
 * statuses), all in one write-ahead log so that their order on disk is the order they happened.
 *
 * `commit` appends and returns at once; the network calls `flush()` (group commit, one fsync
 * for everything appended so far) before it releases a reply, and a flush is also scheduled
 * right after every commit so work nobody waits for (timers, callbacks) reaches the disk too.
 * Because the log is replayed in order, a reply released after a flush implies that everything
 * it depends on is on disk.
 */
import { mkdir } from 'node:fs/promises';
import { decodeValue, encodeValue } from './persist-codec';
import { WriteAheadLog } from './wal';

const RECORD_CHANGES = 1;
const RECORD_REQUEST_STATUS = 2;
const SNAPSHOT_FORMAT = 1;

export interface RequestStatusRecord {
  requestId: Uint8Array;
  status: 'replied' | 'rejected' | 'done';
  reply?: Uint8Array;
  rejectCode?: number;
  rejectMessage?: string;
  errorCode?: string;
  sender: Uint8Array;
  /** The canister the call addressed (for delegation targets) and its effective canister id. */
  receiver: Uint8Array;
  effectiveCanisterId: Uint8Array;
  method: string;
  /** Time (ns) after which the status may be forgotten. */
  pruneAfter: bigint;
}

export interface DurableStoreOptions<S, C> {
  dir: string;
  /** Folds one change set into the stored state (the host's `applyChangeSet`). */
  fold: (state: S | undefined, changes: C) => S;
  /** Log size that triggers a snapshot. */
  compactAfterBytes?: number;
}

export interface StoreStats {
  recoveredRecords: number;
  discardedBytes: number;
  loadMs: number;
}

export class DurableStore<S, C> {
  private state: S | undefined;
  private statuses = new Map<string, RequestStatusRecord>();
  private flushScheduled = false;
  private compacting: Promise<void> | null = null;
  /** Called after every committed change set (the network re-certifies). */
  onCommit: (() => void) | undefined;

  private constructor(
    private readonly log: WriteAheadLog,
    private readonly options: DurableStoreOptions<S, C>,
    readonly stats: StoreStats,
  ) {}

  static async open<S, C>(options: DurableStoreOptions<S, C>): Promise<DurableStore<S, C>> {
    const started = performance.now();
    await mkdir(options.dir, { recursive: true });
    const recovered = await WriteAheadLog.open(options.dir);
    const store = new DurableStore<S, C>(recovered.log, options, {
      recoveredRecords: recovered.records.length,
      discardedBytes: recovered.discardedBytes,
      loadMs: 0,
    });
    if (recovered.snapshot) {
      const snap = decodeValue(recovered.snapshot) as {
        format: number;
        state: S | undefined;
        statuses: RequestStatusRecord[];
      };
      if (snap.format !== SNAPSHOT_FORMAT) {
        throw new Error(`unknown snapshot format ${snap.format} in ${options.dir}`);
      }
      store.state = snap.state;
      for (const s of snap.statuses)
        store.statuses.set(Buffer.from(s.requestId).toString('hex'), s);
    }
    for (const r of recovered.records) store.replay(r.type, r.payload);
    store.stats.loadMs = performance.now() - started;
    return store;
  }

  private replay(type: number, payload: Uint8Array): void {
    if (type === RECORD_CHANGES) {
      this.state = this.options.fold(this.state, decodeValue(payload) as C);
    } else if (type === RECORD_REQUEST_STATUS) {
      const s = decodeValue(payload) as RequestStatusRecord;
      this.statuses.set(Buffer.from(s.requestId).toString('hex'), s);
    } else {
      throw new Error(`unknown record type ${type} in the write-ahead log`);
    }
  }

  /** StateStore: the state folded from the snapshot and the log. */
  async load(): Promise<S | undefined> {
    return this.state;
  }

  /** The folded state as of the last commit (not necessarily on disk yet). */
  currentState(): S | undefined {
    return this.state;
  }

  /** StateStore: appends a change set; durable at the next `flush()`. */
  commit(changes: C): void {
    // Encode first: a change set that cannot be persisted must not be half-applied.
    const payload = encodeValue(changes);
    // Fold before appending: a change set the fold refuses (a host bug) never reaches the log,
    // where it would make every later start fail.
    this.state = this.options.fold(this.state, changes);
    this.log.append(RECORD_CHANGES, payload);
    this.scheduleFlush();
    this.onCommit?.();
  }

  recordRequestStatus(record: RequestStatusRecord): void {
    this.log.append(RECORD_REQUEST_STATUS, encodeValue(record));
    this.statuses.set(Buffer.from(record.requestId).toString('hex'), record);
  }

  /** Request statuses recovered from disk (and recorded since), unpruned. */
  requestStatuses(): RequestStatusRecord[] {
    return [...this.statuses.values()];
  }

  forgetRequestStatuses(before: bigint): void {
    for (const [k, s] of this.statuses) if (s.pruneAfter < before) this.statuses.delete(k);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush().catch(() => {
        // The failure is kept by the log and reported to every later flush.
      });
    });
  }

  /** Resolves when everything appended so far is on disk. */
  async flush(): Promise<void> {
    await this.log.flush();
    if (this.log.size > (this.options.compactAfterBytes ?? 64 * 1024 * 1024)) {
      void this.compact();
    }
  }

  /** Writes a snapshot of the current state and drops the log it covers. */
  compact(): Promise<void> {
    this.compacting ??= (async () => {
      try {
        const bytes = encodeValue({
          format: SNAPSHOT_FORMAT,
          state: this.state,
          statuses: [...this.statuses.values()],
        });
        await this.log.writeSnapshot(bytes);
      } finally {
        this.compacting = null;
      }
    })();
    return this.compacting;
  }

  get logBytes(): number {
    return this.log.size;
  }

  async close(options: { snapshot?: boolean } = {}): Promise<void> {
    if (this.compacting) await this.compacting;
    if (options.snapshot ?? true) await this.compact();
    await this.log.close();
  }
}
