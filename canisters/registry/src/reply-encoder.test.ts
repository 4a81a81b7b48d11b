import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { describe, expect, it } from 'vitest';

import { artifact, hashOf, predicate, sign, testBuilder } from '../test/builders';
import * as C from '@repro-registry/registry-api';
import { methodType } from '@repro-registry/registry-api';

const replyOf = (method: Parameters<typeof methodType>[0]): IDL.Type =>
  methodType(method).retTypes[0] as IDL.Type;
const SummaryResult = replyOf('get_proposal_summary');
const AttestationPageResult = replyOf('list_attestations');
const BuilderPageResult = replyOf('get_builder');
import { encodeReply } from './reply-encoder';
import type { OnChainProposalJson } from './core/records';
import type { Registry } from './core/registry';
import { handleHttp } from './http';
import {
  candidAttestationPage,
  candidBuilder,
  candidProposalPage,
  candidSummary,
  renderAttestation,
  renderedAttestationPage,
} from './replies';
import { RENDERING_SHAPE } from './core/store';
import { PLENTY, T0, accepted, confirm, newRegistry, submit } from '../test/core-support';

/** Six attestations of GuestOS and its recovery image; held, or counted when `confirmed`. */
function populated(options: { confirmed: boolean }): Registry {
  const r = newRegistry({ renderer: renderAttestation });
  if (options.confirmed) confirm(r, 134567n);
  for (let i = 0; i < 6; i++) {
    const b = testBuilder(`enc-${i}`);
    const p = predicate({
      artifacts: [
        artifact({ kind: 'guestos', sha256: i % 3 === 0 ? hashOf('x') : undefined }),
        artifact({ kind: 'guestos-recovery', sha256: hashOf('r'), expectedSha256: hashOf('r') }),
      ],
      ...(i === 2 ? { note: 'ünïcödé ✓ and <script>alert(1)</script>' } : {}),
    });
    accepted(submit(r, b, sign(b, p), T0 + BigInt(i)));
  }
  return r;
}

/** On-chain data of a GuestOS election whose hash is `hashOf('x')` (the odd builders' one). */
const electingOddHash = (): OnChainProposalJson => ({
  kind: 'icos_election',
  title: 't',
  os: 'guestos',
  payloadType: 'ReviseElectedGuestosVersionsPayload',
  nnsFunction: 38,
  electedCommit: predicate().proposal.commit,
  releasePackageSha256Hex: hashOf('x'),
  releasePackageUrls: [],
  launchMeasurementsHex: [],
  status: 'open',
  proposedAt: null,
  deadlineAt: null,
  decidedAt: null,
  executedAt: null,
  failedAt: null,
});

const same = (type: IDL.Type, value: object) =>
  expect(Buffer.from(encodeReply(type, value)).toString('hex')).toBe(
    Buffer.from(IDL.encode([type], [value])).toString('hex'),
  );

describe('encodeReply', () => {
  it('writes what IDL.encode writes for the registry’s replies', () => {
    const r = populated({ confirmed: true });
    const summary = r.summary(134567n);
    if (!summary.ok) throw new Error('no summary');
    same(SummaryResult, { Ok: candidSummary(summary.value) });
    same(SummaryResult, { Err: { code: 'PROPOSAL_NOT_FOUND', message: 'nothing here' } });
    const page = r.listAttestations({ proposalId: 134567n, includeEnvelopes: true });
    if (!page.ok) throw new Error('no page');
    same(AttestationPageResult, { Ok: candidAttestationPage(page.value) });
    const builder = r.builder({ builder: testBuilder('enc-2').principal });
    if (!builder.ok) throw new Error('no builder');
    same(BuilderPageResult, {
      Ok: {
        profile: candidBuilder(builder.value.profile),
        attestations: candidAttestationPage(builder.value.attestations),
      },
    });
    const list = r.listProposals({});
    if (!list.ok) throw new Error('no list');
    same(C.ProposalPage, candidProposalPage(list.value));
    same(
      C.HttpResponse,
      handleHttp(
        r,
        {
          method: 'GET',
          url: '/api/v1/proposals/134567',
          headers: [],
          body: new Uint8Array(),
          certificate_version: [],
        },
        PLENTY,
      ),
    );
  });

  it('serves stored renderings that equal a fresh encoding, also after they change', () => {
    const r = populated({ confirmed: false });
    const check = () => {
      const ids = r.listAttestationIds({ proposalId: 134567n });
      const views = r.listAttestations({ proposalId: 134567n, includeEnvelopes: true });
      if (!ids.ok || !views.ok) throw new Error('no page');
      expect(
        Buffer.from(
          encodeReply(AttestationPageResult, { Ok: renderedAttestationPage(r, ids.value) }),
        ).toString('hex'),
      ).toBe(
        Buffer.from(
          IDL.encode([AttestationPageResult], [{ Ok: candidAttestationPage(views.value) }]),
        ).toString('hex'),
      );
    };
    check();
    const admin = {
      principal: Principal.fromText('rwlgt-iiaaa-aaaaa-aaaaa-cai'),
      isController: true,
    };
    expect(r.hide({ caller: admin, attestationId: 2n, reason: 'test', now: T0 }).ok).toBe(true);
    check();
    r.recordProposalRead({
      proposalId: 134567n,
      now: T0,
      outcome: {
        ok: true,
        onChain: electingOddHash(),
      },
    });
    // The proposal's hash is now the odd one: effective verdicts flip in the stored renderings.
    const after = r.listAttestations({ proposalId: 134567n });
    expect(
      after.ok &&
        after.value.items.some(
          (v) =>
            v.effective[0]?.verdict === 'match' && v.record.artifacts[0]?.verdict === 'mismatch',
        ),
    ).toBe(true);
    check();
  });

  it('redoes out-of-date renderings a bounded number at a time', () => {
    const r = newRegistry({ renderer: renderAttestation, rerenderPerMessage: 4 });
    for (let i = 0; i < 10; i++) {
      const b = testBuilder(`batch-${i}`);
      accepted(
        submit(
          r,
          b,
          predicate({ artifacts: [artifact({ kind: 'guestos', sha256: hashOf('x') })] }),
        ),
      );
    }
    const renderedVerdicts = () => {
      const ids = r.listAttestationIds({ proposalId: 134567n });
      if (!ids.ok) throw new Error('no page');
      const bytes = encodeReply(AttestationPageResult, {
        Ok: renderedAttestationPage(r, ids.value),
      });
      const page = (
        IDL.decode([AttestationPageResult], bytes)[0] as {
          Ok: { attestations: { artifacts: { effective_verdict: string }[] }[] };
        }
      ).Ok;
      return page.attestations.map((a) => a.artifacts[0]?.effective_verdict);
    };
    expect(renderedVerdicts()).toEqual(Array(10).fill('mismatch'));
    // The proposal's hash is the builders' hash: all ten become matches, four at a time.
    r.recordProposalRead({
      proposalId: 134567n,
      now: T0,
      outcome: {
        ok: true,
        onChain: electingOddHash(),
      },
    });
    expect(renderedVerdicts().filter((v) => v === 'match')).toHaveLength(4);
    expect(r.meta().staleRenderings).toEqual(['134567']);
    expect(r.renderStale(4)).toBe(4);
    expect(r.renderStale(4)).toBe(2);
    expect(renderedVerdicts()).toEqual(Array(10).fill('match'));
    expect(r.meta().staleRenderings).toEqual([]);
    expect(r.renderStale(4)).toBe(0);
  });

  it('replies with renderings of an earlier shape rendered anew, and an upgrade redoes them', () => {
    const r = populated({ confirmed: true });
    const ids = r.listAttestationIds({ proposalId: 134567n });
    if (!ids.ok) throw new Error('no page');
    const fresh = Buffer.from(
      encodeReply(AttestationPageResult, { Ok: renderedAttestationPage(r, ids.value) }),
    ).toString('hex');
    // As stored before this shape: header byte 0, other bytes (here: none) behind it.
    const meta = r.meta();
    delete meta.renderingShape;
    r.saveMeta(meta);
    for (const id of ids.value.items) r.tables.attestationReplies.insert(id, new Uint8Array(4));
    expect(
      Buffer.from(
        encodeReply(AttestationPageResult, { Ok: renderedAttestationPage(r, ids.value) }),
      ).toString('hex'),
    ).toBe(fresh);
    expect(r.migrate()).toBe(true);
    expect(r.meta().staleRenderings).toEqual(['134567']);
    while (r.renderStale(4) > 0);
    expect(r.meta().renderingShape).toBe(RENDERING_SHAPE);
    for (const id of ids.value.items)
      expect(r.tables.attestationReplies.get(id)?.[0]).toBe(RENDERING_SHAPE);
    expect(
      Buffer.from(
        encodeReply(AttestationPageResult, { Ok: renderedAttestationPage(r, ids.value) }),
      ).toString('hex'),
    ).toBe(fresh);
    expect(r.migrate()).toBe(false);
  });

  it('ends a page where its envelopes pass the byte budget, and the cursor resumes there', () => {
    const r = populated({ confirmed: true });
    const all = r.listAttestationIds({ proposalId: 134567n, limit: 500 });
    if (!all.ok) throw new Error('no page');
    const sizes = all.value.items.map((id) => r.tables.envelopes.get(id)?.length ?? 0);
    const budget = sizes[0] + sizes[1] + 1; // two envelopes fit, three do not
    const decode = (p: ReturnType<typeof renderedAttestationPage>) =>
      (
        IDL.decode([AttestationPageResult], encodeReply(AttestationPageResult, { Ok: p }))[0] as {
          Ok: { attestations: { id: bigint }[]; next_cursor: [] | [bigint] };
        }
      ).Ok;
    const seen: bigint[] = [];
    let cursor: bigint | undefined;
    for (;;) {
      const ids = r.listAttestationIds({ proposalId: 134567n, limit: 500, cursor });
      if (!ids.ok) throw new Error('no page');
      const page = decode(renderedAttestationPage(r, ids.value, budget));
      expect(page.attestations.length).toBeGreaterThanOrEqual(1);
      expect(page.attestations.length).toBeLessThanOrEqual(2);
      seen.push(...page.attestations.map((a) => a.id));
      if (page.next_cursor.length === 0) break;
      cursor = page.next_cursor[0];
    }
    expect(seen).toEqual([6n, 5n, 4n, 3n, 2n, 1n]);
    // One envelope larger than the budget still makes a page of one.
    expect(decode(renderedAttestationPage(r, all.value, 1)).attestations).toHaveLength(1);
  });

  it('covers the primitive types and large values', () => {
    const T = IDL.Record({
      a: IDL.Nat,
      b: IDL.Int,
      c: IDL.Nat8,
      d: IDL.Nat16,
      e: IDL.Nat32,
      f: IDL.Nat64,
      g: IDL.Int32,
      h: IDL.Int64,
      i: IDL.Bool,
      j: IDL.Null,
      k: IDL.Opt(IDL.Vec(IDL.Text)),
      l: IDL.Principal,
      m: IDL.Tuple(IDL.Text, IDL.Nat),
      n: IDL.Variant({ x: IDL.Null, y: IDL.Nat32, z: IDL.Text }),
    });
    for (const v of [
      {
        a: 0n,
        b: 0n,
        c: 0,
        d: 0,
        e: 0,
        f: 0n,
        g: 0,
        h: 0n,
        i: false,
        j: null,
        k: [],
        l: Principal.anonymous(),
        m: ['', 0n],
        n: { x: null },
      },
      {
        a: 2n ** 100n,
        b: -(2n ** 70n),
        c: 255,
        d: 65535,
        e: 4294967295,
        f: 2n ** 64n - 1n,
        g: -2147483648,
        h: -1n,
        i: true,
        j: null,
        k: [['a', '€😀']],
        l: Principal.fromText('rwlgt-iiaaa-aaaaa-aaaaa-cai'),
        m: ['t', 127n],
        n: { z: 'zz' },
      },
      {
        a: 128n,
        b: -64n,
        c: 1,
        d: 256,
        e: 1 << 30,
        f: 300n,
        g: 63,
        h: 64n,
        i: true,
        j: null,
        k: [[]],
        l: Principal.managementCanister(),
        m: ['x', 16384n],
        n: { y: 7 },
      },
    ])
      same(T, v);
  });
});
