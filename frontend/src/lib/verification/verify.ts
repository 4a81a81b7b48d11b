/**
 * Re-verification of one stored attestation, in the browser, with the same
 * `verifyAttestation` the canister runs: the envelope's signature and format, the signing key
 * ↔ the builder the registry names, and every stored field ↔ the signed payload. Pure, so it
 * runs the same in a worker, on the main thread and in tests.
 */
import {
  ENVIRONMENT_FIELDS_V1,
  sha256Hex,
  verifyAttestation,
  verifyAttestationAsync,
  type Ed25519Verifier,
  type Result,
  type VerifiedAttestation,
  type FormatErrorCode,
  type Predicate,
} from '@repro-registry/attestation';

import type { Attestation } from '../model/types';
import { overallVerdict } from '../model/verdicts';

export interface MemberHash {
  path: string;
  sha256: string;
}

/** Per artifact kind, the signed hashes of the files inside the image (when the builder listed them). */
export type SignedMembers = Record<string, MemberHash[]>;

export type VerificationFailure =
  /** The registry did not hand out the envelope. */
  | { kind: 'envelope_missing' }
  /** `verifyAttestation` refused the envelope: bad signature, bad format, bad key. */
  | { kind: 'envelope_invalid'; code: FormatErrorCode; message: string; field: string | null }
  /** The envelope is signed by another builder than the one the registry names. */
  | { kind: 'builder_differs'; signedBy: string }
  /** A field the registry shows differs from what the builder signed. */
  | { kind: 'field_differs'; field: string; signed: string; stored: string };

/**
 * What only the signed statement says (the registry's index keeps the version 1 fields): the
 * tar layer of each image, and version 2's environment, exit code and failure cause.
 */
export interface SignedDetails {
  /** Per artifact kind, SHA-256 of the uncompressed tar stream (version 2). */
  tarSha256: Record<string, string>;
  environment: Predicate['environment'];
  exitCode: number | null;
  failure: { category: string; cause: string } | null;
}

export type VerificationOutcome =
  /** `envelopeSha256`: of the bytes as received, to compare with `sha256sum` of a download. */
  | { ok: true; members: SignedMembers; envelopeSha256: string; details: SignedDetails }
  | { ok: false; failure: VerificationFailure };

/** The parts of a stored attestation that verification compares (no envelope, no registry-derived fields). */
export type StoredAttestation = Pick<
  Attestation,
  | 'proposalId'
  | 'commit'
  | 'builder'
  | 'verdict'
  | 'artifacts'
  | 'environment'
  | 'tool'
  | 'build'
  | 'note'
>;

const text = (v: string | number | boolean | null | undefined): string =>
  v === null ? 'null' : v === undefined ? 'absent' : String(v);

function firstDifference(signed: Predicate, stored: StoredAttestation): VerificationFailure | null {
  type Field = string | number | boolean | null | undefined;
  const pairs: [string, Field, Field][] = [
    ['proposal.id', signed.proposal.id, stored.proposalId.toString()],
    ['proposal.commit', signed.proposal.commit, stored.commit],
    ['artifacts.length', signed.artifacts.length, stored.artifacts.length],
  ];
  signed.artifacts.forEach((a, i) => {
    const s = stored.artifacts[i];
    const at = `artifacts[${i}]`;
    pairs.push(
      [`${at}.kind`, a.kind, s?.kind],
      [`${at}.name`, a.name, s?.name],
      [`${at}.sha256`, a.sha256, s?.sha256],
      [`${at}.expectedSha256`, a.expectedSha256, s?.expectedSha256],
      [`${at}.verdict`, a.verdict, s?.verdict],
      [`${at}.members.length`, a.members?.length ?? 0, s?.memberCount],
    );
  });
  pairs.push(['verdict', overallVerdict(signed.artifacts.map((a) => a.verdict)), stored.verdict]);
  // The registry's index keeps version 1's environment; version 2's extra fields are read
  // from the signed statement itself (`SignedDetails`).
  const env = signed.environment;
  for (const key of ENVIRONMENT_FIELDS_V1) {
    pairs.push([`environment.${key}`, env[key], stored.environment[key]]);
  }
  pairs.push(
    ['tool.name', signed.tool.name, stored.tool.name],
    ['tool.version', signed.tool.version, stored.tool.version],
    ['tool.scriptSha256', signed.tool.scriptSha256, stored.tool.scriptSha256],
    ['build.startedOn', signed.build.startedOn, stored.build.startedOn],
    ['build.finishedOn', signed.build.finishedOn, stored.build.finishedOn],
    ['build.cleanCache', signed.build.cleanCache, stored.build.cleanCache],
    ['note', signed.note ?? '', stored.note],
  );
  for (const [field, signedValue, storedValue] of pairs) {
    if (signedValue !== storedValue) {
      return { kind: 'field_differs', field, signed: text(signedValue), stored: text(storedValue) };
    }
  }
  return null;
}

export function verifyStoredAttestation(
  stored: StoredAttestation,
  envelope: Uint8Array | null,
): VerificationOutcome {
  if (envelope === null) return { ok: false, failure: { kind: 'envelope_missing' } };
  return judge(stored, envelope, verifyAttestation(envelope), sha256Hex);
}

/**
 * `verifyStoredAttestation` with the browser's own Ed25519 and SHA-256 (WebCrypto) where it
 * has them: about ten times faster, and the same outcome (see `verifyAttestationAsync`).
 */
export async function verifyStoredAttestationAsync(
  stored: StoredAttestation,
  envelope: Uint8Array | null,
  native: NativeCrypto = {},
): Promise<VerificationOutcome> {
  if (envelope === null) return { ok: false, failure: { kind: 'envelope_missing' } };
  const verified = await verifyAttestationAsync(envelope, native.ed25519);
  const digest = native.sha256Hex ? await native.sha256Hex(envelope) : sha256Hex(envelope);
  return judge(stored, envelope, verified, () => digest);
}

/** Native primitives a runtime may offer (WebCrypto); absent ones fall back to JS. */
export interface NativeCrypto {
  ed25519?: Ed25519Verifier;
  sha256Hex?: (bytes: Uint8Array) => Promise<string>;
}

function judge(
  stored: StoredAttestation,
  envelope: Uint8Array,
  verified: Result<VerifiedAttestation>,
  digest: (bytes: Uint8Array) => string,
): VerificationOutcome {
  if (!verified.ok) {
    const e = verified.error;
    return {
      ok: false,
      failure: {
        kind: 'envelope_invalid',
        code: e.code,
        message: e.message,
        field: e.field ?? null,
      },
    };
  }
  const v = verified.value;
  if (v.builderId !== stored.builder)
    return { ok: false, failure: { kind: 'builder_differs', signedBy: v.builderId } };
  const difference = firstDifference(v.predicate, stored);
  if (difference !== null) return { ok: false, failure: difference };
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
  return { ok: true, members, envelopeSha256: digest(envelope), details };
}

/** One line for people about a failed verification. */
export function describeFailure(failure: VerificationFailure): string {
  switch (failure.kind) {
    case 'envelope_missing':
      return 'The registry did not return the signed envelope.';
    case 'envelope_invalid':
      return `The envelope does not verify (${failure.code}${failure.field === null ? '' : ` at ${failure.field}`}): ${failure.message}`;
    case 'builder_differs':
      return `The envelope is signed by ${failure.signedBy}, not by the builder shown.`;
    case 'field_differs':
      return `${failure.field} differs: signed ${failure.signed}, shown ${failure.stored}.`;
    default:
      return failure satisfies never;
  }
}
