/**
 * Verification of trust lists as `get_trust_list` and `list_trust_lists` answer them: each
 * version's record text (and, for `get_trust_list`, its members' text) rebuilt from the answer,
 * hashed and found in the witness (`trust_list/<id>/<version>/record`, `.../members`), the
 * list's status (`trust_list/<id>/status`: the version counted, whether one is being counted),
 * and that the newest version is the newest: `trust_list/<id>/<newest>` is there and
 * `<newest + 1>` provably absent. Texts: packages/transparency-log `trust-list-records.ts`.
 */
import { bytesToHex, sha256 } from '@repro-registry/attestation';
import {
  LABELS,
  LogErrorCode,
  refuse,
  trustListMembersBytes,
  trustListStatusBytes,
  trustListVersionBytes,
  u64Label,
  type Checked,
} from '@repro-registry/transparency-log';
import type * as T from '@repro-registry/registry-api';

import type { VerifyContext } from './verify';
import { checkedCertification, type Certification, type VerifiedRead } from './verify-reads';

/** A list as answered: a version with its members (`TrustList`) or the newest, counted. */
type AnsweredList = T.TrustList | T.TrustListSummary;

const hex = (bytes: Uint8Array) => bytesToHex(sha256(bytes));

export async function verifyTrustLists(
  context: VerifyContext,
  lists: readonly AnsweredList[],
  certified: Certification,
): Promise<Checked<VerifiedRead>> {
  const checked = await checkedCertification(context, certified);
  if (!checked.ok) return checked;
  const { certifiedHash, absent } = checked.value;
  for (const list of lists) {
    const id = u64Label(list.id);
    const members = 'members' in list ? list.members.map((m) => m.toText()) : null;
    const newest = 'latest_version' in list ? list.latest_version : list.version;
    const record = trustListVersionBytes({
      id: list.id.toString(),
      owner: list.owner.toText(),
      version: list.version,
      name: list.name,
      description: list.description,
      member_count: members === null ? (list as T.TrustListSummary).member_count : members.length,
      published_at: list.published_at.toString(),
      created_at: list.created_at.toString(),
    });
    const status = trustListStatusBytes({
      counted_version: list.counted_version,
      counting: list.counting,
    });
    const version = u64Label(list.version);
    const problem =
      certifiedHash([LABELS.trustList, id, version, LABELS.record]) !== hex(record)
        ? 'its version is not the certified one'
        : members !== null &&
            certifiedHash([LABELS.trustList, id, version, LABELS.members]) !==
              hex(trustListMembersBytes(members))
          ? 'its members are not the certified ones'
          : certifiedHash([LABELS.trustList, id, LABELS.status]) !== hex(status)
            ? 'its counted version is not the certified one'
            : certifiedHash([LABELS.trustList, id, u64Label(newest), LABELS.record]) === null ||
                !absent([LABELS.trustList, id, u64Label(newest + 1)])
              ? `version ${newest} is not certified as its newest`
              : null;
    if (problem !== null) {
      return refuse(LogErrorCode.WITNESS_MISMATCH, `trust list ${list.id}: ${problem}`);
    }
  }
  return { ok: true, value: checked.value.read };
}
