import type {
  ARTIFACT_KINDS,
  CONTAINERS,
  ELECTED_OS,
  FAILURE_CATEGORIES,
  PAYLOAD_TYPE,
  PREDICATE_TYPES,
  SOURCE_KINDS,
  STATEMENT_TYPE,
  VERDICTS,
  VIRTUALIZATIONS,
} from './constants';
import type { CanisterArtifactKind } from './canister-kinds';

export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];
export type ElectedOs = (typeof ELECTED_OS)[number];
export type Verdict = (typeof VERDICTS)[number];
export type Virtualization = (typeof VIRTUALIZATIONS)[number];
export type Container = (typeof CONTAINERS)[number];
export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];
export type PredicateType = (typeof PREDICATE_TYPES)[number];
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Version 2: another place the artifact's expected hash was read (`SOURCE_KINDS`). */
export interface ArtifactSource {
  kind: SourceKind;
  /** The SHA256SUMS file's URL, or the proposal's package URL. */
  url: string;
  /** What that place says (SHA256SUMS) or serves (package URL); null when it said nothing. */
  sha256: string | null;
}

/** The NNS proposal being reproduced and the git commit of dfinity/ic it elects. */
export interface ProposalRef {
  /** Proposal id, decimal (u64 does not fit a JSON number). */
  id: string;
  /** 40 lowercase hex digits. */
  commit: string;
}

export interface BuilderRef {
  /** Self-authenticating principal of `publicKey`, text form. */
  id: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
}

/** A file inside an image archive, so a mismatch can be localised ("differs in root.img"). */
export interface ArtifactMember {
  /** Relative path inside the archive. */
  path: string;
  sha256: string;
  /** Size in bytes, decimal u64. */
  size: string;
}

export interface Artifact {
  /** An IC-OS kind, or (canister reproductions) a canister kind. */
  kind: ArtifactKind | CanisterArtifactKind;
  /** File name, e.g. `update-img.tar.zst`. */
  name: string;
  /** SHA-256 of what the builder built; null when nothing was built. */
  sha256: string | null;
  /** SHA-256 the proposal (or the release's SHA256SUMS) says it should be; null if unknown. */
  expectedSha256: string | null;
  verdict: Verdict;
  members?: ArtifactMember[];
  /**
   * Version 2, optional: SHA-256 of the uncompressed tar stream inside the image archive, so a
   * difference can be placed in the compression, the tar layout or the files.
   */
  tarSha256?: string;
  /**
   * Version 2, optional: the release's SHA256SUMS and the proposal's package URLs as the builder
   * read them, so a reader sees when they disagree with each other or with the proposal.
   */
  sources?: ArtifactSource[];
}

export interface ToolInfo {
  name: string;
  version: string;
  /** SHA-256 of the verification script that ran, if it was a script. */
  scriptSha256: string | null;
  /** Version 2 (present there, absent in version 1): the script's exit status; null if none. */
  exitCode?: number | null;
}

/** The builder's machine. Every field is present; null means unknown, never a guess. */
export interface Environment {
  osName: string | null;
  osVersion: string | null;
  kernel: string | null;
  arch: string | null;
  virtualization: Virtualization;
  cpuModel: string | null;
  cpuCount: number | null;
  /** Decimal u64 byte counts. */
  memoryBytes: string | null;
  swapBytes: string | null;
  diskFreeBytes: string | null;
  containerRuntimeName: string | null;
  containerRuntimeVersion: string | null;
  gitVersion: string | null;
}

/**
 * Version 2's environment: version 1's fields (`virtualization` is then the VM layer only, and
 * `containerRuntime*` the engine that would run the build: podman, or the docker server) and
 * what else explains a mismatch.
 */
export interface EnvironmentV2 extends Environment {
  /** The container the build ran in, apart from the VM; `unknown` when unknown. */
  container: Container;
  /** Whether the container engine runs rootless (podman `rootless`, docker `rootless` security option). */
  containerRuntimeRootless: boolean | null;
  /** File system type and block size of the build (cache) directory: sparse maps depend on them. */
  buildDirFilesystem: string | null;
  buildDirBlockSize: string | null;
  tmpFilesystem: string | null;
  tmpBlockSize: string | null;
  /** The cgroup's `memory.max`: `max` or a byte count. */
  cgroupMemoryMax: string | null;
  /** The cgroup's `cpu.max`: `<quota|max> <period>` in microseconds. */
  cgroupCpuMax: string | null;
  zstdVersion: string | null;
  tarVersion: string | null;
}

/** Version 2: why the build failed. */
export interface BuildFailure {
  category: FailureCategory;
  /** The first real error line of the build (not a wrapper's "returned non-zero exit status"). */
  cause: string;
}

export interface BuildInfo {
  /** RFC 3339 UTC, e.g. `2026-11-20T09:12:00Z`. */
  startedOn: string;
  finishedOn: string;
  /** Whether the build started from an empty cache; null if unknown. */
  cleanCache: boolean | null;
  /** Version 2 (present there, absent in version 1): why the build failed, or null. */
  failure?: BuildFailure | null;
}

/**
 * A predicate of either version. Version 2 fields are optional in the type and present (null
 * when unknown) in every version 2 predicate; `statement.predicateType` says which it is.
 */
export interface Predicate {
  proposal: ProposalRef;
  builder: BuilderRef;
  artifacts: Artifact[];
  tool: ToolInfo;
  environment: Environment & Partial<EnvironmentV2>;
  build: BuildInfo;
  note?: string;
}

/** What a builder fills in; `signAttestation` adds `builder` from the key. */
export type UnsignedPredicate = Omit<Predicate, 'builder'>;

export interface Subject {
  /** `<kind>/<name>`, e.g. `guestos/update-img.tar.zst`. */
  name: string;
  digest: { sha256: string };
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: PredicateType;
  predicate: Predicate;
}

export interface EnvelopeSignature {
  /** The builder's principal, text form. */
  keyid: string;
  /** Base64 of the 64-byte Ed25519 signature over `pae(payloadType, payload bytes)`. */
  sig: string;
}

export interface Envelope {
  payloadType: typeof PAYLOAD_TYPE;
  /** Base64 of the statement bytes. */
  payload: string;
  signatures: [EnvelopeSignature];
}

/** What `verifyAttestation` hands back: the parsed values and the exact bytes they came from. */
export interface VerifiedAttestation {
  envelope: Envelope;
  statement: Statement;
  predicate: Predicate;
  /** The envelope as received (the same array that was passed in). */
  envelopeBytes: Uint8Array;
  /** The statement bytes that were signed, decoded from `payload`. */
  statementBytes: Uint8Array;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  /** Self-authenticating principal of `publicKey`, text form (= `predicate.builder.id`). */
  builderId: string;
  /** The 64-byte signature. */
  signature: Uint8Array;
}
