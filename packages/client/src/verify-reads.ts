/**
 * Verification of the ordinary reads' answers (`certified` in `get_proposal_summary`,
 * `get_consensus`, `list_proposals`, `list_attestations`, `get_attestation`, `get_builder`):
 * the certificate under the root key and fresh (`verifyCertified`), and each value returned
 * hashed exactly as the registry certifies it and found in the witness —
 * - a summary: SHA-256 of the Candid message of `(ProposalSummary)` without `certified`, at
 *   `proposal/<id>` (everyone) or `scoped/<trust list id>/<id>` (one trust list's builders);
 * - an attestation: SHA-256 of its record text (id, proposal, builder, SHA-256 of the
 *   envelope, submission time, supersession, hidden mark), at `attestation/<id>`.
 * What the proofs do not cover is said where it is: a page's `total` and `next_cursor`, an
 * attestation's derived standings (`artifacts`, `held`, `rejection`, ...) and a builder's
 * profile are not certified.
 */
import { bytesToHex, parseAttestation, sha256 } from '@repro-registry/attestation';
import { lookupPath, lookupSubtree, type Label } from '@repro-registry/certification';
import {
  LABELS,
  LogErrorCode,
  attestationRecordBytes,
  refuse,
  u64Label,
  type Checked,
} from '@repro-registry/transparency-log';

import { certifiedSummaryMessage } from '@repro-registry/registry-api';
import type * as T from '@repro-registry/registry-api';
import { verifyCertified, type VerifiedHead, type VerifyContext } from './verify';

/** A verified answer's proof, for apps that keep or show it. */
export interface VerifiedRead {
  /** The certified log head and the certificate's time. */
  head: VerifiedHead;
  certificate: Uint8Array;
  witness: Uint8Array;
}

/** `certified` of an answer: absent means unverifiable (an update). */
export type Certification = [] | [T.ReadCertification];

/** The certificate checked, and the certified value at a path (hex; null when not shown). */
export async function checkedCertification(
  context: VerifyContext,
  certified: Certification,
): Promise<
  Checked<{
    read: VerifiedRead;
    certifiedHash: (path: Label[]) => string | null;
    /** The witness proves nothing is at `path`. */
    absent: (path: Label[]) => boolean;
    /** The value the witness shows at `path`, or null (absent or pruned). */
    certifiedValue: (path: Label[]) => Uint8Array | null;
  }>
> {
  const proof = certified[0];
  if (proof === undefined) {
    return refuse(
      LogErrorCode.CERTIFICATE_INVALID,
      'the answer carries no certification (an update call, or a registry from before it proved this read)',
    );
  }
  const checked = await verifyCertified(context, {
    certificate: [proof.certificate],
    witness: proof.witness,
  });
  if (!checked.ok) return checked;
  const { tree, head } = checked.value;
  return {
    ok: true,
    value: {
      read: { head, certificate: proof.certificate, witness: proof.witness },
      certifiedHash: (path) => {
        const r = lookupPath(tree, path);
        return r.status === 'found' ? bytesToHex(r.value) : null;
      },
      absent: (path) => lookupSubtree(tree, path).status === 'absent',
      certifiedValue: (path) => {
        const r = lookupPath(tree, path);
        return r.status === 'found' ? r.value : null;
      },
    },
  };
}

/**
 * Where a summary is certified: `proposal/<id>` over everyone, `scoped/<list id>/<id>` over a
 * trust list's builders (its scope says which).
 */
function summaryPath(summary: T.ProposalSummary): Label[] {
  const list = summary.scope.trust_list[0];
  const id = u64Label(summary.proposal_id);
  return list === undefined ? [LABELS.proposal, id] : [LABELS.scoped, u64Label(list.id), id];
}

/** What a reader may believe about one summary of a verified answer. */
export type SummaryOutcome = AttestationOutcome;

/**
 * Each summary against the answer's certification, on its own (a page shows the rest and flags
 * a forged one); refused as a whole only when the certificate or witness fails. `trustList`: the
 * scope asked for (null: everyone) — a summary of another scope fails, even a certified one.
 */
export async function verifySummariesEach(
  context: VerifyContext,
  summaries: readonly T.ProposalSummary[],
  certified: Certification,
  trustList?: bigint | null,
): Promise<Checked<{ read: VerifiedRead; outcomes: Map<bigint, SummaryOutcome> }>> {
  const checked = await checkedCertification(context, certified);
  if (!checked.ok) return checked;
  const outcomes = new Map<bigint, SummaryOutcome>();
  for (const summary of summaries) {
    const scope = summary.scope.trust_list[0]?.id ?? null;
    const failed = (message: string) =>
      outcomes.set(summary.proposal_id, {
        status: 'failed',
        code: LogErrorCode.WITNESS_MISMATCH,
        message,
      });
    if (trustList !== undefined && scope !== trustList) {
      failed(
        `the summary of proposal ${summary.proposal_id} counts ${scope === null ? 'everyone' : `trust list ${scope}`}, not ${trustList === null ? 'everyone' : `trust list ${trustList}`}`,
      );
      continue;
    }
    const hash = checked.value.certifiedHash(summaryPath(summary));
    if (hash === null || hash !== bytesToHex(sha256(certifiedSummaryMessage(summary)))) {
      failed(`the summary of proposal ${summary.proposal_id} is not the certified one`);
      continue;
    }
    outcomes.set(summary.proposal_id, { status: 'verified' });
  }
  return { ok: true, value: { read: checked.value.read, outcomes } };
}

/**
 * Proposal summaries against the answer's certification: refused if any one is not certified.
 * Over everyone or a trust list, as each summary's scope says; `trustList` (null: everyone) also
 * requires that scope.
 */
export async function verifySummaries(
  context: VerifyContext,
  summaries: readonly T.ProposalSummary[],
  certified: Certification,
  trustList?: bigint | null,
): Promise<Checked<VerifiedRead>> {
  const each = await verifySummariesEach(context, summaries, certified, trustList);
  return allVerified(each);
}

function allVerified(
  each: Checked<{ read: VerifiedRead; outcomes: Map<bigint, AttestationOutcome> }>,
): Checked<VerifiedRead> {
  if (!each.ok) return each;
  for (const outcome of each.value.outcomes.values()) {
    if (outcome.status === 'failed') return refuse(outcome.code, outcome.message);
  }
  return { ok: true, value: each.value.read };
}

/** The record text the registry certifies for an attestation (`attestation/<id>`). */
export function attestationRecordOf(attestation: T.Attestation, proposalId: bigint): Uint8Array {
  const a = attestation;
  const hidden = a.hidden[0];
  return attestationRecordBytes({
    id: a.id.toString(),
    proposal: proposalId.toString(),
    builder: a.builder.toText(),
    envelope_sha256: bytesToHex(sha256(a.envelope)),
    submitted_at: a.submitted_at.toString(),
    supersedes: a.supersedes[0]?.toString() ?? null,
    superseded_by: a.superseded_by[0]?.toString() ?? null,
    hidden:
      hidden === undefined
        ? null
        : { reason: hidden.reason, by: hidden.by.toText(), at: hidden.at.toString() },
  });
}

/** The proposal an envelope's signed statement is about (its signature is checked elsewhere). */
function signedProposalId(attestation: T.Attestation): bigint | null {
  const parsed = parseAttestation(attestation.envelope);
  return parsed.ok ? BigInt(parsed.value.predicate.proposal.id) : null;
}

/** What a reader may believe about one attestation of a verified page. */
export type AttestationOutcome =
  { status: 'verified' } | { status: 'failed'; code: LogErrorCode; message: string };

/**
 * Each attestation against the answer's certification, on its own: one altered record fails
 * alone and the others still count as verified (a page can show the rest and flag that one).
 * Refused as a whole only when the certificate or witness fails. `proposalId`: the proposal the
 * page was asked for (`list_attestations`); otherwise each envelope's signed statement names it.
 */
export async function verifyAttestationsEach(
  context: VerifyContext,
  attestations: readonly T.Attestation[],
  certified: Certification,
  proposalId?: bigint,
): Promise<Checked<{ read: VerifiedRead; outcomes: Map<bigint, AttestationOutcome> }>> {
  const checked = await checkedCertification(context, certified);
  if (!checked.ok) return checked;
  const outcomes = attestationOutcomes(checked.value.certifiedHash, attestations, proposalId);
  return { ok: true, value: { read: checked.value.read, outcomes } };
}

/** Each attestation's record against the hashes a checked witness shows. */
export function attestationOutcomes(
  certifiedHash: (path: Label[]) => string | null,
  attestations: readonly T.Attestation[],
  proposalId?: bigint,
): Map<bigint, AttestationOutcome> {
  const outcomes = new Map<bigint, AttestationOutcome>();
  for (const attestation of attestations) {
    const proposal = proposalId ?? signedProposalId(attestation);
    const hash = certifiedHash([LABELS.attestation, u64Label(attestation.id)]);
    const matches =
      proposal !== null &&
      hash !== null &&
      hash === bytesToHex(sha256(attestationRecordOf(attestation, proposal)));
    outcomes.set(
      attestation.id,
      matches
        ? { status: 'verified' }
        : {
            status: 'failed',
            code: LogErrorCode.WITNESS_MISMATCH,
            message: `attestation ${attestation.id} is not the certified one`,
          },
    );
  }
  return outcomes;
}

/** Attestations against the answer's certification: refused if any one is not certified. */
export async function verifyAttestations(
  context: VerifyContext,
  attestations: readonly T.Attestation[],
  certified: Certification,
  proposalId?: bigint,
): Promise<Checked<VerifiedRead>> {
  return allVerified(await verifyAttestationsEach(context, attestations, certified, proposalId));
}
