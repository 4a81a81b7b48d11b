/**
 * The Candid form of what builders read from the release's other sources of a hash (issue 12):
 * SHA256SUMS entries and what each package URL served, and whether any disagrees.
 */
import type * as C from '@repro-registry/registry-api';

import type { Consensus } from './core/consensus';
import type { ProposalRecordJson } from './core/records';
import { releaseSourcesView, sourceReference } from './core/release-sources';

export function candidReleaseSources(
  record: ProposalRecordJson,
  consensus: Consensus,
): Pick<C.ProposalSummary, 'release_sources' | 'sources_disagree'> {
  if (record.sourceReports === undefined || record.sourceReports.length === 0)
    return { release_sources: [], sources_disagree: false };
  const view = releaseSourcesView(record, sourceReference(record, consensus));
  return {
    release_sources: view.reports.map((r) => ({
      kind: r.kind,
      source: r.source,
      url: r.url,
      sha256: r.sha256 === null ? [] : [r.sha256],
      builder_count: BigInt(r.builderCount),
      agrees: r.agrees === null ? [] : [r.agrees],
    })),
    sources_disagree: view.disagree,
  };
}
