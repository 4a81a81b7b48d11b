/** DSSE payload type of an in-toto Statement. */
export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** in-toto Statement v1. */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** Our predicate, version 1: a builder's reproduction of an IC-OS release proposal. */
export const PREDICATE_TYPE_V1 = 'https://repro-registry.org/attestation/icos-reproduction/v1';
/**
 * Version 2 adds what explains a mismatch: the tar layer of each image, the script's exit code,
 * a failed build's cause and category, and more of the environment (the container apart from
 * the VM, the container engine's rootless mode, file systems and block sizes, cgroup limits,
 * zstd and tar versions). Version 1 attestations still verify.
 */
export const PREDICATE_TYPE_V2 = 'https://repro-registry.org/attestation/icos-reproduction/v2';
/** The version `signAttestation` writes. */
export const PREDICATE_TYPE = PREDICATE_TYPE_V2;
/**
 * A reproduction of canister modules (canister-kinds.ts): version 2's fields, canister kinds.
 */
export const PREDICATE_TYPE_CANISTER_V1 =
  'https://repro-registry.org/attestation/canister-reproduction/v1';
/** Every version `verifyAttestation` accepts. */
export const PREDICATE_TYPES = [
  PREDICATE_TYPE_V1,
  PREDICATE_TYPE_V2,
  PREDICATE_TYPE_CANISTER_V1,
] as const;

/** What can be built from a proposal's commit; each at most once per attestation. */
export const ARTIFACT_KINDS = [
  'guestos',
  'hostos',
  'setupos',
  'guestos-recovery',
  'launch-measurements',
] as const;

/** The operating system an IC-OS election proposal elects (GuestOS or HostOS). */
export const ELECTED_OS = ['guestos', 'hostos'] as const;

/**
 * Which artifact kinds belong to an election of each OS: only these are accepted on, and
 * counted for, such a proposal. A GuestOS election elects the replica version whose update
 * image (and its recovery variant and launch measurements) come from the commit; a HostOS
 * election elects the HostOS update image, and SetupOS (which installs a node with that HostOS)
 * is built and published from the same commit. `repro-check` builds all four by default: the
 * CLI keeps only the kinds of the proposal's OS.
 */
export const ARTIFACT_KINDS_BY_OS = {
  guestos: ['guestos', 'guestos-recovery', 'launch-measurements'],
  hostos: ['hostos', 'setupos'],
} as const satisfies Record<
  (typeof ELECTED_OS)[number],
  readonly (typeof ARTIFACT_KINDS)[number][]
>;

/**
 * - `match`: built, and the hash equals the expected one.
 * - `mismatch`: built, and the hash differs.
 * - `build_failed`: the build was attempted and produced no image.
 * - `not_built`: not attempted (e.g. the builder chose `--guestos` only).
 */
export const VERDICTS = ['match', 'mismatch', 'build_failed', 'not_built'] as const;

/**
 * Where the build ran: the forum thread traced most mismatches to this. In version 2 this is
 * the virtual machine (or bare metal) only, never `container`: the container is its own field.
 */
export const VIRTUALIZATIONS = [
  'bare_metal',
  'wsl2',
  'virtualbox',
  'kvm',
  'vmware',
  'hyper_v',
  'cloud_vm',
  'container',
  'unknown',
] as const;

/** Version 2: the container the build ran in (inside whatever `virtualization` says). */
export const CONTAINERS = [
  'none',
  'docker',
  'podman',
  'containerd',
  'lxc',
  'systemd_nspawn',
  'other',
  'unknown',
] as const;

/**
 * Version 2: why a build failed, so a reader tells a broken machine from a broken build.
 * - `environment`: the machine (no space left, out of memory, permissions, a missing tool).
 * - `download`: fetching the release, the proposal or the repository failed.
 * - `build`: the build itself failed on a sound machine.
 * - `unknown`: the cause could not be placed.
 */
export const FAILURE_CATEGORIES = ['environment', 'download', 'build', 'unknown'] as const;

/**
 * Version 2: where else an artifact's expected hash was read (`Artifact.sources`).
 * - `sha256sums`: the release's `SHA256SUMS` file at `url`; `sha256` is the hash it lists for
 *   the artifact's file name (null: the file does not list it).
 * - `package_url`: one of the proposal's `release_package_urls`; `sha256` is the SHA-256 of the
 *   bytes it served (null: the download failed).
 */
export const SOURCE_KINDS = ['sha256sums', 'package_url'] as const;

export const LIMITS = {
  /** Whole envelope, in bytes. */
  envelopeBytes: 65_536,
  /** JSON nesting; the format itself needs 6. */
  jsonDepth: 8,
  /** Artifacts per attestation (one per kind). */
  artifacts: 5,
  /** Members (files inside an image archive) per artifact. */
  membersPerArtifact: 64,
  /** Artifact file name, UTF-8 bytes. */
  artifactNameBytes: 128,
  /** Member path, UTF-8 bytes. */
  memberPathBytes: 256,
  /** Free-text note, UTF-8 bytes. */
  noteBytes: 2_000,
  /** Every other text field (tool name and version, environment labels), UTF-8 bytes. */
  labelBytes: 128,
  /** Largest `environment.cpuCount`. */
  cpuCount: 65_536,
  /** Version 2: a failed build's cause (its first real error line), UTF-8 bytes. */
  failureCauseBytes: 512,
  /** Version 2: largest `tool.exitCode` (a process exit status). */
  exitCode: 255,
  /** Version 2: sources per artifact (`Artifact.sources`). */
  sourcesPerArtifact: 8,
  /** Version 2: a source's URL, bytes (ASCII). */
  sourceUrlBytes: 512,
} as const;
