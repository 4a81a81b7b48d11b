/**
 * What the frontend works with: the registry's answers with Candid's encodings undone (`opt`
 * as value-or-null, principals as text, nanosecond times as epoch milliseconds, small counts
 * as numbers). Only `api/` builds these from the wire; everything else reads them.
 */
import type {
  ArtifactKind,
  Environment as FormatEnvironment,
  Verdict,
  Virtualization,
} from '@repro-registry/attestation';
import type {
  ArtifactConsensus,
  ExpectedSource,
  HashGroup,
  VerdictCounts,
} from '@repro-registry/registry-api/consensus';

export type { ArtifactKind, Verdict, Virtualization };

export type ProposalStatus = 'open' | 'rejected' | 'adopted' | 'executed' | 'failed' | 'unknown';
export type SyncState = 'never' | 'ok' | 'error';

/** The registry's consensus counts: one definition, in the contract's package. */
export type { ArtifactConsensus, ExpectedSource, HashGroup, VerdictCounts };

export interface OnChainProposal {
  kind: string;
  title: string | null;
  os: string | null;
  payloadType: string | null;
  electedCommit: string | null;
  releasePackageSha256: string | null;
  releasePackageUrls: string[];
  launchMeasurements: string[];
  status: ProposalStatus;
  proposedAt: number | null;
  deadlineAt: number | null;
  decidedAt: number | null;
  executedAt: number | null;
  failedAt: number | null;
  /** Canister families: what the proposal expects builders to reproduce, per artifact kind. */
  expected?: { kind: string; sha256: string }[];
  /** Canister installs: the target (well-known name, else id). */
  canisterTarget?: string | null;
}

export interface ProposalSync {
  state: SyncState;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  error: string | null;
  final: boolean;
}

/** A trust list as a consensus names it. */
export interface TrustListRef {
  id: bigint;
  name: string;
  version: number;
  owner: string;
}

/** Whose results a consensus counts: everyone, or the builders on one trust list. */
export interface ConsensusScope {
  trustList: TrustListRef | null;
  /** Builders with a counted result over everyone. */
  buildersInAll: number;
  /** Builders over everyone whose result for the proposal's artifact matches ("7 in all"). */
  matchingInAll: number;
  /** False for a moment while new attestations or a list's new version are counted. */
  upToDate: boolean;
}

export interface ProposalSummary {
  proposalId: bigint;
  commit: string | null;
  attestationCount: number;
  builderCount: number;
  supersededCount: number;
  hiddenCount: number;
  otherCommitCount: number;
  firstAttestationAt: number | null;
  lastAttestationAt: number | null;
  totals: VerdictCounts;
  artifacts: ArtifactConsensus[];
  onChain: OnChainProposal | null;
  sync: ProposalSync;
  scope: ConsensusScope;
  /** Attestations held before the proposal was confirmed that could not count. */
  rejectedCount: number;
  /** Executed canister installs: what the target runs, as the registry read it on chain. */
  deployed?: DeployedCheck | null;
  /** What builders read from the release's SHA256SUMS and package URLs (registry.did `ReleaseSource`). */
  releaseSources?: ReleaseSource[];
  /** A source disagrees with the proposal's hash (or, without one, with the others): reject. */
  sourcesDisagree?: boolean;
}

/** One source of an artifact's hash as builders read it: a SHA256SUMS entry or a package URL's bytes. */
export interface ReleaseSource {
  kind: string;
  /** `sha256sums` or `package_url` (newer registries may add kinds). */
  source: string;
  url: string;
  sha256: string | null;
  builderCount: number;
  /** Whether it is the proposal's hash; null without a hash or a reference. */
  agrees: boolean | null;
}

/** "proposed = reproduced = deployed", or where the chain differs (registry.did `DeployedCheck`). */
export interface DeployedCheck {
  canisterId: string;
  /** `due`, `deployed`, `differs`, `no_module`, `error` (newer registries may add states). */
  state: string;
  proposedSha256: string;
  deployedSha256: string | null;
  reproducedSha256: string | null;
  reproducedBuilders: number;
  agreement: string;
  checkedAt: number | null;
  error: string | null;
}

export interface ProposalPage {
  proposals: ProposalSummary[];
  nextCursor: bigint | null;
  total: number;
}

/**
 * The builder's machine, in the attestation format's own shape (byte counts as decimal text);
 * `virtualization` as text, since a newer registry may send values this page does not know.
 */
export type Environment = Omit<FormatEnvironment, 'virtualization'> & { virtualization: string };

export interface ArtifactResult {
  kind: string;
  name: string;
  sha256: string | null;
  expectedSha256: string | null;
  verdict: Verdict;
  effectiveVerdict: Verdict;
  expectedDiffersFromProposal: boolean;
  memberCount: number;
  /** This result counts now (the builder's standing one, visible, not held or rejected). */
  counted: boolean;
  /** A later attempt of the builder failed; this hash still counts. */
  laterAttemptFailed: boolean;
}

export interface ToolInfo {
  name: string;
  version: string;
  scriptSha256: string | null;
}

export interface BuildInfo {
  startedOn: string;
  finishedOn: string;
  cleanCache: boolean | null;
}

export interface HiddenMark {
  reason: string;
  at: number;
  by: string;
}

/** What the registry derives about one artifact of an attestation (in the statement's order). */
export interface ArtifactStanding {
  effectiveVerdict: Verdict;
  expectedDiffersFromProposal: boolean;
  counted: boolean;
  laterAttemptFailed: boolean;
}

/**
 * An attestation as the registry returns it: the envelope exactly as signed, and only what the
 * registry derives. Its content is read from the envelope (`model/signed.ts`).
 */
export interface ListedAttestation {
  id: bigint;
  builder: string;
  submittedAt: number;
  /** The worst of the standings' effective verdicts. */
  effectiveVerdict: Verdict;
  standings: ArtifactStanding[];
  supersedes: bigint | null;
  supersededBy: bigint | null;
  hidden: HiddenMark | null;
  commitDiffersFromProposal: boolean;
  /** Waiting for the registry to confirm the proposal on chain. */
  held: boolean;
  /** Why the registry does not count it; null when it is not rejected. */
  rejection: string | null;
  /** The DSSE envelope exactly as submitted. */
  envelope: Uint8Array;
}

export interface ListedAttestationPage {
  attestations: ListedAttestation[];
  nextCursor: bigint | null;
  total: number;
}

/**
 * An attestation as the page shows it: what the builder signed (read from the envelope) joined
 * with what the registry derives (`model/signed.ts` `attestationOf`).
 */
export interface Attestation extends Omit<ListedAttestation, 'standings'> {
  proposalId: bigint;
  commit: string;
  /** The builder's own overall verdict, as signed. */
  verdict: Verdict;
  artifacts: ArtifactResult[];
  environment: Environment;
  tool: ToolInfo;
  build: BuildInfo;
  note: string;
  /** OS / virtualization / container runtime (`environmentClass` of the attestation package). */
  environmentClass: string;
}

export interface AttestationPage {
  attestations: Attestation[];
  nextCursor: bigint | null;
  total: number;
}

export interface BuilderProfile {
  id: string;
  publicKey: Uint8Array;
  displayName: string | null;
  url: string | null;
  firstSeen: number;
  lastSeen: number;
  attestationCount: number;
}

export interface BuilderPage {
  profile: BuilderProfile;
  attestations: AttestationPage;
}

export interface RegistryInfo {
  version: string;
  attestationCount: number;
  proposalCount: number;
  builderCount: number;
  maxPageSize: number;
}

/** A trust list: a named, versioned set of builders someone vouches for. */
export interface TrustList {
  id: bigint;
  name: string;
  description: string;
  owner: string;
  /** The newest version, and the one consensus counts now. */
  version: number;
  countedVersion: number;
  memberCount: number;
}
