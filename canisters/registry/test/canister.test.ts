/**
 * The registry as deployed: the real compiled wasm, executed by the in-process IC host, called
 * through the committed Candid contract.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { LIMITS } from '@repro-registry/attestation';
import { ErrorCode } from '@repro-registry/registry-api';
import type * as T from '@repro-registry/client';
import { describeReadFailure, readAttestation } from '@repro-registry/client/attestation';
import { beforeAll, describe, expect, it } from 'vitest';

import { PROJECT_ROOT } from '@repro-registry/deploy';
import { COMMIT, GUESTOS_HASH, artifact, hashOf, predicate, sign, testBuilder } from './builders';
import { dataDigest } from './data';
import { startWithGovernance } from './governance-standin';
import { CONTROLLER, RegistryUnderTest, errOf, okOf } from './harness';

const PROPOSAL = 134567n;

describe('registry canister (real wasm)', () => {
  let registry: RegistryUnderTest;
  beforeAll(async () => {
    ({ registry } = await startWithGovernance({ confirmed: [PROPOSAL] }));
  });

  const submit = (envelope: Uint8Array, caller: Principal) =>
    registry.call<{ Ok: T.SubmitReceipt } | { Err: T.RegistryError }>(
      'submit',
      [{ envelope }],
      caller,
    );

  it('stores a submission and serves its consensus', async () => {
    const alice = testBuilder('alice');
    const receipt = okOf(await submit(sign(alice), alice.principal));
    expect(receipt.duplicate).toBe(false);
    expect(receipt.builder.toText()).toBe(alice.principal.toText());

    const summary = okOf(
      await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [PROPOSAL]),
    );
    expect(summary.builder_count).toBe(1n);
    expect(summary.commit).toEqual([COMMIT]);
    expect(summary.artifacts[0]?.hash_groups).toEqual([
      {
        sha256: GUESTOS_HASH,
        builder_count: 1n,
        matches_expected: [true],
        environment_classes: 1n,
      },
    ]);
    expect(summary.scope).toMatchObject({ trust_list: [], builders_in_all: 1n, up_to_date: true });

    const stored = okOf(
      await registry.call<{ Ok: T.Attestation }>('get_attestation', [receipt.attestation_id]),
    );
    expect(stored.envelope).toEqual(sign(alice)); // Ed25519 is deterministic: same bytes
    expect(stored).toMatchObject({ held: false, rejection: [], builder: alice.principal });
    expect(stored.artifacts).toEqual([
      {
        effective_verdict: 'match',
        expected_differs_from_proposal: false,
        counted: true,
        later_attempt_failed: false,
      },
    ]);
    // The content is the signed statement's, read by the client's one reader.
    const read = readAttestation(stored);
    if (!read.ok) throw new Error(describeReadFailure(read.failure));
    expect(read.value.signed.predicate.environment.virtualization).toBe('bare_metal');
    expect(read.value.signed.predicate.environment.memoryBytes).toBe('68719476736');
    expect(read.value.environmentClass).toBe('ubuntu / bare_metal / podman');
    expect(read.value.effectiveVerdict).toBe('match');
  });

  it('is idempotent for the same envelope', async () => {
    const bob = testBuilder('bob');
    const envelope = sign(bob);
    const first = okOf(await submit(envelope, bob.principal));
    const again = okOf(await submit(envelope, bob.principal));
    expect(again).toEqual({ ...first, duplicate: true });
  });

  it('supersedes a builder’s older attestation and keeps it in the history', async () => {
    const carol = testBuilder('carol');
    const wsl = hashOf('wsl2');
    const first = okOf(
      await submit(
        sign(carol, predicate({ artifacts: [artifact({ kind: 'guestos', sha256: wsl })] })),
        carol.principal,
      ),
    );
    const second = okOf(
      await submit(sign(carol, predicate({ note: 'rebuilt on bare metal' })), carol.principal),
    );
    expect(second.supersedes).toEqual([first.attestation_id]);
    const old = okOf(
      await registry.call<{ Ok: T.Attestation }>('get_attestation', [first.attestation_id]),
    );
    expect(old.superseded_by).toEqual([second.attestation_id]);
    const summary = okOf(
      await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [PROPOSAL]),
    );
    expect(summary.artifacts[0]?.hash_groups.map((g) => g.sha256)).not.toContain(wsl);
  });

  it('hides and unhides for controllers only', async () => {
    const dave = testBuilder('dave');
    const { attestation_id } = okOf(await submit(sign(dave), dave.principal));
    const before = okOf(
      await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [PROPOSAL]),
    );

    // A non-controller is turned away before execution, by canister_inspect_message.
    await expect(
      registry.call('hide_attestation', [{ attestation_id, reason: 'spam' }], dave.principal),
    ).rejects.toThrow(/NOT_CONTROLLER/);

    const hidden = okOf(
      await registry.call<{ Ok: T.Attestation }>(
        'hide_attestation',
        [{ attestation_id, reason: 'sybil' }],
        CONTROLLER,
      ),
    );
    expect(hidden.hidden[0]?.reason).toBe('sybil');
    const during = okOf(
      await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [PROPOSAL]),
    );
    expect(during.builder_count).toBe(before.builder_count - 1n);
    expect(during.hidden_count).toBe(1n);

    okOf(await registry.call('unhide_attestation', [attestation_id], CONTROLLER));
    const after = okOf(
      await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [PROPOSAL]),
    );
    expect(after.builder_count).toBe(before.builder_count);
  });

  it('lets builders name themselves', async () => {
    const erin = testBuilder('erin');
    okOf(await submit(sign(erin), erin.principal));
    const profile = okOf(
      await registry.call<{ Ok: T.BuilderProfile }>(
        'set_builder_profile',
        [{ display_name: 'Erin (CodeGov)', url: ['https://codegov.example'] }],
        erin.principal,
      ),
    );
    expect(profile.display_name).toEqual(['Erin (CodeGov)']);
    const bad = await registry.call<{ Err: T.RegistryError }>(
      'set_builder_profile',
      [{ display_name: 'x', url: ['javascript:alert(1)'] }],
      erin.principal,
    );
    expect(errOf(bad)).toBe(ErrorCode.PROFILE_INVALID);
    const page = okOf(
      await registry.call<{ Ok: T.BuilderPage }>('get_builder', [
        { builder: erin.principal, cursor: [], limit: [] },
      ]),
    );
    expect(page.profile.public_key).toEqual(erin.publicKey);
    expect(page.attestations.total).toBe(1n);
  });

  it('pages attestations newest first', async () => {
    const all = okOf(
      await registry.call<{ Ok: T.AttestationPage }>('list_attestations', [
        { proposal_id: PROPOSAL, verdict: [], cursor: [], limit: [100], proof: [] },
      ]),
    );
    const ids = all.attestations.map((a) => a.id);
    expect(ids).toEqual([...ids].sort((a, b) => Number(b - a)));
    const firstPage = okOf(
      await registry.call<{ Ok: T.AttestationPage }>('list_attestations', [
        { proposal_id: PROPOSAL, verdict: [], cursor: [], limit: [2], proof: [] },
      ]),
    );
    expect(firstPage.attestations.map((a) => a.id)).toEqual(ids.slice(0, 2));
    expect(firstPage.attestations.every((a) => readAttestation(a).ok)).toBe(true);
    const next = okOf(
      await registry.call<{ Ok: T.AttestationPage }>('list_attestations', [
        {
          proposal_id: PROPOSAL,
          verdict: [],
          cursor: firstPage.next_cursor,
          limit: [2],
          proof: [],
        },
      ]),
    );
    expect(next.attestations.map((a) => a.id)).toEqual(ids.slice(2, 4));
    const proposals = await registry.call<T.ProposalPage>('list_proposals', [
      { cursor: [], limit: [], trust_list: [] },
    ]);
    expect(proposals.proposals.map((p) => p.proposal_id)).toContain(PROPOSAL);
  });

  it('serves the JSON API and badges over http_request', async () => {
    const list = await registry.http('/api/v1/proposals');
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toMatch(/application\/json/);
    expect(list.headers.get('access-control-allow-origin')).toBe('*');
    const proposals = JSON.parse(list.body) as {
      proposals: { proposal_id: string }[];
      total: string;
    };
    expect(proposals.proposals.map((p) => p.proposal_id)).toContain(PROPOSAL.toString());

    const one = JSON.parse((await registry.http(`/api/v1/proposals/${PROPOSAL}`)).body) as {
      artifacts: { kind: string; hash_groups: { sha256: string; builder_count: string }[] }[];
    };
    expect(one.artifacts[0]?.hash_groups[0]?.sha256).toBe(GUESTOS_HASH);

    const attestation = JSON.parse((await registry.http('/api/v1/attestations/1')).body) as {
      envelope: string;
      builder: string;
    };
    expect(Buffer.from(attestation.envelope, 'base64').toString('utf8')).toMatch(
      /^\{"payloadType"/,
    );

    const missing = await registry.http('/api/v1/proposals/999999');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({
      error: { code: ErrorCode.PROPOSAL_NOT_FOUND },
    });
    expect((await registry.http('/api/v1/proposals/abc')).status).toBe(404);
    expect((await registry.http('/api/v1/proposals', 'POST')).status).toBe(405);

    const badge = await registry.http(`/badge/${PROPOSAL}.svg`);
    expect(badge.headers.get('content-type')).toBe('image/svg+xml');
    expect(badge.body).toMatch(/^<svg /);
    expect(badge.body).toMatch(/aria-label="reproduced by \d+ builders"/);
    expect(badge.body).toMatch(/>\d+\/\d+</);
    const none = await registry.http('/badge/424242.svg');
    expect(none.body).toContain('no reproduction yet');
    // Every response says what it is and may not be sniffed as something else.
    for (const r of [list, missing, badge, none, await registry.http('/', 'OPTIONS')])
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('hostile and malformed submissions (real wasm)', () => {
  let registry: RegistryUnderTest;
  let digestBefore: string;
  const mallory = testBuilder('mallory');

  beforeAll(async () => {
    registry = await RegistryUnderTest.start();
    digestBefore = await dataDigest(registry);
  });

  const expectRejected = async (arg: Uint8Array, caller: Principal, code: string) => {
    const result = await registry.raw('submit', arg, caller);
    if (result.status === 'rejected') {
      // Refused before execution (inspect_message) or by the Candid layer: the code leads the message.
      expect(result.rejectMessage).toContain(`${code}: `);
    } else {
      const decoded = IDL.decode([submitResultType()], result.reply)[0] as {
        Err?: { code: string };
      };
      expect(decoded.Err?.code).toBe(code);
    }
  };
  const candid = (envelope: Uint8Array) =>
    new Uint8Array(IDL.encode([IDL.Record({ envelope: IDL.Vec(IDL.Nat8) })], [{ envelope }]));

  const vectorsDir = join(PROJECT_ROOT, 'packages/attestation/vectors/invalid');
  const vectors = readdirSync(vectorsDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({
      file: f,
      ...(JSON.parse(readFileSync(join(vectorsDir, f), 'utf8')) as {
        envelope?: string;
        envelopeBase64?: string;
        expected: { code: string };
      }),
    }));

  it('has the invalid vectors of the format to replay', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(30);
  });

  it.each(vectors.map((v) => [v.file, v] as const))(
    'rejects %s with its code',
    async (_file, vector) => {
      // Envelopes that are not UTF-8 can't be JSON strings: those vectors carry base64.
      const envelope =
        vector.envelopeBase64 !== undefined
          ? new Uint8Array(Buffer.from(vector.envelopeBase64, 'base64'))
          : new TextEncoder().encode(vector.envelope);
      await expectRejected(candid(envelope), mallory.principal, vector.expected.code);
    },
  );

  it('rejects anonymous callers before execution', async () => {
    await expectRejected(candid(sign(mallory)), Principal.anonymous(), ErrorCode.ANONYMOUS_CALLER);
  });

  it('rejects a valid envelope sent by someone else', async () => {
    await expectRejected(
      candid(sign(testBuilder('victim'))),
      mallory.principal,
      ErrorCode.CALLER_NOT_SIGNER,
    );
  });

  it('rejects a huge message before execution', async () => {
    await expectRejected(
      candid(new Uint8Array(LIMITS.envelopeBytes + 2048)),
      mallory.principal,
      ErrorCode.MESSAGE_TOO_LARGE,
    );
  });

  it('answers arguments that are not Candid for submit with INVALID_ARGUMENT', async () => {
    await expectRejected(
      new TextEncoder().encode('{"envelope": "hi"}'),
      mallory.principal,
      ErrorCode.INVALID_ARGUMENT,
    );
    await expectRejected(
      new Uint8Array(IDL.encode([IDL.Text], ['hello'])),
      mallory.principal,
      ErrorCode.INVALID_ARGUMENT,
    );
    await expectRejected(
      new Uint8Array(IDL.encode([IDL.Record({ envelope: IDL.Text })], [{ envelope: 'x' }])),
      mallory.principal,
      ErrorCode.INVALID_ARGUMENT,
    );
  });

  it('rejects bytes that are not an envelope at all', async () => {
    await expectRejected(candid(new Uint8Array()), mallory.principal, ErrorCode.NOT_JSON);
    await expectRejected(
      candid(new TextEncoder().encode('[]')),
      mallory.principal,
      ErrorCode.WRONG_TYPE,
    );
  });

  it('stored nothing for any of them', async () => {
    expect(await dataDigest(registry)).toBe(digestBefore);
    const info = await registry.call<T.RegistryInfo>('get_registry_info', []);
    expect(info.attestation_count).toBe(0n);
    expect(info.proposal_count).toBe(0n);
    expect(info.builder_count).toBe(0n);
  });
});

function submitResultType(): IDL.Type {
  const RegistryError = IDL.Record({ code: IDL.Text, message: IDL.Text });
  return IDL.Variant({ Ok: IDL.Reserved, Err: RegistryError });
}
