/** DSSE payload type of an in-toto Statement. */
export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** in-toto Statement v1. */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** Our predicate: a builder's reproduction of an IC-OS release proposal. */
export const PREDICATE_TYPE = 'https://repro-registry.org/attestation/icos-reproduction/v1';

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

/** Where the build ran: the forum thread traced most mismatches to this. */
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
} as const;
