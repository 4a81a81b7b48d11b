/**
 * `repro hash --members` on a 1 GiB sparse-member `.tar.zst` built as IC builds its update
 * images (GNU tar `--sparse --hole-detection=raw --sort=name …`, `zstd --threads=0 -10`),
 * against what a builder does by hand: `zstd -dc | tar -x`, then `openssl dgst -sha256` of the
 * extracted files. Goal: ratio (repro / by hand) ≤ 1.0× — one pass instead of two — and peak
 * RSS ≤ 150 MiB. Interleaved rounds, best of each; the member hashes must agree.
 * Runs the built bundle (`npm run build -w cli` first). `--json` for machines, `--rounds n`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildArchive, writeSparseFile } from '../test/gnu-tar';

const args = process.argv.slice(2);
const json = args.includes('--json');
const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 3) || 3;
const cliBin = fileURLToPath(new URL('../bin/repro.js', import.meta.url));
const bundle = fileURLToPath(new URL('../dist/repro.js', import.meta.url));
const MiB = 1024 * 1024;

const log = (text: string) => void (json ? undefined : process.stderr.write(`${text}\n`));

interface Measured {
  seconds: number;
  peakRssBytes: number | null;
  stdout: string;
}

/** Runs a command; samples the high-water mark of its resident memory (VmHWM). */
function measure(command: string, argv: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    let peak: number | null = null;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak ?? 0, Number(m[1]) * 1024);
      } catch {
        // exited between samples
      }
    }, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`${command} ${argv.join(' ')} exited ${code}`));
      else resolve({ seconds, peakRssBytes: peak, stdout });
    });
  });
}

/** An IC-like image tree: a 1 GiB root.img with data spread over holes, boot.img, VERSION.TXT. */
function makeTree(dir: string): void {
  const chunk = Buffer.alloc(4 * MiB);
  const segments: Array<{ offset: number; data: Buffer }> = [];
  // 4 MiB of data every 16 MiB: 256 MiB of data, 768 MiB of holes; half of each data page is
  // zeros, as in a file system image, so it compresses and raw hole detection finds small holes.
  for (let offset = 0; offset < 1024 * MiB; offset += 16 * MiB) {
    const data = Buffer.from(randomFillSync(chunk));
    for (let page = 0; page < data.length; page += 8192) data.fill(0, page + 4096, page + 8192);
    segments.push({ offset, data });
  }
  writeSparseFile(path.join(dir, 'root.img'), 1024 * MiB, segments);
  const boot = randomFillSync(Buffer.alloc(32 * MiB));
  writeSparseFile(path.join(dir, 'boot.img'), boot.length, [{ offset: 0, data: boot }]);
  writeSparseFile(path.join(dir, 'VERSION.TXT'), 41, [
    { offset: 0, data: Buffer.from('bcac7ca3862fd8409d56d9dcda919a5f25acbbd4\n') },
  ]);
}

async function main(): Promise<void> {
  if (!existsSync(bundle)) throw new Error('build the CLI first: npm run build -w cli');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'repro-bench-members-'));
  try {
    const tree = path.join(dir, 'tree');
    mkdirSync(tree);
    log('making a 1 GiB sparse root.img and packing it as IC does (GNU tar --sparse, zstd -10)…');
    makeTree(tree);
    const { zst } = buildArchive({
      tree,
      out: path.join(dir, 'update-img.tar.zst'),
      format: 'gnu',
    });
    rmSync(tree, { recursive: true });
    rmSync(zst!.replace(/\.zst$/, ''));
    const archive = zst!;
    const archiveMiB = readFileSync(archive).length / MiB;
    const extractDir = path.join(dir, 'extracted');
    // By hand: extract, then hash the extracted files (tar writes root.img sparse again).
    const byHand = [
      '-c',
      'rm -rf "$2" && mkdir "$2" && zstd -dcq "$1" | tar -x -C "$2" && openssl dgst -sha256 "$2"/boot.img "$2"/root.img "$2"/VERSION.TXT',
      'by-hand',
      archive,
      extractDir,
    ];
    // Warm the page cache for both.
    await measure('sh', ['-c', 'cat "$1" > /dev/null', 'warm', archive]);
    let bestRepro: Measured | null = null;
    let bestHand: Measured | null = null;
    for (let round = 0; round < rounds; round++) {
      const r = await measure(process.execPath, [cliBin, 'hash', '--members', '--json', archive]);
      const h = await measure('sh', byHand);
      if (bestRepro === null || r.seconds < bestRepro.seconds) bestRepro = r;
      if (bestHand === null || h.seconds < bestHand.seconds) bestHand = h;
      log(
        `round ${round + 1}/${rounds}: repro ${r.seconds.toFixed(2)} s, by hand ${h.seconds.toFixed(2)} s`,
      );
    }
    // The same hashes both ways.
    const members = (
      JSON.parse(bestRepro!.stdout) as {
        files: Array<{ members: Array<{ path: string; sha256: string }> }>;
      }
    ).files[0].members;
    const openssl = new Map(
      [...bestHand!.stdout.matchAll(/SHA2?-?256\(.*\/([^/]+)\)= ([0-9a-f]{64})/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    for (const m of members)
      if (openssl.get(m.path) !== m.sha256)
        throw new Error(
          `${m.path}: repro ${m.sha256}, openssl ${openssl.get(m.path) ?? 'missing'}`,
        );
    const zstdVersion = execFileSync('zstd', ['--version'], { encoding: 'utf8' }).trim();
    const result = {
      machine: {
        cpus: os.cpus().length,
        node: process.version,
        loadAverage: os.loadavg(),
        zstd: zstdVersion,
      },
      archive: { compressedMiB: archiveMiB, rootImgMiB: 1024, members: members.length },
      rounds,
      reproSeconds: bestRepro!.seconds,
      byHandSeconds: bestHand!.seconds,
      ratio: bestRepro!.seconds / bestHand!.seconds,
      reproPeakRssMiB: bestRepro!.peakRssBytes === null ? null : bestRepro!.peakRssBytes / MiB,
      goals: {
        ratioAtMost1: bestRepro!.seconds / bestHand!.seconds <= 1.0,
        peakRssAtMost150MiB:
          bestRepro!.peakRssBytes !== null && bestRepro!.peakRssBytes / MiB <= 150,
      },
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    console.log(
      `\nmember hashes of a 1 GiB sparse-member .tar.zst (${archiveMiB.toFixed(0)} MiB compressed; best of ${rounds})`,
    );
    console.log(
      `  repro hash --members                          ${result.reproSeconds.toFixed(2)} s, peak RSS ${result.reproPeakRssMiB?.toFixed(1) ?? '?'} MiB`,
    );
    console.log(
      `  zstd -dc | tar -x, then openssl dgst -sha256  ${result.byHandSeconds.toFixed(2)} s`,
    );
    console.log(
      `  ratio ${result.ratio.toFixed(2)}× (goal ≤ 1.0×); load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      `goals: ${Object.entries(result.goals)
        .map(([k, v]) => `${k} ${v ? 'met' : 'NOT MET'}`)
        .join(', ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
