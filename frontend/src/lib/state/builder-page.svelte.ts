/**
 * One builder: profile, key, history, and how often they agreed with the other builders.
 * The profile's public key is checked against the principal in the browser (the principal is
 * derived from the key, so a mismatch means the registry shows someone else's key).
 */
import { principalFromEd25519PublicKey } from '@repro-registry/attestation';

import { asApiError, isNotFound, type ApiError } from '../api/errors';
import type { RegistryApi } from '../api/registry.api';
import { agreementStats } from '../model/agreement';
import type { Attestation, BuilderProfile, ProposalSummary } from '../model/types';

export const BUILDER_PAGE_SIZE = 50;
const SUMMARY_CONCURRENCY = 4;

export type PageStatus = 'loading' | 'ready' | 'not_found' | 'error';

export class BuilderPageState {
  profile = $state.raw<BuilderProfile | null>(null);
  status = $state<PageStatus>('loading');
  error = $state.raw<ApiError | null>(null);
  attestations = $state.raw<Attestation[]>([]);
  nextCursor = $state.raw<bigint | null>(null);
  loadingMore = $state(false);
  loadMoreError = $state.raw<ApiError | null>(null);
  /** Summaries of the proposals in the history, for the agreement figure. */
  summaries = $state.raw(new Map<bigint, ProposalSummary>());
  summariesLoading = $state(false);

  readonly keyMatchesPrincipal = $derived.by(() => {
    if (this.profile === null) return null;
    try {
      return principalFromEd25519PublicKey(this.profile.publicKey) === this.profile.id;
    } catch {
      return false;
    }
  });
  readonly agreement = $derived(
    agreementStats({ attestations: this.attestations, summaries: this.summaries }),
  );

  constructor(private readonly args: { api: RegistryApi; builder: string }) {}

  get builder(): string {
    return this.args.builder;
  }

  async load(): Promise<void> {
    this.status = 'loading';
    this.error = null;
    try {
      const page = await this.args.api.getBuilder({
        builder: this.args.builder,
        limit: BUILDER_PAGE_SIZE,
      });
      this.profile = page.profile;
      this.attestations = page.attestations.attestations;
      this.nextCursor = page.attestations.nextCursor;
      this.status = 'ready';
    } catch (e) {
      this.error = asApiError(e);
      this.status = isNotFound(e) ? 'not_found' : 'error';
      return;
    }
    await this.loadSummaries();
  }

  async loadMore(): Promise<void> {
    if (this.nextCursor === null || this.loadingMore) return;
    this.loadingMore = true;
    this.loadMoreError = null;
    try {
      const page = await this.args.api.getBuilder({
        builder: this.args.builder,
        cursor: this.nextCursor,
        limit: BUILDER_PAGE_SIZE,
      });
      const known = new Set(this.attestations.map((a) => a.id));
      this.attestations = [
        ...this.attestations,
        ...page.attestations.attestations.filter((a) => !known.has(a.id)),
      ];
      this.nextCursor = page.attestations.nextCursor;
    } catch (e) {
      this.loadMoreError = asApiError(e);
    } finally {
      this.loadingMore = false;
    }
    await this.loadSummaries();
  }

  /** Reads the summaries not read yet; a failure leaves those proposals out of the figure. */
  private async loadSummaries(): Promise<void> {
    const wanted = [...new Set(this.attestations.map((a) => a.proposalId))].filter(
      (id) => !this.summaries.has(id),
    );
    if (wanted.length === 0) return;
    this.summariesLoading = true;
    const found = new Map(this.summaries);
    let next = 0;
    const worker = async () => {
      while (next < wanted.length) {
        const id = wanted[next++];
        try {
          found.set(id, await this.args.api.getProposalSummary(id));
        } catch (e) {
          // Shown as "not compared"; the history itself is still right.
          void asApiError(e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SUMMARY_CONCURRENCY, wanted.length) }, worker));
    this.summaries = found;
    this.summariesLoading = false;
  }
}
