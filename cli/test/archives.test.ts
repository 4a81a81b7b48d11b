import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { digestArchive } from '../src/io/archive';
import { TAR_FORMATS, buildArchive, extractAndHash, makeImageTree } from './gnu-tar';

// Archives made by Debian's GNU tar with IC's flags in every sparse format it writes; each
// member must hash like `sha256sum` of the file `tar -x` extracts.
const work = mkdtempSync(path.join(os.tmpdir(), 'repro-archives-'));
let treeA = '';
let treeB = '';
const fileSha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

beforeAll(() => {
  treeA = makeImageTree({ variant: 'a', trailingHole: true });
  treeB = makeImageTree({ variant: 'b', trailingHole: true });
});
afterAll(() => {
  for (const dir of [work, treeA, treeB]) rmSync(dir, { recursive: true, force: true });
});

const EXPECTED_SPARSE: Record<(typeof TAR_FORMATS)[number], string> = {
  gnu: 'gnu-old',
  'posix-0.0': 'pax-0.0',
  'posix-0.1': 'pax-0.1',
  'posix-1.0': 'pax-1.0',
};

describe('digestArchive on archives built as IC builds them', () => {
  for (const format of TAR_FORMATS) {
    it(`${format}: every member equals sha256sum of the extracted file, holes and all`, async () => {
      const { tar, zst } = buildArchive({
        tree: treeA,
        out: path.join(work, `${format}.tar.zst`),
        format,
      });
      const digest = await digestArchive({ path: zst! });
      expect(digest.members).toEqual(extractAndHash(tar));
      expect(digest.members.map((m) => m.path)).toEqual([
        'VERSION.TXT',
        'boot.img',
        'root.img',
        'var.img',
      ]);
      expect(digest.members.find((m) => m.path === 'root.img')?.size).toBe(String(64 << 20));
      // root.img and var.img have holes and are stored sparse; boot.img is stored whole.
      expect(digest.sparseMembers).toEqual(
        expect.arrayContaining([{ path: 'root.img', format: EXPECTED_SPARSE[format] }]),
      );
      expect(digest.sparseMembers.map((m) => m.path)).not.toContain('boot.img');
      expect(digest.sha256).toBe(fileSha(zst!));
      expect(digest.tarSha256).toBe(fileSha(tar));
      expect(digest.tarSize).toBe(readFileSync(tar).length);
      expect(digest.decoder).toBe('zstd-binary');
    });
  }

  it('reads the plain tar and the fzstd path to the same members', async () => {
    const { tar, zst } = buildArchive({
      tree: treeA,
      out: path.join(work, 'fz.tar.zst'),
      format: 'gnu',
    });
    const plain = await digestArchive({ path: tar });
    const pure = await digestArchive({ path: zst!, zstdDecoder: 'fzstd' });
    expect(plain.compression).toBe('none');
    expect(plain.tarSha256).toBe(plain.sha256);
    expect(pure.decoder).toBe('fzstd');
    expect(pure.members).toEqual(plain.members);
    expect(pure.tarSha256).toBe(plain.sha256);
  });

  it('tells the three layers apart: compression, tar layout, files', async () => {
    const base = buildArchive({
      tree: treeA,
      out: path.join(work, 'l-base.tar.zst'),
      format: 'gnu',
    });
    const recompressed = buildArchive({
      tree: treeA,
      out: path.join(work, 'l-zstd19.tar.zst'),
      format: 'gnu',
      zstdLevel: 19,
    });
    const relaid = buildArchive({
      tree: treeA,
      out: path.join(work, 'l-pax.tar.zst'),
      format: 'posix-1.0',
    });
    const other = buildArchive({ tree: treeB, out: path.join(work, 'l-b.tar.zst'), format: 'gnu' });
    const [a, c, l, b] = await Promise.all(
      [base, recompressed, relaid, other].map((x) => digestArchive({ path: x.zst! })),
    );
    // Only the compression differs: same tar stream.
    expect(c.sha256).not.toBe(a.sha256);
    expect(c.tarSha256).toBe(a.tarSha256);
    // Same files, different tar layout.
    expect(l.tarSha256).not.toBe(a.tarSha256);
    expect(l.members).toEqual(a.members);
    // root.img differs, nothing else.
    const differing = b.members.filter(
      (m) => a.members.find((x) => x.path === m.path)?.sha256 !== m.sha256,
    );
    expect(differing.map((m) => m.path)).toEqual(['root.img']);
  });

  it('refuses a truncated archive and a corrupt header with an ArchiveError', async () => {
    const { tar } = buildArchive({
      tree: treeA,
      out: path.join(work, 'bad.tar'),
      format: 'gnu',
      zstdLevel: null,
    });
    const bytes = readFileSync(tar);
    const { writeFileSync } = await import('node:fs');
    const truncated = path.join(work, 'truncated.tar');
    writeFileSync(truncated, bytes.subarray(0, 512 * 5 + 100));
    await expect(digestArchive({ path: truncated })).rejects.toThrow(/ends inside|ends before/);
    const corrupt = Buffer.from(bytes);
    corrupt[512 + 10] ^= 0x01; // inside the second header's name
    const corruptFile = path.join(work, 'corrupt.tar');
    writeFileSync(corruptFile, corrupt);
    await expect(digestArchive({ path: corruptFile })).rejects.toThrow(/checksum/);
  });
});
