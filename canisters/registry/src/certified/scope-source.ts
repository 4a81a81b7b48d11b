/**
 * What the certified state reads about trust lists and scoped summaries (`certified-scopes.ts`),
 * from the registry's tables. The texts are the ones readers rebuild from `get_trust_list` and
 * `list_trust_lists` answers (packages/transparency-log `trust-list-records.ts`).
 */
import * as C from '@repro-registry/registry-api';
import { trustListMembersBytes, trustListVersionBytes } from '@repro-registry/transparency-log';

import type { Registry } from '../core/registry';
import { u64FromKey, u64Key } from '../core/tables';
import { candidSummary } from '../replies';
import { encodeReply } from '../reply-encoder';
import type { ScopeSource } from './certified-scopes';

export function scopeSourceOf(registry: Registry): ScopeSource {
  const tables = registry.tables;
  return {
    trustListIds: () =>
      tables.trustLists.keys(0, tables.trustLists.len()).map((key) => u64FromKey(key)),
    trustList: (id) => {
      const list = tables.trustLists.get(u64Key(id));
      return list === undefined
        ? undefined
        : { version: list.version, countedVersion: list.readyVersion, counting: list.job !== null };
    },
    trustListVersion: (id, version) => {
      const view = registry.getTrustList({ id, version });
      if (!view.ok) return undefined;
      const { list, version: v } = view.value;
      return {
        record: trustListVersionBytes({
          id: list.id,
          owner: list.owner,
          version: v.version,
          name: v.name,
          description: v.description,
          member_count: v.members.length,
          published_at: v.publishedAt,
          created_at: list.createdAt,
        }),
        members: trustListMembersBytes(v.members),
      };
    },
    confirmedProposalIds: (start, length) =>
      tables.confirmedProposals.keys(start, length).map((key) => u64FromKey(key)),
    confirmed: (id) => tables.confirmedProposals.containsKey(u64Key(id)),
    scopedSummaryMessage: (listId, proposalId) => {
      const view = registry.summary({ proposalId, trustList: listId });
      return view.ok ? encodeReply(C.CertifiedSummaryShape, candidSummary(view.value)) : null;
    },
    listsCounted: () => tables.listQueue.len() === 0,
  };
}
