import { Principal } from '@dfinity/principal';
import { ErrorCode } from '@repro-registry/registry-api';
import { describe, expect, it } from 'vitest';

import {
  COMMIT,
  GUESTOS_HASH,
  artifact,
  hashOf,
  predicate,
  sign,
  testBuilder,
} from '../../test/builders';
import {
  MINUTE,
  PLENTY,
  T0,
  accepted,
  codeOf,
  confirm,
  newRegistry,
  onChain,
  submit,
} from '../../test/core-support';

const P = 134567n;

describe('submission to a confirmed proposal', () => {
  it('stores a verified attestation and counts it against the proposal’s hash', () => {
    const r = newRegistry();
    confirm(r, P);
    const alice = testBuilder('alice');
    const receipt = accepted(submit(r, alice));
    expect(receipt).toMatchObject({ attestationId: 1n, proposalId: P, duplicate: false });
    const summary = r.summary(P);
    if (!summary.ok) throw new Error(summary.error.code);
    expect(summary.value.builderCount).toBe(1);
    expect(summary.value.consensus.artifacts[0]).toMatchObject({
      kind: 'guestos',
      expectedSource: 'proposal',
      hashGroups: [
        { sha256: GUESTOS_HASH, builderCount: 1, matchesExpected: true, environmentClasses: 1 },
      ],
    });
    const view = r.attestation(receipt.attestationId);
    expect(view.ok && view.value).toMatchObject({
      held: false,
      rejection: null,
      environmentClass: 'ubuntu / bare_metal / podman',
    });
    expect(view.ok && view.value.effective[0]?.counted).toBe(true);
  });

  it('refuses the anonymous caller and a caller who did not sign', () => {
    const r = newRegistry();
    confirm(r, P);
    const alice = testBuilder('alice');
    const anonymous = submit(r, { principal: Principal.anonymous(), envelope: sign(alice) });
    expect(codeOf(anonymous)).toBe(ErrorCode.ANONYMOUS_CALLER);
    const stolen = submit(r, { principal: testBuilder('bob').principal, envelope: sign(alice) });
    expect(codeOf(stolen)).toBe(ErrorCode.CALLER_NOT_SIGNER);
    expect(r.stats().attestations).toBe(0n);
  });

  it('answers a resubmission of the same bytes with the stored receipt, even at the rate limit', () => {
    const r = newRegistry({ capacity: 1 });
    confirm(r, P);
    const alice = testBuilder('alice');
    const envelope = sign(alice);
    const first = accepted(submit(r, alice, envelope));
    // No token left: a new envelope is refused, the stored one is still answered.
    expect(codeOf(submit(r, alice, predicate({ note: 'again' })))).toBe(ErrorCode.RATE_LIMITED);
    const again = accepted(submit(r, alice, envelope, T0 + MINUTE));
    expect(again).toEqual({ ...first, duplicate: true });
    expect(
      r.inspectSubmit({
        caller: alice.principal,
        envelope,
        argBytes: envelope.length + 16,
        now: T0,
        cycles: PLENTY,
      }).ok,
    ).toBe(true);
    expect(r.stats().attestations).toBe(1n);
    // Someone else replaying the builder's envelope is not the builder.
    const mallory = testBuilder('mallory');
    expect(codeOf(submit(r, { principal: mallory.principal, envelope }))).toBe(
      ErrorCode.CALLER_NOT_SIGNER,
    );
  });

  it('takes a token for every submission that reaches verification, valid or not', () => {
    const r = newRegistry({ capacity: 3 });
    confirm(r, P);
    const mallory = testBuilder('mallory');
    const forged = sign(mallory);
    forged[forged.length - 10] ^= 1; // one signature character changed
    for (let i = 0; i < 3; i++)
      expect(codeOf(submit(r, mallory, forged))).not.toBe(ErrorCode.RATE_LIMITED);
    expect(codeOf(submit(r, mallory, forged))).toBe(ErrorCode.RATE_LIMITED);
    expect(codeOf(submit(r, mallory))).toBe(ErrorCode.RATE_LIMITED);
    expect(
      r.inspectSubmit({
        caller: mallory.principal,
        envelope: sign(mallory),
        argBytes: 100,
        now: T0,
        cycles: PLENTY,
      }).ok,
    ).toBe(false);
    // One refill interval later one more is allowed.
    accepted(submit(r, mallory, undefined, T0 + 6n * MINUTE));
  });

  it('lets a newer attestation supersede the older one in the history and the count', () => {
    const r = newRegistry();
    confirm(r, P);
    const alice = testBuilder('alice');
    const bad = hashOf('wsl2 build');
    const first = accepted(
      submit(r, alice, predicate({ artifacts: [artifact({ kind: 'guestos', sha256: bad })] })),
    );
    const second = accepted(submit(r, alice, predicate({ note: 'rebuilt' }), T0 + MINUTE));
    expect(second.supersedes).toBe(first.attestationId);
    const summary = r.summary(P);
    if (!summary.ok) throw new Error('no summary');
    expect(summary.value.builderCount).toBe(1);
    expect(summary.value.record.supersededCount).toBe(1);
    expect(summary.value.consensus.artifacts[0]?.hashGroups.map((g) => g.sha256)).toEqual([
      GUESTOS_HASH,
    ]);
    const old = r.attestation(first.attestationId);
    expect(old.ok && old.value.record.supersededBy).toBe(second.attestationId.toString());
    expect(old.ok && old.value.effective[0]?.counted).toBe(false);
  });

  it('counts distinct builders and distinct environment classes per hash', () => {
    const r = newRegistry();
    confirm(r, P);
    const odd = hashOf('odd');
    const machines = ['bare_metal', 'kvm', 'kvm', 'wsl2'] as const;
    machines.forEach((virtualization, i) => {
      const p = predicate();
      p.environment.virtualization = virtualization;
      accepted(submit(r, testBuilder(i), p));
    });
    // Ten keys on one machine: ten builders, one environment class.
    for (let i = 0; i < 10; i++) {
      const p = predicate({ artifacts: [artifact({ kind: 'guestos', sha256: odd })] });
      accepted(submit(r, testBuilder(`sybil-${i}`), p));
    }
    const summary = r.summary(P);
    if (!summary.ok) throw new Error('no summary');
    expect(summary.value.consensus.artifacts[0]?.hashGroups).toEqual([
      { sha256: GUESTOS_HASH, builderCount: 4, matchesExpected: true, environmentClasses: 3 },
      { sha256: odd, builderCount: 10, matchesExpected: false, environmentClasses: 1 },
    ]);
  });
});

describe('what a proposal is', () => {
  it('holds attestations for a proposal not confirmed on chain: not listed, counted or summarised', () => {
    const r = newRegistry();
    const alice = testBuilder('alice');
    const receipt = accepted(submit(r, alice, predicate({ proposalId: '999999999' })));
    expect(r.proposalNeedsRead(999999999n)).toBe(true);
    expect(codeOf(r.summary(999999999n))).toBe(ErrorCode.PROPOSAL_PENDING);
    const list = r.listProposals({});
    expect(list.ok && list.value.items).toEqual([]);
    expect(r.stats()).toMatchObject({ proposals: 0n, pendingProposals: 1n, attestations: 1n });
    const view = r.attestation(receipt.attestationId);
    expect(view.ok && view.value.held).toBe(true);
    expect(view.ok && view.value.effective[0]?.counted).toBe(false);
    // The history is there for the builder.
    const history = r.listAttestations({ proposalId: 999999999n });
    expect(history.ok && history.value.total).toBe(1n);
  });

  it('counts held attestations once governance confirms the proposal', () => {
    const r = newRegistry();
    accepted(submit(r, testBuilder('early')));
    confirm(r, P);
    const summary = r.summary(P);
    expect(summary.ok && summary.value.builderCount).toBe(1);
    const list = r.listProposals({});
    expect(list.ok && list.value.items.map((p) => p.record.id)).toEqual([P.toString()]);
    expect(r.stats().pendingProposals).toBe(0n);
  });

  it('rejects held attestations when governance has no such proposal, and refuses more', () => {
    const r = newRegistry();
    const alice = testBuilder('alice');
    const receipt = accepted(submit(r, alice, predicate({ proposalId: '4242424242' })));
    r.recordProposalRead({
      proposalId: 4242424242n,
      now: T0,
      outcome: {
        ok: false,
        error: 'governance has no proposal 4242424242',
        final: true,
        absent: true,
      },
    });
    expect(codeOf(r.summary(4242424242n))).toBe(ErrorCode.PROPOSAL_NOT_ON_CHAIN);
    const view = r.attestation(receipt.attestationId);
    expect(view.ok && view.value.rejection).toMatch(/no proposal 4242424242/);
    expect(view.ok && view.value.held).toBe(false);
    const later = submit(r, testBuilder('bob'), predicate({ proposalId: '4242424242' }));
    expect(codeOf(later)).toBe(ErrorCode.PROPOSAL_NOT_ON_CHAIN);
    expect(r.stats()).toMatchObject({ attestations: 1n, proposals: 0n, pendingProposals: 0n });
  });

  it('rejects held attestations of a proposal that elects nothing', () => {
    const r = newRegistry();
    accepted(submit(r, testBuilder('alice'), predicate({ proposalId: '777' })));
    confirm(r, 777n, {
      kind: 'other',
      os: null,
      electedCommit: null,
      releasePackageSha256Hex: null,
    });
    expect(codeOf(r.summary(777n))).toBe(ErrorCode.PROPOSAL_NOT_ICOS_ELECTION);
    expect(codeOf(submit(r, testBuilder('bob'), predicate({ proposalId: '777' })))).toBe(
      ErrorCode.PROPOSAL_NOT_ICOS_ELECTION,
    );
    // Reading a non-election nobody attested stores nothing.
    expect(
      r.recordProposalRead({
        proposalId: 778n,
        now: T0,
        outcome: { ok: true, onChain: onChain({ kind: 'other', os: null, electedCommit: null }) },
      }),
    ).toBe(null);
    expect(r.proposal(778n)).toBeUndefined();
  });

  it('refuses artifacts of the other OS and another commit on a confirmed proposal', () => {
    const r = newRegistry();
    confirm(r, P);
    const alice = testBuilder('alice');
    const hostos = predicate({
      artifacts: [artifact({ kind: 'guestos' }), artifact({ kind: 'hostos' })],
    });
    expect(codeOf(submit(r, alice, hostos))).toBe(ErrorCode.ARTIFACT_NOT_FOR_PROPOSAL);
    expect(codeOf(submit(r, alice, predicate({ commit: 'f'.repeat(40) })))).toBe(
      ErrorCode.COMMIT_MISMATCH,
    );
    confirm(r, 900002n, { os: 'hostos' });
    const guestosOnHostos = predicate({ proposalId: '900002' });
    expect(codeOf(submit(r, alice, guestosOnHostos))).toBe(ErrorCode.ARTIFACT_NOT_FOR_PROPOSAL);
    accepted(
      submit(
        r,
        alice,
        predicate({
          proposalId: '900002',
          artifacts: [artifact({ kind: 'hostos' }), artifact({ kind: 'setupos' })],
        }),
      ),
    );
    expect(r.stats().attestations).toBe(1n);
  });

  it('rejects held attestations with a foreign artifact or commit when the proposal is confirmed', () => {
    const r = newRegistry();
    const foreign = accepted(
      submit(
        r,
        testBuilder('a'),
        predicate({ artifacts: [artifact({ kind: 'guestos' }), artifact({ kind: 'setupos' })] }),
      ),
    );
    const otherCommit = accepted(
      submit(r, testBuilder('b'), predicate({ commit: 'e'.repeat(40) })),
    );
    accepted(submit(r, testBuilder('c')));
    confirm(r, P);
    const summary = r.summary(P);
    if (!summary.ok) throw new Error('no summary');
    expect(summary.value.builderCount).toBe(1);
    expect(summary.value.record.rejectedCount).toBe(2);
    expect(summary.value.consensus.artifacts.map((a) => a.kind)).toEqual(['guestos']);
    const a = r.attestation(foreign.attestationId);
    expect(a.ok && a.value.rejection).toMatch(/setupos does not belong to a GuestOS election/);
    const b = r.attestation(otherCommit.attestationId);
    expect(b.ok && b.value.rejection).toMatch(/elects commit/);
  });

  it('caps unconfirmed proposals per builder, in total, and held attestations per proposal', () => {
    const r = newRegistry({
      limits: { pendingProposalsPerBuilder: 2, pendingProposalsTotal: 3, heldPerProposal: 2 },
    });
    const alice = testBuilder('alice');
    accepted(submit(r, alice, predicate({ proposalId: '1001' })));
    accepted(submit(r, alice, predicate({ proposalId: '1002' })));
    accepted(submit(r, alice, predicate({ proposalId: '1002', note: 'again' })));
    expect(codeOf(submit(r, alice, predicate({ proposalId: '1003' })))).toBe(
      ErrorCode.BUILDER_PENDING_LIMIT,
    );
    expect(codeOf(submit(r, testBuilder('bob'), predicate({ proposalId: '1002' })))).toBe(
      ErrorCode.PENDING_LIMIT,
    );
    accepted(submit(r, testBuilder('carol'), predicate({ proposalId: '1003' })));
    expect(codeOf(submit(r, testBuilder('dave'), predicate({ proposalId: '1004' })))).toBe(
      ErrorCode.PENDING_LIMIT,
    );
    // Once a proposal resolves, its place is free again.
    confirm(r, 1001n);
    accepted(submit(r, alice, predicate({ proposalId: '1004' })));
    expect(r.stats().pendingProposals).toBe(3n);
  });

  it('reads open confirmed proposals round robin and unconfirmed ones a bounded number of times', () => {
    const r = newRegistry();
    for (let id = 1n; id <= 10n; id++) confirm(r, id, { status: id <= 3n ? 'executed' : 'open' });
    const first = r.openProposalsToRefresh(4);
    expect(first).toHaveLength(4);
    expect(first.every((id) => id > 3n)).toBe(true);
    const second = r.openProposalsToRefresh(4);
    expect(new Set([...first, ...second]).size).toBe(7);

    accepted(submit(r, testBuilder('a'), predicate({ proposalId: '50' })));
    accepted(submit(r, testBuilder('b'), predicate({ proposalId: '51' })));
    let reads = 0;
    for (let tick = 0; tick < 30; tick++) {
      for (const id of r.pendingProposalsToRead(1)) {
        reads++;
        r.recordProposalRead({
          proposalId: id,
          now: T0,
          outcome: { ok: false, error: 'governance is down', final: false, absent: false },
        });
      }
    }
    expect(reads).toBe(20); // ten timer reads each, then only sync_proposal reads them
    expect(codeOf(r.summary(50n))).toBe(ErrorCode.PROPOSAL_PENDING);
  });
});

describe('acceptance limits', () => {
  it('refuses implausible build times', () => {
    const r = newRegistry();
    confirm(r, P);
    const alice = testBuilder('alice');
    for (const [startedOn, finishedOn] of [
      ['3000-01-01T00:00:00Z', '3000-01-01T01:00:00Z'],
      ['1969-12-31T00:00:00Z', '1969-12-31T01:00:00Z'],
      ['0000-01-01T00:00:00Z', '0000-01-01T01:00:00Z'],
      ['2025-11-01T00:00:00Z', '2025-11-10T00:00:00Z'],
    ] as const) {
      const p = predicate({ build: { startedOn, finishedOn, cleanCache: true } });
      expect(codeOf(submit(r, alice, p))).toBe(ErrorCode.BUILD_TIME_IMPLAUSIBLE);
    }
    expect(r.stats().attestations).toBe(0n);
  });

  it('caps what one builder and the whole registry store', () => {
    const r = newRegistry({ limits: { attestationsPerBuilder: 2, attestationsTotal: 3 } });
    confirm(r, P);
    const alice = testBuilder('alice');
    accepted(submit(r, alice, predicate({ note: '1' })));
    accepted(submit(r, alice, predicate({ note: '2' })));
    expect(codeOf(submit(r, alice, predicate({ note: '3' })))).toBe(
      ErrorCode.BUILDER_STORAGE_LIMIT,
    );
    accepted(submit(r, testBuilder('bob')));
    expect(codeOf(submit(r, testBuilder('carol')))).toBe(ErrorCode.STORAGE_FULL);
    expect(r.stats().attestations).toBe(3n);
  });

  it('refuses updates when cycles run low', () => {
    const r = newRegistry({ limits: { minCycles: '1000' } });
    confirm(r, P);
    const alice = testBuilder('alice');
    const low = r.submit({ caller: alice.principal, envelope: sign(alice), now: T0, cycles: 999n });
    expect(codeOf(low)).toBe(ErrorCode.LOW_CYCLES);
    expect(codeOf(r.checkCycles(0n))).toBe(ErrorCode.LOW_CYCLES);
    expect(r.checkCycles(1000n).ok).toBe(true);
  });
});

describe('listing', () => {
  it('pages attestations newest first with a cursor that is stable under new arrivals', () => {
    const r = newRegistry();
    confirm(r, P);
    for (let i = 0; i < 7; i++) accepted(submit(r, testBuilder(i), undefined, T0 + BigInt(i)));
    const first = r.listAttestations({ proposalId: P, limit: 3 });
    if (!first.ok) throw new Error('no page');
    expect(first.value.items.map((v) => v.record.id)).toEqual(['7', '6', '5']);
    expect(first.value.total).toBe(7n);
    accepted(submit(r, testBuilder('late')));
    const second = r.listAttestations({
      proposalId: P,
      limit: 3,
      cursor: first.value.next ?? undefined,
    });
    expect(second.ok && second.value.items.map((v) => v.record.id)).toEqual(['4', '3', '2']);
  });

  it('filters by verdict', () => {
    const r = newRegistry();
    confirm(r, P);
    for (let i = 0; i < 4; i++) {
      const sha256 = i % 2 === 0 ? GUESTOS_HASH : hashOf(`x${i}`);
      accepted(
        submit(
          r,
          testBuilder(i),
          predicate({ artifacts: [artifact({ kind: 'guestos', sha256 })] }),
        ),
      );
    }
    const mismatches = r.listAttestations({ proposalId: P, verdict: 'mismatch' });
    expect(mismatches.ok && mismatches.value.items.map((v) => v.record.verdict)).toEqual([
      'mismatch',
      'mismatch',
    ]);
    expect(codeOf(r.listAttestations({ proposalId: P, verdict: 'maybe' }))).toBe(
      ErrorCode.INVALID_ARGUMENT,
    );
  });

  it('lists confirmed proposals newest first', () => {
    const r = newRegistry();
    for (const id of [5n, 300n, 42n]) confirm(r, id);
    accepted(submit(r, testBuilder('b'), predicate({ proposalId: '9999' }))); // held: not listed
    const page = r.listProposals({ limit: 2 });
    if (!page.ok) throw new Error('no page');
    expect(page.value.items.map((p) => p.record.id)).toEqual(['300', '42']);
    const rest = r.listProposals({ limit: 2, cursor: page.value.next ?? undefined });
    expect(rest.ok && rest.value.items.map((p) => p.record.id)).toEqual(['5']);
    expect(rest.ok && rest.value.next).toBeNull();
  });
});

describe('builders and moderation', () => {
  it('lets a builder set a display name and an https link, and nothing dangerous', () => {
    const r = newRegistry();
    confirm(r, P);
    const alice = testBuilder('alice');
    const early = r.setBuilderProfile({ caller: alice.principal, displayName: 'Alice', url: null });
    expect(codeOf(early)).toBe(ErrorCode.BUILDER_NOT_FOUND);
    accepted(submit(r, alice));
    const set = r.setBuilderProfile({
      caller: alice.principal,
      displayName: ' Ａｌｉｃｅ ',
      url: 'https://alice.dev',
    });
    expect(set.ok && set.value).toMatchObject({ displayName: 'Alice', url: 'https://alice.dev' });
    for (const url of [
      'javascript:alert(1)',
      'http://alice.dev',
      'https://a b',
      'https://x@evil.example',
    ]) {
      const bad = r.setBuilderProfile({ caller: alice.principal, displayName: 'Alice', url });
      expect(codeOf(bad)).toBe(ErrorCode.PROFILE_INVALID);
    }
    const rtl = r.setBuilderProfile({
      caller: alice.principal,
      displayName: 'evil\u202egnp.exe',
      url: null,
    });
    expect(codeOf(rtl)).toBe(ErrorCode.PROFILE_INVALID);
  });

  it('keeps display names unique ignoring case and refuses look-alike mixes', () => {
    const r = newRegistry();
    confirm(r, P);
    const alice = testBuilder('alice');
    const mallory = testBuilder('mallory');
    accepted(submit(r, alice));
    accepted(submit(r, mallory));
    expect(
      r.setBuilderProfile({ caller: alice.principal, displayName: 'Alice', url: null }).ok,
    ).toBe(true);
    const copy = r.setBuilderProfile({
      caller: mallory.principal,
      displayName: 'ALICE',
      url: null,
    });
    expect(codeOf(copy)).toBe(ErrorCode.NAME_TAKEN);
    const wide = r.setBuilderProfile({
      caller: mallory.principal,
      displayName: 'Ａｌｉｃｅ',
      url: null,
    });
    expect(codeOf(wide)).toBe(ErrorCode.NAME_TAKEN);
    const cyrillic = r.setBuilderProfile({
      caller: mallory.principal,
      displayName: 'Аlice',
      url: null,
    });
    expect(codeOf(cyrillic)).toBe(ErrorCode.NAME_CONFUSABLE);
    // Alice renames: her old name is free.
    expect(
      r.setBuilderProfile({ caller: alice.principal, displayName: 'Alice B.', url: null }).ok,
    ).toBe(true);
    expect(
      r.setBuilderProfile({ caller: mallory.principal, displayName: 'alice', url: null }).ok,
    ).toBe(true);
  });

  it('hides an attestation from consensus, reversibly, for controllers only', () => {
    const r = newRegistry();
    confirm(r, P);
    const alice = testBuilder('alice');
    const { attestationId } = accepted(submit(r, alice));
    const controller = { principal: testBuilder('admin').principal, isController: true };
    const stranger = { principal: alice.principal, isController: false };
    expect(codeOf(r.hide({ caller: stranger, attestationId, reason: 'spam', now: T0 }))).toBe(
      ErrorCode.NOT_CONTROLLER,
    );
    expect(codeOf(r.hide({ caller: controller, attestationId, reason: '  ', now: T0 }))).toBe(
      ErrorCode.HIDE_REASON_INVALID,
    );
    const hidden = r.hide({
      caller: controller,
      attestationId,
      reason: 'duplicate identity',
      now: T0,
    });
    expect(hidden.ok && hidden.value.record.hidden?.reason).toBe('duplicate identity');
    expect(codeOf(r.hide({ caller: controller, attestationId, reason: 'x', now: T0 }))).toBe(
      ErrorCode.ALREADY_HIDDEN,
    );
    let summary = r.summary(P);
    expect(summary.ok && summary.value.builderCount).toBe(0);
    expect(summary.ok && summary.value.consensus.artifacts).toEqual([]);
    expect(r.unhide({ caller: controller, attestationId }).ok).toBe(true);
    expect(codeOf(r.unhide({ caller: controller, attestationId }))).toBe(ErrorCode.NOT_HIDDEN);
    summary = r.summary(P);
    expect(summary.ok && summary.value.builderCount).toBe(1);
  });
});

describe('against the proposal on chain', () => {
  it('judges builders by the on-chain hash and flags a wrong stated expectation', () => {
    const r = newRegistry();
    const honest = testBuilder('honest');
    const confused = testBuilder('confused');
    accepted(submit(r, honest));
    // Built the right image but compared it with a stale hash: says "mismatch".
    accepted(
      submit(
        r,
        confused,
        predicate({ artifacts: [artifact({ kind: 'guestos', expectedSha256: hashOf('stale') })] }),
      ),
    );
    confirm(r, P);
    const summary = r.summary(P);
    if (!summary.ok) throw new Error('no summary');
    const guestos = summary.value.consensus.artifacts[0];
    expect(guestos?.expectedSource).toBe('proposal');
    expect(guestos?.verdicts).toMatchObject({ match: 2, mismatch: 0 });
    expect(guestos?.expectedClaimMismatches).toBe(1);
    const page = r.listAttestations({ proposalId: P });
    if (!page.ok) throw new Error('no page');
    const view = page.value.items.find((v) => v.record.builder === confused.principal.toText());
    expect(view?.effective[0]).toMatchObject({
      verdict: 'match',
      expectedDiffersFromProposal: true,
    });
    expect(summary.value.commit).toBe(COMMIT);
  });
});
