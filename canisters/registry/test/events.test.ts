/**
 * The event stream in the real wasm: submissions and reads from governance (including the
 * timer that confirms a proposal and counts what was held) add events; the feeds serve them;
 * an upgrade keeps them (stable memory) and the numbering goes on.
 */
import { describe, expect, it } from 'vitest';

import type * as T from '@repro-registry/client';
import { artifact, hashOf, predicate, sign, testBuilder } from './builders';
import { proposal, putProposals, startWithGovernance } from './governance-standin';
import { okOf } from './harness';

const CONFIRMED = 140001n;
const LATER = 140002n;
const OTHER = hashOf('events: another image');

const MACHINES = [
  { osName: 'Ubuntu', virtualization: 'bare_metal', containerRuntimeName: 'podman' },
  { osName: 'Fedora', virtualization: 'kvm', containerRuntimeName: 'docker' },
] as const;

interface Page {
  events: { seq: string; type: string; proposalId: string; builders: number }[];
  next: string;
  latest: string;
}

describe('event stream (real wasm)', () => {
  it('derives events on submit and sync, serves them, and keeps them across an upgrade', async () => {
    const { registry, host, governance } = await startWithGovernance({ confirmed: [CONFIRMED] });
    const submitOther = async (proposalId: bigint, i: number) => {
      const builder = testBuilder(`events-wasm-${proposalId}-${i}`);
      const base = predicate();
      const envelope = sign(
        builder,
        predicate({
          proposalId: proposalId.toString(),
          artifacts: [artifact({ kind: 'guestos', sha256: OTHER })],
          environment: { ...base.environment, ...MACHINES[i] },
        }),
      );
      okOf(
        await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
      );
    };
    const events = async (since = '') =>
      JSON.parse((await registry.http(`/api/v1/events?since=${since}`)).body) as Page;

    // sync_proposal (in startWithGovernance) saw the proposal; two builders on two kinds of
    // machine then agree on another hash.
    await submitOther(CONFIRMED, 0);
    await submitOther(CONFIRMED, 1);
    expect((await events()).events.map((e) => e.type)).toEqual([
      'proposal_seen',
      'first_attestation',
      'first_mismatch',
      'red_alert',
    ]);

    // Attestations for a proposal the registry has not read are held; the read (a timer) and
    // the walk that counts them tell the same story.
    await putProposals(host, governance, [proposal(LATER)]);
    await submitOther(LATER, 0);
    await submitOther(LATER, 1);
    await registry.settle(6);
    const later = await events('4');
    expect(later.events.map((e) => [e.proposalId, e.type])).toEqual([
      [LATER.toString(), 'proposal_seen'],
      [LATER.toString(), 'first_attestation'],
      [LATER.toString(), 'first_mismatch'],
      [LATER.toString(), 'red_alert'],
    ]);
    expect(later.events.at(-1)?.builders).toBe(2);

    const feed = await registry.http('/feed.atom');
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(feed.body).toContain(
      `<id>urn:repro-registry:${registry.canisterId.toText()}:event:8</id>`,
    );
    const perProposal = await registry.http(`/proposals/${CONFIRMED}/feed.atom`);
    const before = {
      all: await events(),
      feed: feed.body,
      perProposal: perProposal.body,
    };

    await registry.upgrade();
    expect(await events()).toEqual(before.all);
    expect((await registry.http('/feed.atom')).body).toBe(before.feed);
    expect((await registry.http(`/proposals/${CONFIRMED}/feed.atom`)).body).toBe(
      before.perProposal,
    );
    // The numbering continues after the upgrade.
    await putProposals(host, governance, [proposal(140003n)]);
    okOf(await registry.call('sync_proposal', [140003n]));
    expect((await events('8')).events).toMatchObject([{ seq: '9', type: 'proposal_seen' }]);
  });
});
