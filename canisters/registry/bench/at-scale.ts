/**
 * The registry's certified reads, a submission and its certification message, and memory, on a
 * seeded registry of N attestations (see `seed.ts`), counted on an instrumented host restored
 * from the seed. Reads go as readers send them: with the data certificate a replica attaches.
 */
import type * as T from '@repro-registry/client';
import type { ExecutionRecord } from '@repro-registry/ic-host';

import { certifiedQuery } from '../test/certified-support';
import { okOf } from '../test/harness';
import { SEED_PROPOSAL, SEED_PROPOSALS, openSeed, seedEnvelope } from './seed';

export type Add = (measure: string, value: number, unit: string, budget?: number) => void;

const M = (n: bigint | undefined) => (n === undefined ? NaN : Number(n) / 1e6);
const PAGE = 65536;

/** What one size's measurement leaves for the next (memory growth between sizes). */
export interface ScalePoint {
  attestations: number;
  stableBytes: number;
  seededHeapBytes: number;
  /** The log's size with 1 attestation: consistency proofs start there. */
  firstLogSize?: bigint;
}

export async function measureAtScale(args: {
  dir: string;
  attestations: number;
  add: Add;
  /** The smallest size measured before (memory per attestation is the growth since). */
  base?: ScalePoint;
}): Promise<ScalePoint> {
  const { attestations: n, add } = args;
  const executions: ExecutionRecord[] = [];
  const seeded = await openSeed({
    dir: args.dir,
    attestations: n,
    onExecution: (e) => executions.push(e),
  });
  const { registry } = seeded;
  // Whatever the restart left to do (post_upgrade re-renders certified answers in timers) runs
  // first: reads are measured on the canister as it runs, not right after a restart.
  await registry.settle(5);

  const at = `${n.toLocaleString('en')} attestations`;
  const read = async (label: string, method: string, arg: unknown[], budget?: number) => {
    const reply = await certifiedQuery<unknown>(registry, method, arg);
    add(`${label}, ${at}`, M(registry.lastInstructions), 'M instr', budget);
    return reply;
  };

  const checkpoint = (await read('get_checkpoint', 'get_checkpoint', [], 10e6)) as T.Checkpoint;
  const firstLogSize = args.base?.firstLogSize ?? checkpoint.size;
  okOf(
    (await read(
      'get_inclusion_proof (first)',
      'get_inclusion_proof',
      [{ attestation_id: 1n, tree_size: [] }],
      10e6,
    )) as { Ok: unknown },
  );
  okOf(
    (await read(
      'get_inclusion_proof (latest)',
      'get_inclusion_proof',
      [{ attestation_id: BigInt(n), tree_size: [] }],
      10e6,
    )) as { Ok: unknown },
  );
  if (firstLogSize < checkpoint.size) {
    okOf(
      (await read(
        `get_consistency_proof (from log size ${firstLogSize})`,
        'get_consistency_proof',
        [{ old_size: firstLogSize, new_size: [] }],
        10e6,
      )) as { Ok: unknown },
    );
  }
  okOf(
    (await read('get_certified_summary', 'get_certified_summary', [SEED_PROPOSAL], 25e6)) as {
      Ok: unknown;
    },
  );
  const batch = (await read(
    `get_certified_summaries (${SEED_PROPOSALS.length} ids)`,
    'get_certified_summaries',
    [SEED_PROPOSALS],
  )) as T.CertifiedSummaries;
  if (batch.summaries.some((s) => s.summary.length === 0))
    throw new Error('a seeded proposal has no certified summary');
  okOf(
    (await read('get_certified_attestation', 'get_certified_attestation', [1n], 25e6)) as {
      Ok: unknown;
    },
  );
  for (const url of [`/api/v1/proposals/${SEED_PROPOSAL}`, `/badge/${SEED_PROPOSAL}.svg`]) {
    // 15 M: the budget round 3 set itself for certified answers (the issue names none).
    const reply = (await read(
      `http_request ${url} (certified)`,
      'http_request',
      [{ method: 'GET', url, headers: [], body: new Uint8Array(), certificate_version: [2] }],
      15e6,
    )) as { status_code: number; headers: [string, string][] };
    if (reply.status_code !== 200 || !reply.headers.some(([k]) => k === 'IC-Certificate'))
      throw new Error(`${url}: not a certified 200 (${reply.status_code})`);
  }
  // A route family's certified "not known" answer (unknown ids), and a live page below a family
  // (its exact no_certification entry).
  for (const [url, budget] of [
    ['/api/v1/proposals/999999', 20e6],
    ['/badge/999999.svg', 20e6],
    [`/api/v1/proposals/${SEED_PROPOSAL}/attestations?limit=1`, undefined],
  ] as const) {
    await read(
      `http_request ${url}`,
      'http_request',
      [{ method: 'GET', url, headers: [], body: new Uint8Array(), certificate_version: [2] }],
      budget,
    );
  }

  // One more submission at this size, and the message that logs and certifies it.
  const { builder, envelope } = seedEnvelope(n);
  seeded.advance(1_000_000_000n);
  okOf(await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal));
  add(`submit, ${at}`, M(registry.lastInstructions), 'M instr', 300e6);
  executions.length = 0;
  await registry.settle(1);
  const certification = executions.filter(
    (e) => e.canisterId === registry.canisterId.toText() && e.kind !== 'query',
  );
  add(
    `certification message after it (${certification.length} executions), ${at}`,
    M(certification.reduce((s, e) => s + e.instructions, 0n)),
    'M instr',
  );

  // Memory: what the seed wrote (stable) and the live heap when it was saved.
  const stableBytes = seeded.stablePagesWritten * PAGE;
  add(`stable memory written (registry + log), ${at}`, stableBytes / 1048576, 'MiB');
  add(`Wasm heap (live, when seeded), ${at}`, seeded.seededHeapBytes / 1048576, 'MiB');
  const base = args.base;
  if (base && base.attestations < n) {
    const more = n - base.attestations;
    add(
      `stable memory per attestation (${base.attestations.toLocaleString('en')} → ${n.toLocaleString('en')})`,
      (stableBytes - base.stableBytes) / more,
      'bytes',
    );
    add(
      `Wasm heap per attestation (${base.attestations.toLocaleString('en')} → ${n.toLocaleString('en')})`,
      (seeded.seededHeapBytes - base.seededHeapBytes) / more,
      'bytes',
    );
  }
  return {
    attestations: n,
    stableBytes,
    seededHeapBytes: seeded.seededHeapBytes,
    firstLogSize,
  };
}
