/**
 * Re-verification of one attestation, in the browser, with the same `verifyAttestation` the
 * canister runs: the envelope's signature and format, and the signing key ↔ the builder the
 * registry names, with one registry standing per signed artifact. The attestation's content
 * is read from the verified statement (`SignedContent`): the registry does not repeat it. Pure,
 * so it runs the same in a worker, on the main thread and in tests.
 */
import {
  parseAttestation,
  verifyAttestation,
  verifyAttestationAsync,
  type Ed25519Verifier,
  type Result,
  type VerifiedAttestation,
  type FormatErrorCode,
  type Predicate,
} from '@repro-registry/attestation';

import { contentOf, type SignedContent } from '../model/signed';

export interface MemberHash {
  path: string;
  sha256: string;
}

/** Per artifact kind, the signed hashes of the files inside the image (when the builder listed them). */
export type SignedMembers = Record<string, MemberHash[]>;

export type VerificationFailure =
  /** `verifyAttestation` refused the envelope: bad signature, bad format, bad key. */
  | { kind: 'envelope_invalid'; code: FormatErrorCode; message: string; field: string | null }
  /** The envelope is signed by another builder than the one the registry names. */
  | { kind: 'builder_differs'; signedBy: string }
  /** The registry's per-artifact standings do not pair with the signed artifacts. */
  | { kind: 'artifacts_differ'; signed: number; standings: number };

/**
 * What only the signed statement says beyond the page's `Attestation`: the tar layer of each
 * image, and version 2's environment, exit code and failure cause.
 */
export interface SignedDetails {
  /** Per artifact kind, SHA-256 of the uncompressed tar stream (version 2). */
  tarSha256: Record<string, string>;
  environment: Predicate['environment'];
  exitCode: number | null;
  failure: { category: string; cause: string } | null;
}

export type VerificationOutcome =
  | {
      ok: true;
      content: SignedContent;
      members: SignedMembers;
      details: SignedDetails;
    }
  /** `content`: what the envelope says although it failed (null when it cannot be read). */
  | { ok: false; failure: VerificationFailure; content: SignedContent | null };

/** What the registry says about the envelope that verification checks. */
export interface ExpectedSigner {
  /** The builder the registry names (principal text). */
  builder: string;
  /** How many per-artifact standings the registry gave. */
  artifactCount: number;
}

/** An attestation as the page shows it stands for what it was built from. */
type Expected = ExpectedSigner | { builder: string; artifacts: readonly unknown[] };

const signerOf = (e: Expected): ExpectedSigner =>
  'artifactCount' in e ? e : { builder: e.builder, artifactCount: e.artifacts.length };

export function verifyStoredAttestation(
  expected: Expected,
  envelope: Uint8Array,
): VerificationOutcome {
  return judge(signerOf(expected), envelope, verifyAttestation(envelope));
}

/**
 * `verifyStoredAttestation` with the browser's own Ed25519 and SHA-256 (WebCrypto) where it
 * has them: about ten times faster, and the same outcome (see `verifyAttestationAsync`).
 */
export async function verifyStoredAttestationAsync(
  expected: Expected,
  envelope: Uint8Array,
  native: NativeCrypto = {},
): Promise<VerificationOutcome> {
  const verified = await verifyAttestationAsync(envelope, native.ed25519);
  return judge(signerOf(expected), envelope, verified);
}

/** Native primitives a runtime may offer (WebCrypto); absent ones fall back to JS. */
export interface NativeCrypto {
  ed25519?: Ed25519Verifier;
}

function judge(
  expected: ExpectedSigner,
  envelope: Uint8Array,
  verified: Result<VerifiedAttestation>,
): VerificationOutcome {
  if (!verified.ok) {
    const e = verified.error;
    // Shown beside the failure only when everything but the signature holds.
    const parsed = e.code === 'SIGNATURE_INVALID' ? parseAttestation(envelope) : null;
    return {
      ok: false,
      failure: {
        kind: 'envelope_invalid',
        code: e.code,
        message: e.message,
        field: e.field ?? null,
      },
      content: parsed?.ok === true ? contentOf(parsed.value) : null,
    };
  }
  const v = verified.value;
  const content = contentOf(v);
  if (v.builderId !== expected.builder)
    return { ok: false, failure: { kind: 'builder_differs', signedBy: v.builderId }, content };
  if (v.predicate.artifacts.length !== expected.artifactCount)
    return {
      ok: false,
      failure: {
        kind: 'artifacts_differ',
        signed: v.predicate.artifacts.length,
        standings: expected.artifactCount,
      },
      content,
    };
  const members: SignedMembers = {};
  const tarSha256: Record<string, string> = {};
  for (const a of v.predicate.artifacts) {
    if (a.members !== undefined && a.members.length > 0) {
      members[a.kind] = a.members.map((m) => ({ path: m.path, sha256: m.sha256 }));
    }
    if (a.tarSha256 !== undefined) tarSha256[a.kind] = a.tarSha256;
  }
  const details: SignedDetails = {
    tarSha256,
    environment: v.predicate.environment,
    exitCode: v.predicate.tool.exitCode ?? null,
    failure: v.predicate.build.failure ?? null,
  };
  return { ok: true, content, members, details };
}

/** One line for people about a failed verification. */
export function describeFailure(failure: VerificationFailure): string {
  switch (failure.kind) {
    case 'envelope_invalid':
      return `The envelope does not verify (${failure.code}${failure.field === null ? '' : ` at ${failure.field}`}): ${failure.message}`;
    case 'builder_differs':
      return `The envelope is signed by ${failure.signedBy}, not by the builder shown.`;
    case 'artifacts_differ':
      return `The registry gives ${failure.standings} artifact result(s) for ${failure.signed} signed artifact(s).`;
    default:
      return failure satisfies never;
  }
}
