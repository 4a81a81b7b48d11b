/**
 * The registry on the local network, through `@dfinity/agent` with full verification:
 *
 * - registry submits per second with 8 concurrent clients (each a signed attestation verified in
 *   the canister), with and without the clients' BLS check
 * - `npm start` with existing state (registry and governance deployed): process start to ready
 *
 *   npx tsx scripts/bench/registry-network.bench.ts [--json] [--quick]
 */
import { HttpAgent } from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { encodeInitArgs } from '@repro-registry/client';
import { PROJECT_ROOT, ensureCanisterBuilt, installWasm } from '@repro-registry/deploy';
import { canisterSettings, managementCanister } from '@repro-registry/local-network';
import {
  percentile,
  printTable,
  runClients,
  startNetwork,
  stopNetwork,
} from '@repro-registry/local-network/bench';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const log = (s: string): void => {
  if (!json) console.error(s);
};

async function submits(results: Record<string, number>): Promise<void> {
  const wasm = await ensureCanisterBuilt('registry');
  const stateDir = await mkdtemp(join(tmpdir(), 'repro-bench-registry-'));
  const net = await startNetwork(stateDir);
  try {
    const agent = await HttpAgent.create({
      host: net.url,
      identity: Ed25519KeyIdentity.generate(),
      shouldFetchRootKey: true,
    });
    const { canister_id } = await managementCanister(agent).provisional_create_canister_with_cycles(
      { amount: [], settings: [canisterSettings()], specified_id: [], sender_canister_version: [] },
    );
    await installWasm({
      agent,
      canisterId: canister_id,
      wasm: new Uint8Array(await readFile(wasm)),
      // No rate limit to speak of: the benchmark measures the network, not the policy.
      // No rate limit or holding limit to speak of: the benchmark measures the network, not the
      // policy (every submission is for a new proposal, held unconfirmed: no governance here).
      arg: encodeInitArgs({
        rateLimit: { capacity: 1_000_000, refillIntervalSeconds: 1 },
        limits: { pendingProposalsPerBuilder: 1_000_000, pendingProposalsTotal: 1_000_000 },
      }),
      mode: { install: null },
    });
    const durationMs = quick ? 4000 : 10_000;
    const clients = (skipBlsCheck: boolean) =>
      runClients({
        url: net.url,
        canisterId: canister_id.toText(),
        durationMs,
        skipBlsCheck,
        callModule: fileURLToPath(new URL('./registry-submit.ts', import.meta.url)),
      });
    log(`registry submits: 8 clients (full verification) for ${durationMs / 1000} s…`);
    const full = await clients(false);
    results.submits_per_s = full.perSecond;
    results.submits_failed = full.failed;
    results.submit_p50_ms = percentile(full.latencies, 50);
    results.submit_p99_ms = percentile(full.latencies, 99);
    log(`registry submits without the client-side BLS check…`);
    results.submit_capacity_per_s = (await clients(true)).perSecond;
  } finally {
    await stopNetwork(net).catch(() => undefined);
    await rm(stateDir, { recursive: true, force: true });
  }
}

async function npmStart(results: Record<string, number>): Promise<void> {
  log('ready time: npm start with existing state (registry deployed)…');
  const startDir = await mkdtemp(join(tmpdir(), 'repro-bench-start-'));
  try {
    for (const run of ['first', 'again']) {
      const t = performance.now();
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/start.ts', '--port', '0', '--state-dir', startDir],
        { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const readyLine = await new Promise<string>((res, rej) => {
        child.once('exit', (c) => rej(new Error(`start exited ${c}`)));
        createInterface({ input: child.stdout }).on('line', (l) => {
          if (l.startsWith('Local network ready')) res(l);
        });
      });
      const wall = performance.now() - t;
      if (run === 'again') {
        results.npm_start_ready_ms = Number(/ready in (\d+) ms/.exec(readyLine)?.[1]);
        results.npm_start_process_to_ready_ms = wall;
      }
      const exited = new Promise((res) => child.once('exit', res));
      child.kill('SIGINT');
      await exited;
    }
  } finally {
    await rm(startDir, { recursive: true, force: true });
  }
}

const results: Record<string, number> = {};
await submits(results);
await npmStart(results);
if (json) console.log(JSON.stringify(results, null, 2));
else
  printTable(results, {
    submits_per_s: '≥ 50 /s',
    submit_capacity_per_s: '(server side)',
    npm_start_process_to_ready_ms: '≤ 3000 ms',
  });
