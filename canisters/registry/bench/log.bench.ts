/**
 * The transparency log and certified reads of the registry (instrumented host, IC cost model):
 * what noting an event adds to a submission, the message that logs and certifies, proof and
 * certified-read queries from 1 to 10,000 attestations, and stable memory per attestation.
 *
 *   npx tsx canisters/registry/bench/log.bench.ts [--json] [--scale 10000] [--base <registry.wasm>]
 *   npm run bench -- --only registry-log --scale 10000     (or BENCH_SCALE=10000)
 *
 * Reads are measured at 1, 100, 1,000, 10,000 attestations (up to `--scale`, default 10,000) on
 * one proposal, on registries filled by real signed submissions and kept between runs
 * (`seed.ts`: `.bench/registry-seed/`, seeded again when the wasm changes; 10,000 took
 * 29 minutes the first time on a shared 2-core machine, a few minutes after that).
 *
 * `--base` names a registry wasm built without the log (e.g. from the commit before it): the
 * same submissions run on both and the difference is what the log adds.
 */
import { readFile } from 'node:fs/promises';

import type * as T from '@repro-registry/client';
import { IcHost, type ExecutionRecord } from '@repro-registry/ic-host';
import { ensureCanisterBuilt } from '@repro-registry/deploy';

import { installGovernance, proposal, putProposals } from '../test/governance-standin';
import { testBuilder } from '../test/builders';
import { populationEnvelope } from '../test/data';
import { CONTROLLER, RegistryUnderTest, initArg, okOf, registryWasm } from '../test/harness';
import { measureAtScale, type ScalePoint } from './at-scale';
import { benchRows, printRows } from './report';
import { ensureSeeds } from './seed';

const args = process.argv.slice(2);
const json = args.includes('--json');
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
// The largest size: `--scale N` (or BENCH_SCALE; `--max` is the older name), default 10,000.
const SCALE = Number(option('--scale') ?? option('--max') ?? process.env.BENCH_SCALE ?? 10_000);
if (!Number.isInteger(SCALE) || SCALE < 1) throw new Error(`--scale: not a size: ${SCALE}`);
const BASE = option('--base');
const SIZES = [...new Set([1, 100, 1_000, 10_000].filter((n) => n < SCALE).concat(SCALE))];
const PROPOSAL = 130000n;
const SUBMITS = 40;

const log = (text: string) => {
  if (!json) process.stderr.write(`${text}\n`);
};
const M = (n: bigint | undefined) => (n === undefined ? NaN : Number(n) / 1e6);

const { rows, add } = benchRows(log);

/** A registry with governance confirming PROPOSAL, on `host`, from `wasm`. */
async function registryOn(host: IcHost, wasm: Uint8Array): Promise<RegistryUnderTest> {
  const governance = await installGovernance(host);
  await putProposals(host, governance, [proposal(PROPOSAL)]);
  const canisterId = await host.createCanister({ controllers: [CONTROLLER] });
  await host.installCode({
    canisterId,
    wasm,
    arg: initArg({ governance, rateLimit: { capacity: 1000, refill_interval_seconds: 1 } }),
    mode: 'install',
    sender: CONTROLLER,
  });
  const registry = new RegistryUnderTest(host, canisterId);
  okOf(await registry.call('sync_proposal', [PROPOSAL], CONTROLLER));
  await registry.settle();
  return registry;
}

/**
 * Instructions of each submit, and of the registry's messages right after it (timers). With
 * `lists`, that many trust lists (of the submitting builders) are published first: each one's
 * summary of the proposal is certified again after every submission (`scoped/<list>/<id>`).
 */
async function submitRun(
  wasm: Uint8Array,
  options: { lists?: number; submits?: number } = {},
): Promise<{ submits: bigint[]; after: bigint[] }> {
  const executions: ExecutionRecord[] = [];
  const host = await IcHost.create({
    instrumented: true,
    log: () => {},
    onExecution: (e) => executions.push(e),
  });
  const registry = await registryOn(host, wasm);
  for (let k = 0; k < (options.lists ?? 0); k++) {
    const members = Array.from(
      { length: 20 },
      (_, j) => populationEnvelope((k + j) * 10).builder.principal,
    );
    okOf(
      await registry.call(
        'publish_trust_list',
        [{ id: [], name: `Review group ${k}`, description: 'bench', members }],
        testBuilder(`list-owner-${k}`).principal,
      ),
    );
  }
  await registry.settle();
  const submits: bigint[] = [];
  const after: bigint[] = [];
  for (let i = 0; i < (options.submits ?? SUBMITS); i++) {
    const { builder, envelope } = populationEnvelope(i * 10);
    okOf(await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal));
    submits.push(registry.lastInstructions ?? 0n);
    executions.length = 0;
    // With lists, the scoped summaries wait for the trust-list queue: one more round.
    await registry.settle(options.lists === undefined ? 1 : 3);
    after.push(
      executions
        .filter((e) => e.canisterId === registry.canisterId.toText())
        .reduce((n, e) => n + e.instructions, 0n),
    );
  }
  return { submits, after };
}

const max = (xs: bigint[]) => xs.reduce((a, b) => (a > b ? a : b), 0n);
const median = (xs: bigint[]) =>
  [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[xs.length >> 1];

await ensureCanisterBuilt('registry');

// ---- submit before/after, and the certification message ------------------------------------
{
  const now = await submitRun(await registryWasm());
  add('submit, max over 40 (with the log)', M(max(now.submits)), 'M instr', 300e6);
  add('messages after a submit (logging + certification), max', M(max(now.after)), 'M instr');
  add('messages after a submit, median', M(median(now.after)), 'M instr');
  if (BASE !== undefined) {
    const before = await submitRun(new Uint8Array(await readFile(BASE)));
    const added = now.submits.map((n, i) => n - before.submits[i]);
    add('submit, max over 40 (without the log)', M(max(before.submits)), 'M instr');
    add('added to a submit by the log, max', M(max(added)), 'M instr', 15e6);
    add('added to a submit by the log, median', M(median(added)), 'M instr', 15e6);
    add('messages after a submit without the log, max', M(max(before.after)), 'M instr');
  }
  // Trust lists: every list's summary of the proposal is certified again after a submission.
  for (const lists of [0, 10, 30]) {
    const scoped = await submitRun(await registryWasm(), { lists, submits: 10 });
    add(`submit with ${lists} trust lists, max over 10`, M(max(scoped.submits)), 'M instr', 300e6);
    add(`messages after a submit with ${lists} trust lists, max`, M(max(scoped.after)), 'M instr');
    add(
      `messages after a submit with ${lists} trust lists, median`,
      M(median(scoped.after)),
      'M instr',
    );
  }
}

// ---- certified reads, a submit and memory at 1 … SCALE attestations -------------------------
{
  // Seeding progress goes to stderr even with --json: the first run is long.
  const dir = await ensureSeeds({
    sizes: SIZES,
    log: (text) => process.stderr.write(`${text}\n`),
  });
  let base: ScalePoint | undefined;
  for (const attestations of SIZES) {
    log(`log: ${attestations} attestations`);
    const point = await measureAtScale({ dir, attestations, add, ...(base ? { base } : {}) });
    base ??= point;
  }
}

printRows({
  benchmark: 'registry-log',
  title: 'transparency log (instrumented host, IC cost model)',
  rows,
  json,
});
