/**
 * The shapes certified data is computed over. A reply's own proof (`certified`) is not part of
 * what it proves: the canister certifies a proposal's summary as the Candid message of
 * `(ProposalSummary)` without `certified` (so summaries certified before the field existed keep
 * their hash), and stores attestations' renderings without it. Readers recompute hashes with the
 * same shape.
 */
import { IDL } from '@dfinity/candid';

import { Attestation, ProposalSummary } from './declarations/registry.did';

/** The field every certified read answer may carry. */
export const CERTIFIED_FIELD = 'certified';

function withoutCertified(type: IDL.RecordClass): IDL.RecordClass {
  return IDL.Record(Object.fromEntries(type._fields.filter(([name]) => name !== CERTIFIED_FIELD)));
}

/** `ProposalSummary` as certified under `proposal/<id>` (and as `get_certified_summary` holds it). */
export const CertifiedSummaryShape = withoutCertified(ProposalSummary);

/** `Attestation` without its proof, as the registry stores its rendering. */
export const AttestationWithoutProof = withoutCertified(Attestation);

/** The Candid message whose SHA-256 the registry certifies as `proposal/<id>`. */
export function certifiedSummaryMessage(summary: object): Uint8Array {
  return new Uint8Array(IDL.encode([CertifiedSummaryShape], [summary]));
}
