/**
 * Completeness of a page of a proposal's attestations (`list_attestations` without a verdict):
 * besides each record (`verifyAttestations`), the registry certifies per proposal how many
 * attestations it holds and which id arrived at each position
 * (`proposal_attestation_count/<proposal>`, `proposal_attestations/<proposal>/<chunk>`: 16
 * positions' ids to an entry), and
 * the page's proof reveals the count and its items' positions. A page runs newest first from
 * `end` (the cursor, exclusive, or the total) down, so a reader can check that:
 * - `total` is the certified count;
 * - the i-th item is the attestation certified at position `end - 1 - i` (none left out, none
 *   reordered, none from elsewhere);
 * - `next_cursor` is where the page stops (`end - items`, absent at 0), and a page stops only
 *   after at least one item.
 * A node that drops an attestation, lowers `total` or moves `next_cursor` fails here.
 */
import {
  LABELS,
  LogErrorCode,
  POSITIONS_PER_CHUNK,
  refuse,
  u64FromLabel,
  u64Label,
} from '@repro-registry/transparency-log';
import type { Checked } from '@repro-registry/transparency-log';
import type { Label } from '@repro-registry/certification';
import type * as T from '@repro-registry/registry-api';

import { attestationOutcomes, checkedCertification, type VerifiedRead } from './verify-reads';
import type { VerifyContext } from './verify';

function u64At(value: (path: Label[]) => Uint8Array | null, path: Label[]): bigint | null {
  const bytes = value(path);
  return bytes === null || bytes.length !== 8 ? null : u64FromLabel(bytes);
}

/** The id certified at `position` (in its chunk of `POSITIONS_PER_CHUNK`), or null. */
function idAt(
  value: (path: Label[]) => Uint8Array | null,
  proposal: Uint8Array,
  position: bigint,
): bigint | null {
  const chunk = value([
    LABELS.proposalAttestations,
    proposal,
    u64Label(position / POSITIONS_PER_CHUNK),
  ]);
  const at = Number(position % POSITIONS_PER_CHUNK) * 8;
  return chunk === null || chunk.length < at + 8 ? null : u64FromLabel(chunk.subarray(at, at + 8));
}

/** The page's records and its completeness against the answer's certification. */
export async function verifyAttestationPage(
  context: VerifyContext,
  page: T.AttestationPage,
  asked: { proposalId: bigint; cursor?: bigint },
): Promise<Checked<VerifiedRead>> {
  const checked = await checkedCertification(context, page.certified);
  if (!checked.ok) return checked;
  const outcomes = attestationOutcomes(
    checked.value.certifiedHash,
    page.attestations,
    asked.proposalId,
  );
  for (const outcome of outcomes.values()) {
    if (outcome.status === 'failed') return refuse(outcome.code, outcome.message);
  }
  const value = checked.value.certifiedValue;
  const proposal = u64Label(asked.proposalId);
  const total = u64At(value, [LABELS.proposalAttestationCount, proposal]);
  const mismatch = (message: string): Checked<VerifiedRead> =>
    refuse(
      LogErrorCode.WITNESS_MISMATCH,
      `attestations of proposal ${asked.proposalId}: ${message}`,
    );
  if (total === null) return mismatch('the proof does not show how many the proposal holds');
  if (page.total !== total) {
    return mismatch(`the page says ${page.total} in all, the certified count is ${total}`);
  }
  const end = asked.cursor !== undefined && asked.cursor < total ? asked.cursor : total;
  const items = BigInt(page.attestations.length);
  if (items > end) return mismatch(`${items} attestations where at most ${end} can be`);
  for (const [i, attestation] of page.attestations.entries()) {
    const position = end - 1n - BigInt(i);
    const certified = idAt(value, proposal, position);
    if (certified !== attestation.id) {
      return mismatch(
        `item ${i} is attestation ${attestation.id}, position ${position} certifies ${certified ?? 'nothing shown'} (one left out?)`,
      );
    }
  }
  const stop = end - items;
  const next = page.next_cursor[0];
  if (stop > 0n && items === 0n) return mismatch('an empty page before the end');
  if ((stop === 0n ? undefined : stop) !== next) {
    return mismatch(
      `next_cursor is ${next ?? 'absent'}, the page stops at ${stop === 0n ? 'the end' : stop}`,
    );
  }
  return { ok: true, value: checked.value.read };
}
