import { Principal } from '@dfinity/principal';
import { ErrorCode } from '@repro-registry/attestation';
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
import type { OnChainProposalJson } from './records';
import { Registry, type SubmitReceipt } from './registry';
import { memoryTables } from './tables';

const T0 = 1_764_000_000_000_000_000n;
const MINUTE = 60_000_000_000n;

function newRegistry(capacity = 100): Registry {
  const r = new Registry(memoryTables());
  const meta = r.meta();
  meta.rateLimit = { capacity, refillSeconds: 360 };
  r.saveMeta(meta);
  return r;
}

function submit(r: Registry, caller: Principal, envelope: Uint8Array, now = T0) {
  const v = r.verifySubmission({ caller, envelope, now });
  if (!v.ok) return v;
  if ('duplicate' in v.value) return { ok: true as const, value: v.value.duplicate };
  return r.recordSubmission({ caller, verified: v.value.verified, now });
}

function accepted(result: ReturnType<typeof submit>): SubmitReceipt {
  if (!result.ok) throw new Error(`rejected: ${result.error.code} ${result.error.message}`);
  return result.value;
}

const onChain = (over: Partial<OnChainProposalJson> = {}): OnChainProposalJson => ({
  kind: 'icos_election',
  title: 'Elect new IC/Replica revision',
  os: 'guestos',
  payloadType: 'ReviseElectedGuestosVersionsPayload',
  nnsFunction: 38,
  electedCommit: COMMIT,
  releasePackageSha256Hex: GUESTOS_HASH,
  releasePackageUrls: [
    'https://download.dfinity.systems/ic/x/guest-os/update-img/update-img.tar.zst',
  ],
  launchMeasurementsHex: [],
  status: 'open',
  proposedAt: T0.toString(),
  deadlineAt: (T0 + 4n * 24n * 60n * MINUTE).toString(),
  decidedAt: null,
  executedAt: null,
  failedAt: null,
  ...over,
});

describe('submission', () => {
  it('stores a verified attestation and counts it in the consensus', () => {
    const r = newRegistry();
    const alice = testBuilder('alice');
    const receipt = accepted(submit(r, alice.principal, sign(alice)));
    expect(receipt).toMatchObject({
      attestationId: 1n,
      proposalId: 134567n,
      duplicate: false,
      supersedes: null,
    });

    const summary = r.summary(134567n);
    expect(summary.ok).toBe(true);
    if (!summary.ok) return;
    expect(summary.value.record.currentBuilders).toBe(1);
    const guestos = summary.value.consensus.artifacts[0];
    expect(guestos?.kind).toBe('guestos');
    expect(guestos?.hashGroups).toEqual([
      { sha256: GUESTOS_HASH, builderCount: 1, matchesExpected: true },
    ]);
    expect(guestos?.expectedSource).toBe('builders');
    expect(summary.value.consensus.totals).toEqual({
      match: 1,
      mismatch: 0,
      build_failed: 0,
      not_built: 0,
    });
  });

  it('rejects the anonymous caller and a caller who did not sign', () => {
    const r = newRegistry();
    const alice = testBuilder('alice');
    const bob = testBuilder('bob');
    const anonymous = submit(r, Principal.anonymous(), sign(alice));
    expect(anonymous.ok || anonymous.error.code).toBe(ErrorCode.ANONYMOUS_CALLER);
    const stolen = submit(r, bob.principal, sign(alice));
    expect(stolen.ok || stolen.error.code).toBe(ErrorCode.CALLER_NOT_SIGNER);
    expect(r.stats().attestations).toBe(0n);
    expect(r.summary(134567n).ok).toBe(false);
  });

  it('answers a resubmission of the same bytes with the stored receipt', () => {
    const r = newRegistry();
    const alice = testBuilder('alice');
    const envelope = sign(alice);
    const first = accepted(submit(r, alice.principal, envelope));
    const again = accepted(submit(r, alice.principal, envelope, T0 + MINUTE));
    expect(again).toEqual({ ...first, duplicate: true });
    expect(r.stats().attestations).toBe(1n);
    // Someone else replaying the builder's envelope is not the builder.
    const replay = submit(r, testBuilder('mallory').principal, envelope);
    expect(replay.ok || replay.error.code).toBe(ErrorCode.CALLER_NOT_SIGNER);
  });

  it('lets a newer attestation by the same builder supersede the older one', () => {
    const r = newRegistry();
    const alice = testBuilder('alice');
    const bad = hashOf('wsl2 build');
    const first = accepted(
      submit(
        r,
        alice.principal,
        sign(alice, predicate({ artifacts: [artifact({ kind: 'guestos', sha256: bad })] })),
      ),
    );
    const second = accepted(submit(r, alice.principal, sign(alice), T0 + MINUTE));
    expect(second.supersedes).toBe(first.attestationId);

    const summary = r.summary(134567n);
    if (!summary.ok) throw new Error('no summary');
    expect(summary.value.record.currentBuilders).toBe(1);
    expect(summary.value.record.supersededCount).toBe(1);
    expect(summary.value.consensus.artifacts[0]?.hashGroups.map((g) => g.sha256)).toEqual([
      GUESTOS_HASH,
    ]);
    const old = r.attestation(first.attestationId);
    expect(old.ok && old.value.record.supersededBy).toBe(second.attestationId.toString());

    const page = r.listAttestations({ proposalId: 134567n });
    expect(page.ok && page.value.items.map((v) => v.record.id)).toEqual(['2', '1']);
  });

  it('keeps distinct builders apart in hash groups', () => {
    const r = newRegistry();
    const odd = hashOf('odd');
    for (let i = 0; i < 5; i++) {
      const b = testBuilder(i);
      const sha256 = i === 4 ? odd : GUESTOS_HASH;
      accepted(
        submit(
          r,
          b.principal,
          sign(b, predicate({ artifacts: [artifact({ kind: 'guestos', sha256 })] })),
        ),
      );
    }
    const summary = r.summary(134567n);
    if (!summary.ok) throw new Error('no summary');
    expect(summary.value.consensus.artifacts[0]?.hashGroups).toEqual([
      { sha256: GUESTOS_HASH, builderCount: 4, matchesExpected: true },
      { sha256: odd, builderCount: 1, matchesExpected: false },
    ]);
    expect(summary.value.consensus.totals).toMatchObject({ match: 4, mismatch: 1 });
  });

  it('limits each builder to its rate and changes nothing when it refuses', () => {
    const r = newRegistry(2);
    const alice = testBuilder('alice');
    accepted(submit(r, alice.principal, sign(alice, predicate({ proposalId: '1' }))));
    accepted(submit(r, alice.principal, sign(alice, predicate({ proposalId: '2' }))));
    const third = submit(r, alice.principal, sign(alice, predicate({ proposalId: '3' })));
    expect(third.ok || third.error.code).toBe(ErrorCode.RATE_LIMITED);
    expect(r.precheckSubmit({ caller: alice.principal, argBytes: 100, now: T0 }).ok).toBe(false);
    expect(r.stats().attestations).toBe(2n);
    // One refill interval later one more is allowed.
    accepted(
      submit(r, alice.principal, sign(alice, predicate({ proposalId: '3' })), T0 + 6n * MINUTE),
    );
  });
});

describe('listing', () => {
  it('pages attestations newest first with a cursor that is stable under new arrivals', () => {
    const r = newRegistry();
    for (let i = 0; i < 7; i++) {
      const b = testBuilder(i);
      accepted(submit(r, b.principal, sign(b), T0 + BigInt(i)));
    }
    const first = r.listAttestations({ proposalId: 134567n, limit: 3 });
    if (!first.ok) throw new Error('no page');
    expect(first.value.items.map((v) => v.record.id)).toEqual(['7', '6', '5']);
    expect(first.value.total).toBe(7n);
    // A new arrival between pages doesn't shift the next page.
    const late = testBuilder('late');
    accepted(submit(r, late.principal, sign(late)));
    const second = r.listAttestations({
      proposalId: 134567n,
      limit: 3,
      cursor: first.value.next ?? undefined,
    });
    expect(second.ok && second.value.items.map((v) => v.record.id)).toEqual(['4', '3', '2']);
  });

  it('filters by verdict', () => {
    const r = newRegistry();
    for (let i = 0; i < 4; i++) {
      const b = testBuilder(i);
      const sha256 = i % 2 === 0 ? GUESTOS_HASH : hashOf(`x${i}`);
      accepted(
        submit(
          r,
          b.principal,
          sign(b, predicate({ artifacts: [artifact({ kind: 'guestos', sha256 })] })),
        ),
      );
    }
    const mismatches = r.listAttestations({ proposalId: 134567n, verdict: 'mismatch' });
    expect(mismatches.ok && mismatches.value.items.map((v) => v.record.verdict)).toEqual([
      'mismatch',
      'mismatch',
    ]);
    const bad = r.listAttestations({ proposalId: 134567n, verdict: 'maybe' });
    expect(bad.ok || bad.error.code).toBe(ErrorCode.INVALID_ARGUMENT);
  });

  it('lists proposals newest first', () => {
    const r = newRegistry();
    const b = testBuilder('b');
    for (const id of ['5', '300', '42'])
      accepted(submit(r, b.principal, sign(b, predicate({ proposalId: id }))));
    const page = r.listProposals({ limit: 2 });
    expect(page.items.map((p) => p.record.id)).toEqual(['300', '42']);
    const rest = r.listProposals({ limit: 2, cursor: page.next ?? undefined });
    expect(rest.items.map((p) => p.record.id)).toEqual(['5']);
    expect(rest.next).toBeNull();
  });
});

describe('builders and moderation', () => {
  it('lets a builder set a display name and a web URL, and nothing dangerous', () => {
    const r = newRegistry();
    const alice = testBuilder('alice');
    const early = r.setBuilderProfile({
      caller: alice.principal,
      displayName: 'Alice',
      url: null,
      now: T0,
    });
    expect(early.ok || early.error.code).toBe(ErrorCode.BUILDER_NOT_FOUND);
    accepted(submit(r, alice.principal, sign(alice)));
    const set = r.setBuilderProfile({
      caller: alice.principal,
      displayName: ' Alice ',
      url: 'https://alice.dev',
      now: T0,
    });
    expect(set.ok && set.value).toMatchObject({ displayName: 'Alice', url: 'https://alice.dev' });
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'https://a b']) {
      const bad = r.setBuilderProfile({
        caller: alice.principal,
        displayName: 'Alice',
        url,
        now: T0,
      });
      expect(bad.ok || bad.error.code).toBe(ErrorCode.PROFILE_INVALID);
    }
    const rtl = r.setBuilderProfile({
      caller: alice.principal,
      displayName: 'evil\u202egnp.exe',
      url: null,
      now: T0,
    });
    expect(rtl.ok || rtl.error.code).toBe(ErrorCode.PROFILE_INVALID);
    const profile = r.builder({ builder: alice.principal });
    expect(profile.ok && profile.value.profile.url).toBe('https://alice.dev');
  });

  it('hides an attestation from consensus, reversibly, for controllers only', () => {
    const r = newRegistry();
    const alice = testBuilder('alice');
    const { attestationId } = accepted(submit(r, alice.principal, sign(alice)));
    const controller = { principal: testBuilder('admin').principal, isController: true };
    const stranger = { principal: alice.principal, isController: false };

    const denied = r.hide({ caller: stranger, attestationId, reason: 'spam', now: T0 });
    expect(denied.ok || denied.error.code).toBe(ErrorCode.NOT_CONTROLLER);
    const empty = r.hide({ caller: controller, attestationId, reason: '  ', now: T0 });
    expect(empty.ok || empty.error.code).toBe(ErrorCode.HIDE_REASON_INVALID);

    const hidden = r.hide({
      caller: controller,
      attestationId,
      reason: 'duplicate identity',
      now: T0,
    });
    expect(hidden.ok && hidden.value.record.hidden?.reason).toBe('duplicate identity');
    const again = r.hide({ caller: controller, attestationId, reason: 'x', now: T0 });
    expect(again.ok || again.error.code).toBe(ErrorCode.ALREADY_HIDDEN);
    let summary = r.summary(134567n);
    expect(summary.ok && summary.value.record.currentBuilders).toBe(0);
    expect(summary.ok && summary.value.consensus.artifacts).toEqual([]);

    expect(r.unhide({ caller: controller, attestationId }).ok).toBe(true);
    const twice = r.unhide({ caller: controller, attestationId });
    expect(twice.ok || twice.error.code).toBe(ErrorCode.NOT_HIDDEN);
    summary = r.summary(134567n);
    expect(summary.ok && summary.value.record.currentBuilders).toBe(1);
  });
});

describe('against the proposal on chain', () => {
  it('judges builders by the on-chain hash and flags a wrong stated expectation', () => {
    const r = newRegistry();
    const honest = testBuilder('honest');
    const confused = testBuilder('confused');
    const stale = hashOf('last week release');
    accepted(submit(r, honest.principal, sign(honest)));
    // Built the right image but compared it with a stale hash: says "mismatch".
    accepted(
      submit(
        r,
        confused.principal,
        sign(
          confused,
          predicate({ artifacts: [artifact({ kind: 'guestos', expectedSha256: stale })] }),
        ),
      ),
    );
    r.recordProposalRead({
      proposalId: 134567n,
      now: T0,
      outcome: { ok: true, onChain: onChain() },
    });
    const summary = r.summary(134567n);
    if (!summary.ok) throw new Error('no summary');
    const guestos = summary.value.consensus.artifacts[0];
    expect(guestos?.expectedSource).toBe('proposal');
    expect(guestos?.verdicts).toMatchObject({ match: 2, mismatch: 0 });
    expect(guestos?.expectedClaimMismatches).toBe(1);
    const page = r.listAttestations({ proposalId: 134567n });
    if (!page.ok) throw new Error('no page');
    const confusedView = page.value.items.find(
      (v) => v.record.builder === confused.principal.toText(),
    );
    expect(confusedView?.effective[0]).toEqual({
      verdict: 'match',
      expectedDiffersFromProposal: true,
    });
  });

  it('rejects attestations for another commit or for proposals that elect nothing', () => {
    const r = newRegistry();
    const alice = testBuilder('alice');
    r.recordProposalRead({
      proposalId: 134567n,
      now: T0,
      outcome: { ok: true, onChain: onChain() },
    });
    const wrong = submit(r, alice.principal, sign(alice, predicate({ commit: 'f'.repeat(40) })));
    expect(wrong.ok || wrong.error.code).toBe(ErrorCode.COMMIT_MISMATCH);
    r.recordProposalRead({
      proposalId: 777n,
      now: T0,
      outcome: {
        ok: true,
        onChain: onChain({
          kind: 'other',
          os: null,
          electedCommit: null,
          releasePackageSha256Hex: null,
        }),
      },
    });
    const other = submit(r, alice.principal, sign(alice, predicate({ proposalId: '777' })));
    expect(other.ok || other.error.code).toBe(ErrorCode.PROPOSAL_NOT_ICOS_ELECTION);
    expect(r.stats().attestations).toBe(0n);
  });

  it('keeps attestations that arrived before the proposal was read, outside consensus if the commit differs', () => {
    const r = newRegistry();
    const early = testBuilder('early');
    accepted(submit(r, early.principal, sign(early, predicate({ commit: 'e'.repeat(40) }))));
    r.recordProposalRead({
      proposalId: 134567n,
      now: T0,
      outcome: { ok: false, error: 'governance unavailable', final: false },
    });
    expect(r.summary(134567n).ok && r.proposal(134567n)?.sync.state).toBe('error');
    r.recordProposalRead({
      proposalId: 134567n,
      now: T0 + MINUTE,
      outcome: { ok: true, onChain: onChain() },
    });
    const summary = r.summary(134567n);
    if (!summary.ok) throw new Error('no summary');
    expect(summary.value.commit).toBe(COMMIT);
    expect(summary.value.consensus.otherCommitAttestations).toBe(1);
    expect(summary.value.consensus.artifacts).toEqual([]);
    expect(r.stats().attestations).toBe(1n);
  });

  it('refreshes only open proposals, a bounded number per tick', () => {
    const r = newRegistry();
    for (let id = 1n; id <= 10n; id++) {
      const status = id <= 3n ? 'executed' : 'open';
      r.recordProposalRead({
        proposalId: id,
        now: T0,
        outcome: { ok: true, onChain: onChain({ status }) },
      });
    }
    const first = r.proposalsToRefresh(4);
    expect(first).toHaveLength(4);
    expect(first.every((id) => id > 3n)).toBe(true);
    const second = r.proposalsToRefresh(4);
    expect(new Set([...first, ...second]).size).toBeGreaterThanOrEqual(7);
  });
});
