/**
 * Verification of `get_certified_summaries`: one certificate for a page of proposals. The
 * certificate and witness are checked once (`verifyCertified`); then each proposal on its own,
 * so one forged summary fails alone and the page still shows the others as verified.
 */
import { IDL } from '@dfinity/candid';
import { bytesToHex, sha256 } from '@repro-registry/attestation';
import { lookupPath } from '@repro-registry/certification';
import { LABELS, LogErrorCode, u64Label, type Checked } from '@repro-registry/transparency-log';

import { ProposalSummary } from '@repro-registry/registry-api';
import type * as T from '@repro-registry/registry-api';
import { verifyCertified, type VerifiedHead, type VerifyContext } from './verify';

/** What a reader may believe about one proposal's summary from a certified batch. */
export type CertifiedSummaryOutcome =
  | { status: 'verified'; summary: T.ProposalSummary }
  /** The witness proves the registry has no certified summary of it (unknown or unconfirmed). */
  | { status: 'absent' }
  | { status: 'failed'; code: LogErrorCode; message: string };

/**
 * Checks a batch reply for the ids asked (an id the reply leaves out fails: a reader never falls
 * back to an unchecked number). Refused as a whole only when the certificate or witness fails.
 */
export async function verifyCertifiedSummaries(
  context: VerifyContext,
  asked: readonly bigint[],
  reply: T.CertifiedSummaries,
): Promise<Checked<{ head: VerifiedHead; summaries: Map<bigint, CertifiedSummaryOutcome> }>> {
  const checked = await verifyCertified(context, reply);
  if (!checked.ok) return checked;
  const { tree, head } = checked.value;
  const answers = new Map(reply.summaries.map((s) => [s.proposal_id, s.summary[0]]));
  const summaries = new Map<bigint, CertifiedSummaryOutcome>();
  const fail = (id: bigint, message: string) =>
    summaries.set(id, { status: 'failed', code: LogErrorCode.WITNESS_MISMATCH, message });
  for (const id of asked) {
    const certified = lookupPath(tree, [LABELS.proposal, u64Label(id)]);
    if (!answers.has(id)) {
      fail(id, `the reply does not answer proposal ${id}`);
      continue;
    }
    const bytes = answers.get(id);
    if (bytes === undefined) {
      if (certified.status === 'absent') summaries.set(id, { status: 'absent' });
      else fail(id, `the reply withholds the summary of proposal ${id} (${certified.status})`);
      continue;
    }
    if (certified.status !== 'found' || bytesToHex(certified.value) !== bytesToHex(sha256(bytes))) {
      fail(id, `the summary of proposal ${id} is not the certified one`);
      continue;
    }
    const [summary] = IDL.decode([ProposalSummary], bytes.slice()) as unknown as [
      T.ProposalSummary,
    ];
    if (summary.proposal_id !== id) fail(id, `the summary is of proposal ${summary.proposal_id}`);
    else summaries.set(id, { status: 'verified', summary });
  }
  return { ok: true, value: { head, summaries } };
}
