import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '@repro-registry/attestation';
import { describe, expect, it } from 'vitest';
import { unknownV2Environment } from '../../../../packages/attestation/scripts/vectors-lib';

import { ROOT_MEMBERS, WSL2, attestation, testBuilder } from '../test-support/fixtures';
import { describeFailure, verifyStoredAttestation, type ExpectedSigner } from './verify';

const alice = testBuilder('alice');
const bob = testBuilder('bob');

function withPayload(envelope: Uint8Array, edit: (statement: string) => string): Uint8Array {
  const e = JSON.parse(utf8Decode(envelope)) as { payload: string };
  e.payload = base64Encode(utf8Encode(edit(utf8Decode(base64Decode(e.payload)))));
  return utf8Encode(JSON.stringify(e));
}

// What signAttestation records for version 2's fields a version 1-shaped predicate lacks.
const v2Unknowns = unknownV2Environment();

describe('verifyStoredAttestation', () => {
  it('verifies a stored attestation against its envelope and returns the signed file hashes', () => {
    const a = attestation({
      id: 1n,
      builder: alice,
      members: ROOT_MEMBERS,
      environment: WSL2,
      note: 'built twice',
    });
    const outcome = verifyStoredAttestation(a, a.envelope);
    expect(outcome).toEqual({
      ok: true,
      // What the page shows is what was signed: the fixture's fields, read back.
      content: {
        proposalId: a.proposalId,
        commit: a.commit,
        verdict: a.verdict,
        artifacts: a.artifacts.map(
          ({ kind, name, sha256, expectedSha256, verdict, memberCount }) => ({
            kind,
            name,
            sha256,
            expectedSha256,
            verdict,
            memberCount,
          }),
        ),
        environment: { ...WSL2, ...v2Unknowns },
        tool: a.tool,
        build: a.build,
        note: 'built twice',
        environmentClass: a.environmentClass,
      },
      members: { guestos: ROOT_MEMBERS.map(({ path, sha256 }) => ({ path, sha256 })) },
      // Version 2's fields come from the signed statement (the registry's index has v1's only).
      details: {
        tarSha256: {},
        environment: { ...WSL2, ...v2Unknowns },
        exitCode: null,
        failure: null,
      },
    });
  });

  it('fails a tampered payload on its signature', () => {
    const a = attestation({ id: 1n, builder: alice });
    const tampered = withPayload(a.envelope, (s) =>
      s.replace('"cleanCache":true', '"cleanCache":false'),
    );
    const outcome = verifyStoredAttestation(a, tampered);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toMatchObject({ kind: 'envelope_invalid', code: 'SIGNATURE_INVALID' });
    expect(describeFailure(outcome.failure)).toContain('SIGNATURE_INVALID');
    // What the envelope claims is kept beside the failure, never as verified.
    expect(outcome.content?.build.cleanCache).toBe(false);
  });

  it('keeps no content of an envelope that cannot be read', () => {
    const a = attestation({ id: 1n, builder: alice });
    const outcome = verifyStoredAttestation(a, utf8Encode('{"payloadType":1}'));
    expect(outcome).toMatchObject({ ok: false, content: null });
  });

  it('fails when the envelope is signed by another builder than the one the registry names', () => {
    const a = attestation({ id: 1n, builder: alice });
    const byBob = attestation({ id: 1n, builder: bob });
    expect(verifyStoredAttestation(a, byBob.envelope)).toMatchObject({
      ok: false,
      failure: { kind: 'builder_differs', signedBy: bob.principal },
      content: { proposalId: byBob.proposalId },
    });
  });

  it("fails when the registry's standings do not pair with the signed artifacts", () => {
    const a = attestation({ id: 1n, builder: alice });
    const outcome = verifyStoredAttestation({ builder: a.builder, artifactCount: 2 }, a.envelope);
    expect(outcome).toMatchObject({
      ok: false,
      failure: { kind: 'artifacts_differ', signed: 1, standings: 2 },
    });
    if (!outcome.ok) expect(describeFailure(outcome.failure)).toContain('2 artifact result(s)');
  });
});

// The attestation package's golden vectors, through the frontend's verification: the same
// verdicts as in the canister and the CLI.
describe('attestation test vectors', () => {
  const dir = join(import.meta.dirname, '../../../../packages/attestation/vectors/');
  const load = (kind: string) =>
    readdirSync(dir + kind)
      .filter((f) => f.endsWith('.json'))
      .map((f) => {
        const raw = JSON.parse(readFileSync(`${dir}${kind}/${f}`, 'utf8')) as {
          envelope?: string;
          envelopeBase64?: string;
          expected: { ok: true } | { code: string };
        };
        const bytes =
          raw.envelopeBase64 !== undefined
            ? new Uint8Array(Buffer.from(raw.envelopeBase64, 'base64'))
            : new Uint8Array(Buffer.from(raw.envelope!, 'utf8'));
        return { name: `${kind}/${f}`, bytes, expected: raw.expected };
      });
  const vectors = [...load('valid'), ...load('invalid')];

  it('has vectors to run', () => {
    expect(vectors.length).toBeGreaterThan(100);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    // The signer and standings as the registry would derive them from the envelope itself, so
    // only the envelope decides the outcome.
    const stored = storedFieldsOf(v.bytes);
    const outcome = verifyStoredAttestation(stored, v.bytes);
    if ('ok' in v.expected) expect(outcome).toMatchObject({ ok: true });
    else
      expect(outcome).toMatchObject({
        ok: false,
        failure: { kind: 'envelope_invalid', code: v.expected.code },
      });
  });
});

function storedFieldsOf(bytes: Uint8Array): ExpectedSigner {
  try {
    const envelope = JSON.parse(utf8Decode(bytes)) as { payload: string };
    const p = (
      JSON.parse(utf8Decode(base64Decode(envelope.payload))) as { predicate: Record<string, never> }
    ).predicate as unknown as { builder: { id: string }; artifacts: unknown[] };
    return { builder: p.builder.id, artifactCount: p.artifacts.length };
  } catch {
    // Not even parseable: any signer does, verification stops at the envelope.
    return { builder: alice.principal, artifactCount: 1 };
  }
}
