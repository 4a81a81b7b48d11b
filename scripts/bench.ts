/**
 * `npm run bench`: every benchmark of the project, one after the other, each printing its
 * table. `npm run bench -- --json` prints one JSON document with every benchmark's figures.
 * `--only registry,network` runs a subset. `--scale 10000` sets the largest registry the
 * registry-log benchmark fills (passed as BENCH_SCALE; default 10,000). Benchmarks measure
 * (times, ratios, instruction counts); tests assert. On a shared machine, compare figures taken
 * in the same run.
 */
import { spawnSync } from 'node:child_process';

import { PROJECT_ROOT } from '@repro-registry/deploy';

interface Bench {
  name: string;
  /** What the benchmark covers (the performance targets). */
  about: string;
  command: string[];
}

const BENCHES: Bench[] = [
  {
    name: 'attestation',
    about: 'Ed25519 + format verification in Node and in QuickJS (the canister engine)',
    command: ['npx', 'tsx', 'packages/attestation/bench/verify.ts'],
  },
  {
    name: 'query-signature',
    about: 'a query node-signature check: the agent (sync JS) vs the client (WebCrypto, async)',
    command: ['npx', 'tsx', 'packages/client/bench/query-signature.bench.ts'],
  },
  {
    name: 'ic-host',
    about: 'in-process host: compile, instrument, init, per-message overhead',
    command: ['npx', 'tsx', 'packages/ic-host/bench/host.bench.ts'],
  },
  {
    name: 'registry',
    about: 'instructions per message: submit, summary 1..10,000, pages, sync, timer tick',
    command: ['npx', 'tsx', 'canisters/registry/bench/registry.bench.ts'],
  },
  {
    name: 'registry-log',
    about:
      'transparency log: added to a submit, certification message; certified reads, submit and memory at 1..10,000 attestations (--scale)',
    command: ['npx', 'tsx', 'canisters/registry/bench/log.bench.ts'],
  },
  {
    name: 'registry-feed',
    about: 'Atom feed of events at 50 entries: the /feed.atom query, the message that renders it',
    command: ['npx', 'tsx', 'canisters/registry/bench/feed.bench.ts'],
  },
  {
    name: 'frontend-canister',
    about: 'frontend wasm size, instructions per asset request, install and upgrade',
    command: ['npx', 'tsx', 'canisters/frontend/bench/frontend.bench.ts'],
  },
  {
    name: 'network',
    about: 'through @dfinity/agent: update/query p50/p99, submits/s with 8 clients, ready time',
    command: ['npx', 'tsx', 'packages/local-network/bench/network.bench.ts'],
  },
  {
    name: 'registry-network',
    about: 'the registry through the network: submits/s with 8 clients, npm start ready time',
    command: ['npx', 'tsx', 'scripts/bench/registry-network.bench.ts'],
  },
  {
    name: 'cli',
    about: 'repro hash vs openssl on 1 GiB, peak RSS at 1 and 4 GiB, --help startup',
    command: ['npx', 'tsx', 'cli/bench/run.ts'],
  },
  {
    name: 'cli-members',
    about: 'repro hash --members on a 1 GiB sparse-member .tar.zst vs zstd -dc | tar -x + openssl',
    command: ['npx', 'tsx', 'cli/bench/members.ts'],
  },
  {
    name: 'frontend',
    about: 'initial JavaScript per chunk (gzip), 1,000 attestations verified and rendered',
    command: ['npx', 'tsx', 'frontend/bench/run.ts'],
  },
];

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? '').split(',')) : undefined;
const scaleIndex = args.indexOf('--scale');
const scale = scaleIndex >= 0 ? args[scaleIndex + 1] : undefined;
if (scale !== undefined && !/^[1-9][0-9]*$/.test(scale)) {
  console.error(`--scale: not a number of attestations: ${scale}`);
  process.exit(2);
}
const selected = BENCHES.filter((b) => only === undefined || only.has(b.name));
if (selected.length === 0) {
  console.error(`no such benchmark; choose from ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

const results: Record<string, unknown> = {};
let failed = 0;
for (const bench of selected) {
  const [command = 'npx', ...rest] = bench.command;
  if (!json) console.log(`\n=== ${bench.name}: ${bench.about}\n`);
  const started = Date.now();
  const run = spawnSync(command, json ? [...rest, '--json'] : rest, {
    cwd: PROJECT_ROOT,
    stdio: json ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: scale === undefined ? process.env : { ...process.env, BENCH_SCALE: scale },
  });
  const seconds = (Date.now() - started) / 1000;
  if (run.status !== 0) {
    failed++;
    console.error(`bench ${bench.name} failed (exit ${run.status})`);
    results[bench.name] = { error: `exit ${run.status}` };
    continue;
  }
  if (json) {
    try {
      results[bench.name] = { seconds, figures: JSON.parse(run.stdout) as unknown };
    } catch {
      results[bench.name] = {
        seconds,
        error: 'the benchmark did not print JSON',
        output: run.stdout,
      };
      failed++;
    }
  } else {
    console.log(`\n(${bench.name}: ${seconds.toFixed(0)} s)`);
  }
}
if (json)
  console.log(
    JSON.stringify(
      {
        machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
        results,
      },
      null,
      2,
    ),
  );
process.exit(failed === 0 ? 0 : 1);
