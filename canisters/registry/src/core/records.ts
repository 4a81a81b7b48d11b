import type { RegistryLimits } from './limits';
import type { SourceReportJson } from './release-sources';
import type {
  Artifact,
  ArtifactSource,
  BuildInfo,
  Environment,
  ToolInfo,
  Verdict,
} from '@repro-registry/attestation';

/** Times are nanoseconds since the Unix epoch and ids are u64, both as decimal strings. */
export type U64String = string;

/** An IC-OS kind (`guestos`, …) or a canister one (`canister:<target>`, `sns-wasm:<type>`, …). */
export type ArtifactKind = Artifact['kind'];

export interface ArtifactRecord {
  kind: ArtifactKind;
  name: string;
  sha256: string | null;
  /** What the builder expected; the on-chain hash, when known, takes precedence for consensus. */
  expectedSha256: string | null;
  verdict: Verdict;
  memberCount: number;
  /**
   * This artifact is the builder's standing result for its kind on the proposal: the latest one
   * carrying a hash, else the latest attempt. Absent in records stored before layout 2 (read as
   * "the attestation is not superseded").
   */
  current?: boolean;
  /** A later attestation of the builder failed to build (or skipped) this kind; this hash stands. */
  laterAttemptFailed?: boolean;
  /** Version 2: the release's other sources of the hash as the builder read them (absent: none). */
  sources?: ArtifactSource[];
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
  /** Why the registry does not count it (wrong OS artifact, other commit); absent: not rejected. */
  rejection?: string | null;
}

/** The marker of a value the aggregate does not track separately (see `consensus.ts`). */
export const UNTRACKED = '*';

/**
 * One cell of a consensus aggregate: how many builders' standing results are this (artifact,
 * hash, claimed expected hash, verdict, environment class). Distinct cells are few and capped,
 * so a summary is computed from cells in time independent of the attestation count. Every
 * counted result is for the commit the proposal elects; `commit` only appears in aggregates
 * stored before layout 2.
 */
export interface ConsensusCell {
  kind: ArtifactKind;
  sha256: string | null;
  claimed: string | null;
  verdict: Verdict;
  /** `environmentClass(...)` of the build; absent before layout 2. */
  env?: string;
  commit?: string;
  n: number;
}

/** A cell without its count: what one builder's result for one artifact adds to an aggregate. */
export type CellKey = Omit<ConsensusCell, 'n' | 'commit'> & { env: string };

/** Why a proposal is not reproducible, as governance told it; held attestations are rejected. */
export interface ProposalRejectionJson {
  code: 'PROPOSAL_NOT_ON_CHAIN' | 'PROPOSAL_NOT_ICOS_ELECTION';
  reason: string;
}

export interface ProposalRecordJson {
  id: U64String;
  attestationCount: number;
  /** Per declared verdict, how many attestations (all, in arrival order) — the index sizes. */
  verdictCounts: Record<Verdict, number>;
  firstAttestationAt: U64String | null;
  lastAttestationAt: U64String | null;
  /** Builders with at least one counted result for this proposal. */
  currentBuilders: number;
  supersededCount: number;
  hiddenCount: number;
  cells: ConsensusCell[];
  /** Before layout 2: current, visible attestations per attested commit (now always empty). */
  commits: Record<string, number>;
  /** What governance says about the proposal (issue 4); null until first read. */
  onChain: OnChainProposalJson | null;
  sync: ProposalSyncJson;
  /** Next arrival position whose stored rendering is out of date; null: all are current. */
  renderCursor: number | null;
  /**
   * The walk from `renderCursor` also counts each attestation (held ones when the proposal is
   * confirmed, all after an upgrade from layout 1). Attestations at or after the cursor are
   * left to the walk: nothing else counts or uncounts them meanwhile.
   */
  recounting?: boolean;
  /** Set when governance says the proposal does not exist or is not an IC-OS election. */
  rejection?: ProposalRejectionJson | null;
  /** Attestations rejected one by one (wrong OS artifact, other commit). */
  rejectedCount?: number;
  /** For an executed canister install: what the target runs (see `deployed.ts`). */
  deployed?: DeployedCheckJson | null;
  /** What builders read from the release's SHA256SUMS and package URLs (`release-sources.ts`). */
  sourceReports?: SourceReportJson[];
  /** Reports not kept for the bound. */
  sourceReportsDropped?: number;
}

export type ProposalStatusName =
  'unknown' | 'open' | 'rejected' | 'adopted' | 'executed' | 'failed';

export interface OnChainProposalJson {
  /**
   * `icos_election` when the proposal elects a GuestOS/HostOS version; `canister_install` when it
   * installs a module into a canister (InstallCode or an older form); `sns_wasm` when it
   * publishes an SNS canister module (AddSnsWasm); else `other`.
   */
  kind: 'icos_election' | 'canister_install' | 'sns_wasm' | 'other';
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
  /** The module a canister family proposal installs (absent in records of other kinds). */
  canisterInstall?: CanisterInstallJson | null;
  /** The SNS module an AddSnsWasm proposal publishes. */
  snsWasm?: SnsWasmJson | null;
  /** The commit a canister proposal's summary says it was built from (proposer's text). */
  claimedCommit?: string | null;
  /** What the proposal expects builders to reproduce, per artifact kind, in the proposal's order. */
  expected?: ExpectedArtifactJson[];
}

export interface ExpectedArtifactJson {
  kind: ArtifactKind;
  sha256: string;
}

export interface CanisterInstallJson {
  /** InstallCode, NnsCanisterUpgrade, … (`CanisterInstallSource` in packages/proposals). */
  source: string;
  /** Null for an NNS canister the proposal creates. */
  targetCanisterId: string | null;
  targetName: string | null;
  installMode: string;
  wasmModuleHashHex: string;
  argHashHex: string | null;
}

export interface SnsWasmJson {
  canisterType: string;
  wasmHashHex: string;
}

/**
 * The registry's read of the module a canister proposal's target runs (management canister
 * `canister_info`), after the proposal was executed.
 */
export interface DeployedCheckJson {
  canisterId: string;
  /**
   * `due`: not read yet; `deployed`: the canister runs the proposed module; `differs`: it runs
   * another; `no_module`: it runs none; `error`: the read failed (`error` says why);
   * `replaced`: the module was deployed, and since then a newer executed install for the same
   * canister (`replacedBy`) or an install outside governance (`replacedBy` null) replaced it.
   */
  state: 'due' | 'deployed' | 'differs' | 'no_module' | 'error' | 'replaced';
  moduleHashHex: string | null;
  checkedAt: U64String | null;
  error: string | null;
  attempts: number;
  /** The last read that found the proposed module running (absent: never seen deployed). */
  deployedAt?: U64String | null;
  /** The newer executed install proposal for the same canister, when one replaced the module. */
  replacedBy?: U64String | null;
}

export interface ProposalSyncJson {
  /** `never` read, last read `ok`, or the last read failed with `error`. */
  state: 'never' | 'ok' | 'error';
  lastAttemptAt: U64String | null;
  lastSuccessAt: U64String | null;
  error: string | null;
  /** No more refreshes: the proposal is decided (or governance says it does not exist). */
  final: boolean;
  /** Reads of governance so far (the refresh timer gives an unconfirmed proposal a few). */
  attempts?: number;
}

export interface BuilderRecordJson {
  principal: string;
  publicKey: string;
  displayName: string | null;
  url: string | null;
  firstSeen: U64String;
  lastSeen: U64String;
  attestationCount: number;
  /** Proposals with a standing of this builder (`builderProposals` index size). */
  proposalCount?: number;
  /** Unconfirmed proposals the builder has held attestations for (pruned when they resolve). */
  pending?: U64String[];
}

/**
 * One builder's standing on one proposal: per artifact kind, the attestation whose result
 * counts and the cell it adds to the aggregates, so a newer result replaces exactly what the
 * older one added.
 */
export interface StandingJson {
  /** The builder's newest attestation for the proposal (the next one supersedes it). Absent in
   *  layout 1, which kept it in `currentAttestation`. */
  latest?: U64String;
  kinds: Partial<Record<ArtifactKind, StandingEntryJson>>;
  /** The cells as last applied to the aggregates of the trust lists that hold the builder;
   *  absent while that is what counts now (so it is stored only while a change is queued). */
  listed?: CellKey[];
}

export interface StandingEntryJson {
  id: U64String;
  hasHash: boolean;
  /** The result as it is: what trust lists count. */
  cell: CellKey;
  /** Where the proposal's aggregate over all builders counts it, when that is not `cell`
   *  (the aggregate was full: see `CELL_LIMIT`). */
  tracked?: CellKey;
  /** Visible and counted (false while hidden). */
  counted: boolean;
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
  /** Stable layout: absent = 1 (before trust lists and per-artifact standings), then 2. */
  layout?: number;
  /** `RENDERING_SHAPE` of the stored attestation renderings (absent: 0). */
  renderingShape?: number;
  /** Limits set by init/upgrade arguments; absent fields take the defaults (`limits.ts`). */
  limits?: Partial<RegistryLimitsJson>;
  /** Unconfirmed proposals holding attestations. */
  pendingProposals?: U64String[];
  /** Next index into `pendingProposals` the refresh timer reads. */
  pendingCursor?: number;
  /** Confirmed proposals still open for voting: the refresh timer's round robin. */
  openProposals?: U64String[];
  /** Executed canister installs whose deployed module the refresh timer reads next. */
  deployedDue?: U64String[];
  /** Per target canister, the executed install proposals the registry knows (newest last). */
  deployedTargets?: Record<string, U64String[]>;
  nextTrustListId?: U64String;
  /** Trust lists with a version being counted or an old one being removed. */
  listJobs?: U64String[];
  /** The event stream's bounds (`events.ts`); absent until the first event. */
  events?: EventCounterJson;
}

/** The event stream's next sequence number and the oldest one still kept. */
export interface EventCounterJson {
  next: U64String;
  oldest: U64String;
}

/** `RegistryLimits` as stored (JSON has no bigint). */
export type RegistryLimitsJson = Omit<RegistryLimits, 'minCycles'> & { minCycles: string };

export interface TrustListJson {
  id: U64String;
  owner: string;
  name: string;
  description: string;
  /** The newest published version (1, 2, ...). */
  version: number;
  /** The version the aggregates count (0 until the first is counted). */
  readyVersion: number;
  createdAt: U64String;
  publishedAt: U64String;
  /** A version being counted (`build`), then the previous one's aggregates removed (`clean`). */
  job: TrustListJobJson | null;
}

export interface TrustListJobJson {
  phase: 'build' | 'clean';
  version: number;
  /** Next member index to walk. */
  member: number;
}

export interface TrustListVersionJson {
  version: number;
  name: string;
  description: string;
  /** Principals (text), sorted, unique. */
  members: string[];
  publishedAt: U64String;
}

/** Per trust list, per version containing the builder, the builder's index in its members. */
export type MembershipsJson = Record<string, Record<string, number>>;

/** A trust list's aggregate for one proposal. */
export interface ListTallyJson {
  cells: ConsensusCell[];
  builders: number;
}
