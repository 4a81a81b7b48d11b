/**
 * What the network benchmarks share: a local network in its own process, concurrent clients in
 * worker threads, percentiles. Used by `network.bench.ts` here and by the registry's benchmark on
 * the network (`scripts/bench/registry-network.bench.ts`).
 */
import type { ActorConfig } from '@dfinity/agent';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Makes a client's call: `call(n)` performs its n-th update and throws when it fails. */
export type ClientCall = (args: {
  actorOptions: ActorConfig;
  /** The client's Ed25519 secret key (its identity). */
  secretKey: Uint8Array;
  /** A name unique to the client, e.g. for keys. */
  client: string;
  /** A number unique to the client, spaced by 100,000 between clients. */
  uniqueBase: number;
}) => (n: number) => Promise<unknown>;

export interface Running {
  url: string;
  readyMs: number;
  wallMs: number;
  child: ChildProcess;
}

export async function startNetwork(stateDir: string): Promise<Running> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./network-process.ts', import.meta.url)), stateDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((res, rej) => {
    child.once('exit', (c) => rej(new Error(`network exited ${c}`)));
    createInterface({ input: child.stdout }).once('line', res);
  });
  const { url, readyMs } = JSON.parse(line) as { url: string; readyMs: number };
  return { url, readyMs, wallMs: performance.now() - started, child };
}

export async function stopNetwork(r: Running): Promise<void> {
  const exited = new Promise((res) => r.child.once('exit', res));
  r.child.kill('SIGTERM');
  await exited;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** 8 clients (2 worker threads of 4) calling `callModule`'s call for `durationMs`. */
export async function runClients(args: {
  url: string;
  canisterId: string;
  durationMs: number;
  skipBlsCheck: boolean;
  callModule: string;
}): Promise<{ perSecond: number; failed: number; latencies: number[] }> {
  const workers = [0, 1].map(
    (w) =>
      new Promise<{ done: number; failed: number; latencies: number[] }>((res, rej) => {
        const worker = new Worker(new URL('./clients-worker.mjs', import.meta.url), {
          workerData: { ...args, clients: 4, worker: w },
        });
        worker.once('message', res);
        worker.once('error', rej);
      }),
  );
  const t0 = performance.now();
  const out = await Promise.all(workers);
  const elapsed = (performance.now() - t0) / 1000;
  return {
    perSecond: out.reduce((n, r) => n + r.done, 0) / elapsed,
    failed: out.reduce((n, r) => n + r.failed, 0),
    latencies: out.flatMap((r) => r.latencies),
  };
}

export function printTable(results: Record<string, number>, targets: Record<string, string>) {
  console.log('\n| measure | value | target |');
  console.log('|---|---|---|');
  for (const [k, v] of Object.entries(results)) {
    console.log(`| ${k} | ${Number.isInteger(v) ? v : v.toFixed(1)} | ${targets[k] ?? ''} |`);
  }
}
