/**
 * Benchmarks of the in-process host on the probe test canister (azle 0.33.0).
 *
 *   npx tsx packages/ic-host/bench/host.bench.ts [--json] [--rounds N]
 *
 * Builds the probe canister first if it is missing (test global setup).
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { readFileSync } from 'node:fs';
import { IcHost, ModuleCache, type ExecutionRecord } from '../src/index';
import setup, { wasmPathOf } from '../test/global-setup';

interface Row {
  name: string;
  mode: 'plain' | 'instrumented' | '-';
  median_ms: number;
  p90_ms?: number;
  instructions?: string;
  note?: string;
}

const json = process.argv.includes('--json');
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 200;
/** V8 tiers hot Wasm functions up from Liftoff to TurboFan; measure after that. */
const WARMUP = 100;

setup();
const wasm = new Uint8Array(readFileSync(wasmPathOf('probe')));
const sender = Principal.selfAuthenticating(new Uint8Array(32).fill(1));
const enc = (t: IDL.Type[], v: unknown[]) => new Uint8Array(IDL.encode(t, v));
const rows: Row[] = [];

function stats(samples: number[]): { median_ms: number; p90_ms: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median_ms: round(at(0.5)), p90_ms: round(at(0.9)) };
}
const round = (x: number) => Math.round(x * 1000) / 1000;

// Module loading: a fresh cache each time so nothing is reused.
for (const instrumented of [false, true]) {
  const rewrite: number[] = [];
  const compile: number[] = [];
  for (let i = 0; i < 5; i++) {
    const m = new ModuleCache().load(wasm, { instrumented });
    rewrite.push(m.rewriteMs);
    compile.push(m.compileMs);
  }
  const mode = instrumented ? 'instrumented' : 'plain';
  rows.push({
    name: instrumented ? 'instrument (rewrite + inject)' : 'rewrite (export table/globals)',
    mode,
    ...stats(rewrite),
  });
  rows.push({ name: 'compile (WebAssembly.Module)', mode, ...stats(compile) });
}
{
  const cache = new ModuleCache();
  cache.load(wasm, { instrumented: true });
  const t: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    cache.load(wasm, { instrumented: true });
    t.push(performance.now() - t0);
  }
  rows.push({
    name: 'load again (cache hit, hashes the module)',
    mode: 'instrumented',
    ...stats(t),
  });
}

for (const instrumented of [false, true]) {
  const mode = instrumented ? 'instrumented' : 'plain';
  let last: ExecutionRecord | undefined;
  const host = await IcHost.create({
    instrumented,
    log: () => undefined,
    onExecution: (r) => (last = r),
  });
  const id = await host.createCanister({ controllers: [sender] });
  const t0 = performance.now();
  await host.installCode({
    canisterId: id,
    wasm,
    arg: enc([IDL.Text], ['bench']),
    mode: 'install',
    sender,
  });
  const installMs = performance.now() - t0;
  rows.push({
    name: 'install (instantiate + canister_init)',
    mode,
    median_ms: round(installMs),
    ...(instrumented ? { instructions: last!.instructions.toString() } : {}),
    note: 'one run; module already compiled',
  });
  await host.tick();

  const measure = async (name: string, fn: () => Promise<unknown>, note?: string) => {
    const times: number[] = [];
    const instr: bigint[] = [];
    for (let i = 0; i < WARMUP; i++) await fn();
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
      instr.push(last!.instructions);
    }
    rows.push({
      name,
      mode,
      ...stats(times),
      ...(instrumented ? { instructions: instr[Math.floor(instr.length / 2)].toString() } : {}),
      ...(note ? { note } : {}),
    });
  };
  let wasmMs = 0;
  const hostWasm = async (fn: () => Promise<unknown>) => {
    const before = last;
    await fn();
    if (last !== before) wasmMs = last!.ms;
  };
  await measure(
    'query getCount (no-op)',
    () => host.query({ canisterId: id, method: 'getCount', arg: enc([], []), sender }),
    'includes heap restore',
  );
  {
    const samples: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await hostWasm(() =>
        host.query({ canisterId: id, method: 'getCount', arg: enc([], []), sender }),
      );
      samples.push(wasmMs);
    }
    rows.push({ name: 'query getCount, Wasm run only', mode, ...stats(samples) });
  }
  await measure(
    'update increment (no-op-ish)',
    () => host.update({ canisterId: id, method: 'increment', arg: enc([], []), sender }),
    'includes heap checkpoint + commit',
  );
  let k = 0;
  await measure('update put (StableBTreeMap insert)', () =>
    host.update({
      canisterId: id,
      method: 'put',
      arg: enc([IDL.Text, IDL.Text], [`key${k++}`, 'value']),
      sender,
    }),
  );
  if (!instrumented) {
    const heap = host.canister(id)!.wasmMemoryBytes;
    const a = new Uint8Array(heap);
    const b = new Uint8Array(heap);
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      b.set(a);
      times.push(performance.now() - t);
    }
    rows.push({
      name: `heap snapshot copy (${(heap / 1048576).toFixed(1)} MiB)`,
      mode: '-',
      ...stats(times),
      note: 'once per update (checkpoint) and per query (restore)',
    });
  }
}

if (json) {
  console.log(JSON.stringify({ rounds: ROUNDS, node: process.version, rows }, null, 2));
} else {
  const header = ['benchmark', 'mode', 'median ms', 'p90 ms', 'instructions', 'note'];
  const lines = rows.map((r) => [
    r.name,
    r.mode,
    String(r.median_ms),
    r.p90_ms === undefined ? '' : String(r.p90_ms),
    r.instructions ?? '',
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const l of lines) console.log(fmt(l));
}
