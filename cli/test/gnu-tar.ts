/**
 * Builds IC-OS-shaped update images the way IC builds them
 * (dfinity/ic `toolchains/sysimage/build_upgrade_image.py`: GNU tar `--sort=name
 * --owner=root:0 --group=root:0 --mtime=... --sparse --hole-detection=raw`, compressed with
 * `zstd --threads=0 -10`), with Debian's GNU tar and zstd, in each sparse format GNU tar writes;
 * and reads them back the way a builder checks them: `tar -x`, then `sha256sum`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  writeSync,
  ftruncateSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type TarFormat = 'gnu' | 'posix-0.0' | 'posix-0.1' | 'posix-1.0';
export const TAR_FORMATS: readonly TarFormat[] = ['gnu', 'posix-0.0', 'posix-0.1', 'posix-1.0'];

/** The flags of IC's build_upgrade_image.py, plus `--numeric-owner` and the format under test. */
export function icTarFlags(format: TarFormat): string[] {
  const formatFlags =
    format === 'gnu'
      ? ['--format=gnu']
      : ['--format=posix', `--sparse-version=${format.slice('posix-'.length)}`];
  return [
    ...formatFlags,
    '--sort=name',
    '--owner=root:0',
    '--group=root:0',
    '--numeric-owner',
    '--mtime=UTC 1970-01-01 00:00:00',
    '--sparse',
    '--hole-detection=raw',
  ];
}

export function pseudoRandom(seed: string, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < bytes; i += 32) {
    block.copy(out, i);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** Writes `segments` of data at their offsets into a file of `size` bytes; the rest are holes. */
export function writeSparseFile(
  file: string,
  size: number,
  segments: Array<{ offset: number; data: Buffer }>,
): void {
  const fd = openSync(file, 'w');
  try {
    ftruncateSync(fd, size);
    for (const { offset, data } of segments) writeSync(fd, data, 0, data.length, offset);
  } finally {
    closeSync(fd);
  }
}

export interface ImageTreeOptions {
  /** root.img size (holes are free on disk). */
  rootBytes?: number;
  /** Changes one byte of root.img's data (a build that differs). */
  variant?: 'a' | 'b';
  /** Adds `var.img`: data, then a hole to the end (not in IC's images; a case for the reader). */
  trailingHole?: boolean;
}

/**
 * A directory like IC's update image before tarring: `boot.img` (no holes), `root.img`
 * (large holes, more segments than an old GNU header holds, data at the very end),
 * `VERSION.TXT`; with `trailingHole`, `var.img` (data, then a hole to the end).
 */
export function makeImageTree(options: ImageTreeOptions = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'repro-image-'));
  const rootBytes = options.rootBytes ?? 64 * 1024 * 1024;
  const boot = pseudoRandom('boot', 96 * 1024 + 100);
  writeSparseFile(path.join(dir, 'boot.img'), boot.length, [{ offset: 0, data: boot }]);
  const segments: Array<{ offset: number; data: Buffer }> = [];
  // 30 data segments spread over the file: more than the 4 + 21 an old GNU header and one
  // extension block hold, so extension blocks chain.
  const step = Math.floor(rootBytes / 32 / 4096) * 4096;
  for (let i = 0; i < 30; i++) {
    const data = pseudoRandom(`root-${i}`, 4096 + (i % 3) * 512);
    if (options.variant === 'b' && i === 7) data[100] ^= 0xff;
    segments.push({ offset: i * step, data });
  }
  segments.push({ offset: rootBytes - 4096, data: pseudoRandom('root-end', 4096) });
  writeSparseFile(path.join(dir, 'root.img'), rootBytes, segments);
  if (options.trailingHole === true)
    writeSparseFile(path.join(dir, 'var.img'), 8 * 1024 * 1024, [
      { offset: 0, data: pseudoRandom('var', 8192) },
    ]);
  writeSparseFile(path.join(dir, 'VERSION.TXT'), 41, [
    { offset: 0, data: Buffer.from('bcac7ca3862fd8409d56d9dcda919a5f25acbbd4\n') },
  ]);
  return dir;
}

/** `tar cf <out> <IC flags> -C <dir> .`, then `zstd --threads=0 -10` when `.zst` is wanted. */
export function buildArchive(args: {
  tree: string;
  out: string;
  format: TarFormat;
  zstdLevel?: number | null;
}): { tar: string; zst: string | null } {
  const tarFile = args.out.replace(/\.zst$/, '');
  execFileSync('tar', ['cf', tarFile, ...icTarFlags(args.format), '-C', args.tree, '.']);
  if (args.zstdLevel === null) return { tar: tarFile, zst: null };
  const zst = `${tarFile}.zst`;
  execFileSync('zstd', ['-q', '-f', '--threads=0', `-${args.zstdLevel ?? 10}`, tarFile, '-o', zst]);
  return { tar: tarFile, zst };
}

/** What a builder sees: `tar -xf` into a fresh directory, then `sha256sum` of every file. */
export function extractAndHash(
  archive: string,
): Array<{ path: string; sha256: string; size: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'repro-extract-'));
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xf', archive, '-C', dir]);
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
  const out = execFileSync('sha256sum', files, { cwd: dir, encoding: 'utf8' });
  const sizes = execFileSync('stat', ['--format=%s', ...files], { cwd: dir, encoding: 'utf8' })
    .trim()
    .split('\n');
  return out
    .trim()
    .split('\n')
    .map((line, i) => {
      const [sha256, name] = line.split(/\s+\*?/);
      return { path: name, sha256, size: sizes[i] };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
