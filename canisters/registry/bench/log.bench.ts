/**
 * The transparency log and certified reads of the registry (instrumented host, IC cost model):
 * what noting an event adds to a submission, the message that logs and certifies, proof and
 * certified-read queries from 1 to 10,000 attestations, and stable memory per attestation.
 *
 *   npx tsx canisters/registry/bench/log.bench.ts [--json] [--max 10000] [--base <registry.wasm>]
 *
 * `--base` names a registry wasm built without the log (e.g. from the commit before it): the
 * same submissions run on both and the difference is what the log adds.
 */
import { readFile } from 'node:fs/promises';

import type * as T from '@repro-registry/client';
import { IcHost, InMemoryStateStore, type ExecutionRecord } from '@repro-registry/ic-host';
import { ensureCanisterBuilt } from '@repro-registry/deploy';

import { installGovernance, proposal, putProposals } from '../test/governance-standin';
import { populationEnvelope } from '../test/data';
import { CONTROLLER, RegistryUnderTest, initArg, okOf, registryWasm } from '../test/harness';
import { certifiedQuery } from '../test/certified-support';
import { benchRows, printRows } from './report';

const args = process.argv.slice(2);
const json = args.includes('--json');
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const MAX = Number(option('--max') ?? 10_000);
const BASE = option('--base');
const CHECKPOINTS = [1, 1_000, 10_000].filter((n) => n <= MAX);
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

/** Instructions of each submit, and of the registry's messages right after it (timers). */
async function submitRun(wasm: Uint8Array): Promise<{ submits: bigint[]; after: bigint[] }> {
  const executions: ExecutionRecord[] = [];
  const host = await IcHost.create({
    instrumented: true,
    log: () => {},
    onExecution: (e) => executions.push(e),
  });
  const registry = await registryOn(host, wasm);
  const submits: bigint[] = [];
  const after: bigint[] = [];
  for (let i = 0; i < SUBMITS; i++) {
    const { builder, envelope } = populationEnvelope(i * 10);
    okOf(await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal));
    submits.push(registry.lastInstructions ?? 0n);
    executions.length = 0;
    await registry.settle(1);
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
}

// ---- certified reads from 1 to 10,000 attestations -------------------------------------------
{
  const store = new InMemoryStateStore();
  const plain = await IcHost.create({ store, log: () => {} });
  const filling = await registryOn(plain, await registryWasm());
  let submitted = 0;
  let firstCheckpoint: T.Checkpoint | undefined;
  const started = Date.now();
  for (const checkpoint of CHECKPOINTS) {
    while (submitted < checkpoint) {
      // Distinct builders on one proposal (populationEnvelope cycles proposals by i % 10).
      const { builder, envelope } = populationEnvelope(submitted * 10);
      okOf(
        await filling.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
      );
      submitted++;
      if (submitted % 100 === 0) await filling.settle(1);
    }
    await filling.settle(3);
    log(`log: ${checkpoint} attestations (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    const snapshot = store.snapshot();
    const counting = await IcHost.create({
      instrumented: true,
      store: { load: async () => snapshot, commit: () => undefined },
      log: () => {},
    });
    const registry = new RegistryUnderTest(counting, filling.canisterId);
    const cp = await registry.call<T.Checkpoint>('get_checkpoint', []);
    firstCheckpoint ??= cp;
    add(
      `get_checkpoint, ${checkpoint} attestations (log size ${cp.size})`,
      M(registry.lastInstructions),
      'M instr',
      10e6,
    );
    const measure = async (label: string, method: string, arg: unknown, budget: number) => {
      okOf(await registry.call<{ Ok: unknown }>(method, [arg]));
      add(`${label}, ${checkpoint} attestations`, M(registry.lastInstructions), 'M instr', budget);
    };
    await measure(
      'get_inclusion_proof (first)',
      'get_inclusion_proof',
      { attestation_id: 1n, tree_size: [] },
      10e6,
    );
    await measure(
      'get_inclusion_proof (latest)',
      'get_inclusion_proof',
      { attestation_id: BigInt(checkpoint), tree_size: [] },
      10e6,
    );
    await measure(
      'get_consistency_proof (from the first checkpoint)',
      'get_consistency_proof',
      { old_size: firstCheckpoint.size, new_size: [] },
      10e6,
    );
    await measure('get_certified_summary', 'get_certified_summary', PROPOSAL, 25e6);
    await measure('get_certified_attestation', 'get_certified_attestation', 1n, 25e6);
    // Certified HTTP, as a gateway asks (with the data certificate in the query).
    for (const url of [`/api/v1/proposals/${PROPOSAL}`, `/badge/${PROPOSAL}.svg`, '/api/v1/info']) {
      await certifiedQuery(registry, 'http_request', [
        { method: 'GET', url, headers: [], body: new Uint8Array(), certificate_version: [2] },
      ]);
      add(
        `http_request ${url} (certified), ${checkpoint} attestations`,
        M(registry.lastInstructions),
        'M instr',
        15e6,
      );
    }
    // A route family's certified "not known" answer (unknown ids), and a live page below a
    // family (its exact no_certification entry).
    for (const [url, budget] of [
      ['/api/v1/proposals/999999', 20e6],
      ['/badge/999999.svg', 20e6],
      [`/api/v1/proposals/${PROPOSAL}/attestations?limit=1`, undefined],
    ] as const) {
      await certifiedQuery(registry, 'http_request', [
        { method: 'GET', url, headers: [], body: new Uint8Array(), certificate_version: [2] },
      ]);
      add(
        `http_request ${url}, ${checkpoint} attestations`,
        M(registry.lastInstructions),
        'M instr',
        budget,
      );
    }
  }
  const state = await store.load();
  const stored = state?.canisters.find((c) => c.canisterId === filling.canisterId.toText());
  if (stored) {
    add(
      'stable memory written per attestation (registry + log)',
      (stored.stable.pages.size * 65536) / submitted,
      'bytes',
    );
  }
}

printRows({
  benchmark: 'registry-log',
  title: 'transparency log (instrumented host, IC cost model)',
  rows,
  json,
});
