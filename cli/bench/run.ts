/**
 * Benchmarks of the `repro` CLI, measured side by side in one run:
 *  - `repro hash` throughput on the same 1 GiB file as `openssl dgst -sha256` (goal ≥ 0.95×)
 *    and coreutils `sha256sum` (for reference), interleaved rounds, best of each;
 *  - peak RSS of `repro hash` for 1 GiB and 4 GiB files (goal: flat, ≤ 100 MiB);
 *  - startup time of `repro --help` (goal ≤ 300 ms).
 * Runs the built bundle (`npm run build -w cli` first). Prints a table; `--json` for machines.
 * Options: --rounds N (default 3), --skip-4g, --dir <path> for the temporary files.
 */
import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestArchive } from '../src/io/archive';
import { findExecutable } from '../src/io/which';

const args = process.argv.slice(2);
const json = args.includes('--json');
const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 3) || 3;
const skip4g = args.includes('--skip-4g');
const dirArg = args.includes('--dir') ? args[args.indexOf('--dir') + 1] : undefined;
const cliBin = fileURLToPath(new URL('../bin/repro.js', import.meta.url));
const bundle = fileURLToPath(new URL('../dist/repro.js', import.meta.url));
const GiB = 1024 ** 3;

function log(text: string): void {
  if (!json) process.stderr.write(`${text}\n`);
}

function makeFile(file: string, bytes: number): void {
  const block = Buffer.alloc(8 * 1024 * 1024);
  randomFillSync(block);
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < bytes; written += block.length)
      writeSync(fd, block, 0, Math.min(block.length, bytes - written));
  } finally {
    closeSync(fd);
  }
}

/** Like a disk image: about half the 4 KiB pages are zeros, the rest random (compresses about 2:1). */
function makeDiskLikeFile(file: string, bytes: number): void {
  const block = Buffer.alloc(8 * 1024 * 1024);
  randomFillSync(block);
  for (let page = 0; page < block.length; page += 8192) block.fill(0, page, page + 4096);
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < bytes; written += block.length)
      writeSync(fd, block, 0, Math.min(block.length, bytes - written));
  } finally {
    closeSync(fd);
  }
}

interface Measured {
  seconds: number;
  peakRssBytes: number | null;
  stdout: string;
}

/** Runs a command; samples its VmHWM (a high-water mark, so sampling misses nothing but the last moments). */
function measure(command: string, argv: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    let peak: number | null = null;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak ?? 0, Number(m[1]) * 1024);
      } catch {
        // exited between samples
      }
    };
    const timer = setInterval(sample, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`${command} ${argv.join(' ')} exited ${code}`));
      else resolve({ seconds, peakRssBytes: peak, stdout });
    });
  });
}

async function main(): Promise<void> {
  if (!existsSync(bundle)) throw new Error('build the CLI first: npm run build -w cli');
  const dir = mkdtempSync(path.join(dirArg ?? os.tmpdir(), 'repro-bench-'));
  try {
    const file1 = path.join(dir, 'image-1g.bin');
    log('writing a 1 GiB test file…');
    makeFile(file1, GiB);
    const tools: Array<{ name: string; command: string; argv: (f: string) => string[] }> = [
      { name: 'repro hash', command: process.execPath, argv: (f) => [cliBin, 'hash', f] },
      { name: 'openssl dgst -sha256', command: 'openssl', argv: (f) => ['dgst', '-sha256', f] },
      { name: 'sha256sum', command: 'sha256sum', argv: (f) => [f] },
    ];
    // Warm the page cache so all tools read from memory, as they would a just-built image.
    await measure('sh', ['-c', 'cat "$1" > /dev/null', 'warm', file1]);
    const best = new Map<string, Measured>();
    const hashes = new Map<string, string>();
    for (let round = 0; round < rounds; round++) {
      for (const tool of tools) {
        const m = await measure(tool.command, tool.argv(file1));
        hashes.set(tool.name, /[0-9a-f]{64}/.exec(m.stdout)?.[0] ?? '?');
        const prev = best.get(tool.name);
        if (!prev || m.seconds < prev.seconds) best.set(tool.name, m);
      }
      log(`round ${round + 1}/${rounds} done`);
    }
    if (new Set(hashes.values()).size !== 1)
      throw new Error(
        `the tools disagree on the hash: ${JSON.stringify(Object.fromEntries(hashes))}`,
      );

    const opensslSeconds = best.get('openssl dgst -sha256')!.seconds;
    const throughput = tools.map((t) => {
      const m = best.get(t.name)!;
      return {
        tool: t.name,
        seconds: m.seconds,
        mibPerSecond: 1024 / m.seconds,
        relativeToOpenssl: opensslSeconds / m.seconds,
        peakRssMiB: m.peakRssBytes === null ? null : m.peakRssBytes / 2 ** 20,
      };
    });

    const memory: Array<{ fileGiB: number; peakRssMiB: number | null; seconds: number }> = [
      { fileGiB: 1, peakRssMiB: throughput[0].peakRssMiB, seconds: throughput[0].seconds },
    ];
    if (!skip4g) {
      const file4 = path.join(dir, 'image-4g.bin');
      rmSync(file1);
      log('writing a 4 GiB test file…');
      makeFile(file4, 4 * GiB);
      const m = await measure(process.execPath, [cliBin, 'hash', file4]);
      memory.push({
        fileGiB: 4,
        peakRssMiB: m.peakRssBytes === null ? null : m.peakRssBytes / 2 ** 20,
        seconds: m.seconds,
      });
    }

    // Member hashing of a .tar.zst: the zstd program versus the pure-JS fzstd fallback.
    const archiveResults: Array<{ decoder: string; seconds: number; mibPerSecond: number }> = [];
    const zstd = await findExecutable('zstd');
    if (zstd !== null) {
      const tarFile = path.join(dir, 'image.tar');
      const member = path.join(dir, 'root.img');
      makeDiskLikeFile(member, 256 * 1024 * 1024);
      await measure('tar', ['-C', dir, '-cf', tarFile, 'root.img']);
      await measure(zstd, ['-q', '-3', '-f', tarFile, '-o', `${tarFile}.zst`]);
      rmSync(member);
      rmSync(tarFile);
      for (const decoder of ['binary', 'fzstd'] as const) {
        const started = process.hrtime.bigint();
        const digest = await digestArchive({ path: `${tarFile}.zst`, zstdDecoder: decoder });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (digest.members.length !== 1) throw new Error('the archive should hold one member');
        archiveResults.push({
          decoder: decoder === 'binary' ? 'zstd program' : 'fzstd (pure JS)',
          seconds,
          mibPerSecond: 256 / seconds,
        });
      }
    } else {
      log('no zstd program: skipping the decoder comparison');
    }

    const startups: number[] = [];
    for (let i = 0; i < 11; i++)
      startups.push((await measure(process.execPath, [cliBin, '--help'])).seconds * 1000);
    startups.sort((a, b) => a - b);
    const startup = { medianMs: startups[5], minMs: startups[0], maxMs: startups.at(-1)! };

    const goals = {
      throughputAtLeast095xOpenssl: throughput[0].relativeToOpenssl >= 0.95,
      peakRssAtMost100MiB: memory.every((m) => m.peakRssMiB !== null && m.peakRssMiB <= 100),
      startupAtMost300ms: startup.medianMs <= 300,
    };
    const result = {
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? null,
        node: process.version,
        loadAverage: os.loadavg(),
      },
      rounds,
      throughput,
      memory,
      archiveMembers: archiveResults,
      startup,
      goals,
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const pad = (s: string, n: number) => s.padEnd(n);
    console.log(`\nSHA-256 of the same 1 GiB file (best of ${rounds}, page cache warm)`);
    console.log(
      `${pad('tool', 24)}${pad('seconds', 10)}${pad('MiB/s', 10)}${pad('× openssl', 12)}peak RSS`,
    );
    for (const t of throughput) {
      console.log(
        `${pad(t.tool, 24)}${pad(t.seconds.toFixed(3), 10)}${pad(t.mibPerSecond.toFixed(0), 10)}${pad(t.relativeToOpenssl.toFixed(3), 12)}${t.peakRssMiB === null ? '?' : `${t.peakRssMiB.toFixed(1)} MiB`}`,
      );
    }
    console.log('\nrepro hash peak RSS by file size');
    for (const m of memory)
      console.log(
        `${pad(`${m.fileGiB} GiB`, 10)}${m.peakRssMiB === null ? '?' : `${m.peakRssMiB.toFixed(1)} MiB`} (${m.seconds.toFixed(2)} s)`,
      );
    if (archiveResults.length > 0) {
      console.log(
        '\nmember hashes of a .tar.zst holding a 256 MiB disk-like root.img (half zero pages; uncompressed MiB/s)',
      );
      for (const a of archiveResults)
        console.log(
          `${pad(a.decoder, 24)}${pad(a.seconds.toFixed(2), 10)}${a.mibPerSecond.toFixed(0)} MiB/s`,
        );
    }
    console.log(
      `\nmachine load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (figures are noisy under load)`,
    );
    console.log(
      `\nrepro --help startup: median ${startup.medianMs.toFixed(0)} ms (min ${startup.minMs.toFixed(0)}, max ${startup.maxMs.toFixed(0)}) over 11 runs`,
    );
    console.log(
      `\ngoals: ${Object.entries(goals)
        .map(([k, v]) => `${k} ${v ? 'met' : 'NOT MET'}`)
        .join(', ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
