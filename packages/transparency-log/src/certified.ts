/**
 * What the registry puts in its certified data (the labelled hash tree whose root hash is the
 * canister's `certified_data`), shared by the canister that writes it and the readers that
 * check witnesses against it:
 *
 *   log/size              u64, big endian (8 bytes)
 *   log/root              the log's root hash at that size (32 bytes)
 *   proposal/<id>         SHA-256 of the Candid message of the proposal's current summary
 *                         (everyone counted), as `get_certified_summary` returns it
 *   attestation/<id>      SHA-256 of the attestation's record text (below)
 *   trust_list/<id>/<version>/record, …/members, trust_list/<id>/status
 *                         SHA-256 of a trust list version's texts (`trust-list-records.ts`)
 *   scoped/<list id>/<id> SHA-256 of the Candid message of the proposal's summary counted over
 *                         the trust list's builders (as `proposal/<id>` for everyone)
 *   proposal_attestation_count/<id>
 *                         u64: how many attestations the proposal holds (every one stored, as
 *                         `list_attestations` without a verdict counts them)
 *   proposal_attestations/<id>/<chunk>
 *                         the ids (u64 each, concatenated) of the proposal's attestations that
 *                         arrived at positions 16·chunk to 16·chunk + 15 (0 first; the last
 *                         chunk is shorter): a page's items, total and cursor are then provably
 *                         complete
 *
 * `<id>` is the u64 id as 8 bytes big endian (labels then sort numerically).
 */
import { utf8Encode } from '@repro-registry/attestation';

export const LABELS = {
  log: 'log',
  size: 'size',
  root: 'root',
  proposal: 'proposal',
  attestation: 'attestation',
  /** The number of proposals the registry confirmed (what its proposal list counts). */
  proposalCount: 'proposal_count',
  /** Trust lists: each version's record and members, each list's counting status. */
  trustList: 'trust_list',
  record: 'record',
  members: 'members',
  status: 'status',
  /** Summaries counted over one trust list's builders: `scoped/<list id>/<proposal id>`. */
  scoped: 'scoped',
  /** Per proposal: how many attestations it holds (a page's `total`). */
  proposalAttestationCount: 'proposal_attestation_count',
  /** Per proposal and chunk of 16 arrival positions: the attestations' ids, in order. */
  proposalAttestations: 'proposal_attestations',
} as const;

/** Arrival positions per `proposal_attestations/<id>/<chunk>` value. */
export const POSITIONS_PER_CHUNK = 16n;

export function u64Label(value: bigint | number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value));
  return out;
}

export function u64FromLabel(bytes: Uint8Array): bigint {
  if (bytes.length !== 8) throw new Error('a u64 label is 8 bytes');
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
}

/**
 * The part of an attestation the registry certifies: who signed what (the envelope by its
 * SHA-256: a reader checks the envelope's signature and hash itself) and what happened to it
 * since. What the registry derives from the envelope (verdicts, environment class) a reader
 * derives itself.
 */
export interface CertifiedAttestation {
  id: string;
  proposal: string;
  builder: string;
  envelope_sha256: string;
  submitted_at: string;
  supersedes: string | null;
  superseded_by: string | null;
  hidden: { reason: string; by: string; at: string } | null;
}

/** The record text: JSON, fields in this order, no spaces (hashed as UTF-8). */
export function attestationRecordBytes(a: CertifiedAttestation): Uint8Array {
  return utf8Encode(
    JSON.stringify({
      id: a.id,
      proposal: a.proposal,
      builder: a.builder,
      envelope_sha256: a.envelope_sha256,
      submitted_at: a.submitted_at,
      supersedes: a.supersedes,
      superseded_by: a.superseded_by,
      hidden:
        a.hidden === null ? null : { reason: a.hidden.reason, by: a.hidden.by, at: a.hidden.at },
    }),
  );
}
