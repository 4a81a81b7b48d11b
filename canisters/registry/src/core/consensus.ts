/**
 * Consensus from aggregates: per artifact, hash groups with their builders and environment
 * classes, verdict counts and where the expected hash comes from. Computed from cells (see
 * `ConsensusCell`), never from attestations, so a summary costs the same at 10 or 10,000.
 */
import type { Verdict } from '@repro-registry/attestation';
import { ARTIFACT_KINDS } from '@repro-registry/attestation';
import type {
  ArtifactConsensus as ArtifactConsensusOf,
  ExpectedSource,
  HashGroup,
  VerdictCounts,
} from '@repro-registry/registry-api/consensus';

import { commitOf, expectedHashOf, expectedKindsOf, primaryKindOf } from './families';
import type {
  ArtifactKind,
  ArtifactRecord,
  CellKey,
  ConsensusCell,
  OnChainProposalJson,
  ProposalRecordJson,
} from './records';
import { UNTRACKED } from './records';

export type { ExpectedSource, HashGroup, VerdictCounts };

export type ArtifactConsensus = ArtifactConsensusOf<ArtifactKind>;

export interface Consensus {
  artifacts: ArtifactConsensus[];
  totals: VerdictCounts;
}

/**
 * Distinct cells an aggregate tracks. Honest results fall into a few dozen (artifacts × hashes ×
 * environment classes); past the limit a new result is counted with its environment, then its
 * claimed hash, then its hash (unless it is the proposal's) marked untracked, so free keys can
 * make a summary neither slow nor large, and never take the proposal's own hash from a count.
 */
export const CELL_LIMIT = 200;

export function emptyCounts(): VerdictCounts {
  return { match: 0, mismatch: 0, build_failed: 0, not_built: 0 };
}

/**
 * The artifact the proposal's main hash is about: `release_package_sha256_hex` of an IC-OS
 * election, the module of a canister install or SNS publication (`families.ts`).
 */
export function onChainArtifactKind(onChain: OnChainProposalJson | null): ArtifactKind | null {
  return primaryKindOf(onChain);
}

/** The on-chain expected hash of `kind`, if the proposal states one. */
export function onChainExpected(
  onChain: OnChainProposalJson | null,
  kind: ArtifactKind,
): string | null {
  return expectedHashOf(onChain, kind);
}

/**
 * The kinds a consensus lists, in a stable order: the IC-OS kinds in theirs, then the kinds the
 * proposal expects in its order, then any other kind with results, sorted.
 */
function kindsInOrder(cells: ConsensusCell[], onChain: OnChainProposalJson | null): ArtifactKind[] {
  const present = new Set<string>(cells.map((c) => c.kind));
  const known: ArtifactKind[] = [...ARTIFACT_KINDS, ...expectedKindsOf(onChain)];
  const rest = [...present].filter((k) => !known.includes(k as ArtifactKind)).sort();
  return [...known, ...(rest as ArtifactKind[])].filter((k) => present.has(k));
}

/**
 * The verdict that counts for consensus: against the on-chain expected hash when the proposal
 * states one for this artifact, otherwise the builder's own comparison.
 */
export function effectiveVerdict(
  artifact: Pick<ArtifactRecord, 'kind' | 'sha256' | 'verdict'>,
  onChain: OnChainProposalJson | null,
): Verdict {
  if (artifact.sha256 === null) return artifact.verdict;
  const expected = onChainExpected(onChain, artifact.kind);
  if (expected === null) return artifact.verdict;
  return artifact.sha256 === expected ? 'match' : 'mismatch';
}

/** Whether the builder's stated expected hash contradicts the proposal's. */
export function expectedClaimDiffers(
  artifact: Pick<ArtifactRecord, 'kind' | 'expectedSha256'>,
  onChain: OnChainProposalJson | null,
): boolean {
  const expected = onChainExpected(onChain, artifact.kind);
  return (
    expected !== null && artifact.expectedSha256 !== null && artifact.expectedSha256 !== expected
  );
}

function sameCell(a: ConsensusCell, b: CellKey): boolean {
  return (
    a.kind === b.kind &&
    a.sha256 === b.sha256 &&
    a.claimed === b.claimed &&
    a.verdict === b.verdict &&
    a.env === b.env &&
    a.commit === undefined
  );
}

/** Adds (delta = 1) or removes (delta = -1) one result from an aggregate's cells, in place. */
export function applyCell(cells: ConsensusCell[], key: CellKey, delta: 1 | -1): void {
  const index = cells.findIndex((c) => sameCell(c, key));
  if (index >= 0) {
    const cell = cells[index];
    cell.n += delta;
    if (cell.n <= 0) cells.splice(index, 1);
  } else if (delta === 1) {
    cells.push({ ...key, n: 1 });
  }
}

/** The key a new result is counted under in `cells` (see `CELL_LIMIT`). */
export function trackedKey(cells: ConsensusCell[], raw: CellKey, expected: string | null): CellKey {
  const has = (k: CellKey) => cells.some((c) => sameCell(c, k));
  if (cells.length < CELL_LIMIT || has(raw)) return raw;
  const withoutEnv = { ...raw, env: UNTRACKED };
  if (has(withoutEnv)) return withoutEnv;
  const withoutClaim = { ...withoutEnv, claimed: raw.claimed === null ? null : UNTRACKED };
  if (raw.sha256 === null || raw.sha256 === expected || has(withoutClaim)) return withoutClaim;
  return { ...withoutClaim, sha256: UNTRACKED };
}

/**
 * The artifact a headline or badge speaks of: the one whose hash the proposal states, else the
 * first with results.
 */
export function primaryArtifact(consensus: Consensus): ArtifactConsensus | undefined {
  return consensus.artifacts.find((a) => a.expectedSource === 'proposal') ?? consensus.artifacts[0];
}

/**
 * Builders whose result for the primary artifact (as `primaryArtifact` picks it) matches, read
 * from cells directly: a trust list's summary states it for everyone without a second consensus.
 */
export function primaryMatches(
  cells: ConsensusCell[],
  onChain: OnChainProposalJson | null,
): number {
  const inScope = cells.filter((c) => c.commit === undefined);
  const kind = onChainArtifactKind(onChain) ?? kindsInOrder(inScope, onChain)[0];
  let n = 0;
  for (const c of inScope) {
    if (
      c.kind === kind &&
      effectiveVerdict({ kind, sha256: c.sha256, verdict: c.verdict }, onChain) === 'match'
    )
      n += c.n;
  }
  return n;
}

/**
 * The commit consensus is about: the one the proposal elects, or the one a canister proposal's
 * summary claims (every counted result is for it when there is one).
 */
export function consensusCommit(proposal: ProposalRecordJson): string | null {
  return commitOf(proposal.onChain);
}

/** A proposal's consensus over all builders. */
export function proposalConsensus(proposal: ProposalRecordJson): Consensus {
  return computeConsensus({ cells: proposal.cells, onChain: proposal.onChain });
}

export function computeConsensus(args: {
  cells: ConsensusCell[];
  onChain: OnChainProposalJson | null;
}): Consensus {
  const { onChain } = args;
  const totals = emptyCounts();
  const artifacts: ArtifactConsensus[] = [];
  // Cells of layout 1 (with a commit) are replaced by an upgrade's recount before anyone reads.
  const inScope = args.cells.filter((c) => c.commit === undefined);

  for (const kind of kindsInOrder(inScope, onChain)) {
    const mine = inScope.filter((c) => c.kind === kind);

    const onChainHash = onChainExpected(onChain, kind);
    let expected = onChainHash;
    let source: ExpectedSource = onChainHash !== null ? 'proposal' : 'none';
    if (expected === null) {
      expected = mostCommon(
        mine
          .filter((c) => c.claimed !== null && c.claimed !== UNTRACKED)
          .map((c) => [c.claimed as string, c.n]),
      );
      if (expected !== null) source = 'builders';
    }

    const groups = new Map<string, { n: number; envs: Set<string> }>();
    const verdicts = emptyCounts();
    let claimMismatches = 0;
    let untracked = 0;
    for (const c of mine) {
      if (c.sha256 === UNTRACKED) untracked += c.n;
      else if (c.sha256 !== null) {
        const group = groups.get(c.sha256) ?? { n: 0, envs: new Set<string>() };
        group.n += c.n;
        if (c.env !== undefined && c.env !== UNTRACKED) group.envs.add(c.env);
        groups.set(c.sha256, group);
      }
      verdicts[effectiveVerdict({ kind, sha256: c.sha256, verdict: c.verdict }, onChain)] += c.n;
      if (
        c.claimed !== UNTRACKED &&
        expectedClaimDiffers({ kind, expectedSha256: c.claimed }, onChain)
      )
        claimMismatches += c.n;
    }
    const hashGroups = [...groups]
      .map(([sha256, g]) => ({
        sha256,
        builderCount: g.n,
        matchesExpected: expected === null ? null : sha256 === expected,
        environmentClasses: g.envs.size,
      }))
      // The expected group first, then larger groups; ties by hash so the order is stable.
      .sort(
        (a, b) =>
          Number(b.matchesExpected === true) - Number(a.matchesExpected === true) ||
          b.builderCount - a.builderCount ||
          (a.sha256 < b.sha256 ? -1 : 1),
      );
    for (const v of Object.keys(totals) as Verdict[]) totals[v] += verdicts[v];
    artifacts.push({
      kind,
      expectedSha256: expected,
      expectedSource: source,
      hashGroups,
      verdicts,
      expectedClaimMismatches: claimMismatches,
      untrackedBuilders: untracked,
    });
  }
  return { artifacts, totals };
}

function mostCommon(entries: [string, number][]): string | null {
  const counts = new Map<string, number>();
  for (const [k, n] of entries) counts.set(k, (counts.get(k) ?? 0) + n);
  let best: string | null = null;
  let bestN = 0;
  for (const [k, n] of counts) {
    if (n > bestN || (n === bestN && best !== null && k < best)) {
      best = k;
      bestN = n;
    }
  }
  return best;
}
