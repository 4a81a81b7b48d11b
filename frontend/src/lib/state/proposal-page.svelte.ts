/**
 * One proposal: its consensus summary, every attestation (with envelopes) re-verified in the
 * browser, and what follows from them — hash-group member differences, environment factors,
 * the timeline. Stays current by polling the summary.
 */
import { SvelteMap } from 'svelte/reactivity';

import { asApiError, isNotFound, type ApiError } from '../api/errors';
import type { RegistryApi } from '../api/registry.api';
import { environmentFactors, consensusAttestations } from '../model/environment';
import { compareHashGroups, type GroupComparison } from '../model/members';
import type { Attestation, ProposalSummary } from '../model/types';
import { startPolling, type BackoffOptions, type Poller } from '../services/polling';
import { jobOf, type VerificationResult, type Verifier } from '../services/verification.service';
import type { VerificationOutcome } from '../verification/verify';

export const ATTESTATION_PAGE_SIZE = 100;
/** Pages of attestations read at once after the first. */
const PAGE_CONCURRENCY = 3;

export type PageStatus = 'loading' | 'ready' | 'not_found' | 'error';

const byNewest = (a: Attestation, b: Attestation) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export class ProposalPageState {
  summary = $state.raw<ProposalSummary | null>(null);
  status = $state<PageStatus>('loading');
  error = $state.raw<ApiError | null>(null);

  /** Every attestation of the proposal, newest first (superseded and hidden ones too). */
  attestations = $state.raw<Attestation[]>([]);
  attestationsStatus = $state<'loading' | 'ready' | 'error'>('loading');
  attestationsError = $state.raw<ApiError | null>(null);
  attestationTotal = $state(0);

  /** Verification outcome per attestation id (text); absent while pending. */
  readonly verification = new SvelteMap<string, VerificationOutcome>();
  verifiedCount = $state(0);
  failedCount = $state(0);
  /** Wall time from handing out the first envelope to the last result (overlaps loading). */
  verificationMs = $state<number | null>(null);
  /** Time spent verifying, summed over batches (over all workers). */
  verificationCpuMs = $state(0);

  updateError = $state.raw<ApiError | null>(null);

  /** Attestations that count for consensus (with a trust list selected, its builders' only). */
  readonly counted = $derived.by(() => consensusAttestations(this.attestations, this.members()));
  readonly factors = $derived(environmentFactors(this.counted));
  readonly allVerified = $derived(
    this.attestationsStatus === 'ready' &&
      this.verifiedCount + this.failedCount === this.attestations.length,
  );
  /** Per artifact kind, each non-reference hash group compared file by file with the reference. */
  readonly comparisons = $derived.by(() => {
    const result = new Map<string, GroupComparison[]>();
    for (const artifact of this.summary?.artifacts ?? []) {
      if (artifact.hashGroups.length < 2) continue;
      const signed = this.counted.flatMap((a) => {
        const outcome = this.verification.get(a.id.toString());
        const built = a.artifacts.find((x) => x.kind === artifact.kind);
        if (outcome?.ok !== true || built === undefined) return [];
        return [
          {
            sha256: built.sha256,
            members: outcome.members[artifact.kind],
            tarSha256: outcome.details.tarSha256[artifact.kind],
          },
        ];
      });
      result.set(artifact.kind, compareHashGroups({ groups: artifact.hashGroups, signed }));
    }
    return result;
  });

  private poller: Poller | null = null;
  private disposed = false;
  private verifyStartedAt = 0;
  private pendingVerifications = 0;

  constructor(
    private readonly args: {
      api: RegistryApi;
      verifier: Verifier;
      proposalId: bigint;
      /** Count only this trust list's builders (null or absent: everyone). */
      trustList?: bigint | null;
      /** The selected list's builders, read reactively. */
      members?: () => ReadonlySet<string> | null;
    },
  ) {}

  get proposalId(): bigint {
    return this.args.proposalId;
  }

  private members(): ReadonlySet<string> | null {
    return this.args.members?.() ?? null;
  }

  async load(): Promise<void> {
    const { api, proposalId } = this.args;
    this.status = 'loading';
    this.error = null;
    // Both requests go out together: the attestations are most of the wait.
    const firstPage = api.listAttestations({
      proposalId,
      limit: ATTESTATION_PAGE_SIZE,
      includeEnvelopes: true,
    });
    firstPage.catch(() => {}); // handled in loadAttestations; don't report it unhandled meanwhile
    try {
      this.summary = await api.getProposalSummary(proposalId, this.args.trustList);
      this.status = 'ready';
    } catch (e) {
      this.error = asApiError(e);
      this.status = isNotFound(e) ? 'not_found' : 'error';
      return;
    }
    await this.loadAttestations(firstPage);
  }

  /** Reads every page of attestations (with envelopes), verifying each page as it arrives. */
  async loadAttestations(
    firstPage = this.args.api.listAttestations({
      proposalId: this.args.proposalId,
      limit: ATTESTATION_PAGE_SIZE,
      includeEnvelopes: true,
    }),
  ): Promise<void> {
    this.attestationsStatus = 'loading';
    this.attestationsError = null;
    try {
      const first = await firstPage;
      if (this.disposed) return;
      this.attestationTotal = first.total;
      this.add(first.attestations);
      // `cursor` bounds the arrival position, so every page's cursor is known now.
      const cursors: bigint[] = [];
      for (let c = first.nextCursor; c !== null && c > 0n; c -= BigInt(ATTESTATION_PAGE_SIZE))
        cursors.push(c);
      let next = 0;
      const worker = async () => {
        while (next < cursors.length && !this.disposed) {
          const cursor = cursors[next++];
          const page = await this.args.api.listAttestations({
            proposalId: this.args.proposalId,
            cursor,
            limit: ATTESTATION_PAGE_SIZE,
            includeEnvelopes: true,
          });
          if (!this.disposed) this.add(page.attestations);
        }
      };
      await Promise.all(Array.from({ length: Math.min(PAGE_CONCURRENCY, cursors.length) }, worker));
      if (!this.disposed) {
        this.attestationsStatus = 'ready';
        performance.mark('repro:attestations-loaded', {
          detail: { attestations: this.attestations.length },
        });
      }
    } catch (e) {
      this.attestationsError = asApiError(e);
      this.attestationsStatus = 'error';
    }
  }

  /** Adds (or replaces) attestations and verifies the ones not verified yet. */
  private add(incoming: Attestation[]): void {
    if (incoming.length === 0) return;
    const byId = new Map(this.attestations.map((a) => [a.id, a]));
    for (const a of incoming) {
      const previous = byId.get(a.id);
      byId.set(
        a.id,
        previous !== undefined && a.envelope === null ? { ...a, envelope: previous.envelope } : a,
      );
    }
    this.attestations = [...byId.values()].sort(byNewest);
    const fresh = incoming.filter((a) => !this.verification.has(a.id.toString()));
    if (fresh.length === 0) return;
    if (this.pendingVerifications === 0) {
      this.verifyStartedAt = performance.now();
      this.verificationMs = null;
    }
    this.pendingVerifications += fresh.length;
    void this.args.verifier.verify(fresh.map(jobOf), (results, ms) => this.record(results, ms));
  }

  private record(results: VerificationResult[], ms: number): void {
    if (this.disposed) return;
    this.verificationCpuMs += ms;
    let ok = 0;
    let failed = 0;
    for (const { key, outcome } of results) {
      if (this.verification.has(key)) continue;
      this.verification.set(key, outcome);
      if (outcome.ok) ok++;
      else failed++;
    }
    this.verifiedCount += ok;
    this.failedCount += failed;
    this.pendingVerifications -= results.length;
    if (this.pendingVerifications <= 0) {
      this.pendingVerifications = 0;
      this.verificationMs = performance.now() - this.verifyStartedAt;
    }
  }

  /**
   * Re-reads the summary; when it changed, reads the new attestations (or all of them when
   * some were hidden or unhidden, which changes old records).
   */
  async refresh(): Promise<'changed' | 'unchanged'> {
    const { api, proposalId } = this.args;
    let fresh: ProposalSummary;
    try {
      fresh = await api.getProposalSummary(proposalId, this.args.trustList);
    } catch (e) {
      if (isNotFound(e) && this.status === 'not_found') return 'unchanged';
      throw e;
    }
    const before = this.summary;
    if (before !== null && !proposalChanged(before, fresh)) return 'unchanged';
    this.summary = fresh;
    this.status = 'ready';
    this.error = null;
    if (
      before === null ||
      before.hiddenCount !== fresh.hiddenCount ||
      this.attestationsStatus === 'error'
    ) {
      await this.loadAttestations();
      return 'changed';
    }
    let missing = fresh.attestationCount - this.attestationTotal;
    let cursor: bigint | undefined;
    const added: Attestation[] = [];
    while (missing > 0) {
      const page = await api.listAttestations({
        proposalId,
        ...(cursor === undefined ? {} : { cursor }),
        limit: Math.min(missing, ATTESTATION_PAGE_SIZE),
        includeEnvelopes: true,
      });
      added.push(...page.attestations);
      missing -= page.attestations.length;
      if (page.nextCursor === null || page.attestations.length === 0) break;
      cursor = page.nextCursor;
    }
    this.attestationTotal = fresh.attestationCount;
    // A builder's new attestation replaces their older one: in the history, and in the count
    // for each artifact the newer one's result counts for (a later failure leaves it counted).
    const superseded = new Map(
      added.filter((a) => a.supersedes !== null).map((a) => [a.supersedes as bigint, a]),
    );
    const updated = this.attestations.map((a) => {
      const by = superseded.get(a.id);
      if (by === undefined) return a;
      const replaced = new Set(by.artifacts.filter((r) => r.counted).map((r) => r.kind));
      return {
        ...a,
        supersededBy: by.id,
        artifacts: a.artifacts.map((r) => (replaced.has(r.kind) ? { ...r, counted: false } : r)),
      };
    });
    this.attestations = updated;
    this.add(added);
    return 'changed';
  }

  startLiveUpdates(options: { backoff?: BackoffOptions } = {}): void {
    this.poller?.stop();
    this.poller = startPolling({
      poll: () => this.refresh(),
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      onOutcome: (outcome, _next, error) => {
        this.updateError = outcome === 'error' ? asApiError(error) : null;
      },
    });
  }

  dispose(): void {
    this.disposed = true;
    this.poller?.stop();
  }
}

export function proposalChanged(before: ProposalSummary, after: ProposalSummary): boolean {
  return (
    before.attestationCount !== after.attestationCount ||
    before.hiddenCount !== after.hiddenCount ||
    before.supersededCount !== after.supersededCount ||
    before.onChain?.status !== after.onChain?.status ||
    before.onChain?.deadlineAt !== after.onChain?.deadlineAt ||
    before.sync.state !== after.sync.state ||
    before.sync.lastSuccessAt !== after.sync.lastSuccessAt ||
    before.sync.lastAttemptAt !== after.sync.lastAttemptAt
  );
}
