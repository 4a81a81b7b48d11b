import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import {
  base64Decode,
  base64Encode,
  utf8Decode,
  utf8Encode,
  type Verdict,
} from '@repro-registry/attestation';
import { describe, expect, it } from 'vitest';
import { unknownV2Environment } from '../../../../packages/attestation/scripts/vectors-lib';

import { overallVerdict } from '../model/verdicts';
import { ROOT_MEMBERS, WSL2, attestation, testBuilder } from '../test-support/fixtures';
import { describeFailure, verifyStoredAttestation } from './verify';

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
      members: { guestos: ROOT_MEMBERS.map(({ path, sha256 }) => ({ path, sha256 })) },
      envelopeSha256: createHash('sha256').update(a.envelope!).digest('hex'),
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
    const tampered = withPayload(a.envelope!, (s) =>
      s.replace('"cleanCache":true', '"cleanCache":false'),
    );
    const outcome = verifyStoredAttestation(a, tampered);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toMatchObject({ kind: 'envelope_invalid', code: 'SIGNATURE_INVALID' });
    expect(describeFailure(outcome.failure)).toContain('SIGNATURE_INVALID');
  });

  it('fails when the envelope is signed by another builder than the one shown', () => {
    const a = attestation({ id: 1n, builder: alice });
    const byBob = attestation({ id: 1n, builder: bob });
    expect(verifyStoredAttestation(a, byBob.envelope)).toEqual({
      ok: false,
      failure: { kind: 'builder_differs', signedBy: bob.principal },
    });
  });

  it('fails when a shown field differs from the signed one', () => {
    const a = attestation({ id: 1n, builder: alice, environment: WSL2 });
    const shownAsBareMetal = {
      ...a,
      environment: { ...a.environment, virtualization: 'bare_metal' },
    };
    expect(verifyStoredAttestation(shownAsBareMetal, a.envelope)).toEqual({
      ok: false,
      failure: {
        kind: 'field_differs',
        field: 'environment.virtualization',
        signed: 'wsl2',
        stored: 'bare_metal',
      },
    });
    const otherVerdict = { ...a, verdict: 'mismatch' as const };
    expect(verifyStoredAttestation(otherVerdict, a.envelope)).toMatchObject({
      ok: false,
      failure: { field: 'verdict' },
    });
    const otherNote = { ...a, note: 'added later' };
    expect(verifyStoredAttestation(otherNote, a.envelope)).toMatchObject({
      ok: false,
      failure: { field: 'note', signed: '', stored: 'added later' },
    });
    const otherProposal = { ...a, proposalId: 1n };
    expect(verifyStoredAttestation(otherProposal, a.envelope)).toMatchObject({
      ok: false,
      failure: { field: 'proposal.id' },
    });
    const otherCount = { ...a, artifacts: a.artifacts.map((r) => ({ ...r, memberCount: 3 })) };
    expect(verifyStoredAttestation(otherCount, a.envelope)).toMatchObject({
      ok: false,
      failure: { field: 'artifacts[0].members.length' },
    });
  });

  it('fails without an envelope', () => {
    const a = attestation({ id: 1n, builder: alice });
    expect(verifyStoredAttestation(a, null)).toEqual({
      ok: false,
      failure: { kind: 'envelope_missing' },
    });
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
    // Stored fields as the registry would derive them from the envelope itself, so only the
    // envelope decides the outcome.
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

function storedFieldsOf(bytes: Uint8Array): Parameters<typeof verifyStoredAttestation>[0] {
  try {
    const envelope = JSON.parse(utf8Decode(bytes)) as { payload: string };
    const p = (
      JSON.parse(utf8Decode(base64Decode(envelope.payload))) as { predicate: Record<string, never> }
    ).predicate as unknown as {
      proposal: { id: string; commit: string };
      builder: { id: string };
      artifacts: {
        kind: string;
        name: string;
        sha256: string | null;
        expectedSha256: string | null;
        verdict: Verdict;
        members?: unknown[];
      }[];
      environment: Parameters<typeof verifyStoredAttestation>[0]['environment'];
      tool: { name: string; version: string; scriptSha256: string | null };
      build: { startedOn: string; finishedOn: string; cleanCache: boolean | null };
      note?: string;
    };
    return {
      proposalId: BigInt(p.proposal.id),
      commit: p.proposal.commit,
      builder: p.builder.id,
      verdict: overallVerdict(p.artifacts.map((a) => a.verdict)),
      artifacts: p.artifacts.map((a) => ({
        ...a,
        effectiveVerdict: a.verdict,
        expectedDiffersFromProposal: false,
        memberCount: a.members?.length ?? 0,
        counted: true,
        laterAttemptFailed: false,
      })),
      environment: p.environment,
      tool: p.tool,
      build: p.build,
      note: p.note ?? '',
    };
  } catch {
    // Not even parseable: any stored fields do, verification stops at the envelope.
    return attestation({ id: 1n, builder: alice });
  }
}
