import type {
  ArtifactKind,
  BuildInfo,
  Environment,
  ToolInfo,
  Verdict,
} from '@repro-registry/attestation';

/** Times are nanoseconds since the Unix epoch and ids are u64, both as decimal strings. */
export type U64String = string;

export interface ArtifactRecord {
  kind: ArtifactKind;
  name: string;
  sha256: string | null;
  /** What the builder expected; the on-chain hash, when known, takes precedence for consensus. */
  expectedSha256: string | null;
  verdict: Verdict;
  memberCount: number;
}

export interface HiddenMark {
  reason: string;
  at: U64String;
  by: string;
}

export interface AttestationRecordJson {
  id: U64String;
  proposalId: U64String;
  commit: string;
  builder: string;
  submittedAt: U64String;
  /** The builder's own overall verdict (worst of its artifacts). */
  verdict: Verdict;
  /** Position among the proposal's attestations, and among those with the same verdict. */
  seq: number;
  verdictSeq: number;
  artifacts: ArtifactRecord[];
  environment: Environment;
  tool: ToolInfo;
  build: BuildInfo;
  note: string;
  supersedes: U64String | null;
  supersededBy: U64String | null;
  hidden: HiddenMark | null;
}

/**
 * One cell of a proposal's consensus aggregate: how many current, visible attestations
 * reported this (commit, artifact, hash, claimed expected hash, verdict). Distinct hashes are
 * few, so the summary is computed from cells in time independent of the attestation count.
 */
export interface ConsensusCell {
  commit: string;
  kind: ArtifactKind;
  sha256: string | null;
  claimed: string | null;
  verdict: Verdict;
  n: number;
}

export interface ProposalRecordJson {
  id: U64String;
  attestationCount: number;
  /** Per declared verdict, how many attestations (all, in arrival order) — the index sizes. */
  verdictCounts: Record<Verdict, number>;
  firstAttestationAt: U64String | null;
  lastAttestationAt: U64String | null;
  /** Builders whose current attestation for this proposal is visible. */
  currentBuilders: number;
  supersededCount: number;
  hiddenCount: number;
  cells: ConsensusCell[];
  /** Current, visible attestations per attested commit. */
  commits: Record<string, number>;
  /** What governance says about the proposal (issue 4); null until first read. */
  onChain: OnChainProposalJson | null;
  sync: ProposalSyncJson;
  /** Next arrival position whose stored rendering is out of date; null: all are current. */
  renderCursor: number | null;
}

export type ProposalStatusName =
  'unknown' | 'open' | 'rejected' | 'adopted' | 'executed' | 'failed';

export interface OnChainProposalJson {
  /** `icos_election` when the proposal elects a GuestOS/HostOS version; else `other`. */
  kind: 'icos_election' | 'other';
  title: string | null;
  /** `guestos` or `hostos` for IC-OS elections. */
  os: 'guestos' | 'hostos' | null;
  payloadType: string | null;
  nnsFunction: number | null;
  electedCommit: string | null;
  releasePackageSha256Hex: string | null;
  releasePackageUrls: string[];
  launchMeasurementsHex: string[];
  status: ProposalStatusName;
  proposedAt: U64String | null;
  deadlineAt: U64String | null;
  decidedAt: U64String | null;
  executedAt: U64String | null;
  failedAt: U64String | null;
}

export interface ProposalSyncJson {
  /** `never` read, last read `ok`, or the last read failed with `error`. */
  state: 'never' | 'ok' | 'error';
  lastAttemptAt: U64String | null;
  lastSuccessAt: U64String | null;
  error: string | null;
  /** No more refreshes: the proposal is decided (or governance says it does not exist). */
  final: boolean;
}

export interface BuilderRecordJson {
  principal: string;
  publicKey: string;
  displayName: string | null;
  url: string | null;
  firstSeen: U64String;
  lastSeen: U64String;
  attestationCount: number;
}

export interface RateBucketJson {
  tokens: number;
  updatedAt: U64String;
}

export interface MetaJson {
  nextAttestationId: U64String;
  governanceCanisterId: string | null;
  builderCount: number;
  /** Proposals the refresh timer visits next (round robin over open proposals). */
  refreshCursor: U64String;
  /** Rate limit set by init/upgrade arguments; null: the defaults. */
  rateLimit: { capacity: number; refillSeconds: number } | null;
  /** Seconds between refreshes of open proposals; null: the default. */
  refreshSeconds: number | null;
  /** Proposals with out-of-date renderings left to redo (see `Registry.renderStale`). */
  staleRenderings: string[];
}
