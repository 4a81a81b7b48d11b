/**
 * A write-ahead log with snapshots, the durability core of the state directory.
 *
 * Records are appended to numbered segment files (`wal-<n>.log`), each record framed as
 * `[u32 length][u32 crc32][u8 type][payload]`. `flush()` resolves once everything appended
 * before it is written and fdatasync'ed; appends made while a flush is running are written by
 * the next one (group commit), so concurrent updates share one fsync.
 *
 * A snapshot (`snapshot-<n>.bin`, checksummed, written to a temporary file, fsynced, renamed,
 * directory fsynced) holds the full state up to the end of segment `n`; segments ≤ n are then
 * deleted. Recovery loads the newest valid snapshot and replays the later segments, stopping at
 * the first torn or corrupt record (a crash mid-append): a record is all there or not at all.
 */
import { open, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

const SEGMENT_MAGIC = Buffer.from('RRWAL001');
const SNAPSHOT_MAGIC = Buffer.from('RRSNAP01');
const HEADER = 9;

export interface LogRecord {
  type: number;
  payload: Uint8Array;
}

interface Segment {
  n: number;
  fh?: FileHandle;
  pending: Buffer[];
  pendingSeq: number;
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function frame(type: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out[8] = type;
  out.set(payload, HEADER);
  out.writeUInt32LE(crc32(out.subarray(8)), 4);
  return out;
}

/** Parses the records of a segment; `validBytes` ends at the last intact record. */
export function parseSegment(bytes: Uint8Array): {
  records: LogRecord[];
  validBytes: number;
  torn: boolean;
} {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    b.length < SEGMENT_MAGIC.length ||
    !b.subarray(0, SEGMENT_MAGIC.length).equals(SEGMENT_MAGIC)
  ) {
    return { records: [], validBytes: 0, torn: b.length > 0 };
  }
  const records: LogRecord[] = [];
  let pos = SEGMENT_MAGIC.length;
  while (pos < b.length) {
    if (pos + HEADER > b.length) return { records, validBytes: pos, torn: true };
    const len = b.readUInt32LE(pos);
    const crc = b.readUInt32LE(pos + 4);
    const end = pos + HEADER + len;
    if (end > b.length || crc32(b.subarray(pos + 8, end)) !== crc) {
      return { records, validBytes: pos, torn: true };
    }
    records.push({ type: b[pos + 8], payload: new Uint8Array(b.subarray(pos + HEADER, end)) });
    pos = end;
  }
  return { records, validBytes: pos, torn: false };
}

export interface RecoveredLog {
  log: WriteAheadLog;
  snapshot: Uint8Array | undefined;
  records: LogRecord[];
  /** Bytes discarded from a torn tail (a crash in the middle of an append). */
  discardedBytes: number;
}

export class WriteAheadLog {
  private segments: Segment[] = [];
  private appendedSeq = 0;
  private durableSeq = 0;
  private waiters: { seq: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  private running = false;
  private failure: Error | undefined;
  private bytesInLog = 0;
  private closed = false;

  private constructor(
    private readonly dir: string,
    nextSegment: number,
  ) {
    this.segments.push({ n: nextSegment, pending: [], pendingSeq: 0 });
  }

  static async open(dir: string): Promise<RecoveredLog> {
    const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw e;
    });
    const numbered = (prefix: string, suffix: string): number[] =>
      names
        .filter((f) => f.startsWith(prefix) && f.endsWith(suffix))
        .map((f) => Number(f.slice(prefix.length, f.length - suffix.length)))
        .filter((n) => Number.isSafeInteger(n) && n >= 0)
        .sort((a, b) => a - b);
    let snapshot: Uint8Array | undefined;
    let snapshotN = -1;
    for (const n of numbered('snapshot-', '.bin').reverse()) {
      const b = await readFile(join(dir, `snapshot-${n}.bin`));
      if (b.length >= 16 && b.subarray(0, 8).equals(SNAPSHOT_MAGIC)) {
        const crc = b.readUInt32LE(8);
        const len = b.readUInt32LE(12);
        const payload = b.subarray(16);
        if (payload.length === len && crc32(payload) === crc) {
          snapshot = new Uint8Array(payload);
          snapshotN = n;
          break;
        }
      }
    }
    const records: LogRecord[] = [];
    let discardedBytes = 0;
    const segs = numbered('wal-', '.log').filter((n) => n > snapshotN);
    for (const n of segs) {
      const bytes = await readFile(join(dir, `wal-${n}.log`));
      const parsed = parseSegment(bytes);
      records.push(...parsed.records);
      if (parsed.torn) {
        discardedBytes += bytes.length - parsed.validBytes;
        const fh = await open(join(dir, `wal-${n}.log`), 'r+');
        try {
          await fh.truncate(parsed.validBytes);
          await fh.sync();
        } finally {
          await fh.close();
        }
        // Anything after a torn record was never acknowledged: later segments cannot exist
        // unless this one was complete, so stop here.
        break;
      }
    }
    const last = Math.max(snapshotN, ...segs, 0);
    const log = new WriteAheadLog(dir, last + 1);
    log.bytesInLog = records.reduce((n, r) => n + r.payload.length + HEADER, 0);
    return { log, snapshot, records, discardedBytes };
  }

  /** Bytes of records written since the last snapshot (a hint for compaction). */
  get size(): number {
    return this.bytesInLog;
  }

  append(type: number, payload: Uint8Array): void {
    if (this.closed) throw new Error('write-ahead log is closed');
    if (this.failure) throw new Error('write-ahead log failed earlier', { cause: this.failure });
    const seg = this.segments[this.segments.length - 1];
    seg.pending.push(frame(type, payload));
    seg.pendingSeq = ++this.appendedSeq;
    this.bytesInLog += payload.length + HEADER;
  }

  /** Resolves when every record appended before this call is on disk. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.appendedSeq;
    if (seq <= this.durableSeq) return Promise.resolve();
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
    void this.drive();
    return p;
  }

  private async drive(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.durableSeq < this.appendedSeq) {
        const seg = this.segments[0];
        if (seg.pending.length > 0) {
          const batch = seg.pending;
          const upTo = seg.pendingSeq;
          seg.pending = [];
          if (!seg.fh) {
            seg.fh = await open(join(this.dir, `wal-${seg.n}.log`), 'a');
            await seg.fh.write(SEGMENT_MAGIC);
            await fsyncDir(this.dir);
          }
          await seg.fh.write(batch.length === 1 ? batch[0] : Buffer.concat(batch));
          await seg.fh.datasync();
          this.durableSeq = Math.max(this.durableSeq, upTo);
          this.settle();
        } else if (this.segments.length > 1) {
          await seg.fh?.close();
          this.segments.shift();
        } else {
          break;
        }
      }
    } catch (e) {
      this.failure = e instanceof Error ? e : new Error(String(e));
      for (const w of this.waiters) w.reject(this.failure);
      this.waiters = [];
    } finally {
      this.running = false;
    }
  }

  private settle(): void {
    const done = this.waiters.filter((w) => w.seq <= this.durableSeq);
    this.waiters = this.waiters.filter((w) => w.seq > this.durableSeq);
    for (const w of done) w.resolve();
  }

  /**
   * Writes a snapshot covering every record appended before this call. The caller encodes the
   * state synchronously before calling (so nothing can slip in between); later appends go to a
   * new segment and survive the deletion of the old ones.
   */
  async writeSnapshot(state: Uint8Array): Promise<void> {
    const covered = this.segments[this.segments.length - 1].n;
    this.segments.push({ n: covered + 1, pending: [], pendingSeq: 0 });
    this.bytesInLog = 0;
    await this.flush();
    const header = Buffer.alloc(16);
    SNAPSHOT_MAGIC.copy(header, 0);
    header.writeUInt32LE(crc32(state), 8);
    header.writeUInt32LE(state.length, 12);
    const final = join(this.dir, `snapshot-${covered}.bin`);
    const tmp = `${final}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.write(header);
      await fh.write(state);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, final);
    await fsyncDir(this.dir);
    for (const f of await readdir(this.dir)) {
      const m = /^(wal|snapshot)-(\d+)\.(log|bin)$/.exec(f);
      if (m && Number(m[2]) < covered + (m[1] === 'wal' ? 1 : 0)) await unlink(join(this.dir, f));
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    for (const s of this.segments) await s.fh?.close();
    this.segments = [];
  }
}
