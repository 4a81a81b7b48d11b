import { Principal } from '@dfinity/principal';
import { MemoryNodeStore } from '@repro-registry/certification';
import { LABELS, decodeLeaf, u64Label, type LogEvent } from '@repro-registry/transparency-log';
import { utf8Encode } from '@repro-registry/attestation';
import { describe, expect, it } from 'vitest';

import { predicate, testBuilder } from '../../test/builders';
import { T0, accepted, confirm, newRegistry, submit } from '../../test/core-support';
import type { Registry } from '../core/registry';
import { u64FromKey, u64Key } from '../core/tables';
import { attestationIndexSource } from './attestation-index';
import { CertifiedState, type RegistrySource } from './certified-state';

/** The registry as the certified state reads it; summaries as a marker (Candid is the wasm's). */
function sourceOf(r: Registry): RegistrySource {
  return {
    attestation: (id) => r.tables.attestations.get(u64Key(id)),
    envelope: (id) => r.tables.envelopes.get(u64Key(id)),
    proposal: (id) => r.proposal(id),
    summaryMessage: (id) => {
      const s = r.summary(id);
      return s.ok ? utf8Encode(`summary ${id} of ${s.value.record.attestationCount}`) : null;
    },
    attestationCount: () => r.stats().attestations,
    proposalIds: () =>
      r.tables.proposals.keys(0, r.tables.proposals.len()).map((k) => u64FromKey(k)),
    confirmedProposalCount: () => r.stats().proposals,
    ...attestationIndexSource(r),
  };
}

const CONTROLLER = {
  principal: Principal.fromText('rwlgt-iiaaa-aaaaa-aaaaa-cai'),
  isController: true,
};

/** A registry holding data from before the log: a superseded and a hidden attestation. */
function populated(): Registry {
  const r = newRegistry();
  confirm(r, 130000n);
  const a = testBuilder('a');
  const b = testBuilder('b');
  accepted(submit(r, a, predicate({ proposalId: '130000' })));
  accepted(submit(r, b, predicate({ proposalId: '130000' })));
  accepted(submit(r, a, predicate({ proposalId: '130000', note: 'again' }), T0 + 5n));
  const hidden = r.hide({ caller: CONTROLLER, attestationId: 2n, reason: 'spam', now: T0 + 9n });
  expect(hidden.ok).toBe(true);
  return r;
}

function leaves(state: CertifiedState): LogEvent[] {
  return Array.from({ length: state.log.size }, (_, i) => {
    const event = decodeLeaf(state.log.leaf(i)!);
    if (!event.ok) throw new Error(event.message);
    return event.value;
  });
}

describe('CertifiedState', () => {
  it('gives data stored before the log its leaves, in id order, deterministically', () => {
    const r = populated();
    const run = () => {
      const state = new CertifiedState(new MemoryNodeStore(), new MemoryNodeStore());
      state.startBackfill(sourceOf(r));
      expect(state.hasWork()).toBe(true);
      const root = state.certify(sourceOf(r));
      expect(state.hasWork()).toBe(false);
      return { state, root };
    };
    const first = run();
    expect(
      leaves(first.state).map((e) => [e.event, 'attestation' in e ? e.attestation : e.proposal]),
    ).toEqual([
      ['proposal_read', '130000'],
      ['attestation_accepted', '1'],
      ['attestation_superseded', '1'],
      ['attestation_accepted', '2'],
      ['attestation_hidden', '2'],
      ['attestation_accepted', '3'],
    ]);
    expect(leaves(first.state)[2]).toMatchObject({ by: '3', at: (T0 + 5n).toString() });
    expect(leaves(first.state)[4]).toMatchObject({ reason: 'spam', at: (T0 + 9n).toString() });
    // The same data gives the same log and the same certified root.
    const second = run();
    expect(second.root).toEqual(first.root);
    expect(second.state.log.root()).toEqual(first.state.log.root());
    // Certified: the log head, each attestation's record and the proposal's summary.
    expect(first.state.certifiedHead().size).toBe(6);
    // The head readers are given is the one in the certified tree.
    expect(first.state.tree.get([LABELS.log, LABELS.size])).toEqual(u64Label(6));
    expect(first.state.tree.get([LABELS.log, LABELS.root])).toEqual(
      first.state.certifiedHead().root,
    );
    expect(first.state.certifiedSummary(130000n)).toEqual(utf8Encode('summary 130000 of 3'));
    expect(first.state.envelopeDigest(3n)).toHaveLength(32);
  });

  it('logs noted events in order in the next certification, and only once', () => {
    const r = populated();
    const state = new CertifiedState(new MemoryNodeStore(), new MemoryNodeStore());
    state.startBackfill(sourceOf(r));
    state.certify(sourceOf(r));
    const rootBefore = state.tree.rootHash();
    const c = testBuilder('c');
    const receipt = accepted(submit(r, c, predicate({ proposalId: '130000' }), T0 + 20n));
    state.noteAccepted({ attestationId: receipt.attestationId, supersedes: null, at: T0 + 20n });
    state.noteUnhidden({ attestationId: 2n, by: CONTROLLER.principal.toText(), at: T0 + 21n });
    // Nothing is logged or certified until the certification message.
    expect(state.log.size).toBe(6);
    expect(state.tree.rootHash()).toEqual(rootBefore);
    state.certify(sourceOf(r));
    expect(
      leaves(state)
        .slice(6)
        .map((e) => e.event),
    ).toEqual(['attestation_accepted', 'attestation_unhidden']);
    expect(state.certifiedSummary(130000n)).toEqual(utf8Encode('summary 130000 of 4'));
    state.certify(sourceOf(r));
    expect(state.log.size).toBe(8);
    // A backfill never runs over a log that has leaves.
    state.startBackfill(sourceOf(r));
    expect(state.hasWork()).toBe(false);
  });

  it('logs governance data only when it changes', () => {
    const r = newRegistry();
    confirm(r, 130000n);
    const state = new CertifiedState(new MemoryNodeStore(), new MemoryNodeStore());
    state.certify(sourceOf(r));
    state.noteProposalRead({ proposal: r.proposal(130000n), at: T0 });
    state.noteProposalRead({ proposal: r.proposal(130000n), at: T0 + 1n });
    confirm(r, 130000n, { status: 'adopted', decidedAt: T0.toString() });
    state.noteProposalRead({ proposal: r.proposal(130000n), at: T0 + 2n });
    state.certify(sourceOf(r));
    expect(leaves(state).map((e) => (e.event === 'proposal_read' ? e.status : e.event))).toEqual([
      'open',
      'adopted',
    ]);
  });

  it('certifies in several messages when one cannot do all', () => {
    const r = populated();
    const state = new CertifiedState(new MemoryNodeStore(), new MemoryNodeStore());
    state.startBackfill(sourceOf(r));
    let steps = 0;
    let messages = 0;
    while (state.hasWork()) {
      let budget = 2;
      state.certify(sourceOf(r), () => budget-- > 0);
      messages++;
      steps++;
      if (steps > 10) throw new Error('no progress');
    }
    expect(messages).toBeGreaterThan(1);
    const whole = new CertifiedState(new MemoryNodeStore(), new MemoryNodeStore());
    whole.startBackfill(sourceOf(r));
    whole.certify(sourceOf(r));
    expect(state.tree.rootHash()).toEqual(whole.tree.rootHash());
  });

  it('does not log twice what happened while a backfill was pending', () => {
    const r = populated();
    const state = new CertifiedState(new MemoryNodeStore(), new MemoryNodeStore());
    state.startBackfill(sourceOf(r));
    // An update between the upgrade and the first certification: attestation 3 is hidden.
    expect(
      r.hide({ caller: CONTROLLER, attestationId: 3n, reason: 'late', now: T0 + 30n }).ok,
    ).toBe(true);
    state.noteHidden({
      attestationId: 3n,
      reason: 'late',
      by: CONTROLLER.principal.toText(),
      at: T0 + 30n,
    });
    state.certify(sourceOf(r));
    const hides = leaves(state).filter((e) => e.event === 'attestation_hidden');
    expect(hides.map((e) => ('attestation' in e ? e.attestation : ''))).toEqual(['2', '3']);
  });
});
