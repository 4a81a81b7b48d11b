/**
 * The benchmarks' seeding helper (bench/seed.ts): a saved seed reopens as the registry it was,
 * with every attestation accepted through `submit` and logged, and a missing size is seeded on
 * from the largest saved one below it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type * as T from '@repro-registry/client';
import { afterAll, describe, expect, it } from 'vitest';

import { SEED_PROPOSAL, SEED_PROPOSALS, ensureSeeds, openSeed, seedEnvelope } from '../bench/seed';
import { okOf } from './harness';

describe('bench seeds', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('saves each size, reopens it, and resumes from the largest saved size below', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'registry-seed-'));
    dirs.push(dir);
    const lines: string[] = [];
    await ensureSeeds({ sizes: [1], dir, log: (l) => lines.push(l) });
    await ensureSeeds({ sizes: [1, 3], dir, log: (l) => lines.push(l) });
    expect(lines.map((l) => l.replace(/^seed \w+: /, ''))).toEqual([
      '0 → 1 attestations (plain host)',
      '1 → 3 attestations (plain host)',
    ]);

    const seeded = await openSeed({ dir, attestations: 3, instrumented: false });
    const { registry } = seeded;
    expect(seeded.attestations).toBe(3);
    // Every proposal read, then the three acceptances: the log holds what submit accepted.
    const checkpoint = await registry.call<T.Checkpoint>('get_checkpoint', []);
    expect(checkpoint.size).toBe(BigInt(SEED_PROPOSALS.length + 3));
    const summary = okOf(
      await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [SEED_PROPOSAL]),
    );
    const v = summary.artifacts[0]?.verdicts;
    expect(v && v.match + v.mismatch + v.build_failed + v.not_built).toBe(3n);
    // The third attestation is the third seeded envelope, byte for byte.
    const third = okOf(
      await registry.call<{ Ok: { envelope: Uint8Array } }>('get_certified_attestation', [3n]),
    );
    expect(Buffer.from(third.envelope).equals(Buffer.from(seedEnvelope(2).envelope))).toBe(true);
    // Nothing asked for again is seeded again.
    await ensureSeeds({ sizes: [1, 3], dir, log: (l) => lines.push(l) });
    expect(lines).toHaveLength(2);
  });
});
