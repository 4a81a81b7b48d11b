/**
 * Trust lists and summaries counted over a trust list, certified on the real registry wasm:
 * `get_consensus`/`list_proposals` with a trust list, `get_trust_list` and `list_trust_lists`
 * answer with a witness of `scoped/<list>/<id>` and `trust_list/<id>/...` that the client's
 * verifiers accept, and refuse an inflated scoped summary, another scope's summary, altered
 * members and an old version passed off as the newest. And what it costs (instrumented host):
 * a submission stays within its budget, the certification after it stays a bounded message.
 */
import { Principal } from '@dfinity/principal';
import { verifySummaries, verifySummariesEach, verifyTrustLists } from '@repro-registry/client';
import type * as T from '@repro-registry/client';
import { describe, expect, it } from 'vitest';

import { testBuilder } from './builders';
import { certifiedQuery, recordingHost, rootKey } from './certified-support';
import { POPULATION_PROPOSALS, populationEnvelope } from './data';
import { startWithGovernance } from './governance-standin';
import { okOf, type RegistryUnderTest } from './harness';

const refused = (code: string) => ({ ok: false, code });
const SUBMIT_BUDGET = 300_000_000n;
/** The messages after a submission (logging, trust-list upkeep, certification), each. */
const CERTIFICATION_MESSAGE_BUDGET = 2_000_000_000n;
const LISTS = 10;

async function submit(registry: RegistryUnderTest, i: number): Promise<bigint> {
  const { builder, envelope } = populationEnvelope(i);
  okOf(await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal));
  return registry.lastInstructions ?? 0n;
}

const member = (i: number) => populationEnvelope(i).builder.principal;

async function publish(
  registry: RegistryUnderTest,
  args: { id?: bigint; name: string; members: Principal[]; owner?: string },
): Promise<T.TrustList> {
  return okOf(
    await registry.call<{ Ok: T.TrustList }>(
      'publish_trust_list',
      [
        {
          id: args.id === undefined ? [] : [args.id],
          name: args.name,
          description: 'reviewers',
          members: args.members,
        },
      ],
      testBuilder(args.owner ?? `owner ${args.name}`).principal,
    ),
  );
}

const consensusOf = (registry: RegistryUnderTest, proposal: bigint, list: bigint) =>
  certifiedQuery<{ Ok: T.ProposalSummary }>(registry, 'get_consensus', [
    { proposal_id: proposal, trust_list: [list] },
  ]).then(okOf);

describe('certified trust lists and scoped summaries (real wasm)', () => {
  it(
    'proves what a trust list counts; forged scoped summaries and lists fail verification',
    { timeout: 600_000 },
    async () => {
      const { host, executions } = await recordingHost();
      const { registry } = await startWithGovernance({
        host,
        confirmed: POPULATION_PROPOSALS.slice(0, 3),
      });
      for (const i of [0, 1, 2, 10, 11, 20]) await submit(registry, i);
      // Lists published before further attestations: each holds builders 0 and 10 (130000).
      const lists: T.TrustList[] = [];
      for (let k = 0; k < LISTS; k++) {
        lists.push(
          await publish(registry, {
            name: `Review group ${k}`,
            members: [member(0), member(10), member(30 + k)],
          }),
        );
      }
      await registry.settle();
      const context = { canisterId: registry.canisterId, rootKey: rootKey.der };
      const [reviewers, other] = lists;

      // get_consensus over a trust list: proven at scoped/<list>/<id>.
      const scoped = await consensusOf(registry, 130000n, reviewers.id);
      expect(scoped.builder_count).toBe(2n);
      expect(scoped.scope.up_to_date).toBe(true);
      expect((await verifySummaries(context, [scoped], scoped.certified, reviewers.id)).ok).toBe(
        true,
      );
      // A node inflating the list's count ("12 builders on Review group 0").
      expect(
        await verifySummaries(
          context,
          [{ ...scoped, builder_count: 12n, totals: { ...scoped.totals, match: 12n } }],
          scoped.certified,
          reviewers.id,
        ),
      ).toMatchObject(refused('WITNESS_MISMATCH'));
      // Another list's certified summary, or everyone's, is no answer for this list.
      const others = await consensusOf(registry, 130000n, other.id);
      expect(
        await verifySummaries(context, [others], others.certified, reviewers.id),
      ).toMatchObject(refused('WITNESS_MISMATCH'));
      const everyone = okOf(
        await certifiedQuery<{ Ok: T.ProposalSummary }>(registry, 'get_proposal_summary', [
          130000n,
        ]),
      );
      expect(
        await verifySummaries(context, [everyone], everyone.certified, reviewers.id),
      ).toMatchObject(refused('WITNESS_MISMATCH'));
      // A scoped summary relabelled as another list's.
      const relabelled: T.ProposalSummary = {
        ...scoped,
        scope: {
          ...scoped.scope,
          trust_list: [{ ...scoped.scope.trust_list[0]!, id: other.id }],
        },
      };
      expect(
        await verifySummaries(context, [relabelled], scoped.certified, other.id),
      ).toMatchObject(refused('WITNESS_MISMATCH'));

      // list_proposals over a trust list: one proof; a forged item fails alone.
      const page = await certifiedQuery<T.ProposalPage>(registry, 'list_proposals', [
        { cursor: [], limit: [], trust_list: [reviewers.id] },
      ]);
      expect(page.proposals).toHaveLength(3);
      expect(
        (await verifySummaries(context, page.proposals, page.certified, reviewers.id)).ok,
      ).toBe(true);
      const each = await verifySummariesEach(
        context,
        page.proposals.map((p) =>
          p.proposal_id === 130000n ? { ...p, builder_count: p.builder_count + 5n } : p,
        ),
        page.certified,
        reviewers.id,
      );
      if (!each.ok) throw new Error(each.message);
      expect([...each.value.outcomes].map(([id, o]) => [id, o.status])).toEqual([
        [130002n, 'verified'],
        [130001n, 'verified'],
        [130000n, 'failed'],
      ]);

      // get_trust_list and list_trust_lists: versions, members, status, newest.
      const got = okOf(
        await certifiedQuery<{ Ok: T.TrustList }>(registry, 'get_trust_list', [
          { id: reviewers.id, version: [] },
        ]),
      );
      expect(got.counted_version).toBe(1);
      expect((await verifyTrustLists(context, [got], got.certified)).ok).toBe(true);
      const stranger = Principal.fromText('aaaaa-aa');
      for (const forged of [
        { ...got, members: [...got.members, stranger] },
        { ...got, name: 'Someone else' },
        { ...got, counted_version: 0 },
        { ...got, counting: true },
      ]) {
        expect(await verifyTrustLists(context, [forged], got.certified)).toMatchObject(
          refused('WITNESS_MISMATCH'),
        );
      }
      const listPage = await certifiedQuery<T.TrustListPage>(registry, 'list_trust_lists', [
        { cursor: [], limit: [] },
      ]);
      expect(listPage.trust_lists).toHaveLength(LISTS);
      expect((await verifyTrustLists(context, listPage.trust_lists, listPage.certified)).ok).toBe(
        true,
      );
      const [first, ...rest] = listPage.trust_lists;
      expect(
        await verifyTrustLists(
          context,
          [{ ...first, member_count: 1 }, ...rest],
          listPage.certified,
        ),
      ).toMatchObject(refused('WITNESS_MISMATCH'));

      // A new version: the old one can no longer pass as the newest; it stays provable.
      await publish(registry, {
        id: reviewers.id,
        name: reviewers.name,
        members: [member(0)],
        owner: `owner ${reviewers.name}`,
      });
      await registry.settle();
      const now = okOf(
        await certifiedQuery<{ Ok: T.TrustList }>(registry, 'get_trust_list', [
          { id: reviewers.id, version: [] },
        ]),
      );
      expect(now.version).toBe(2);
      expect(await verifyTrustLists(context, [got], now.certified)).toMatchObject(
        refused('WITNESS_MISMATCH'),
      );
      const old = okOf(
        await certifiedQuery<{ Ok: T.TrustList }>(registry, 'get_trust_list', [
          { id: reviewers.id, version: [1] },
        ]),
      );
      expect(old.latest_version).toBe(2);
      expect((await verifyTrustLists(context, [old], old.certified)).ok).toBe(true);
      const recounted = await consensusOf(registry, 130000n, reviewers.id);
      expect(recounted.builder_count).toBe(1n);
      expect(recounted.scope.trust_list[0]?.version).toBe(2);
      expect(
        (await verifySummaries(context, [recounted], recounted.certified, reviewers.id)).ok,
      ).toBe(true);

      // Cost: attestations on 130000 (a proposal every list counts); the submission stays within
      // its budget and each message after it (logging, trust-list upkeep, certification of the
      // proposal's summary over everyone and over each of the 10 lists) is bounded.
      const messages: bigint[] = [];
      const submits: bigint[] = [];
      for (const i of [30, 40, 50]) {
        submits.push(await submit(registry, i));
        executions.length = 0;
        await registry.settle();
        messages.push(
          ...executions
            .filter((e) => e.canisterId === registry.canisterId.toText())
            .map((e) => e.instructions),
        );
      }
      const max = (xs: bigint[]) => xs.reduce((a, b) => (a > b ? a : b), 0n);
      const total = messages.reduce((a, b) => a + b, 0n) / 3n;
      console.log(
        `scoped certification (${LISTS} lists): submit max ${max(submits)}, messages after a submit: max ${max(messages)}, total per submit ${total}`,
      );
      expect(max(submits)).toBeLessThanOrEqual(SUBMIT_BUDGET);
      expect(max(messages)).toBeLessThanOrEqual(CERTIFICATION_MESSAGE_BUDGET);
      const after = await consensusOf(registry, 130000n, lists[1].id);
      expect((await verifySummaries(context, [after], after.certified, lists[1].id)).ok).toBe(true);
    },
  );
});
