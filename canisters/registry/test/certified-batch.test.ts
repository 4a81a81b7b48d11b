/**
 * `get_certified_summaries` on the real wasm: one certificate and witness for a page of
 * proposals, checked by the client's `verifyCertifiedSummaries` — each summary equal to the live
 * one, an unknown proposal proven absent, and a forged or withheld summary failing on its own.
 */
import { IDL } from '@dfinity/candid';
import { IcHost } from '@repro-registry/ic-host';
import { idlFactory, verifyCertifiedSummaries } from '@repro-registry/client';
import type * as T from '@repro-registry/client';
import { describe, expect, it } from 'vitest';

import { certifiedQuery, rootKey } from './certified-support';
import { POPULATION_PROPOSALS, populationEnvelope } from './data';
import { startWithGovernance } from './governance-standin';
import { okOf } from './harness';

const ProposalSummaryType = (
  new Map(idlFactory({ IDL })._fields).get('get_proposal_summary')!.retTypes[0] as IDL.VariantClass
)._fields.find(([name]) => name === 'Ok')![1];

/** Instructions of one batch of 25 (a list page): one witness walk per proposal. */
const BATCH_BUDGET = 60_000_000n;

describe('certified summaries in one batch (real wasm)', () => {
  it('verifies a page of summaries under one certificate; forgeries fail alone', async () => {
    const { registry } = await startWithGovernance({ confirmed: POPULATION_PROPOSALS.slice(0, 3) });
    for (let i = 0; i < 4; i++) {
      const { builder, envelope } = populationEnvelope(i); // proposals 130000..130003
      if (i === 3) continue; // 130003 is not confirmed: no summary
      okOf(
        await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
      );
    }
    await registry.settle();
    const asked = [130000n, 130001n, 130002n, 130003n, 999n];
    const reply = await certifiedQuery<T.CertifiedSummaries>(registry, 'get_certified_summaries', [
      [...asked, 130000n],
    ]);
    // Duplicates answered once, in the order asked.
    expect(reply.summaries.map((s) => s.proposal_id)).toEqual(asked);
    expect(reply.summaries.map((s) => s.summary.length)).toEqual([1, 1, 1, 0, 0]);

    const context = { canisterId: registry.canisterId, rootKey: rootKey.der };
    const checked = await verifyCertifiedSummaries(context, asked, reply);
    if (!checked.ok) throw new Error(`${checked.code}: ${checked.message}`);
    for (const id of [130000n, 130001n, 130002n]) {
      const live = okOf(
        await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [id]),
      );
      expect(checked.value.summaries.get(id)).toEqual({ status: 'verified', summary: live });
    }
    // The proposal count is certified with them (what the list page shows): 3 confirmed.
    const info = await registry.call<T.RegistryInfo>('get_registry_info', []);
    expect(info.proposal_count).toBe(3n);
    expect(checked.value.head.proposalCount).toBe(info.proposal_count);
    expect(checked.value.summaries.get(130003n)).toEqual({ status: 'absent' });
    expect(checked.value.summaries.get(999n)).toEqual({ status: 'absent' });

    // A node that inflates one count: that proposal fails, the others still verify.
    const first = checked.value.summaries.get(130001n);
    if (first?.status !== 'verified') throw new Error('no summary');
    const inflated = new Uint8Array(
      IDL.encode([ProposalSummaryType], [{ ...first.summary, builder_count: 12n }]),
    );
    const forged = {
      ...reply,
      summaries: reply.summaries.map((s) =>
        s.proposal_id === 130001n ? { ...s, summary: [inflated] as [Uint8Array] } : s,
      ),
    };
    const afterForgery = await verifyCertifiedSummaries(context, asked, forged);
    if (!afterForgery.ok) throw new Error(afterForgery.message);
    expect(afterForgery.value.summaries.get(130001n)).toMatchObject({
      status: 'failed',
      code: 'WITNESS_MISMATCH',
    });
    expect(afterForgery.value.summaries.get(130000n)?.status).toBe('verified');

    // Withholding a summary the witness shows, or leaving an id out, fails too.
    const withheld = {
      ...reply,
      summaries: reply.summaries
        .filter((s) => s.proposal_id !== 130002n)
        .map((s) => (s.proposal_id === 130000n ? { ...s, summary: [] as [] } : s)),
    };
    const afterWithholding = await verifyCertifiedSummaries(context, asked, withheld);
    if (!afterWithholding.ok) throw new Error(afterWithholding.message);
    expect(afterWithholding.value.summaries.get(130000n)?.status).toBe('failed');
    expect(afterWithholding.value.summaries.get(130002n)?.status).toBe('failed');

    // Without a certificate (an update call) nothing is believed.
    expect(
      await verifyCertifiedSummaries(context, asked, { ...reply, certificate: [] }),
    ).toMatchObject({ ok: false, code: 'CERTIFICATE_INVALID' });
  });

  it('answers a page of 25 within its instruction budget, at most 100 ids', async () => {
    // Instruction counts need the instrumented host (IC cost model).
    const host = await IcHost.create({ instrumented: true, log: () => {} });
    const { registry } = await startWithGovernance({ host, confirmed: POPULATION_PROPOSALS });
    await registry.settle();
    const page = Array.from({ length: 25 }, (_, i) => 130000n + BigInt(i));
    await certifiedQuery<T.CertifiedSummaries>(registry, 'get_certified_summaries', [page]);
    expect(registry.lastInstructions).toBeGreaterThan(0n);
    console.log(`get_certified_summaries, 25 ids: ${registry.lastInstructions} instructions`);
    expect(registry.lastInstructions).toBeLessThanOrEqual(BATCH_BUDGET);
    const many = Array.from({ length: 150 }, (_, i) => BigInt(i + 1));
    const reply = await certifiedQuery<T.CertifiedSummaries>(registry, 'get_certified_summaries', [
      many,
    ]);
    expect(reply.summaries).toHaveLength(100);
  });
});
