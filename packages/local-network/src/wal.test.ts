import { mkdtemp, readdir, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WriteAheadLog } from './wal';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'wal-test-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const rec = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('write-ahead log', () => {
  it('recovers every flushed record in order', async () => {
    const dir = await freshDir();
    const { log } = await WriteAheadLog.open(dir);
    for (let i = 0; i < 100; i++) log.append(1, rec(`r${i}`));
    await log.flush();
    // No close: like a crash right after the flush.
    const again = await WriteAheadLog.open(dir);
    expect(again.records.map((r) => text(r.payload))).toEqual(
      Array.from({ length: 100 }, (_, i) => `r${i}`),
    );
    expect(again.discardedBytes).toBe(0);
  });

  it('shares one flush between appends made while a flush runs (group commit)', async () => {
    const dir = await freshDir();
    const { log } = await WriteAheadLog.open(dir);
    const flushes = Array.from({ length: 20 }, (_, i) => {
      log.append(1, rec(`g${i}`));
      return log.flush();
    });
    await Promise.all(flushes);
    const again = await WriteAheadLog.open(dir);
    expect(again.records).toHaveLength(20);
  });

  it('drops a torn or corrupt tail and keeps what came before', async () => {
    const dir = await freshDir();
    const { log } = await WriteAheadLog.open(dir);
    log.append(1, rec('complete'));
    await log.flush();
    const [segment] = (await readdir(dir)).filter((f) => f.startsWith('wal-'));
    // Half a record: a header promising 100 bytes and only 3 of them.
    const torn = Buffer.alloc(12);
    torn.writeUInt32LE(100, 0);
    await appendFile(join(dir, segment), torn);
    const recovered = await WriteAheadLog.open(dir);
    expect(recovered.records.map((r) => text(r.payload))).toEqual(['complete']);
    expect(recovered.discardedBytes).toBe(12);
    // A flipped byte inside a record fails its checksum.
    const bytes = await readFile(join(dir, segment));
    bytes[bytes.length - 2] ^= 0xff;
    await writeFile(join(dir, segment), bytes);
    expect((await WriteAheadLog.open(dir)).records).toEqual([]);
  });

  it('replaces the log it covers with a snapshot, and later records survive', async () => {
    const dir = await freshDir();
    const { log } = await WriteAheadLog.open(dir);
    log.append(1, rec('before'));
    await log.flush();
    const snapshot = log.writeSnapshot(rec('state-after-before'));
    log.append(1, rec('after'));
    await Promise.all([snapshot, log.flush()]);
    const files = await readdir(dir);
    expect(files.filter((f) => f.startsWith('snapshot-'))).toHaveLength(1);
    const recovered = await WriteAheadLog.open(dir);
    expect(text(recovered.snapshot!)).toBe('state-after-before');
    expect(recovered.records.map((r) => text(r.payload))).toEqual(['after']);
  });

  it('ignores a snapshot whose checksum fails and falls back to the log', async () => {
    const dir = await freshDir();
    const { log } = await WriteAheadLog.open(dir);
    log.append(1, rec('a'));
    await log.flush();
    await writeFile(join(dir, 'snapshot-99.bin'), Buffer.from('RRSNAP01garbage-garbage'));
    const recovered = await WriteAheadLog.open(dir);
    expect(recovered.snapshot).toBeUndefined();
    expect(recovered.records.map((r) => text(r.payload))).toEqual(['a']);
  });
});
