/**
 * Proofs of the ordinary reads on the real registry wasm: `get_proposal_summary`,
 * `get_consensus`, `list_proposals`, `list_attestations`, `get_attestation` and `get_builder`
 * answer with a certificate and a witness of exactly what they return, which the client's
 * verifiers accept, and refuse as soon as one returned value is altered.
 */
import { Principal } from '@dfinity/principal';
import {
  verifyAttestationPage,
  verifyAttestations,
  verifyAttestationsEach,
  verifySummaries,
} from '@repro-registry/client';
import type * as T from '@repro-registry/client';
import { describe, expect, it } from 'vitest';

import { RootKey } from '../../../packages/certification/test/certificate';
import { certifiedQuery, rootKey } from './certified-support';
import { POPULATION_PROPOSALS, populationEnvelope } from './data';
import { startWithGovernance } from './governance-standin';
import { testBuilder } from './builders';
import { okOf, type RegistryUnderTest } from './harness';

const refused = (code: string) => ({ ok: false, code });

async function submit(registry: RegistryUnderTest, i: number): Promise<void> {
  const { builder, envelope } = populationEnvelope(i);
  okOf(await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal));
}

const pageOf = (registry: RegistryUnderTest, proposal = 130000n) =>
  certifiedQuery<{ Ok: T.AttestationPage }>(registry, 'list_attestations', [
    { proposal_id: proposal, verdict: [], cursor: [], limit: [], proof: [] },
  ]).then(okOf);

describe('proofs of the ordinary reads (real wasm)', () => {
  it(
    'every read carries a witness of what it returns; an altered value fails verification',
    { timeout: 300_000 },
    async () => {
      const { registry } = await startWithGovernance({
        confirmed: POPULATION_PROPOSALS.slice(0, 2),
      });
      // Six attestations, three on each of 130000 and 130001.
      for (const i of [0, 1, 10, 11, 20, 21]) await submit(registry, i);
      await registry.settle();
      const context = { canisterId: registry.canisterId, rootKey: rootKey.der };

      // list_attestations: one proof for the page, none per item.
      const page = await pageOf(registry);
      expect(page.attestations.map((a) => a.id)).toEqual([5n, 3n, 1n]);
      expect(page.attestations.every((a) => a.certified.length === 0)).toBe(true);
      const verified = await verifyAttestations(
        context,
        page.attestations,
        page.certified,
        130000n,
      );
      expect(verified.ok).toBe(true);
      if (!verified.ok) return;
      expect(verified.value.head.size).toBeGreaterThan(0);

      const [first, ...rest] = page.attestations;
      const alter = (over: Partial<T.Attestation>) =>
        verifyAttestations(context, [{ ...first, ...over }, ...rest], page.certified, 130000n);
      const envelope = first.envelope.slice();
      envelope[envelope.length - 3] ^= 1;
      expect(await alter({ envelope })).toMatchObject(refused('WITNESS_MISMATCH'));
      expect(await alter({ superseded_by: [9n] })).toMatchObject(refused('WITNESS_MISMATCH'));
      expect(await alter({ submitted_at: first.submitted_at + 1n })).toMatchObject(
        refused('WITNESS_MISMATCH'),
      );
      expect(await alter({ builder: Principal.fromText('aaaaa-aa') })).toMatchObject(
        refused('WITNESS_MISMATCH'),
      );
      expect(
        await alter({
          hidden: [{ reason: 'spam', at: 1n, by: Principal.fromText('aaaaa-aa') }],
        }),
      ).toMatchObject(refused('WITNESS_MISMATCH'));
      // Item by item: the altered one fails alone, the others stay verified.
      const each = await verifyAttestationsEach(
        context,
        [{ ...first, superseded_by: [9n] }, ...rest],
        page.certified,
        130000n,
      );
      if (!each.ok) throw new Error(each.message);
      expect([...each.value.outcomes.values()].map((o) => o.status)).toEqual([
        'failed',
        'verified',
        'verified',
      ]);
      // An attestation of another proposal passed off as this one's.
      const other = await pageOf(registry, 130001n);
      expect(
        await verifyAttestations(context, other.attestations, page.certified, 130000n),
      ).toMatchObject(refused('WITNESS_MISMATCH'));
      expect(
        await verifyAttestations(context, page.attestations, other.certified, 130000n),
      ).toMatchObject(refused('WITNESS_MISMATCH'));
      // No proof, another root key, a witness of other data.
      expect(await verifyAttestations(context, page.attestations, [], 130000n)).toMatchObject(
        refused('CERTIFICATE_INVALID'),
      );
      expect(
        await verifyAttestations(
          { ...context, rootKey: RootKey.generate().der },
          page.attestations,
          page.certified,
          130000n,
        ),
      ).toMatchObject(refused('CERTIFICATE_INVALID'));

      // get_attestation: its own proof; the proposal is read from the signed statement.
      const one = okOf(
        await certifiedQuery<{ Ok: T.Attestation }>(registry, 'get_attestation', [1n]),
      );
      expect((await verifyAttestations(context, [one], one.certified)).ok).toBe(true);
      expect(
        await verifyAttestations(context, [{ ...one, superseded_by: [5n] }], one.certified),
      ).toMatchObject(refused('WITNESS_MISMATCH'));

      // get_builder: the page of the builder's attestations (across proposals).
      const builder = populationEnvelope(0).builder.principal;
      const builderPage = okOf(
        await certifiedQuery<{ Ok: T.BuilderPage }>(registry, 'get_builder', [
          { builder, cursor: [], limit: [] },
        ]),
      );
      expect(builderPage.attestations.attestations.map((a) => a.id)).toEqual([1n]);
      expect(
        (
          await verifyAttestations(
            context,
            builderPage.attestations.attestations,
            builderPage.attestations.certified,
          )
        ).ok,
      ).toBe(true);

      // Summaries: get_proposal_summary, get_consensus over everyone, list_proposals.
      const summary = okOf(
        await certifiedQuery<{ Ok: T.ProposalSummary }>(registry, 'get_proposal_summary', [
          130000n,
        ]),
      );
      expect((await verifySummaries(context, [summary], summary.certified)).ok).toBe(true);
      expect(
        await verifySummaries(
          context,
          [{ ...summary, builder_count: summary.builder_count + 10n }],
          summary.certified,
        ),
      ).toMatchObject(refused('WITNESS_MISMATCH'));
      const consensus = okOf(
        await certifiedQuery<{ Ok: T.ProposalSummary }>(registry, 'get_consensus', [
          { proposal_id: 130001n, trust_list: [] },
        ]),
      );
      expect((await verifySummaries(context, [consensus], consensus.certified)).ok).toBe(true);
      // One proposal's proof does not cover another.
      expect(await verifySummaries(context, [consensus], summary.certified)).toMatchObject(
        refused('WITNESS_MISMATCH'),
      );
      const proposals = await certifiedQuery<T.ProposalPage>(registry, 'list_proposals', [
        { cursor: [], limit: [], trust_list: [] },
      ]);
      expect(proposals.proposals).toHaveLength(2);
      expect(proposals.proposals.every((p) => p.certified.length === 0)).toBe(true);
      expect((await verifySummaries(context, proposals.proposals, proposals.certified)).ok).toBe(
        true,
      );
      const inflated = proposals.proposals.map((p, i) =>
        i === 1 ? { ...p, totals: { ...p.totals, match: p.totals.match + 12n } } : p,
      );
      expect(await verifySummaries(context, inflated, proposals.certified)).toMatchObject(
        refused('WITNESS_MISMATCH'),
      );

      // A trust list's consensus is certified too (`scoped/<list>/<id>`; more in
      // certified-scopes.test.ts).
      const list = okOf(
        await registry.call<{ Ok: T.TrustList }>(
          'publish_trust_list',
          [{ id: [], name: 'Reviewers', description: '', members: [builder] }],
          testBuilder('list-owner').principal,
        ),
      ).id;
      await registry.settle();
      const scoped = okOf(
        await certifiedQuery<{ Ok: T.ProposalSummary }>(registry, 'get_consensus', [
          { proposal_id: 130000n, trust_list: [list] },
        ]),
      );
      expect(scoped.scope.trust_list[0]?.id).toBe(list);
      expect((await verifySummaries(context, [scoped], scoped.certified, list)).ok).toBe(true);
      // Everyone's certified summary is no answer for the list, nor the reverse.
      expect(await verifySummaries(context, [consensus], scoped.certified, list)).toMatchObject(
        refused('WITNESS_MISMATCH'),
      );
      expect(await verifySummaries(context, [scoped], scoped.certified, null)).toMatchObject(
        refused('WITNESS_MISMATCH'),
      );
      const scopedPage = await certifiedQuery<T.ProposalPage>(registry, 'list_proposals', [
        { cursor: [], limit: [], trust_list: [list] },
      ]);
      expect(
        (await verifySummaries(context, scopedPage.proposals, scopedPage.certified, list)).ok,
      ).toBe(true);

      // Updates carry no certificate, so no proof.
      const hidden = okOf(
        await registry.call<{ Ok: T.Attestation }>('hide_attestation', [
          { attestation_id: 3n, reason: 'test' },
        ]),
      );
      expect(hidden.certified).toEqual([]);
      // Until the certification message runs, the page's witness still holds the record before
      // the update: the reader sees a mismatch (and reads again); after it, the page verifies.
      const lagging = await pageOf(registry);
      expect(
        await verifyAttestations(context, lagging.attestations, lagging.certified, 130000n),
      ).toMatchObject(refused('WITNESS_MISMATCH'));
      await registry.settle();
      const caughtUp = await pageOf(registry);
      expect(caughtUp.attestations.find((a) => a.id === 3n)?.hidden).toHaveLength(1);
      expect(
        (await verifyAttestations(context, caughtUp.attestations, caughtUp.certified, 130000n)).ok,
      ).toBe(true);
    },
  );

  it(
    'a page of a proposal’s attestations is proven complete: nothing left out, total and cursor certified',
    { timeout: 300_000 },
    async () => {
      const { registry } = await startWithGovernance({
        confirmed: POPULATION_PROPOSALS.slice(0, 2),
      });
      // Four attestations on 130000 (ids 1, 3, 5, 7), three on 130001.
      for (const i of [0, 1, 10, 11, 20, 21, 30]) await submit(registry, i);
      await registry.settle();
      const context = { canisterId: registry.canisterId, rootKey: rootKey.der };
      const page = (args: { proposal?: bigint; cursor?: bigint; limit?: number } = {}) =>
        certifiedQuery<{ Ok: T.AttestationPage }>(registry, 'list_attestations', [
          {
            proposal_id: args.proposal ?? 130000n,
            verdict: [],
            cursor: args.cursor === undefined ? [] : [args.cursor],
            limit: args.limit === undefined ? [] : [args.limit],
            proof: [],
          },
        ]).then(okOf);
      const check = (p: T.AttestationPage, asked: { cursor?: bigint } = {}) =>
        verifyAttestationPage(context, p, { proposalId: 130000n, ...asked });

      const whole = await page();
      expect(whole.attestations.map((a) => a.id)).toEqual([7n, 5n, 3n, 1n]);
      expect(whole.total).toBe(4n);
      expect((await check(whole)).ok).toBe(true);
      // Paged: two, then from the cursor the rest.
      const first = await page({ limit: 2 });
      expect(first.next_cursor).toEqual([2n]);
      expect((await check(first)).ok).toBe(true);
      const second = await page({ cursor: 2n, limit: 2 });
      expect(second.attestations.map((a) => a.id)).toEqual([3n, 1n]);
      expect((await check(second, { cursor: 2n })).ok).toBe(true);

      // A lying node: one attestation left out, with or without the total lowered.
      const [a, b, ...rest] = whole.attestations;
      const without = { ...whole, attestations: [a, ...rest] };
      expect(await check(without)).toMatchObject(refused('WITNESS_MISMATCH'));
      expect(await check({ ...without, total: 3n })).toMatchObject(refused('WITNESS_MISMATCH'));
      // The first page ends early while claiming to be the last, or skips ahead by its cursor.
      expect(await check({ ...first, next_cursor: [] })).toMatchObject(refused('WITNESS_MISMATCH'));
      expect(await check({ ...first, next_cursor: [1n] })).toMatchObject(
        refused('WITNESS_MISMATCH'),
      );
      // The last item dropped and the cursor set where it would continue: caught by the cursor.
      expect(
        await check({ ...whole, attestations: [a, b, rest[0]], next_cursor: [] }),
      ).toMatchObject(refused('WITNESS_MISMATCH'));
      // Reordered, or the page of the other proposal (its own proof included) given instead.
      expect(await check({ ...whole, attestations: [b, a, ...rest] })).toMatchObject(
        refused('WITNESS_MISMATCH'),
      );
      expect(await check(await page({ proposal: 130001n }))).toMatchObject(
        refused('WITNESS_MISMATCH'),
      );
      // An empty page that claims more follows (a reader would page forever).
      expect(await check({ ...whole, attestations: [], next_cursor: [4n] })).toMatchObject(
        refused('WITNESS_MISMATCH'),
      );

      // A new attestation: the count and its position are certified in the next message.
      await submit(registry, 40);
      expect(await check(await page())).toMatchObject(refused('WITNESS_MISMATCH'));
      await registry.settle();
      const grown = await page();
      expect(grown.total).toBe(5n);
      expect((await check(grown)).ok).toBe(true);
    },
  );
});
