/**
 * One proposal: its consensus summary, every attestation re-verified in the browser, and what
 * follows from them — hash-group member differences, environment factors, the timeline. The
 * registry sends each attestation as its envelope plus what it derives; what an attestation
 * says is read from the envelope where it is verified (a worker), so a row appears once its
 * signature is checked. Stays current by polling the summary.
 */
import { SvelteMap } from 'svelte/reactivity';

import { asApiError, isNotFound, type ApiError } from '../api/errors';
import type { RegistryApi } from '../api/registry.api';
import { environmentFactors, consensusAttestations } from '../model/environment';
import { compareHashGroups, type GroupComparison } from '../model/members';
import { attestationOf, unreadableContent, type SignedContent } from '../model/signed';
import type {
  Attestation,
  ListedAttestation,
  ListedAttestationPage,
  ProposalSummary,
} from '../model/types';
import { startPolling, type BackoffOptions, type Poller } from '../services/polling';
import { jobOf, type VerificationResult, type Verifier } from '../services/verification.service';
import { ConcurrentReads, PositionRanges, type PositionRange } from './page-ranges';
import type { VerificationOutcome } from '../verification/verify';

/**
 * Attestations asked for per query: the registry copies stored renderings and envelopes, so a
 * page of 500 costs little more than one of 100 and ten round trips become two (it may end a
 * page early to keep a reply small: `nextCursor` says where).
 */
export const ATTESTATION_PAGE_SIZE = 500;
/**
 * The first page is small: the replica answers queries one after another, and the read of the
 * subnet's node keys, without which no answer can be checked, must not wait behind a page of 500
 * (the rest is asked as soon as the summary, checked with those keys, gives the count).
 */
const FIRST_PAGE_SIZE = 50;
/** Pages of attestations read at once after the first. */
const PAGE_CONCURRENCY = 3;
/**
 * At most this many pages are asked for on the strength of an unchecked count (a node that
 * inflates it wastes a few reads, no more); the rest waits for a checked one.
 */
const HINTED_PAGES_MAX = 4;
/** Verification results are applied to the page at most this often (see `record`). */
const FLUSH_MS = 250;

/** What a proposal page asks first, all at once (see `startFirstReads`). */
export interface FirstReads {
  proposalId: bigint;
  trustList: bigint | null;
  /**
   * An unchecked count of the proposal's attestations that only plans reads (at most
   * `HINTED_PAGES_MAX` pages beyond the first); settles once the pages it names are asked.
   */
  hint: Promise<number | null>;
  /** The older pages asked on the hint's strength, by range (see `rangeKey`); the page takes them. */
  older: Map<string, Promise<ListedAttestationPage>>;
  summary: Promise<ProposalSummary>;
  /** The newest `firstSize` attestations. */
  firstSize: number;
  firstPage: Promise<ListedAttestationPage>;
  pageSize: number;
}

const rangeKey = ({ from, to }: PositionRange) => `${from}-${to}`;

/** The positions older than the first page's `firstSize`, when there are `total` attestations. */
function olderThanFirst(total: number, firstSize: number): PositionRange {
  const first = BigInt(firstSize);
  return { from: BigInt(total) > first ? BigInt(total) - first : 0n, to: 0n };
}

/** One page of positions `to`–`from`, newest first (`cursor` is an exclusive upper bound). */
const readRange = (api: RegistryApi, proposalId: bigint, { from, to }: PositionRange) =>
  api.listAttestations({ proposalId, cursor: from, limit: Number(from - to) });

/**
 * Asks what a proposal page needs first, all at once: the summary (small, and its checked count
 * of attestations names the ranges of the older pages), the newest attestations, and an
 * unchecked count from one node. That count comes sooner (every checked answer waits for the
 * subnet's node keys and their certificate's check), so the older pages are asked on its
 * strength while the checked answers are still on their way. The node answers in the order
 * asked, and the hint is tiny: asked first. Called by the page, or before the page is built
 * when the visit opens on it (building the app costs the main thread a few hundred ms that the
 * registry can spend answering).
 */
export function startFirstReads(args: {
  api: RegistryApi;
  proposalId: bigint;
  trustList: bigint | null;
  pageSize?: number;
}): FirstReads {
  const { api, proposalId, trustList } = args;
  const pageSize = args.pageSize ?? ATTESTATION_PAGE_SIZE;
  const firstSize = Math.min(pageSize, FIRST_PAGE_SIZE);
  const older = new Map<string, Promise<ListedAttestationPage>>();
  // The older pages leave as soon as the hint comes, not when the page that reads them is built.
  const hint = (api.attestationCountHint?.(proposalId) ?? Promise.resolve(null)).then((n) => {
    if (n === null) return null;
    const total = Math.min(n, firstSize + HINTED_PAGES_MAX * pageSize);
    const pages = new PositionRanges(BigInt(pageSize)).claim(olderThanFirst(total, firstSize));
    for (const range of pages) {
      const page = readRange(api, proposalId, range);
      page.catch(() => {});
      older.set(rangeKey(range), page);
    }
    return total;
  });
  const summary = api.getProposalSummary(proposalId, trustList);
  const firstPage = api.listAttestations({ proposalId, limit: firstSize });
  // Handled by the page that takes them; until it does, a failure is not "unhandled".
  for (const read of [hint, summary, firstPage]) read.catch(() => {});
  return { proposalId, trustList, hint, older, summary, firstSize, firstPage, pageSize };
}

export type PageStatus = 'loading' | 'ready' | 'not_found' | 'error';

const byNewest = (a: Attestation, b: Attestation) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export class ProposalPageState {
  summary = $state.raw<ProposalSummary | null>(null);
  status = $state<PageStatus>('loading');
  error = $state.raw<ApiError | null>(null);

  /**
   * Every attestation of the proposal whose envelope has been checked, newest first (superseded
   * and hidden ones too); one that failed shows what its envelope says, if it can be read.
   */
  attestations = $state.raw<Attestation[]>([]);
  /** Attestations received from the registry (verified or not yet). */
  receivedCount = $state(0);
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
      this.verifiedCount + this.failedCount === this.receivedCount,
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
  /** What the registry sent, per id (text), and what each envelope says once checked. */
  private readonly listed = new Map<string, ListedAttestation>();
  private readonly contents = new Map<string, SignedContent>();
  /** Attestations (id text) handed to the verifier whose result has not been applied yet. */
  private readonly pending = new Set<string>();
  /** Older attestation (id text) → the newer one that supersedes it, as sent. */
  private readonly newerOf = new Map<string, string>();
  /** Results not yet applied to the page (see `record`). */
  private unapplied: VerificationResult[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly args: {
      api: RegistryApi;
      verifier: Verifier;
      proposalId: bigint;
      /** Count only this trust list's builders (null or absent: everyone). */
      trustList?: bigint | null;
      /** The selected list's builders, read reactively. */
      members?: () => ReadonlySet<string> | null;
      /** Attestations per query (default `ATTESTATION_PAGE_SIZE`). */
      pageSize?: number;
      /** This page's first reads, when they were started before it was built. */
      started?: FirstReads;
    },
  ) {}

  private get pageSize(): number {
    return this.args.pageSize ?? ATTESTATION_PAGE_SIZE;
  }

  get proposalId(): bigint {
    return this.args.proposalId;
  }

  private members(): ReadonlySet<string> | null {
    return this.args.members?.() ?? null;
  }

  async load(): Promise<void> {
    const { api, proposalId, trustList = null } = this.args;
    this.status = 'loading';
    this.error = null;
    const early = this.args.started;
    const reads =
      early !== undefined &&
      early.proposalId === proposalId &&
      early.trustList === trustList &&
      early.pageSize === this.pageSize
        ? early
        : startFirstReads({ api, proposalId, trustList, pageSize: this.pageSize });
    const { summary, firstPage, firstSize } = reads;
    const counted = summary.then(
      (s) => s.attestationCount,
      () => null,
    );
    const attestations = this.loadAttestations({
      firstPage,
      firstSize,
      knownTotal: counted,
      hintedTotal: reads.hint,
      asked: reads.older,
    });
    try {
      this.summary = await summary;
      this.status = 'ready';
    } catch (e) {
      this.error = asApiError(e);
      this.status = isNotFound(e) ? 'not_found' : 'error';
      return;
    }
    await attestations;
  }

  /**
   * Reads every page of attestations, verifying each page as it arrives. `knownTotal` (the
   * summary's count, when it comes) lets the older pages be asked before the first one arrives:
   * `cursor` bounds the arrival position, so each page is a range of positions read at once.
   * Whatever the first page's own total and cursor show is not covered yet (attestations that
   * arrived meanwhile, a page the registry ended early) is read as well.
   */
  async loadAttestations({
    firstPage = this.args.api.listAttestations({
      proposalId: this.args.proposalId,
      limit: this.pageSize,
    }),
    firstSize = this.pageSize,
    knownTotal = Promise.resolve(null),
    hintedTotal = Promise.resolve(null),
    asked = new Map(),
  }: {
    firstPage?: Promise<ListedAttestationPage>;
    /** How many attestations the first page was asked for. */
    firstSize?: number;
    knownTotal?: Promise<number | null>;
    /** An unchecked count that only plans reads (see `attestationCountHint`). */
    hintedTotal?: Promise<number | null>;
    /** Pages already asked for (by `startFirstReads`), by range: taken instead of asked again. */
    asked?: Map<string, Promise<ListedAttestationPage>>;
  } = {}): Promise<void> {
    this.attestationsStatus = 'loading';
    this.attestationsError = null;
    const size = BigInt(this.pageSize);
    const ranges = new PositionRanges(size);
    const reading = new ConcurrentReads<PositionRange>(PAGE_CONCURRENCY, async (range) => {
      const { proposalId } = this.args;
      const { to } = range;
      // A range asked before the page existed is taken once; what it leaves is asked here.
      let early = asked.get(rangeKey(range));
      asked.delete(rangeKey(range));
      for (let cursor = range.from; cursor > to && !this.disposed;) {
        const page = await (early ?? readRange(this.args.api, proposalId, { from: cursor, to }));
        early = undefined;
        if (this.disposed) return;
        this.add(page.attestations);
        if (page.nextCursor === null || page.attestations.length === 0) break;
        cursor = page.nextCursor;
      }
    });
    const read = (range: PositionRange) => {
      for (const page of ranges.claim(range)) reading.push(page);
    };
    // The first page holds the newest `firstSize` of them (unless the registry ends it early).
    const readOlder = (total: number | null) => {
      if (total !== null && !this.disposed) read(olderThanFirst(total, firstSize));
    };
    try {
      void hintedTotal.then(readOlder, () => {});
      const early = knownTotal.then((total) => {
        readOlder(total);
        return total ?? 0;
      });
      const first = await firstPage;
      if (this.disposed) return;
      this.add(first.attestations);
      const firstTotal = BigInt(first.total);
      ranges.claim({ from: firstTotal, to: first.nextCursor ?? 0n });
      read({ from: first.nextCursor ?? 0n, to: 0n });
      // The summary may have counted attestations the first page did not see (answered earlier).
      const counted = await early;
      if (this.disposed) return;
      read({ from: BigInt(counted), to: firstTotal });
      this.attestationTotal = Math.max(first.total, counted);
      await reading.done();
      if (!this.disposed) {
        this.attestationsStatus = 'ready';
        performance.mark('repro:attestations-loaded', {
          detail: { attestations: this.receivedCount },
        });
      }
    } catch (e) {
      this.attestationsError = asApiError(e);
      this.attestationsStatus = 'error';
    }
  }

  /**
   * Takes (or replaces) attestations the registry sent: those whose envelope was checked
   * before are shown again with the registry's new derived fields; the others are verified.
   */
  private add(incoming: ListedAttestation[]): void {
    if (incoming.length === 0) return;
    const shown: Attestation[] = [];
    const fresh: ListedAttestation[] = [];
    for (const a of incoming) {
      const key = a.id.toString();
      this.listed.set(key, a);
      if (a.supersedes !== null) this.newerOf.set(a.supersedes.toString(), key);
      const content = this.contents.get(key);
      if (content !== undefined) shown.push(attestationOf(a, content));
      else if (!this.pending.has(key)) {
        this.pending.add(key);
        fresh.push(a);
      }
    }
    this.receivedCount = this.listed.size;
    this.show(shown);
    if (fresh.length === 0) return;
    if (this.pendingVerifications === 0) {
      this.verifyStartedAt = performance.now();
      this.verificationMs = null;
    }
    this.pendingVerifications += fresh.length;
    void this.args.verifier.verify(fresh.map(jobOf), (results, ms) => this.record(results, ms));
  }

  /**
   * A builder's new attestation replaces their older one: in the history, and in the count for
   * each artifact the newer one's result counts for (a later failure leaves it counted). The
   * registry's answer already says so for attestations read together; this keeps an older one
   * read before the newer arrived (live updates) in step. Null when nothing changes.
   */
  private supersede(newer: ListedAttestation, content: SignedContent): Attestation | null {
    if (newer.supersedes === null) return null;
    const key = newer.supersedes.toString();
    const before = this.listed.get(key);
    const olderContent = this.contents.get(key);
    if (before === undefined || olderContent === undefined) return null;
    if (before.supersededBy === newer.id) return null;
    const replaced = new Set(
      content.artifacts.filter((_, i) => newer.standings[i]?.counted === true).map((a) => a.kind),
    );
    const after: ListedAttestation = {
      ...before,
      supersededBy: newer.id,
      standings: before.standings.map((s, i) =>
        replaced.has(olderContent.artifacts[i]?.kind ?? '') ? { ...s, counted: false } : s,
      ),
    };
    this.listed.set(key, after);
    return attestationOf(after, olderContent);
  }

  /** Puts attestations into the page's list (replacing any with the same id), newest first. */
  private show(attestations: Attestation[]): void {
    if (attestations.length === 0) return;
    const byId = new Map(this.attestations.map((a) => [a.id, a]));
    for (const a of attestations) byId.set(a.id, a);
    this.attestations = [...byId.values()].sort(byNewest);
  }

  /**
   * Takes a worker batch's results. They are applied to the page together at most every
   * `FLUSH_MS` (and at once when the last arrives): every change of the list redraws the table
   * and recomputes what derives from it, which per batch of 25 would cost more than verifying.
   */
  private record(results: VerificationResult[], ms: number): void {
    if (this.disposed) return;
    this.verificationCpuMs += ms;
    this.unapplied.push(...results);
    this.pendingVerifications -= results.length;
    if (this.pendingVerifications <= 0) {
      this.pendingVerifications = 0;
      this.flush();
      this.verificationMs = performance.now() - this.verifyStartedAt;
    } else {
      this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
    }
  }

  private flush(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.disposed) return;
    const results = this.unapplied;
    this.unapplied = [];
    let ok = 0;
    let failed = 0;
    const shown: Attestation[] = [];
    for (const { key, outcome } of results) {
      this.pending.delete(key);
      if (this.verification.has(key)) continue;
      const listed = this.listed.get(key);
      if (listed === undefined) continue;
      this.verification.set(key, outcome);
      const content = outcome.content ?? unreadableContent(listed, this.args.proposalId);
      this.contents.set(key, content);
      shown.push(attestationOf(listed, content));
      const older = this.supersede(listed, content);
      if (older !== null) shown.push(older);
      // Or this one is the older, and the newer was read (and checked) first.
      const newer = this.listed.get(this.newerOf.get(key) ?? '');
      const newerContent = this.contents.get(newer?.id.toString() ?? '');
      if (newer !== undefined && newerContent !== undefined) {
        const self = this.supersede(newer, newerContent);
        if (self !== null) shown.push(self);
      }
      if (outcome.ok) ok++;
      else failed++;
    }
    this.show(shown);
    this.verifiedCount += ok;
    this.failedCount += failed;
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
    const added: ListedAttestation[] = [];
    while (missing > 0) {
      const page = await api.listAttestations({
        proposalId,
        ...(cursor === undefined ? {} : { cursor }),
        limit: Math.min(missing, this.pageSize),
      });
      added.push(...page.attestations);
      missing -= page.attestations.length;
      if (page.nextCursor === null || page.attestations.length === 0) break;
      cursor = page.nextCursor;
    }
    this.attestationTotal = fresh.attestationCount;
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
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
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
