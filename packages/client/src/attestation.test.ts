import { Principal } from '@dfinity/principal';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '@repro-registry/attestation';
import {
  BARE_METAL,
  signedEnvelope,
  testArtifact,
  testKey,
  testPredicate,
} from '@repro-registry/attestation/testing';
import type * as T from '@repro-registry/registry-api';
import { describe, expect, it } from 'vitest';

import { describeReadFailure, readAttestation, readAttestationAsync } from './attestation';

const alice = testKey('client reader alice');
const bob = testKey('client reader bob');

const standing = (effective: string): T.ArtifactStanding => ({
  effective_verdict: effective,
  expected_differs_from_proposal: false,
  counted: true,
  later_attempt_failed: false,
});

/** What the registry returns: the envelope and only what it derives. */
function returned(envelope: Uint8Array, over: Partial<T.Attestation> = {}): T.Attestation {
  return {
    id: 1n,
    builder: Principal.fromText(alice.principal),
    submitted_at: 1n,
    artifacts: [standing('match')],
    supersedes: [],
    superseded_by: [],
    hidden: [],
    commit_differs_from_proposal: false,
    held: false,
    rejection: [],
    envelope,
    certified: [],
    ...over,
  };
}

describe('readAttestation', () => {
  const predicate = testPredicate({
    artifacts: [testArtifact({ kind: 'guestos' })],
    note: 'built on a quiet machine',
  });
  const envelope = signedEnvelope(alice, predicate);

  it('takes the content from the verified statement and the rest from the registry', async () => {
    const read = readAttestation(returned(envelope, { artifacts: [standing('mismatch')] }));
    if (!read.ok) throw new Error(describeReadFailure(read.failure));
    expect(read.value.signed.predicate.note).toBe('built on a quiet machine');
    expect(read.value.signed.predicate.proposal).toEqual(predicate.proposal);
    expect(read.value.signed.predicate.artifacts[0]?.verdict).toBe('match');
    // What counts is the registry's (it knows the proposal's on-chain hash).
    expect(read.value.effectiveVerdict).toBe('mismatch');
    expect(BARE_METAL).toMatchObject({ osName: 'Ubuntu', containerRuntimeName: 'podman' });
    expect(read.value.environmentClass).toBe('ubuntu / bare_metal / podman');
    expect(await readAttestationAsync(returned(envelope))).toEqual(
      readAttestation(returned(envelope)),
    );
  });

  it('refuses an envelope whose signature does not cover what it says', () => {
    const e = JSON.parse(utf8Decode(envelope)) as { payload: string };
    e.payload = base64Encode(
      utf8Encode(utf8Decode(base64Decode(e.payload)).replace('quiet', 'noisy')),
    );
    const read = readAttestation(returned(utf8Encode(JSON.stringify(e))));
    expect(read).toMatchObject({
      ok: false,
      failure: { kind: 'envelope_invalid', error: { code: 'SIGNATURE_INVALID' } },
    });
  });

  it('refuses a registry that names another builder than the signer', () => {
    const read = readAttestation(
      returned(envelope, { builder: Principal.fromText(bob.principal) }),
    );
    expect(read).toEqual({
      ok: false,
      failure: { kind: 'builder_differs', signedBy: alice.principal, builder: bob.principal },
    });
    if (!read.ok) expect(describeReadFailure(read.failure)).toContain('not by');
  });

  it('refuses standings that do not pair with the signed artifacts', () => {
    const read = readAttestation(
      returned(envelope, { artifacts: [standing('match'), standing('match')] }),
    );
    expect(read).toEqual({
      ok: false,
      failure: { kind: 'artifacts_differ', signed: 1, derived: 2 },
    });
  });
});
