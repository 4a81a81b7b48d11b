/**
 * Reading an attestation the registry returns. The contract's `Attestation` is the DSSE
 * envelope exactly as the builder signed it plus only what the registry derives (id, builder,
 * submission time, per-artifact standing, supersession, hidden, held, rejection): everything an
 * attestation says — proposal, commit, artifacts, environment, tool, build, note — is read from
 * the signed statement, verified here with the same `verifyAttestation` the registry ran.
 *
 * Imports only the format package, so a browser worker can use it without the agent.
 */
import {
  environmentClass,
  overallVerdict,
  verifyAttestation,
  verifyAttestationAsync,
  type Ed25519Verifier,
  type FormatError,
  type Result,
  type Verdict,
  type VerifiedAttestation,
} from '@repro-registry/attestation';
import type * as T from '@repro-registry/registry-api';

/** Why an attestation's envelope cannot be believed as the registry presents it. */
export type AttestationReadFailure =
  /** `verifyAttestation` refused the envelope: bad signature, format or key. */
  | { kind: 'envelope_invalid'; error: FormatError }
  /** The envelope is signed by another builder than the one the registry names. */
  | { kind: 'builder_differs'; signedBy: string; builder: string }
  /** The registry's per-artifact standings do not pair with the statement's artifacts. */
  | { kind: 'artifacts_differ'; signed: number; derived: number };

/** A verified attestation: the signed statement, and the registry's derived state beside it. */
export interface ReadAttestation {
  /** What the registry returned (envelope and derived fields). */
  registry: T.Attestation;
  /** The envelope, verified: its `predicate` is the attestation's content. */
  signed: VerifiedAttestation;
  /** The worst of the artifacts' effective verdicts (the verdict that counts). */
  effectiveVerdict: Verdict;
  /** `environmentClass` of the signed environment: OS / virtualization / container runtime. */
  environmentClass: string;
}

export type AttestationRead =
  { ok: true; value: ReadAttestation } | { ok: false; failure: AttestationReadFailure };

const VERDICT_NAMES: ReadonlySet<string> = new Set([
  'match',
  'mismatch',
  'build_failed',
  'not_built',
]);

/**
 * Joins the registry's derived fields with an envelope already verified (by `verifyAttestation`
 * or `verifyAttestationAsync`): the signer must be the builder named, and the standings must
 * pair one to one with the signed artifacts.
 */
export function joinAttestation(
  registry: T.Attestation,
  verified: Result<VerifiedAttestation>,
): AttestationRead {
  if (!verified.ok)
    return { ok: false, failure: { kind: 'envelope_invalid', error: verified.error } };
  const signed = verified.value;
  const builder = registry.builder.toText();
  if (signed.builderId !== builder)
    return { ok: false, failure: { kind: 'builder_differs', signedBy: signed.builderId, builder } };
  const artifacts = signed.predicate.artifacts;
  if (artifacts.length !== registry.artifacts.length)
    return {
      ok: false,
      failure: {
        kind: 'artifacts_differ',
        signed: artifacts.length,
        derived: registry.artifacts.length,
      },
    };
  // A verdict this reader does not know (the registry may add some) counts as the signed one.
  const effective = registry.artifacts.map((s, i) =>
    VERDICT_NAMES.has(s.effective_verdict)
      ? (s.effective_verdict as Verdict)
      : artifacts[i].verdict,
  );
  return {
    ok: true,
    value: {
      registry,
      signed,
      effectiveVerdict: overallVerdict(effective),
      environmentClass: environmentClass(signed.predicate.environment),
    },
  };
}

/** Verifies the envelope and joins it with the registry's derived fields. */
export function readAttestation(registry: T.Attestation): AttestationRead {
  return joinAttestation(registry, verifyAttestation(Uint8Array.from(registry.envelope)));
}

/** `readAttestation` with a native Ed25519 check first (WebCrypto in browsers). */
export async function readAttestationAsync(
  registry: T.Attestation,
  native?: Ed25519Verifier,
): Promise<AttestationRead> {
  const envelope = Uint8Array.from(registry.envelope);
  return joinAttestation(registry, await verifyAttestationAsync(envelope, native));
}

/** One line for people about a failure. */
export function describeReadFailure(failure: AttestationReadFailure): string {
  switch (failure.kind) {
    case 'envelope_invalid': {
      const e = failure.error;
      return `the envelope does not verify (${e.code}${e.field === undefined ? '' : ` at ${e.field}`}): ${e.message}`;
    }
    case 'builder_differs':
      return `the envelope is signed by ${failure.signedBy}, not by ${failure.builder} as the registry says`;
    case 'artifacts_differ':
      return `the registry gives ${failure.derived} artifact standing(s) for ${failure.signed} signed artifact(s)`;
    default:
      return failure satisfies never;
  }
}
