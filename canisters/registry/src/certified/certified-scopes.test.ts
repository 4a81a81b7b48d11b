/**
 * Trust lists and scoped summaries in the certified tree, on the real core registry (memory
 * tables) with the canister's own source (`scopeSourceOf`: Candid summaries as the wasm encodes
 * them): entries are the hashes readers recompute, maintained incrementally as lists and
 * attestations change, equal to what a first certification (the upgrade's backfill) computes
 * from the same data, and held back while the trust-list queue has uncounted changes.
 */
import { sha256 } from '@repro-registry/attestation';
import {
  MemoryNodeStore,
  lookupSubtree,
  pathRequestOf,
  reconstruct,
} from '@repro-registry/certification';
import * as C from '@repro-registry/registry-api';
import { LABELS, trustListStatusBytes, u64Label } from '@repro-registry/transparency-log';
import { describe, expect, it } from 'vitest';

import { predicate, testBuilder } from '../../test/builders';
import {
  T0,
  accepted,
  certifiedSourceOf,
  confirm,
  newRegistry,
  submit,
} from '../../test/core-support';
import type { Registry } from '../core/registry';
import { candidSummary } from '../replies';
import { encodeReply } from '../reply-encoder';
import { CertifiedState } from './certified-state';
import { scopeSourceOf } from './scope-source';

const P1 = 130000n;
const P2 = 130001n;
const owner = testBuilder('owner').principal;
const [a, b, c] = ['a', 'b', 'c'].map((s) => testBuilder(s));

const sourceOf = certifiedSourceOf;

/** A certified state as the canister wires it: notes after updates, upkeep, certification. */
function wired(r: Registry) {
  const state = new CertifiedState(new MemoryNodeStore(), new MemoryNodeStore(), scopeSourceOf(r));
  return {
    state,
    publish(args: { id?: bigint; name: string; members: (typeof owner)[] }): bigint {
      const published = r.publishTrustList({
        caller: owner,
        id: args.id ?? null,
        name: args.name,
        description: 'reviewers',
        members: args.members,
        now: T0,
      });
      if (!published.ok) throw new Error(published.error.message);
      const { list, version } = published.value;
      state.scopes?.note({ published: { id: BigInt(list.id), version: version.version } });
      return BigInt(list.id);
    },
    submit(builder: typeof a, proposalId: bigint): void {
      const receipt = accepted(
        submit(r, builder, predicate({ proposalId: proposalId.toString() })),
      );
      state.noteAccepted({ attestationId: receipt.attestationId, supersedes: null, at: T0 });
    },
    upkeep(): void {
      for (let i = 0; i < 100; i++) {
        const counted = { proposals: new Set<bigint>(), lists: new Set<bigint>() };
        const more = r.processTrustListWork(undefined, {
          proposal: (id) => counted.proposals.add(id),
          list: (id) => counted.lists.add(id),
        });
        state.scopes?.note(counted);
        if (!more) break;
      }
    },
    certify(): void {
      state.certify(sourceOf(r));
    },
  };
}

const scopedPath = (list: bigint, proposal: bigint) => [
  LABELS.scoped,
  u64Label(list),
  u64Label(proposal),
];

function scopedMessage(r: Registry, list: bigint, proposal: bigint): Uint8Array {
  const view = r.summary({ proposalId: proposal, trustList: list });
  if (!view.ok) throw new Error(view.error.message);
  return encodeReply(C.CertifiedSummaryShape, candidSummary(view.value));
}

/** The digest of a top-level subtree (`scoped`, `trust_list`) of a certified state. */
function subtreeDigest(state: CertifiedState, label: string): string {
  const found = lookupSubtree(state.witness(pathRequestOf([[label]])), [label]);
  if (found.status !== 'found') return found.status;
  return Buffer.from(reconstruct(found.tree)).toString('hex');
}

describe('certified trust lists and scoped summaries', () => {
  it('certifies each list and each scoped summary as readers hash them, incrementally', () => {
    const r = newRegistry();
    confirm(r, P1);
    confirm(r, P2);
    const w = wired(r);
    w.submit(a, P1);
    w.submit(b, P1);
    w.submit(c, P2);
    const reviewers = w.publish({ name: 'Reviewers', members: [a.principal, c.principal] });
    const solo = w.publish({ name: 'Solo', members: [b.principal] });
    w.upkeep();
    w.certify();

    const tree = w.state.tree;
    for (const list of [reviewers, solo]) {
      for (const p of [P1, P2]) {
        expect(tree.get(scopedPath(list, p))).toEqual(sha256(scopedMessage(r, list, p)));
      }
    }
    const view = r.getTrustList({ id: reviewers });
    if (!view.ok) throw new Error('no list');
    expect(tree.get([LABELS.trustList, u64Label(reviewers), LABELS.status])).toEqual(
      sha256(trustListStatusBytes({ counted_version: 1, counting: false })),
    );
    const scoped = r.summary({ proposalId: P1, trustList: reviewers });
    expect(scoped.ok && scoped.value.builderCount).toBe(1);
    expect(scoped.ok && scoped.value.scope.upToDate).toBe(true);

    // A member's new attestation: the queue holds it, so the scoped summaries wait for it
    // (they would say up_to_date = false and stay so once it is counted).
    const before = tree.get(scopedPath(reviewers, P2));
    w.submit(a, P2);
    w.certify();
    expect(tree.get(scopedPath(reviewers, P2))).toEqual(before);
    expect(w.state.hasWork()).toBe(false); // nothing to do until the queue is counted
    w.upkeep();
    expect(w.state.hasWork()).toBe(true);
    w.certify();
    expect(tree.get(scopedPath(reviewers, P2))).toEqual(sha256(scopedMessage(r, reviewers, P2)));
    expect(tree.get(scopedPath(reviewers, P2))).not.toEqual(before);
    expect(tree.get(scopedPath(solo, P2))).toEqual(sha256(scopedMessage(r, solo, P2)));

    // A new version: counted in messages of its own; certified as counting, then as counted.
    w.publish({ id: solo, name: 'Solo', members: [b.principal, c.principal] });
    w.certify();
    expect(tree.get([LABELS.trustList, u64Label(solo), LABELS.status])).toEqual(
      sha256(trustListStatusBytes({ counted_version: 1, counting: true })),
    );
    const counting = r.summary({ proposalId: P2, trustList: solo });
    expect(counting.ok && counting.value.scope.upToDate).toBe(false);
    expect(tree.get(scopedPath(solo, P2))).toEqual(sha256(scopedMessage(r, solo, P2)));
    w.upkeep();
    w.certify();
    expect(tree.get([LABELS.trustList, u64Label(solo), LABELS.status])).toEqual(
      sha256(trustListStatusBytes({ counted_version: 2, counting: false })),
    );
    expect(tree.get(scopedPath(solo, P2))).toEqual(sha256(scopedMessage(r, solo, P2)));
    expect(tree.get([LABELS.trustList, u64Label(solo), u64Label(2), LABELS.record])).toBeDefined();
    expect(tree.get([LABELS.trustList, u64Label(solo), u64Label(1), LABELS.record])).toBeDefined();

    // A first certification of the same data (the upgrade that brings this code to lists
    // published before) computes the same entries, whichever way they were reached.
    const fresh = new CertifiedState(
      new MemoryNodeStore(),
      new MemoryNodeStore(),
      scopeSourceOf(r),
    );
    fresh.certify(sourceOf(r));
    expect(fresh.hasWork()).toBe(false);
    for (const label of [LABELS.scoped, LABELS.trustList]) {
      expect(subtreeDigest(fresh, label)).toBe(subtreeDigest(w.state, label));
      expect(subtreeDigest(fresh, label)).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('spreads a large recertification over messages (the budget is checked between steps)', () => {
    const r = newRegistry();
    for (let i = 0n; i < 50n; i++) confirm(r, P1 + i);
    const w = wired(r);
    const list = w.publish({ name: 'Reviewers', members: [a.principal] });
    w.upkeep();
    let steps = 0;
    const oneStep = () => steps++ < 1;
    w.state.certify(sourceOf(r), oneStep);
    expect(w.state.hasWork()).toBe(true);
    // The attestation index's sweep (one step per proposal) shares the budget and goes first.
    for (let i = 0; i < 200 && w.state.hasWork(); i++) {
      steps = 0;
      w.state.certify(sourceOf(r), oneStep);
    }
    expect(w.state.hasWork()).toBe(false);
    for (let i = 0n; i < 50n; i++) {
      expect(w.state.tree.get(scopedPath(list, P1 + i))).toEqual(
        sha256(scopedMessage(r, list, P1 + i)),
      );
    }
  });
});
