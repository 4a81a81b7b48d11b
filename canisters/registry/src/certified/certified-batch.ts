/**
 * `get_certified_summaries`: a page of proposals' certified summaries under ONE certificate and
 * one witness, so the list page verifies one BLS signature per page instead of one per proposal.
 * The witness covers `log`, `proposal_count` and `proposal/<id>` for each id answered; for a proposal without a
 * certified summary it proves the label absent.
 */
import { dataCertificate } from 'azle';
import { encodeHashTree, pathRequestOf, type Label } from '@repro-registry/certification';
import { LABELS, u64Label } from '@repro-registry/transparency-log';

import type * as C from '@repro-registry/registry-api';
import type { CertifiedState } from './certified-state';

/** Ids answered per call (the list page asks 25); the rest of a longer request is left out. */
export const MAX_CERTIFIED_SUMMARIES = 100;

export function certifiedSummaries(state: CertifiedState, ids: bigint[]): C.CertifiedSummaries {
  const answered = [...new Set(ids)].slice(0, MAX_CERTIFIED_SUMMARIES);
  const paths: Label[][] = [[LABELS.log], [LABELS.proposalCount]];
  const summaries = answered.map((id) => {
    paths.push([LABELS.proposal, u64Label(id)]);
    const summary = state.certifiedSummary(id);
    const answer: { proposal_id: bigint; summary: [] | [Uint8Array] } = {
      proposal_id: id,
      summary: summary === undefined ? [] : [summary],
    };
    return answer;
  });
  const certificate = dataCertificate();
  return {
    summaries,
    certificate: certificate === undefined ? [] : [certificate],
    witness: encodeHashTree(state.witness(pathRequestOf(paths))),
  };
}
