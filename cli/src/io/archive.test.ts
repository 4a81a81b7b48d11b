import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestArchive, detectCompression } from './archive';
import { findExecutable } from './which';
import { sha256File } from './hash-file';

const dir = fileURLToPath(new URL('../../test/fixtures/archives/', import.meta.url));
const fixture = (name: string) => path.join(dir, name);
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as {
  members: Record<'a' | 'b', Record<string, string>>;
  sizes: Record<string, number>;
};
const fileSha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

function membersOf(variant: 'a' | 'b') {
  return Object.entries(expected.members[variant])
    .map(([p, sha256]) => ({ path: p, sha256, size: String(expected.sizes[p]) }))
    .sort((x, y) => (x.path < y.path ? -1 : 1));
}

describe('digestArchive', () => {
  it('hashes every member of a .tar.gz without unpacking, and the file itself', async () => {
    const digest = await digestArchive({ path: fixture('update-img-a.tar.gz') });
    expect(digest).toMatchObject({ compression: 'gz', decoder: 'zlib', memberCount: 3 });
    expect(digest.sha256).toBe(fileSha(fixture('update-img-a.tar.gz')));
    expect(digest.members).toEqual(membersOf('a'));
  });

  it('hashes a .tar.zst with the pure-JS decoder', async () => {
    const digest = await digestArchive({
      path: fixture('update-img-b.tar.zst'),
      zstdDecoder: 'fzstd',
    });
    expect(digest.decoder).toBe('fzstd');
    expect(digest.members).toEqual(membersOf('b'));
  });

  it('uses the zstd program when there is one, with the same result', async () => {
    const program = await findExecutable('zstd');
    const digest = await digestArchive({ path: fixture('update-img-a.tar.zst') });
    expect(digest.decoder).toBe(program === null ? 'fzstd' : 'zstd-binary');
    expect(digest.members).toEqual(membersOf('a'));
    expect(digest.size).toBe(readFileSync(fixture('update-img-a.tar.zst')).length);
  });

  it('reads a plain tar and reports progress up to the file size', async () => {
    const seen: number[] = [];
    const digest = await digestArchive({
      path: fixture('update-img-a.tar'),
      onProgress: (p) => seen.push(p.bytesDone),
    });
    expect(digest.compression).toBe('none');
    expect(digest.members).toEqual(membersOf('a'));
    expect(seen.at(-1)).toBe(digest.size);
  });

  it('refuses a file that is not an archive, and a corrupt one, with an ArchiveError', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'repro-archive-'));
    const notArchive = path.join(tmp, 'notes.txt');
    writeFileSync(notArchive, 'hello');
    await expect(digestArchive({ path: notArchive })).rejects.toThrow(
      /is not a tar, \.tar\.gz or \.tar\.zst archive/,
    );
    const corrupt = path.join(tmp, 'broken.tar.zst');
    const bytes = readFileSync(fixture('update-img-a.tar.zst'));
    writeFileSync(corrupt, bytes.subarray(0, bytes.length / 2));
    await expect(digestArchive({ path: corrupt, zstdDecoder: 'fzstd' })).rejects.toThrow();
    expect(await detectCompression(corrupt)).toBe('zst');
  });
});

describe('sha256File', () => {
  it('matches a one-shot hash, for sizes around the chunk boundary', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'repro-hash-'));
    for (const size of [0, 1, 4095, 4096, 4097, 3 * 4096 + 5]) {
      const file = path.join(tmp, `f${size}`);
      const data = Buffer.alloc(size, 7);
      writeFileSync(file, data);
      const result = await sha256File({ path: file, chunkBytes: 4096 });
      expect(result).toEqual({ sha256: createHash('sha256').update(data).digest('hex'), size });
    }
  });

  it('fails on a missing file with ENOENT', async () => {
    await expect(sha256File({ path: '/nonexistent/update-img.tar.zst' })).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
