/**
 * Data that was acknowledged is never lost on upgrade: 1,000 attestations, every byte the
 * registry serves digested before and after an upgrade of the real wasm.
 */
import { describe, expect, it } from 'vitest';

import type * as T from '@repro-registry/client';
import { POPULATION_PROPOSALS, dataDigest, populationEnvelope } from './data';
import { startWithGovernance } from './governance-standin';
import { okOf } from './harness';

describe('upgrade', () => {
  // 191 s alone; 290 s under a load of 7–12 with certified HTTP rendered after each submission.
  it('keeps every byte of 1,000 attestations', { timeout: 480_000 }, async () => {
    const { registry } = await startWithGovernance({ confirmed: POPULATION_PROPOSALS });
    for (let i = 0; i < 1000; i++) {
      const { builder, envelope } = populationEnvelope(i);
      okOf(
        await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
      );
    }
    const hidden = okOf(
      await registry.call<{ Ok: T.Attestation }>('hide_attestation', [
        { attestation_id: 7n, reason: 'test hide' },
      ]),
    );
    expect(hidden.hidden.length).toBe(1);
    const before = await dataDigest(registry);
    const info = await registry.call<T.RegistryInfo>('get_registry_info', []);
    expect(info.attestation_count).toBe(1000n);
    const counted = okOf(
      await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [130001n]),
    );
    expect(counted.builder_count).toBeGreaterThan(90n);

    await registry.upgrade();
    expect(await dataDigest(registry)).toBe(before);

    // And it keeps working: a new submission after the upgrade is stored next to the old ones.
    const { builder, envelope } = populationEnvelope(1000);
    const receipt = okOf(
      await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
    );
    expect(receipt.attestation_id).toBe(1001n);
  });
});
