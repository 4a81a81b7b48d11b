/**
 * The list page's badges from certified data: for the proposals shown, their summaries as the
 * registry certified them, verified in this browser — over everyone (one certificate per batch)
 * or over the trust list chosen (`scoped/<list>/<id>`, one proof per summary). A proposal is
 * read again when the list says it changed. What failed verification is kept as such: the
 * badge says "failed verification", never the unchecked number.
 */
import { SvelteMap } from 'svelte/reactivity';

import type { CertifiedApi, CertifiedSummary } from '../api/certified.api';
import { asApiError, type ApiError } from '../api/errors';
import type { ProposalSummary } from '../model/types';

export type CertifiedBadgeSource =
  | CertifiedSummary
  | { status: 'loading' }
  /** The certified read itself failed (no answer); the badge says it could not be checked. */
  | { status: 'error'; error: ApiError };

/** Reads again, with backoff, a summary the registry has not certified in its latest form yet. */
const LAG_RETRIES = 4;
const LAG_RETRY_MS = 1_000;

export class CertifiedSummaries {
  private readonly known = new SvelteMap<bigint, CertifiedBadgeSource>();
  /** The list summary each certified read answered for (a change asks again). */
  private readonly readFor = new Map<bigint, string>();

  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly api: CertifiedApi,
    /** Count only this trust list's builders (null: everyone). */
    private readonly trustList: bigint | null = null,
  ) {}

  get(proposalId: bigint): CertifiedBadgeSource {
    return this.known.get(proposalId) ?? { status: 'loading' };
  }

  /** Proposals whose certified summary failed verification, in the order asked. */
  readonly failed = $derived(
    [...this.known].flatMap(([id, s]) => (s.status === 'failed' ? [{ id, ...s }] : [])),
  );

  /**
   * Reads the certified summaries of these proposals unless read for the same list summary
   * (attestation counts and last change).
   */
  async request(proposals: readonly ProposalSummary[], attempt = 0): Promise<void> {
    const stale = proposals.filter((p) => this.readFor.get(p.proposalId) !== versionOf(p));
    if (stale.length === 0) return;
    const mismatched = new Set<bigint>();
    for (const p of stale) this.readFor.set(p.proposalId, versionOf(p));
    const ids = stale.map((p) => p.proposalId);
    try {
      const outcomes =
        this.trustList === null
          ? await this.api.summaries(ids)
          : await this.api.scopedSummaries(this.trustList, ids);
      for (const id of ids) {
        const outcome = outcomes.get(id) ?? { status: 'loading' };
        // A scoped summary is proven by the answer's own witness, which lags an update (the
        // client read it again already): read again later before calling it failed.
        if (this.trustList !== null && lagsBehind(outcome) && attempt < LAG_RETRIES) {
          mismatched.add(id);
          if (!this.known.has(id)) this.known.set(id, { status: 'loading' });
        } else {
          this.known.set(id, outcome);
        }
      }
    } catch (e) {
      const error = asApiError(e);
      for (const id of ids) {
        this.readFor.delete(id);
        this.known.set(id, { status: 'error', error });
      }
    }
    // A certified summary lags an update by one message: one that is not certified yet (or older
    // than the list's) is read again with the next refresh.
    const lagging = stale.filter((p) => {
      const s = this.known.get(p.proposalId);
      return (
        mismatched.has(p.proposalId) ||
        s?.status === 'absent' ||
        (s?.status === 'verified' && versionOf(s.summary) !== versionOf(p))
      );
    });
    for (const p of lagging) this.readFor.delete(p.proposalId);
    if (lagging.length > 0 && attempt < LAG_RETRIES && !this.disposed) {
      const wait = LAG_RETRY_MS * 2 ** attempt;
      this.timer = setTimeout(() => void this.request(lagging, attempt + 1), wait);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
  }
}

function lagsBehind(outcome: CertifiedBadgeSource): boolean {
  return outcome.status === 'failed' && outcome.code === 'WITNESS_MISMATCH';
}

/** What changes when a proposal's attestations change (a certified summary may lag by one). */
export function versionOf(s: ProposalSummary): string {
  return `${s.attestationCount}:${s.hiddenCount}:${s.supersededCount}:${s.lastAttestationAt}:${s.onChain?.status}`;
}
