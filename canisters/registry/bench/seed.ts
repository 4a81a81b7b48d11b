/**
 * A registry filled with N real attestations, for the benchmarks at scale, made once and kept.
 *
 * Every attestation is a distinct builder's Ed25519-signed envelope submitted through the
 * registry's own `submit` (inspect_message, signature and format checks, rate limit, the log's
 * certification message), on the real compiled wasm. Seeding runs on the plain host (no
 * instruction metering: the same Wasm, half the CPU time: 52 vs 102 ms per submission with its
 * certification, at 1,000 attestations); what is measured is measured afterwards,
 * on an instrumented host restored from the saved state.
 *
 * The state (every canister's stable memory, certified data, module and install argument: what
 * the host persists; heaps are rebuilt by post_upgrade on restore, as after a replica restart)
 * is saved per size under `.bench/registry-seed/<key>/<n>.state`. The key is the SHA-256 of the
 * registry and governance wasms, the seed's layout version and the first envelopes, so a
 * changed canister or envelope maker seeds anew. A seed that stopped half way resumes from its
 * last saved thousand.
 *
 * Deterministic: a fixed clock (+1 s per submission) and a fixed `raw_rand`; instruction
 * counts measured on a saved state are exact (the same file gives the same figures).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { Principal } from '@dfinity/principal';
import type * as T from '@repro-registry/client';
import {
  IcHost,
  applyChangeSet,
  type ExecutionRecord,
  type StoredState,
} from '@repro-registry/ic-host';
import { PROJECT_ROOT, ensureCanisterBuilt } from '@repro-registry/deploy';

import { decodeValue, encodeValue } from '../../../packages/local-network/src/persist-codec';
import { SECOND, installGovernance, proposal, putProposals } from '../test/governance-standin';
import { populationEnvelope } from '../test/data';
import { CONTROLLER, RegistryUnderTest, initArg, okOf, registryWasm } from '../test/harness';

/** Bump when what a seed holds changes without the wasms or envelopes changing. */
const SEED_LAYOUT = 1;
/** The proposal every attestation is about (the worst case for its summary). */
export const SEED_PROPOSAL = 130000n;
/** Confirmed proposals (a page of the list: 25), SEED_PROPOSAL first; the others have none. */
export const SEED_PROPOSALS = Array.from({ length: 25 }, (_, i) => SEED_PROPOSAL + BigInt(i));
/** 2025-11-24T16:00:00Z: after the stand-in's proposals were made, before their deadline. */
const START = (1_764_000_000n + 3_600n) * SECOND;
/** Submissions between two rounds of timers (the certification message batches them). */
const ROUND = 100;
/** A seed saves a point to resume from every this many attestations. */
const RESUME_EVERY = 1_000;

/** The n-th seeded attestation: distinct builders, all on SEED_PROPOSAL, mixed verdicts. */
export function seedEnvelope(n: number): {
  builder: { principal: Principal };
  envelope: Uint8Array;
} {
  // populationEnvelope spreads i over ten proposals by i % 10: multiples of ten stay on the first.
  return populationEnvelope(n * 10);
}

interface SeedFile {
  layout: number;
  attestations: number;
  registry: string;
  governance: string;
  /** Host time (ns) after the last submission. */
  time: bigint;
  /** The registry's Wasm memory when saved (the live heap, before any restart). */
  heapBytes: number;
  state: StoredState;
}

/** A seeded state reopened in a host of its own; nothing it runs is saved. */
export interface Seeded {
  host: IcHost;
  registry: RegistryUnderTest;
  governance: Principal;
  attestations: number;
  /** The registry's Wasm memory in the seeding host when saved. */
  seededHeapBytes: number;
  /** Stable memory pages (64 KiB) the registry has written. */
  stablePagesWritten: number;
  /** Moves the reopened host's clock (ns). */
  advance: (ns: bigint) => void;
}

export async function seedKey(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`registry-seed ${SEED_LAYOUT}\n`);
  hash.update(await registryWasm());
  hash.update(await readFile(await ensureCanisterBuilt('governance')));
  for (const n of [0, 1, 7]) hash.update(seedEnvelope(n).envelope);
  return hash.digest('hex').slice(0, 16);
}

const seedDir = (key: string) => join(PROJECT_ROOT, '.bench', 'registry-seed', key);
const fileOf = (dir: string, n: number) => join(dir, `${n}.state`);
const resumeFile = (dir: string, n: number) => join(dir, `resume-${n}.state`);

async function readSeed(path: string): Promise<SeedFile> {
  const value = decodeValue(new Uint8Array(await readFile(path))) as SeedFile;
  if (value.layout !== SEED_LAYOUT) throw new Error(`${path}: seed layout ${value.layout}`);
  return value;
}

async function writeSeed(path: string, seed: SeedFile): Promise<void> {
  // Encode now (the state keeps changing once we return), write whole, then rename.
  const bytes = encodeValue(seed);
  await writeFile(`${path}.tmp`, bytes);
  await rename(`${path}.tmp`, path);
}

/** A host over `state` whose commits fold into that same object (the seeder owns it). */
async function hostOver(args: {
  state: StoredState | undefined;
  instrumented: boolean;
  time: bigint;
  onExecution?: (e: ExecutionRecord) => void;
}): Promise<{ host: IcHost; state: () => StoredState | undefined; clock: { now: bigint } }> {
  let state = args.state;
  const clock = { now: args.time };
  let counter = 0;
  const host = await IcHost.create({
    instrumented: args.instrumented,
    clock: () => clock.now,
    // raw_rand: a fixed stream, so that a seed is reproducible.
    random: (size) => {
      const out = new Uint8Array(size);
      for (let i = 0; i < size; i += 32) {
        out.set(
          createHash('sha256')
            .update(`seed-rand-${counter++}`)
            .digest()
            .subarray(0, size - i),
          i,
        );
      }
      return out;
    },
    log: () => {},
    ...(args.onExecution ? { onExecution: args.onExecution } : {}),
    store: {
      load: async () => state,
      commit: (changes) => {
        state = applyChangeSet(
          state ?? { sequence: 0n, nextCanisterId: 0n, canisters: [] },
          changes,
        );
      },
    },
  });
  return { host, state: () => state, clock };
}

/** Installs governance (with SEED_PROPOSALS) and a registry that has confirmed them. */
async function freshRegistry(
  host: IcHost,
): Promise<{ registry: RegistryUnderTest; governance: Principal }> {
  const governance = await installGovernance(host);
  await putProposals(
    host,
    governance,
    SEED_PROPOSALS.map((id) => proposal(id)),
  );
  const canisterId = await host.createCanister({ controllers: [CONTROLLER] });
  await host.installCode({
    canisterId,
    wasm: await registryWasm(),
    arg: initArg({ governance, rateLimit: { capacity: 1000, refill_interval_seconds: 1 } }),
    mode: 'install',
    sender: CONTROLLER,
  });
  const registry = new RegistryUnderTest(host, canisterId);
  for (const id of SEED_PROPOSALS) okOf(await registry.call('sync_proposal', [id], CONTROLLER));
  await registry.settle();
  return { registry, governance };
}

/**
 * Makes sure a seed of each of `sizes` attestations is saved (seeding what is missing, from the
 * largest saved point below it) and returns the directory holding them.
 */
export async function ensureSeeds(args: {
  sizes: readonly number[];
  log: (text: string) => void;
  /** Where the seeds are kept (default `.bench/registry-seed/<key>`). */
  dir?: string;
}): Promise<string> {
  const key = await seedKey();
  const dir = args.dir ?? seedDir(key);
  if (args.dir === undefined) {
    // Seeds of other wasms are of no further use (~130 MB at 10,000): keep only this key's.
    const root = dirname(dir);
    const others = await readdir(root).catch(() => [] as string[]);
    for (const other of others.filter((d) => d !== key)) {
      await rm(join(root, other), { recursive: true, force: true });
    }
  }
  await mkdir(dir, { recursive: true });
  const sizes = [...new Set(args.sizes)].sort((a, b) => a - b);
  const have = new Set(
    (await readdir(dir)).flatMap((f) => (/^\d+\.state$/.test(f) ? [Number.parseInt(f, 10)] : [])),
  );
  const missing = sizes.filter((n) => !have.has(n));
  if (missing.length === 0) return dir;
  const target = missing[missing.length - 1];

  // Resume from the largest saved state below the first missing size.
  const resumable = (await readdir(dir))
    .flatMap((f) => {
      const m = /^(?:resume-)?(\d+)\.state$/.exec(f);
      return m ? [{ n: Number(m[1]), path: join(dir, f) }] : [];
    })
    .filter((r) => r.n < missing[0])
    .sort((a, b) => b.n - a.n)[0];
  let from: SeedFile | undefined;
  if (resumable) from = await readSeed(resumable.path);
  const { host, state, clock } = await hostOver({
    state: from?.state,
    instrumented: false,
    time: from ? from.time : START,
  });
  let registry: RegistryUnderTest;
  let governance: Principal;
  if (from) {
    registry = new RegistryUnderTest(host, Principal.fromText(from.registry));
    governance = Principal.fromText(from.governance);
    await registry.settle();
  } else {
    ({ registry, governance } = await freshRegistry(host));
  }
  let submitted = from?.attestations ?? 0;
  args.log(`seed ${key}: ${submitted} → ${target} attestations (plain host)`);
  const started = Date.now();
  const save = async (path: string) => {
    await registry.settle(3);
    const seeded = state();
    if (!seeded) throw new Error('nothing seeded');
    await writeSeed(path, {
      layout: SEED_LAYOUT,
      attestations: submitted,
      registry: registry.canisterId.toText(),
      governance: governance.toText(),
      time: clock.now,
      heapBytes: host.canister(registry.canisterId)?.wasmMemoryBytes ?? 0,
      state: seeded,
    });
  };
  let lastResume: string | undefined = resumable?.path.includes('resume-')
    ? resumable.path
    : undefined;
  while (submitted < target) {
    clock.now += SECOND;
    const { builder, envelope } = seedEnvelope(submitted);
    okOf(await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal));
    submitted++;
    if (submitted % ROUND === 0) await registry.settle(1);
    if (missing.includes(submitted)) await save(fileOf(dir, submitted));
    else if (submitted % RESUME_EVERY === 0) {
      const path = resumeFile(dir, submitted);
      await save(path);
      if (lastResume) await rm(lastResume, { force: true });
      lastResume = path;
    }
    if (submitted % RESUME_EVERY === 0) {
      const seconds = (Date.now() - started) / 1000;
      args.log(`seed: ${submitted} attestations (${seconds.toFixed(0)} s)`);
    }
  }
  if (lastResume) await rm(lastResume, { force: true });
  return dir;
}

/** Reopens the seed of `attestations` in a host of its own (instrumented unless said). */
export async function openSeed(args: {
  dir: string;
  attestations: number;
  instrumented?: boolean;
  onExecution?: (e: ExecutionRecord) => void;
}): Promise<Seeded> {
  const seed = await readSeed(fileOf(args.dir, args.attestations));
  const registryId = Principal.fromText(seed.registry);
  const stablePagesWritten =
    seed.state.canisters.find((c) => c.canisterId === seed.registry)?.stable.pages.size ?? 0;
  // Read afresh from the file: what the reopened host changes stays in this process.
  const { host, clock } = await hostOver({
    state: seed.state,
    instrumented: args.instrumented ?? true,
    time: seed.time + SECOND,
    ...(args.onExecution ? { onExecution: args.onExecution } : {}),
  });
  return {
    host,
    registry: new RegistryUnderTest(host, registryId),
    governance: Principal.fromText(seed.governance),
    attestations: seed.attestations,
    seededHeapBytes: seed.heapBytes,
    stablePagesWritten,
    advance: (ns) => {
      clock.now += ns;
    },
  };
}
