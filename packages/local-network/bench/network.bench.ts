/**
 * Benchmarks of the local network through `@dfinity/agent` (full verification: certificates
 * and node signatures), with the network in its own process:
 *
 * - update latency (synchronous v3 call of a StableBTreeMap insert), p50 / p99
 * - query latency, p50 / p99
 * - sustained updates per second with 8 concurrent clients (in 2 worker threads)
 * - ready time of a restart with existing state (process start to ready)
 *
 * The registry on the network (submits/s, `npm start`) is `scripts/bench/registry-network.bench.ts`.
 *
 *   npx tsx packages/local-network/bench/network.bench.ts [--json] [--quick]
 */
import { Actor, HttpAgent } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { PROJECT_ROOT, installWasm } from '@repro-registry/deploy';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { managementCanister } from '../src/index';
import { percentile, printTable, runClients, startNetwork, stopNetwork } from './harness';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const log = (s: string): void => {
  if (!json) console.error(s);
};

const probeIdl: IDL.InterfaceFactory = ({ IDL }) =>
  IDL.Service({
    put: IDL.Func([IDL.Text, IDL.Text], [IDL.Nat64], []),
    get: IDL.Func([IDL.Text], [IDL.Opt(IDL.Text)], ['query']),
  });
interface Probe {
  put(k: string, v: string): Promise<bigint>;
  get(k: string): Promise<[] | [string]>;
}

async function main(): Promise<void> {
  const probeWasm = join(PROJECT_ROOT, '.azle/network_probe/network_probe.wasm');
  if (!existsSync(probeWasm)) {
    spawnSync(
      'npx',
      ['tsx', 'scripts/build-canister.ts', 'network_probe=test/canisters/network_probe/index.ts'],
      {
        cwd: PROJECT_ROOT,
        stdio: 'inherit',
      },
    );
  }
  const stateDir = await mkdtemp(join(tmpdir(), 'repro-bench-'));
  const results: Record<string, number> = {};
  let net = await startNetwork(stateDir);
  try {
    const identity = Ed25519KeyIdentity.generate();
    const agent = await HttpAgent.create({ host: net.url, identity, shouldFetchRootKey: true });
    const { canister_id } = await managementCanister(agent).provisional_create_canister_with_cycles(
      {
        amount: [],
        settings: [],
        specified_id: [],
        sender_canister_version: [],
      },
    );
    await installWasm({
      agent,
      canisterId: canister_id,
      wasm: new Uint8Array(await readFile(probeWasm)),
      arg: new Uint8Array(IDL.encode([], [])),
      mode: { install: null },
    });
    const probe = Actor.createActor<Probe>(probeIdl, { agent, canisterId: canister_id });

    const updates = quick ? 50 : 200;
    log(`update latency: ${updates} sequential put calls…`);
    for (let i = 0; i < 10; i++) await probe.put(`warm${i}`, 'x');
    const ul: number[] = [];
    for (let i = 0; i < updates; i++) {
      const t = performance.now();
      await probe.put(`seq${i}`, 'x'.repeat(64));
      ul.push(performance.now() - t);
    }
    results.update_p50_ms = percentile(ul, 50);
    results.update_p99_ms = percentile(ul, 99);

    const queries = quick ? 100 : 500;
    log(`query latency: ${queries} sequential get queries…`);
    for (let i = 0; i < 20; i++) await probe.get(`seq${i}`);
    const ql: number[] = [];
    for (let i = 0; i < queries; i++) {
      const t = performance.now();
      await probe.get(`seq${i % updates}`);
      ql.push(performance.now() - t);
    }
    results.query_p50_ms = percentile(ql, 50);
    results.query_p99_ms = percentile(ql, 99);

    const durationMs = quick ? 4000 : 10_000;
    const callModule = fileURLToPath(new URL('./probe-call.ts', import.meta.url));
    const clients = (skipBlsCheck: boolean) =>
      runClients({
        url: net.url,
        canisterId: canister_id.toText(),
        durationMs,
        skipBlsCheck,
        callModule,
      });
    log(`throughput: 8 clients (2 worker threads, full verification) for ${durationMs / 1000} s…`);
    const full = await clients(false);
    results.throughput_updates_per_s = full.perSecond;
    results.throughput_failed = full.failed;
    results.throughput_update_p50_ms = percentile(full.latencies, 50);
    results.throughput_update_p99_ms = percentile(full.latencies, 99);
    // The agent's BLS check costs the clients 30-45 ms of CPU per update; on 2 cores shared with
    // the network that bounds the first figure. This one shows what the network itself sustains.
    log(`capacity: the same clients without the client-side BLS check…`);
    const capacity = await clients(true);
    results.capacity_updates_per_s = capacity.perSecond;
    results.capacity_update_p50_ms = percentile(capacity.latencies, 50);

    log('ready time: restart with existing state…');
    await stopNetwork(net);
    net = await startNetwork(stateDir);
    results.restart_ready_ms = net.readyMs;
    results.restart_process_to_ready_ms = net.wallMs;
    const agent2 = await HttpAgent.create({ host: net.url, identity, shouldFetchRootKey: true });
    const back = Actor.createActor<Probe>(probeIdl, { agent: agent2, canisterId: canister_id });
    if ((await back.get('seq0'))[0] !== 'x'.repeat(64))
      throw new Error('state lost across restart');
  } finally {
    await stopNetwork(net).catch(() => undefined);
    await rm(stateDir, { recursive: true, force: true });
  }

  if (json) {
    console.log(JSON.stringify(results, null, 2));
  } else {
    printTable(results, {
      update_p50_ms: '≤ 50 ms',
      query_p50_ms: '≤ 10 ms',
      throughput_updates_per_s: '≥ 50 /s',
      capacity_updates_per_s: '(server side)',
      restart_process_to_ready_ms: '≤ 3000 ms',
    });
  }
}

await main();
