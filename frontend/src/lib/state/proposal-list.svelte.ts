/** The proposal list: pages newest first, search, and live updates of the first page. */
import { asApiError, type ApiError } from '../api/errors';
import type { RegistryApi } from '../api/registry.api';
import type { ProposalSummary } from '../model/types';
import { startPolling, type Poller, type PollOutcome } from '../services/polling';

export const PROPOSAL_PAGE_SIZE = 25;
/** A search reads at most this many pages looking for older matches. */
const SEARCH_PAGE_BUDGET = 40;

export type LoadStatus = 'loading' | 'ready' | 'error';

/** Whether a proposal matches a search: id prefix, or commit prefix (hex, any case). */
export function matchesQuery(summary: ProposalSummary, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  if (/^[0-9]+$/.test(q) && summary.proposalId.toString().startsWith(q)) return true;
  if (!/^[0-9a-f]+$/.test(q)) return false;
  const commits = [summary.commit, summary.onChain?.electedCommit ?? null];
  return commits.some((c) => c !== null && c.startsWith(q));
}

export class ProposalListState {
  proposals = $state.raw<ProposalSummary[]>([]);
  status = $state<LoadStatus>('loading');
  error = $state.raw<ApiError | null>(null);
  total = $state(0);
  nextCursor = $state.raw<bigint | null>(null);
  loadingMore = $state(false);
  loadMoreError = $state.raw<ApiError | null>(null);
  query = $state('');
  /** Live updates: the last poll failed (the list shown may be stale). */
  updateError = $state.raw<ApiError | null>(null);

  readonly filtered = $derived(this.proposals.filter((p) => matchesQuery(p, this.query)));
  readonly hasMore = $derived(this.nextCursor !== null);

  private poller: Poller | null = null;
  private searchRun = 0;

  constructor(
    private readonly api: RegistryApi,
    /** Count only this trust list's builders (null: everyone). */
    private readonly trustList: bigint | null = null,
  ) {}

  async load(): Promise<void> {
    this.status = 'loading';
    this.error = null;
    try {
      const page = await this.api.listProposals({
        limit: PROPOSAL_PAGE_SIZE,
        trustList: this.trustList,
      });
      this.proposals = page.proposals;
      this.total = page.total;
      this.nextCursor = page.nextCursor;
      this.status = 'ready';
      if (this.query !== '') void this.searchOlder();
    } catch (e) {
      this.error = asApiError(e);
      this.status = 'error';
    }
  }

  async loadMore(): Promise<void> {
    if (this.nextCursor === null || this.loadingMore) return;
    this.loadingMore = true;
    this.loadMoreError = null;
    try {
      const page = await this.api.listProposals({
        cursor: this.nextCursor,
        limit: PROPOSAL_PAGE_SIZE,
        trustList: this.trustList,
      });
      const known = new Set(this.proposals.map((p) => p.proposalId));
      this.proposals = [
        ...this.proposals,
        ...page.proposals.filter((p) => !known.has(p.proposalId)),
      ];
      this.nextCursor = page.nextCursor;
      this.total = page.total;
    } catch (e) {
      this.loadMoreError = asApiError(e);
    } finally {
      this.loadingMore = false;
    }
  }

  /** Sets the search; older pages are read (up to a budget) so old proposals are found too. */
  search(query: string): void {
    this.query = query;
    if (query.trim() !== '' && this.status === 'ready') void this.searchOlder();
  }

  private async searchOlder(): Promise<void> {
    const run = ++this.searchRun;
    for (
      let pages = 0;
      pages < SEARCH_PAGE_BUDGET && this.nextCursor !== null && run === this.searchRun;
      pages++
    ) {
      await this.loadMore();
      if (this.loadMoreError !== null) return;
    }
  }

  /** Re-reads the first page and merges it: new proposals appear, changed badges update. */
  async refresh(): Promise<'changed' | 'unchanged'> {
    const page = await this.api.listProposals({
      limit: PROPOSAL_PAGE_SIZE,
      trustList: this.trustList,
    });
    const fresh = new Map(page.proposals.map((p) => [p.proposalId, p]));
    const before = this.proposals;
    const merged = before.map((p) => fresh.get(p.proposalId) ?? p);
    const known = new Set(before.map((p) => p.proposalId));
    const added = page.proposals.filter((p) => !known.has(p.proposalId));
    const next = [...added, ...merged].sort((a, b) =>
      a.proposalId < b.proposalId ? 1 : a.proposalId > b.proposalId ? -1 : 0,
    );
    const changed =
      added.length > 0 ||
      page.proposals.some((p) =>
        summaryChanged(
          before.find((b) => b.proposalId === p.proposalId),
          p,
        ),
      );
    if (changed) this.proposals = next;
    // The cursor is an offset: a proposal added above it shifts the rest down by one. Leaving
    // it alone may read one proposal twice (dropped as a duplicate) but never skips one.
    this.total = page.total;
    if (this.status !== 'ready') {
      this.status = 'ready';
      this.error = null;
    }
    return changed ? 'changed' : 'unchanged';
  }

  startLiveUpdates(
    options: { backoff?: Parameters<typeof startPolling>[0]['backoff'] } = {},
  ): void {
    this.poller?.stop();
    this.poller = startPolling({
      poll: () => this.refresh(),
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      onOutcome: (outcome: PollOutcome, _next, error) => {
        this.updateError = outcome === 'error' ? asApiError(error) : null;
      },
    });
  }

  dispose(): void {
    this.poller?.stop();
    this.searchRun++;
  }
}

/** What the list shows changed: counts, sync and on-chain status. */
export function summaryChanged(
  before: ProposalSummary | undefined,
  after: ProposalSummary,
): boolean {
  if (before === undefined) return true;
  return (
    before.attestationCount !== after.attestationCount ||
    before.hiddenCount !== after.hiddenCount ||
    before.lastAttestationAt !== after.lastAttestationAt ||
    before.onChain?.status !== after.onChain?.status ||
    before.onChain?.deadlineAt !== after.onChain?.deadlineAt ||
    before.sync.state !== after.sync.state ||
    before.sync.lastSuccessAt !== after.sync.lastSuccessAt
  );
}
