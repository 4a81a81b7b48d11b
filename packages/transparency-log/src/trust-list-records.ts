/**
 * The texts the registry certifies for trust lists (hashed with SHA-256 into its certified
 * tree), shared by the canister that writes them and the readers that rebuild them from an
 * answer (`get_trust_list`, `list_trust_lists`):
 *
 *   trust_list/<id>/<version>/record   a version as published (never changes)
 *   trust_list/<id>/<version>/members  its members, as published (never changes)
 *   trust_list/<id>/status             which version the list's summaries count, and whether
 *                                      a new one is being counted (changes)
 *
 * The newest version is the highest `<version>` label: a witness shows `<version + 1>` absent.
 * JSON, fields in this order, no spaces, u64 values as decimal strings, hashed as UTF-8.
 */
import { utf8Encode } from '@repro-registry/attestation';

export interface CertifiedTrustListVersion {
  id: string;
  owner: string;
  version: number;
  name: string;
  description: string;
  member_count: number;
  published_at: string;
  /** When the list (its first version) was published. */
  created_at: string;
}

export function trustListVersionBytes(v: CertifiedTrustListVersion): Uint8Array {
  return utf8Encode(
    JSON.stringify({
      id: v.id,
      owner: v.owner,
      version: v.version,
      name: v.name,
      description: v.description,
      member_count: v.member_count,
      published_at: v.published_at,
      created_at: v.created_at,
    }),
  );
}

/** The members' principals (text), in the order published (sorted). */
export function trustListMembersBytes(members: readonly string[]): Uint8Array {
  return utf8Encode(JSON.stringify([...members]));
}

export function trustListStatusBytes(s: {
  counted_version: number;
  counting: boolean;
}): Uint8Array {
  return utf8Encode(JSON.stringify({ counted_version: s.counted_version, counting: s.counting }));
}
