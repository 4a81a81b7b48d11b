/**
 * The registry's Candid interface. `registry.did` is generated from these types by the build
 * and committed as the API contract; a test fails when the two differ.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

export const RegistryError = IDL.Record({ code: IDL.Text, message: IDL.Text });
export type RegistryError = { code: string; message: string };

const result = <T extends IDL.Type>(ok: T) => IDL.Variant({ Ok: ok, Err: RegistryError });
export type Result<T> = { Ok: T } | { Err: RegistryError };

export const RateLimitSettings = IDL.Record({
  capacity: IDL.Nat32,
  refill_interval_seconds: IDL.Nat32,
});
export type RateLimitSettings = { capacity: number; refill_interval_seconds: number };

export const LimitSettings = IDL.Record({
  attestations_per_builder: IDL.Opt(IDL.Nat32),
  attestations_total: IDL.Opt(IDL.Nat64),
  pending_proposals_per_builder: IDL.Opt(IDL.Nat32),
  pending_proposals_total: IDL.Opt(IDL.Nat32),
  held_per_proposal: IDL.Opt(IDL.Nat32),
  trust_lists_per_owner: IDL.Opt(IDL.Nat32),
  trust_lists_total: IDL.Opt(IDL.Nat32),
  trust_list_members: IDL.Opt(IDL.Nat32),
  min_cycles: IDL.Opt(IDL.Nat),
});
export type LimitSettings = {
  attestations_per_builder: [] | [number];
  attestations_total: [] | [bigint];
  pending_proposals_per_builder: [] | [number];
  pending_proposals_total: [] | [number];
  held_per_proposal: [] | [number];
  trust_lists_per_owner: [] | [number];
  trust_lists_total: [] | [number];
  trust_list_members: [] | [number];
  min_cycles: [] | [bigint];
};

export const Limits = IDL.Record({
  attestations_per_builder: IDL.Nat32,
  attestations_total: IDL.Nat64,
  pending_proposals_per_builder: IDL.Nat32,
  pending_proposals_total: IDL.Nat32,
  held_per_proposal: IDL.Nat32,
  trust_lists_per_owner: IDL.Nat32,
  trust_lists_total: IDL.Nat32,
  trust_list_members: IDL.Nat32,
  min_cycles: IDL.Nat,
});
export type Limits = {
  attestations_per_builder: number;
  attestations_total: bigint;
  pending_proposals_per_builder: number;
  pending_proposals_total: number;
  held_per_proposal: number;
  trust_lists_per_owner: number;
  trust_lists_total: number;
  trust_list_members: number;
  min_cycles: bigint;
};

export const InitArgs = IDL.Record({
  governance_canister_id: IDL.Opt(IDL.Principal),
  rate_limit: IDL.Opt(RateLimitSettings),
  proposal_refresh_seconds: IDL.Opt(IDL.Nat32),
  limits: IDL.Opt(LimitSettings),
});
export type InitArgs = {
  governance_canister_id: [] | [Principal];
  rate_limit: [] | [RateLimitSettings];
  proposal_refresh_seconds: [] | [number];
  limits: [] | [LimitSettings];
};

export const VerdictCounts = IDL.Record({
  match: IDL.Nat64,
  mismatch: IDL.Nat64,
  build_failed: IDL.Nat64,
  not_built: IDL.Nat64,
});
export type VerdictCounts = {
  match: bigint;
  mismatch: bigint;
  build_failed: bigint;
  not_built: bigint;
};

export const HashGroup = IDL.Record({
  sha256: IDL.Text,
  builder_count: IDL.Nat64,
  matches_expected: IDL.Opt(IDL.Bool),
  environment_classes: IDL.Nat64,
});
export type HashGroup = {
  sha256: string;
  builder_count: bigint;
  matches_expected: [] | [boolean];
  environment_classes: bigint;
};

export const ArtifactConsensus = IDL.Record({
  kind: IDL.Text,
  expected_sha256: IDL.Opt(IDL.Text),
  expected_source: IDL.Text,
  hash_groups: IDL.Vec(HashGroup),
  verdicts: VerdictCounts,
  expected_claim_mismatches: IDL.Nat64,
  untracked_builder_count: IDL.Nat64,
});
export type ArtifactConsensus = {
  kind: string;
  expected_sha256: [] | [string];
  expected_source: string;
  hash_groups: HashGroup[];
  verdicts: VerdictCounts;
  expected_claim_mismatches: bigint;
  untracked_builder_count: bigint;
};

export const OnChainProposal = IDL.Record({
  kind: IDL.Text,
  title: IDL.Opt(IDL.Text),
  os: IDL.Opt(IDL.Text),
  payload_type: IDL.Opt(IDL.Text),
  nns_function: IDL.Opt(IDL.Int32),
  elected_commit: IDL.Opt(IDL.Text),
  release_package_sha256_hex: IDL.Opt(IDL.Text),
  release_package_urls: IDL.Vec(IDL.Text),
  launch_measurements: IDL.Vec(IDL.Text),
  status: IDL.Text,
  proposed_at: IDL.Opt(IDL.Nat64),
  deadline_at: IDL.Opt(IDL.Nat64),
  decided_at: IDL.Opt(IDL.Nat64),
  executed_at: IDL.Opt(IDL.Nat64),
  failed_at: IDL.Opt(IDL.Nat64),
});
export type OnChainProposal = {
  kind: string;
  title: [] | [string];
  os: [] | [string];
  payload_type: [] | [string];
  nns_function: [] | [number];
  elected_commit: [] | [string];
  release_package_sha256_hex: [] | [string];
  release_package_urls: string[];
  launch_measurements: string[];
  status: string;
  proposed_at: [] | [bigint];
  deadline_at: [] | [bigint];
  decided_at: [] | [bigint];
  executed_at: [] | [bigint];
  failed_at: [] | [bigint];
};

export const ProposalSync = IDL.Record({
  state: IDL.Text,
  last_attempt_at: IDL.Opt(IDL.Nat64),
  last_success_at: IDL.Opt(IDL.Nat64),
  error: IDL.Opt(IDL.Text),
  final: IDL.Bool,
});
export type ProposalSync = {
  state: string;
  last_attempt_at: [] | [bigint];
  last_success_at: [] | [bigint];
  error: [] | [string];
  final: boolean;
};

export const TrustListRef = IDL.Record({
  id: IDL.Nat64,
  name: IDL.Text,
  version: IDL.Nat32,
  owner: IDL.Principal,
});
export type TrustListRef = { id: bigint; name: string; version: number; owner: Principal };

export const ConsensusScope = IDL.Record({
  trust_list: IDL.Opt(TrustListRef),
  builders_in_all: IDL.Nat64,
  matching_in_all: IDL.Nat64,
  up_to_date: IDL.Bool,
});
export type ConsensusScope = {
  trust_list: [] | [TrustListRef];
  builders_in_all: bigint;
  matching_in_all: bigint;
  up_to_date: boolean;
};

export const ProposalSummary = IDL.Record({
  proposal_id: IDL.Nat64,
  commit: IDL.Opt(IDL.Text),
  attestation_count: IDL.Nat64,
  builder_count: IDL.Nat64,
  superseded_count: IDL.Nat64,
  hidden_count: IDL.Nat64,
  other_commit_count: IDL.Nat64,
  first_attestation_at: IDL.Opt(IDL.Nat64),
  last_attestation_at: IDL.Opt(IDL.Nat64),
  totals: VerdictCounts,
  artifacts: IDL.Vec(ArtifactConsensus),
  on_chain: IDL.Opt(OnChainProposal),
  sync: ProposalSync,
  scope: ConsensusScope,
  rejected_count: IDL.Nat64,
});
export type ProposalSummary = {
  proposal_id: bigint;
  commit: [] | [string];
  attestation_count: bigint;
  builder_count: bigint;
  superseded_count: bigint;
  hidden_count: bigint;
  other_commit_count: bigint;
  first_attestation_at: [] | [bigint];
  last_attestation_at: [] | [bigint];
  totals: VerdictCounts;
  artifacts: ArtifactConsensus[];
  on_chain: [] | [OnChainProposal];
  sync: ProposalSync;
  scope: ConsensusScope;
  rejected_count: bigint;
};

export const Environment = IDL.Record({
  os_name: IDL.Opt(IDL.Text),
  os_version: IDL.Opt(IDL.Text),
  kernel: IDL.Opt(IDL.Text),
  arch: IDL.Opt(IDL.Text),
  virtualization: IDL.Text,
  cpu_model: IDL.Opt(IDL.Text),
  cpu_count: IDL.Opt(IDL.Nat32),
  memory_bytes: IDL.Opt(IDL.Nat64),
  swap_bytes: IDL.Opt(IDL.Nat64),
  disk_free_bytes: IDL.Opt(IDL.Nat64),
  container_runtime_name: IDL.Opt(IDL.Text),
  container_runtime_version: IDL.Opt(IDL.Text),
  git_version: IDL.Opt(IDL.Text),
});
export type Environment = {
  os_name: [] | [string];
  os_version: [] | [string];
  kernel: [] | [string];
  arch: [] | [string];
  virtualization: string;
  cpu_model: [] | [string];
  cpu_count: [] | [number];
  memory_bytes: [] | [bigint];
  swap_bytes: [] | [bigint];
  disk_free_bytes: [] | [bigint];
  container_runtime_name: [] | [string];
  container_runtime_version: [] | [string];
  git_version: [] | [string];
};

export const ArtifactResult = IDL.Record({
  kind: IDL.Text,
  name: IDL.Text,
  sha256: IDL.Opt(IDL.Text),
  expected_sha256: IDL.Opt(IDL.Text),
  verdict: IDL.Text,
  effective_verdict: IDL.Text,
  expected_differs_from_proposal: IDL.Bool,
  member_count: IDL.Nat32,
  counted: IDL.Bool,
  later_attempt_failed: IDL.Bool,
});
export type ArtifactResult = {
  kind: string;
  name: string;
  sha256: [] | [string];
  expected_sha256: [] | [string];
  verdict: string;
  effective_verdict: string;
  expected_differs_from_proposal: boolean;
  member_count: number;
  counted: boolean;
  later_attempt_failed: boolean;
};

export const ToolInfo = IDL.Record({
  name: IDL.Text,
  version: IDL.Text,
  script_sha256: IDL.Opt(IDL.Text),
});
export type ToolInfo = { name: string; version: string; script_sha256: [] | [string] };

export const BuildInfo = IDL.Record({
  started_on: IDL.Text,
  finished_on: IDL.Text,
  clean_cache: IDL.Opt(IDL.Bool),
});
export type BuildInfo = { started_on: string; finished_on: string; clean_cache: [] | [boolean] };

export const HiddenMark = IDL.Record({ reason: IDL.Text, at: IDL.Nat64, by: IDL.Principal });
export type HiddenMark = { reason: string; at: bigint; by: Principal };

export const Attestation = IDL.Record({
  id: IDL.Nat64,
  proposal_id: IDL.Nat64,
  commit: IDL.Text,
  builder: IDL.Principal,
  submitted_at: IDL.Nat64,
  verdict: IDL.Text,
  effective_verdict: IDL.Text,
  artifacts: IDL.Vec(ArtifactResult),
  environment: Environment,
  tool: ToolInfo,
  build: BuildInfo,
  note: IDL.Text,
  supersedes: IDL.Opt(IDL.Nat64),
  superseded_by: IDL.Opt(IDL.Nat64),
  hidden: IDL.Opt(HiddenMark),
  commit_differs_from_proposal: IDL.Bool,
  held: IDL.Bool,
  rejection: IDL.Opt(IDL.Text),
  environment_class: IDL.Text,
  envelope: IDL.Opt(IDL.Vec(IDL.Nat8)),
});
export type Attestation = {
  id: bigint;
  proposal_id: bigint;
  commit: string;
  builder: Principal;
  submitted_at: bigint;
  verdict: string;
  effective_verdict: string;
  artifacts: ArtifactResult[];
  environment: Environment;
  tool: ToolInfo;
  build: BuildInfo;
  note: string;
  supersedes: [] | [bigint];
  superseded_by: [] | [bigint];
  hidden: [] | [HiddenMark];
  commit_differs_from_proposal: boolean;
  held: boolean;
  rejection: [] | [string];
  environment_class: string;
  envelope: [] | [Uint8Array];
};

export const AttestationPage = IDL.Record({
  attestations: IDL.Vec(Attestation),
  next_cursor: IDL.Opt(IDL.Nat64),
  total: IDL.Nat64,
});
export type AttestationPage = {
  attestations: Attestation[];
  next_cursor: [] | [bigint];
  total: bigint;
};

export const BuilderProfile = IDL.Record({
  id: IDL.Principal,
  public_key: IDL.Vec(IDL.Nat8),
  display_name: IDL.Opt(IDL.Text),
  url: IDL.Opt(IDL.Text),
  first_seen: IDL.Nat64,
  last_seen: IDL.Nat64,
  attestation_count: IDL.Nat64,
});
export type BuilderProfile = {
  id: Principal;
  public_key: Uint8Array;
  display_name: [] | [string];
  url: [] | [string];
  first_seen: bigint;
  last_seen: bigint;
  attestation_count: bigint;
};

export const BuilderPage = IDL.Record({ profile: BuilderProfile, attestations: AttestationPage });
export type BuilderPage = { profile: BuilderProfile; attestations: AttestationPage };

export const SubmitRequest = IDL.Record({ envelope: IDL.Vec(IDL.Nat8) });
export type SubmitRequest = { envelope: Uint8Array };

export const SubmitReceipt = IDL.Record({
  attestation_id: IDL.Nat64,
  proposal_id: IDL.Nat64,
  builder: IDL.Principal,
  duplicate: IDL.Bool,
  supersedes: IDL.Opt(IDL.Nat64),
});
export type SubmitReceipt = {
  attestation_id: bigint;
  proposal_id: bigint;
  builder: Principal;
  duplicate: boolean;
  supersedes: [] | [bigint];
};

export const ListProposalsRequest = IDL.Record({
  cursor: IDL.Opt(IDL.Nat64),
  limit: IDL.Opt(IDL.Nat32),
  trust_list: IDL.Opt(IDL.Nat64),
});
export type ListProposalsRequest = {
  cursor: [] | [bigint];
  limit: [] | [number];
  trust_list: [] | [bigint];
};

export const ConsensusRequest = IDL.Record({
  proposal_id: IDL.Nat64,
  trust_list: IDL.Opt(IDL.Nat64),
});
export type ConsensusRequest = { proposal_id: bigint; trust_list: [] | [bigint] };

export const ProposalPage = IDL.Record({
  proposals: IDL.Vec(ProposalSummary),
  next_cursor: IDL.Opt(IDL.Nat64),
  total: IDL.Nat64,
});
export type ProposalPage = {
  proposals: ProposalSummary[];
  next_cursor: [] | [bigint];
  total: bigint;
};

export const ListAttestationsRequest = IDL.Record({
  proposal_id: IDL.Nat64,
  verdict: IDL.Opt(IDL.Text),
  cursor: IDL.Opt(IDL.Nat64),
  limit: IDL.Opt(IDL.Nat32),
  include_envelopes: IDL.Opt(IDL.Bool),
});
export type ListAttestationsRequest = {
  proposal_id: bigint;
  verdict: [] | [string];
  cursor: [] | [bigint];
  limit: [] | [number];
  include_envelopes: [] | [boolean];
};

export const GetBuilderRequest = IDL.Record({
  builder: IDL.Principal,
  cursor: IDL.Opt(IDL.Nat64),
  limit: IDL.Opt(IDL.Nat32),
});
export type GetBuilderRequest = { builder: Principal; cursor: [] | [bigint]; limit: [] | [number] };

export const SetBuilderProfileRequest = IDL.Record({
  display_name: IDL.Text,
  url: IDL.Opt(IDL.Text),
});
export type SetBuilderProfileRequest = { display_name: string; url: [] | [string] };

export const HideAttestationRequest = IDL.Record({ attestation_id: IDL.Nat64, reason: IDL.Text });
export type HideAttestationRequest = { attestation_id: bigint; reason: string };

export const RegistryInfo = IDL.Record({
  version: IDL.Text,
  attestation_count: IDL.Nat64,
  proposal_count: IDL.Nat64,
  builder_count: IDL.Nat64,
  governance_canister_id: IDL.Opt(IDL.Principal),
  rate_limit: RateLimitSettings,
  proposal_refresh_seconds: IDL.Nat32,
  max_envelope_bytes: IDL.Nat32,
  max_page_size: IDL.Nat32,
  pending_proposal_count: IDL.Nat64,
  trust_list_count: IDL.Nat64,
  limits: Limits,
  cycles: IDL.Nat,
});
export type RegistryInfo = {
  version: string;
  attestation_count: bigint;
  proposal_count: bigint;
  builder_count: bigint;
  governance_canister_id: [] | [Principal];
  rate_limit: RateLimitSettings;
  proposal_refresh_seconds: number;
  max_envelope_bytes: number;
  max_page_size: number;
  pending_proposal_count: bigint;
  trust_list_count: bigint;
  limits: Limits;
  cycles: bigint;
};

export const PublishTrustListRequest = IDL.Record({
  id: IDL.Opt(IDL.Nat64),
  name: IDL.Text,
  description: IDL.Text,
  members: IDL.Vec(IDL.Principal),
});
export type PublishTrustListRequest = {
  id: [] | [bigint];
  name: string;
  description: string;
  members: Principal[];
};

export const TrustList = IDL.Record({
  id: IDL.Nat64,
  owner: IDL.Principal,
  version: IDL.Nat32,
  latest_version: IDL.Nat32,
  counted_version: IDL.Nat32,
  counting: IDL.Bool,
  name: IDL.Text,
  description: IDL.Text,
  members: IDL.Vec(IDL.Principal),
  published_at: IDL.Nat64,
  created_at: IDL.Nat64,
});
export type TrustList = {
  id: bigint;
  owner: Principal;
  version: number;
  latest_version: number;
  counted_version: number;
  counting: boolean;
  name: string;
  description: string;
  members: Principal[];
  published_at: bigint;
  created_at: bigint;
};

export const TrustListSummary = IDL.Record({
  id: IDL.Nat64,
  owner: IDL.Principal,
  version: IDL.Nat32,
  counted_version: IDL.Nat32,
  counting: IDL.Bool,
  name: IDL.Text,
  description: IDL.Text,
  member_count: IDL.Nat32,
  published_at: IDL.Nat64,
  created_at: IDL.Nat64,
});
export type TrustListSummary = {
  id: bigint;
  owner: Principal;
  version: number;
  counted_version: number;
  counting: boolean;
  name: string;
  description: string;
  member_count: number;
  published_at: bigint;
  created_at: bigint;
};

export const GetTrustListRequest = IDL.Record({ id: IDL.Nat64, version: IDL.Opt(IDL.Nat32) });
export type GetTrustListRequest = { id: bigint; version: [] | [number] };

export const ListTrustListsRequest = IDL.Record({
  cursor: IDL.Opt(IDL.Nat64),
  limit: IDL.Opt(IDL.Nat32),
});
export type ListTrustListsRequest = { cursor: [] | [bigint]; limit: [] | [number] };

export const TrustListPage = IDL.Record({
  trust_lists: IDL.Vec(TrustListSummary),
  next_cursor: IDL.Opt(IDL.Nat64),
  total: IDL.Nat64,
});
export type TrustListPage = {
  trust_lists: TrustListSummary[];
  next_cursor: [] | [bigint];
  total: bigint;
};

export const HeaderField = IDL.Tuple(IDL.Text, IDL.Text);
export const HttpRequest = IDL.Record({
  method: IDL.Text,
  url: IDL.Text,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
  certificate_version: IDL.Opt(IDL.Nat16),
});
export type HttpRequest = {
  method: string;
  url: string;
  headers: [string, string][];
  body: Uint8Array;
  certificate_version: [] | [number];
};
export const HttpResponse = IDL.Record({
  status_code: IDL.Nat16,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
  upgrade: IDL.Opt(IDL.Bool),
});
export type HttpResponse = {
  status_code: number;
  headers: [string, string][];
  body: Uint8Array;
  upgrade: [] | [boolean];
};

export const SubmitResult = result(SubmitReceipt);
export const SummaryResult = result(ProposalSummary);
export const AttestationPageResult = result(AttestationPage);
export const AttestationResult = result(Attestation);
export const BuilderPageResult = result(BuilderPage);
export const BuilderProfileResult = result(BuilderProfile);
export const UnitResult = result(IDL.Null);
export const TrustListResult = result(TrustList);
