import type { ArtifactKind, Verdict } from '@repro-registry/attestation';
import { ARTIFACT_KINDS } from '@repro-registry/attestation';

import type {
  ArtifactRecord,
  ConsensusCell,
  OnChainProposalJson,
  ProposalRecordJson,
} from './records';

export interface VerdictCounts {
  match: number;
  mismatch: number;
  build_failed: number;
  not_built: number;
}

export interface HashGroup {
  sha256: string;
  builderCount: number;
  /** null when no expected hash is known for this artifact. */
  matchesExpected: boolean | null;
}

export type ExpectedSource = 'proposal' | 'builders' | 'none';

export interface ArtifactConsensus {
  kind: ArtifactKind;
  expectedSha256: string | null;
  /** `proposal`: read from the proposal on chain; `builders`: the hash most builders expected. */
  expectedSource: ExpectedSource;
  hashGroups: HashGroup[];
  verdicts: VerdictCounts;
  /** Builders whose stated expected hash differs from the on-chain one: counted apart. */
  expectedClaimMismatches: number;
}

export interface Consensus {
  artifacts: ArtifactConsensus[];
  totals: VerdictCounts;
  /** Current attestations for another commit than the proposal's: not part of the consensus. */
  otherCommitAttestations: number;
}

export function emptyCounts(): VerdictCounts {
  return { match: 0, mismatch: 0, build_failed: 0, not_built: 0 };
}

/** The artifact the proposal's `release_package_sha256_hex` is the hash of. */
export function onChainArtifactKind(onChain: OnChainProposalJson | null): ArtifactKind | null {
  if (onChain?.kind !== 'icos_election' || onChain.releasePackageSha256Hex === null) return null;
  return onChain.os === 'hostos' ? 'hostos' : onChain.os === 'guestos' ? 'guestos' : null;
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
  const expected =
    onChainArtifactKind(onChain) === artifact.kind ? onChain?.releasePackageSha256Hex : null;
  if (expected === null || expected === undefined) return artifact.verdict;
  return artifact.sha256 === expected ? 'match' : 'mismatch';
}

/** Whether the builder's stated expected hash contradicts the proposal's. */
export function expectedClaimDiffers(
  artifact: Pick<ArtifactRecord, 'kind' | 'expectedSha256'>,
  onChain: OnChainProposalJson | null,
): boolean {
  if (onChainArtifactKind(onChain) !== artifact.kind) return false;
  return (
    artifact.expectedSha256 !== null && artifact.expectedSha256 !== onChain?.releasePackageSha256Hex
  );
}

/** Overall verdict of one attestation: the worst of its artifacts. */
export function overallVerdict(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('mismatch')) return 'mismatch';
  if (verdicts.includes('build_failed')) return 'build_failed';
  if (verdicts.includes('match')) return 'match';
  return 'not_built';
}

function sameCell(a: ConsensusCell, b: Omit<ConsensusCell, 'n'>): boolean {
  return (
    a.commit === b.commit &&
    a.kind === b.kind &&
    a.sha256 === b.sha256 &&
    a.claimed === b.claimed &&
    a.verdict === b.verdict
  );
}

/** Adds (delta = 1) or removes (delta = -1) one attestation's artifacts from the aggregate. */
export function applyToCells(
  proposal: ProposalRecordJson,
  attestation: { commit: string; artifacts: ArtifactRecord[] },
  delta: 1 | -1,
): void {
  for (const a of attestation.artifacts) {
    const cell = {
      commit: attestation.commit,
      kind: a.kind,
      sha256: a.sha256,
      claimed: a.expectedSha256,
      verdict: a.verdict,
    };
    const index = proposal.cells.findIndex((c) => sameCell(c, cell));
    if (index >= 0) {
      const existing = proposal.cells[index];
      existing.n += delta;
      if (existing.n === 0) proposal.cells.splice(index, 1);
    } else if (delta === 1) {
      proposal.cells.push({ ...cell, n: 1 });
    }
  }
  proposal.currentBuilders += delta;
  const n = (proposal.commits[attestation.commit] ?? 0) + delta;
  if (n === 0) delete proposal.commits[attestation.commit];
  else proposal.commits[attestation.commit] = n;
}

/** The commit consensus is about: the proposal's when known, else the most attested one. */
export function consensusCommit(proposal: ProposalRecordJson): string | null {
  if (proposal.onChain?.electedCommit) return proposal.onChain.electedCommit;
  return mostCommon(Object.entries(proposal.commits));
}

export function computeConsensus(proposal: ProposalRecordJson): Consensus {
  const commit = consensusCommit(proposal);
  const onChain = proposal.onChain;
  const totals = emptyCounts();
  const artifacts: ArtifactConsensus[] = [];

  for (const kind of ARTIFACT_KINDS) {
    const cells = proposal.cells.filter((c) => c.kind === kind);
    if (cells.length === 0) continue;
    const mine = cells.filter((c) => c.commit === commit);
    if (mine.length === 0) continue;

    const onChainExpected =
      onChainArtifactKind(onChain) === kind ? (onChain?.releasePackageSha256Hex ?? null) : null;
    let expected = onChainExpected;
    let source: ExpectedSource = onChainExpected !== null ? 'proposal' : 'none';
    if (expected === null) {
      expected = mostCommon(
        mine.filter((c) => c.claimed !== null).map((c) => [c.claimed as string, c.n]),
      );
      if (expected !== null) source = 'builders';
    }

    const groups = new Map<string, number>();
    const verdicts = emptyCounts();
    let claimMismatches = 0;
    for (const c of mine) {
      if (c.sha256 !== null) groups.set(c.sha256, (groups.get(c.sha256) ?? 0) + c.n);
      const verdict = effectiveVerdict({ kind, sha256: c.sha256, verdict: c.verdict }, onChain);
      verdicts[verdict] += c.n;
      if (expectedClaimDiffers({ kind, expectedSha256: c.claimed }, onChain))
        claimMismatches += c.n;
    }
    const hashGroups = [...groups]
      .map(([sha256, builderCount]) => ({
        sha256,
        builderCount,
        matchesExpected: expected === null ? null : sha256 === expected,
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
    });
  }
  const inConsensus = commit === null ? 0 : (proposal.commits[commit] ?? 0);
  return { artifacts, totals, otherCommitAttestations: proposal.currentBuilders - inConsensus };
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
