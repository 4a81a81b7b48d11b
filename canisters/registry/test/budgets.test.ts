/**
 * Instruction budgets, counted deterministically by the instrumented host with the IC's cost
 * model. The benchmark (`npm run bench`) reports the same figures at larger scale.
 */
import { describe, expect, it } from 'vitest';

import type * as T from '@repro-registry/client';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { IcHost } from '@repro-registry/ic-host';

import { populationEnvelope } from './data';
import { RecordedProposal, installGovernance, proposal } from './governance-standin';
import { CONTROLLER, RegistryUnderTest, okOf } from './harness';

export const BUDGETS = {
  submit: 300_000_000n,
  summary: 20_000_000n,
  page100: 100_000_000n,
  syncProposal: 200_000_000n,
} as const;

describe('instruction budgets (instrumented host)', () => {
  it(
    'submit, summary and a page of 100 stay within budget, and summary stays flat',
    { timeout: 300_000 },
    async () => {
      const registry = await RegistryUnderTest.start({ instrumented: true });
      const summaryAt = async () => {
        okOf(await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [130000n]));
        return registry.lastInstructions ?? 0n;
      };

      const submits: bigint[] = [];
      let summaryWithFew = 0n;
      for (let i = 0; i < 1200; i += 10) {
        // Every tenth population member is on proposal 130000: 120 attestations on it. By the
        // 30th, every hash group of the population exists; after that only the counts grow.
        const { builder, envelope } = populationEnvelope(i);
        okOf(
          await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
        );
        submits.push(registry.lastInstructions ?? 0n);
        if (i === 290) summaryWithFew = await summaryAt();
      }
      const summaryWithMany = await summaryAt();

      const maxSubmit = submits.reduce((a, b) => (a > b ? a : b));
      expect(maxSubmit).toBeGreaterThan(0n);
      expect(maxSubmit).toBeLessThanOrEqual(BUDGETS.submit);
      expect(summaryWithMany).toBeLessThanOrEqual(BUDGETS.summary);
      // Flat: aggregates are kept per hash group, not recomputed from attestations, so four
      // times the attestations cost no more. (The cost grows with distinct hash groups.)
      expect(Number(summaryWithMany)).toBeLessThan(Number(summaryWithFew) * 1.1);

      okOf(
        await registry.call<{ Ok: T.AttestationPage }>('list_attestations', [
          { proposal_id: 130000n, verdict: [], cursor: [], limit: [100], include_envelopes: [] },
        ]),
      );
      expect(registry.lastInstructions).toBeLessThanOrEqual(BUDGETS.page100);
    },
  );

  it('sync_proposal stays within budget', { timeout: 300_000 }, async () => {
    const host = await IcHost.create({ instrumented: true, log: () => {} });
    const governance = await installGovernance(host);
    const put = await host.update({
      canisterId: governance,
      method: 'put_proposal',
      arg: new Uint8Array(IDL.encode([RecordedProposal], [proposal(134567n)])),
      sender: CONTROLLER,
    });
    expect(put.status).toBe('replied');
    const registry = await RegistryUnderTest.start({ host, governance });
    const summary = okOf(
      await registry.call<{ Ok: T.ProposalSummary }>(
        'sync_proposal',
        [134567n],
        Principal.anonymous(),
      ),
    );
    expect(summary.sync.state).toBe('ok');
    // Counted over the whole call: the registry's method, the governance query it calls, and
    // the callback that records the answer.
    expect(registry.lastInstructions).toBeGreaterThan(0n);
    expect(registry.lastInstructions).toBeLessThanOrEqual(BUDGETS.syncProposal);
  });
});
