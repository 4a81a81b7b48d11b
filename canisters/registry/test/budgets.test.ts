/**
 * Instruction budgets, counted deterministically by the instrumented host with the IC's cost
 * model. The benchmark (`npm run bench`) reports the same figures at larger scale.
 */
import { describe, expect, it } from 'vitest';

import { verifyAttestationPage } from '@repro-registry/client';
import type * as T from '@repro-registry/client';
import { Principal } from '@dfinity/principal';

import { testBuilder } from './builders';
import { POPULATION_PROPOSALS, populationEnvelope } from './data';
import { startWithGovernance } from './governance-standin';
import { certifiedQuery, rootKey } from './certified-support';
import { okOf, type RegistryUnderTest } from './harness';

export const BUDGETS = {
  submit: 300_000_000n,
  summary: 20_000_000n,
  listSummary: 25_000_000n,
  /**
   * A page is one stable read of each attestation's stored rendering (envelope included) and
   * one copy of it into the reply. Measured here: 24.9 M for 100, 28.1 M for 120 (100 M and
   * 120 M were the budgets before renderings held the envelope); with the bench's larger
   * envelopes 29.8 M for 100 and 94 M for a page of 394 that its envelopes' 1.5 MB end (63 M and
   * 229 M before).
   */
  page100: 45_000_000n,
  /** A page of every attestation of proposal 130000 (120 of the 500 a page may hold). */
  pageOf120: 50_000_000n,
  /**
   * The same pages as readers ask them, with a data certificate: the page's proof (certificate
   * and witness of every attestation's record) costs ~0.68 M per attestation (stable reads of
   * the tree's nodes). Measured: 122 M for 100, 145 M for 120, 604 M for a page of 500.
   */
  certifiedPage100: 200_000_000n,
  certifiedPageOf120: 240_000_000n,
  syncProposal: 200_000_000n,
} as const;

/** 100 trust lists of 20 builders each over the population on proposal 130000 (see `data.ts`). */
export async function publishTrustLists(
  registry: RegistryUnderTest,
  count = 100,
): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (let k = 0; k < count; k++) {
    const members = Array.from(
      { length: 20 },
      (_, j) => populationEnvelope((k * 10 + j * 60) % 1200).builder.principal,
    );
    const list = okOf(
      await registry.call<{ Ok: T.TrustList }>(
        'publish_trust_list',
        [{ id: [], name: `Review group ${k}`, description: 'bench', members }],
        testBuilder(`list-owner-${k}`).principal,
      ),
    );
    ids.push(list.id);
  }
  return ids;
}

describe('instruction budgets (instrumented host)', () => {
  it(
    'submit, summaries (everyone and a trust list among 100) and a page of 100 stay within budget, and summaries stay flat',
    { timeout: 600_000 },
    async () => {
      const { registry } = await startWithGovernance({
        instrumented: true,
        confirmed: POPULATION_PROPOSALS,
      });
      const lists = await publishTrustLists(registry);
      await registry.settle();
      const list = lists[7];
      const summaryAt = async (trustList?: bigint) => {
        const s = okOf(
          await registry.call<{ Ok: T.ProposalSummary }>('get_consensus', [
            { proposal_id: 130000n, trust_list: trustList === undefined ? [] : [trustList] },
          ]),
        );
        return { instructions: registry.lastInstructions ?? 0n, summary: s };
      };

      const submits: bigint[] = [];
      let withFew = { everyone: 0n, list: 0n };
      for (let i = 0; i < 1200; i += 10) {
        // Every tenth population member is on proposal 130000: 120 attestations on it. By the
        // 30th, every hash group of the population exists; after that only the counts grow.
        const { builder, envelope } = populationEnvelope(i);
        okOf(
          await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
        );
        submits.push(registry.lastInstructions ?? 0n);
        if (i === 290) {
          await registry.settle(1); // the trust lists catch up in a message of their own
          withFew = {
            everyone: (await summaryAt()).instructions,
            list: (await summaryAt(list)).instructions,
          };
        }
      }
      await registry.settle(1);
      const everyone = await summaryAt();
      const onList = await summaryAt(list);
      expect(onList.summary.scope.up_to_date).toBe(true);
      expect(onList.summary.builder_count).toBe(20n);

      const maxSubmit = submits.reduce((a, b) => (a > b ? a : b));
      expect(maxSubmit).toBeGreaterThan(0n);
      expect(maxSubmit).toBeLessThanOrEqual(BUDGETS.submit);
      expect(everyone.instructions).toBeLessThanOrEqual(BUDGETS.summary);
      expect(onList.instructions).toBeLessThanOrEqual(BUDGETS.listSummary);
      // Flat: aggregates are kept per hash group and per list, not recomputed from
      // attestations, so four times the attestations cost no more.
      expect(Number(everyone.instructions)).toBeLessThan(Number(withFew.everyone) * 1.1);
      expect(Number(onList.instructions)).toBeLessThan(Number(withFew.list) * 1.1);

      const page = async (limit: number) => {
        const reply = okOf(
          await registry.call<{ Ok: T.AttestationPage }>('list_attestations', [
            { proposal_id: 130000n, verdict: [], cursor: [], limit: [limit], proof: [] },
          ]),
        );
        return { count: reply.attestations.length, instructions: registry.lastInstructions ?? 0n };
      };
      const hundred = await page(100);
      expect(hundred.count).toBe(100);
      expect(hundred.instructions).toBeLessThanOrEqual(BUDGETS.page100);
      // Envelopes included: a page is copies of stored renderings and envelopes, so one of 120
      // costs about 1.2 pages of 100.
      const all = await page(500);
      expect(all.count).toBe(120);
      expect(all.instructions).toBeLessThanOrEqual(BUDGETS.pageOf120);
      // Linear in the page, without a large fixed part: a full page of 500 stays near 0.1 B.
      const perAttestation = Number(all.instructions - hundred.instructions) / 20;
      expect(perAttestation).toBeLessThan(300_000);
      expect(Number(hundred.instructions) + perAttestation * 400).toBeLessThan(150_000_000);
      console.log(
        `list_attestations: ${hundred.instructions} instructions for 100, ${all.instructions} for 120`,
      );

      const certifiedPage = async (limit: number) => {
        const reply = okOf(
          await certifiedQuery<{ Ok: T.AttestationPage }>(registry, 'list_attestations', [
            { proposal_id: 130000n, verdict: [], cursor: [], limit: [limit], proof: [] },
          ]),
        );
        expect(reply.certified).toHaveLength(1);
        const instructions = registry.lastInstructions ?? 0n;
        // The proof shows the page complete: its positions span several index chunks.
        const context = { canisterId: registry.canisterId, rootKey: rootKey.der };
        const complete = await verifyAttestationPage(context, reply, { proposalId: 130000n });
        expect(complete.ok).toBe(true);
        return { count: reply.attestations.length, instructions };
      };
      const certified100 = await certifiedPage(100);
      const certified120 = await certifiedPage(500);
      expect(certified100.count).toBe(100);
      expect(certified120.count).toBe(120);
      expect(certified100.instructions).toBeLessThanOrEqual(BUDGETS.certifiedPage100);
      expect(certified120.instructions).toBeLessThanOrEqual(BUDGETS.certifiedPageOf120);
      // Linear in the page: a full page of 500 stays under a fifth of the 5 B query limit.
      expect(Number(certified120.instructions) * (500 / 120)).toBeLessThan(1_000_000_000);
      console.log(
        `list_attestations with proof: ${certified100.instructions} for 100, ${certified120.instructions} for 120`,
      );

      // A reader that verifies every envelope itself (the frontend) asks without the proof, and
      // the page costs what it costs without a certificate.
      const unproven = okOf(
        await certifiedQuery<{ Ok: T.AttestationPage }>(registry, 'list_attestations', [
          { proposal_id: 130000n, verdict: [], cursor: [], limit: [500], proof: [false] },
        ]),
      );
      expect(unproven.attestations).toHaveLength(120);
      expect(unproven.certified).toEqual([]);
      expect(registry.lastInstructions ?? 0n).toBeLessThanOrEqual(BUDGETS.pageOf120);
    },
  );

  it('sync_proposal stays within budget', { timeout: 300_000 }, async () => {
    const { registry } = await startWithGovernance({ instrumented: true });
    const { putProposals, proposal } = await import('./governance-standin');
    const governance = registry.host.canisterIds()[0];
    await putProposals(registry.host, governance, [proposal(134567n)]);
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
