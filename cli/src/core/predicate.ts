import {
  ARTIFACT_KINDS_BY_OS,
  LIMITS,
  launchMeasurementsSha256,
  type Artifact,
  type ArtifactKind,
  type ArtifactMember,
  type ArtifactSource,
  type BuildFailure,
  type Environment,
  type LaunchMeasurementValue,
  type UnsignedPredicate,
} from '@repro-registry/attestation';
import {
  BUILDABLE_KINDS,
  defaultArtifactName,
  isBuildableKind,
  type BuildableKind,
} from './artifacts';
import { usageError } from './errors';
import type { ParsedReproCheckLog } from './log/parse';
import { OS_LABELS } from './artifacts';

/** What a builder states about one artifact before the verdict is derived. */
export interface ArtifactInput {
  /** An IC-OS kind, or a canister kind (`canister:governance`, …). */
  kind: Artifact['kind'];
  name: string;
  /** What the builder built; null when nothing was built. */
  sha256: string | null;
  expectedSha256: string | null;
  /** A build was attempted for this artifact (distinguishes build_failed from not_built). */
  attempted: boolean;
  members?: ArtifactMember[];
  /** SHA-256 of the uncompressed tar stream of the image (version 2). */
  tarSha256?: string;
  /** Version 2: the release's SHA256SUMS and the proposal's package URLs as read (`core/sources.ts`). */
  sources?: ArtifactSource[];
}

/** The verdict follows from the hashes, never from what a tool claimed or how it exited. */
export function toArtifact(input: ArtifactInput): Artifact {
  const artifact = artifactOf(input);
  if (input.sources !== undefined && input.sources.length > 0) artifact.sources = input.sources;
  return artifact;
}

function artifactOf(input: ArtifactInput): Artifact {
  const base = { kind: input.kind, name: input.name };
  if (input.sha256 === null) {
    return {
      ...base,
      sha256: null,
      expectedSha256: input.expectedSha256,
      verdict: input.attempted ? 'build_failed' : 'not_built',
    };
  }
  if (input.expectedSha256 === null) {
    throw usageError(
      `no expected hash for ${input.kind}`,
      `give it with --expected ${input.kind}=<sha256>, or let repro read it from the proposal (drop --offline)`,
    );
  }
  const artifact: Artifact = {
    ...base,
    sha256: input.sha256,
    expectedSha256: input.expectedSha256,
    verdict: input.sha256 === input.expectedSha256 ? 'match' : 'mismatch',
  };
  if (input.members && input.members.length > 0)
    artifact.members = input.members.slice(0, LIMITS.membersPerArtifact);
  if (input.tarSha256 !== undefined) artifact.tarSha256 = input.tarSha256;
  return artifact;
}

/** Plain text for the attestation's note: no control characters but newline and tab, at most 2,000 bytes. */
export function cleanNote(text: string): string {
  let clean = text
    .replace(/\r\n?/g, '\n')
    .replace(
      // eslint-disable-next-line no-control-regex -- control characters are what this removes
      /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
      '',
    )
    .trim();
  const encoder = new TextEncoder();
  if (encoder.encode(clean).length > LIMITS.noteBytes) {
    while (encoder.encode(clean + '…').length > LIMITS.noteBytes) clean = clean.slice(0, -1);
    clean += '…';
  }
  return clean;
}

/** RFC 3339 UTC to the second, as the attestation wants it. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface ProposalFacts {
  id: string;
  commit: string;
  /** The OS the proposal elects and the package hash and URLs it names, when known. */
  os: 'guestos' | 'hostos' | null;
  releasePackageSha256: string | null;
  releasePackageUrls: string[];
  /** A GuestOS proposal's launch measurements as it puts them on chain; null when it has none. */
  launchMeasurements: LaunchMeasurementValue[] | null;
}

export interface CheckOutcome {
  artifacts: ArtifactInput[];
  /** Sentences for the note (inconsistencies, what was left out). */
  notes: string[];
  /** Why the build failed, when an artifact is `build_failed`. */
  failure: BuildFailure | null;
}

/** What the archive digest of a built image contributes, when its hash is the one the log reports. */
export interface BuiltImageDigest {
  sha256: string;
  tarSha256: string;
  members: ArtifactMember[];
}

function fileNameFromUrl(url: string): string | null {
  const last = url.split(/[?#]/)[0].split('/').pop();
  return last && /^[A-Za-z0-9._-]+$/.test(last) ? last : null;
}

/**
 * Turns a parsed repro-check log into per-artifact statements: each image's local hash from the
 * log, the expected hash from the proposal on chain for the OS it elects (else the release's
 * published hash the script compared against), the launch measurements as their own artifact,
 * a failed build with its cause. Only the kinds of the proposal's OS are attested (the script
 * builds all of them; `ARTIFACT_KINDS_BY_OS` says which belong to the election).
 */
export function outcomeFromLog(args: {
  parsed: ParsedReproCheckLog;
  proposal: ProposalFacts;
  /** Kinds asked of repro-check (its --guestos… flags); empty = whatever the log reports. */
  requested: readonly BuildableKind[];
  images?: Partial<Record<BuildableKind, BuiltImageDigest>>;
  exitCode: number | null;
}): CheckOutcome {
  const { parsed, proposal } = args;
  const notes: string[] = [];
  const compression = (() => {
    const fromUrl = proposal.releasePackageUrls.map(fileNameFromUrl).find((n) => n !== null);
    if (fromUrl?.endsWith('.tar.gz')) return 'gz' as const;
    if (fromUrl?.endsWith('.tar.zst')) return 'zst' as const;
    return parsed.compression === 'gz' ? ('gz' as const) : ('zst' as const);
  })();
  const nameOf = (kind: BuildableKind) => {
    if (kind === proposal.os) {
      const fromUrl = proposal.releasePackageUrls.map(fileNameFromUrl).find((n) => n !== null);
      if (fromUrl) return fromUrl;
    }
    return defaultArtifactName(kind, compression);
  };

  let kinds: BuildableKind[] =
    args.requested.length > 0 ? [...args.requested] : parsed.results.map((r) => r.kind);
  if (kinds.length === 0) kinds = [proposal.os ?? 'guestos'];
  const allowed: readonly ArtifactKind[] =
    proposal.os === null
      ? [...BUILDABLE_KINDS, 'launch-measurements']
      : ARTIFACT_KINDS_BY_OS[proposal.os];
  const dropped = kinds.filter((k) => !allowed.includes(k));
  if (dropped.length > 0)
    notes.push(
      `${dropped.map((k) => OS_LABELS[k]).join(', ')} ${dropped.length === 1 ? 'was' : 'were'} compared too but ${dropped.length === 1 ? 'belongs' : 'belong'} to another election: not attested here.`,
    );
  kinds = BUILDABLE_KINDS.filter((k) => kinds.includes(k) && allowed.includes(k));

  const failedRun = (parsed.aborted && parsed.reportedMismatches === null) || parsed.buildFailed;
  const artifacts: ArtifactInput[] = kinds.map((kind) => {
    const result = parsed.results.find((r) => r.kind === kind);
    const name = nameOf(kind);
    if (result === undefined || result.localSha256 === null) {
      return {
        kind,
        name,
        sha256: null,
        expectedSha256: kind === proposal.os ? proposal.releasePackageSha256 : null,
        attempted: failedRun || result !== undefined,
      };
    }
    let expected = result.remoteSha256;
    if (kind === proposal.os && proposal.releasePackageSha256 !== null) {
      if (result.remoteSha256 !== null && result.remoteSha256 !== proposal.releasePackageSha256) {
        notes.push(
          `The published ${result.label} hash ${result.remoteSha256} is not the proposal's ${proposal.releasePackageSha256}.`,
        );
      }
      expected = proposal.releasePackageSha256;
    }
    if (!result.consistent)
      notes.push(
        `repro-check reported ${result.reported} for ${result.label} but printed different hashes; the hashes were used.`,
      );
    const digest = args.images?.[kind];
    // The archive's layers describe the attested image only if it is the one the log hashed.
    const layers =
      digest && digest.sha256 === result.localSha256
        ? { members: digest.members, tarSha256: digest.tarSha256 }
        : {};
    return {
      kind,
      name,
      sha256: result.localSha256,
      expectedSha256: expected,
      attempted: true,
      ...layers,
    };
  });

  const measurementArtifact = measurementsOutcome({ parsed, proposal, allowed, notes });
  if (measurementArtifact !== null) artifacts.push(measurementArtifact);

  if (parsed.proposalCheck.status === 'mismatch')
    notes.push("repro-check found that the proposal's package hash is not the published one.");
  if (parsed.reportedMismatches !== null) {
    const ours = [
      ...parsed.results.filter((r) => r.verdict === 'mismatch').map((r) => r.label),
      ...(parsed.measurements?.verdict === 'mismatch' ? ['launch measurements'] : []),
    ];
    const theirs = parsed.reportedMismatches.join(', ');
    const covered = ours.every((label) => theirs.includes(label));
    if (!covered || ours.length !== parsed.reportedMismatches.length)
      notes.push(
        `repro-check's closing error lists ${theirs}; the values in its log differ in: ${ours.join(', ') || 'nothing'}.`,
      );
  }
  const failed = artifacts.some((a) => a.sha256 === null && a.attempted);
  const failure: BuildFailure | null = !failed
    ? null
    : (parsed.failure ?? {
        category: 'unknown',
        cause:
          parsed.stopMessage ??
          `repro-check exited with ${args.exitCode ?? 'a signal'} before reporting a result`,
      });
  return { artifacts, notes, failure };
}

function measurementsOutcome(args: {
  parsed: ParsedReproCheckLog;
  proposal: ProposalFacts;
  allowed: readonly ArtifactKind[];
  notes: string[];
}): ArtifactInput | null {
  const { parsed, proposal, notes } = args;
  const m = parsed.measurements;
  if (m === null || !args.allowed.includes('launch-measurements')) return null;
  if (m.localSha256 === null) {
    notes.push(
      `The launch measurements in the log could not be read (${m.problem ?? 'no value'}): not attested.`,
    );
    return null;
  }
  const onChain =
    proposal.launchMeasurements === null
      ? null
      : launchMeasurementsSha256(proposal.launchMeasurements);
  if (onChain !== null && m.remoteSha256 !== null && m.remoteSha256 !== onChain)
    notes.push("The published launch measurements are not the proposal's.");
  if (!m.consistent)
    notes.push(
      `repro-check reported ${m.reported} for the launch measurements but printed different values; the values were used.`,
    );
  const expected = onChain ?? m.remoteSha256;
  if (expected === null) {
    notes.push(
      'The launch measurements have no expected value in the log or the proposal: not attested.',
    );
    return null;
  }
  return {
    kind: 'launch-measurements',
    name: 'launch-measurements.json',
    sha256: m.localSha256,
    expectedSha256: expected,
    attempted: true,
  };
}

export function buildPredicate(args: {
  proposal: { id: string; commit: string };
  artifacts: ArtifactInput[];
  tool: { name: string; version: string; scriptSha256: string | null; exitCode?: number | null };
  environment: Environment;
  startedOn: Date;
  finishedOn: Date;
  cleanCache: boolean | null;
  notes: string[];
  /** Version 2: why the build failed. */
  failure?: BuildFailure | null;
}): UnsignedPredicate {
  if (args.artifacts.length === 0)
    throw usageError(
      'nothing to attest: no artifact given',
      'name at least one with --artifact <kind>=<path|sha256>',
    );
  const seen = new Set<string>();
  for (const a of args.artifacts) {
    if (seen.has(a.kind)) throw usageError(`artifact ${a.kind} given twice`);
    seen.add(a.kind);
  }
  const predicate: UnsignedPredicate = {
    proposal: { id: args.proposal.id, commit: args.proposal.commit },
    artifacts: args.artifacts.map(toArtifact),
    tool: args.tool,
    environment: args.environment,
    build: {
      startedOn: rfc3339(args.startedOn),
      finishedOn: rfc3339(args.finishedOn),
      cleanCache: args.cleanCache,
      failure: args.failure ?? null,
    },
  };
  const note = cleanNote(args.notes.join('\n'));
  if (note !== '') predicate.note = note;
  return predicate;
}

export function parseArtifactKind(text: string): ArtifactKind {
  const kinds: readonly string[] = [...BUILDABLE_KINDS, 'launch-measurements'];
  if (!kinds.includes(text))
    throw usageError(`unknown artifact kind "${text}"`, `use one of ${kinds.join(', ')}`);
  return text as ArtifactKind;
}

export { isBuildableKind };
