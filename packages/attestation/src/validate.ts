// Schema of the statement and its predicate. Each reader checks one value and returns a fresh
// copy, so what callers get has exactly the format's fields in the format's order, whatever
// object came in. Errors throw `Rejection`, caught at the public boundary.
import { decodeBase64OrNull, isLowerHex } from './bytes';
import { FormatErrorCode } from './codes';
import {
  ARTIFACT_KINDS,
  FAILURE_CATEGORIES,
  LIMITS,
  PREDICATE_TYPES,
  PREDICATE_TYPE_CANISTER_V1,
  PREDICATE_TYPE_V1,
  STATEMENT_TYPE,
  VERDICTS,
} from './constants';
import { isCanisterArtifactKind, type ArtifactKindFamily } from './canister-kinds';
import { readEnvironment } from './environment';
import { readSources } from './sources';
import { Rejection, reject, type FormatError } from './errors';
import { isStrictEd25519PublicKey, principalFromEd25519PublicKey } from './keys';
import {
  isDecimalU64,
  join,
  readArray,
  readEnum,
  readNullableSha256,
  readObject,
  readSha256,
  readString,
  readText,
  readTime,
  readU64String,
  wrongType,
} from './read';
import type {
  Artifact,
  ArtifactMember,
  BuildFailure,
  BuildInfo,
  BuilderRef,
  Predicate,
  PredicateType,
  ProposalRef,
  Statement,
  Subject,
  ToolInfo,
} from './types';

export { isPlainObject, join, readArray, readObject, readString } from './read';

/** 1 or 2, from the statement's `predicateType`. */
export type PredicateVersion = 1 | 2;

export function versionOf(predicateType: PredicateType): PredicateVersion {
  return predicateType === PREDICATE_TYPE_V1 ? 1 : 2;
}

/** Canister reproductions have version 2's fields and canister artifact kinds. */
export function kindFamilyOf(predicateType: PredicateType): ArtifactKindFamily {
  return predicateType === PREDICATE_TYPE_CANISTER_V1 ? 'canister' : 'icos';
}

function readProposal(value: unknown, at: string): ProposalRef {
  const v = readObject({ value, at, required: ['id', 'commit'] });
  const id = readString(v['id'], join(at, 'id'));
  if (!isDecimalU64(id) || id === '0') {
    reject(
      FormatErrorCode.PROPOSAL_ID_INVALID,
      `${join(at, 'id')} must be a decimal u64 ≥ 1 without leading zeros`,
      join(at, 'id'),
    );
  }
  const commit = readString(v['commit'], join(at, 'commit'));
  if (!isLowerHex(commit, 40)) {
    reject(
      FormatErrorCode.COMMIT_INVALID,
      `${join(at, 'commit')} must be 40 lowercase hex digits`,
      join(at, 'commit'),
    );
  }
  return { id, commit };
}

/**
 * How much of the public key to check. Decoding the point costs a modular square root, and
 * strict Ed25519 verification decodes it again and refuses non-canonical and small-order keys
 * itself; `verifyAttestation` therefore defers the curve check until a signature fails, to name
 * the key as the culprit only then. Validation without a signature checks it at once.
 */
export interface KeyCheck {
  deferCurveCheck?: boolean;
}

function readBuilder(
  value: unknown,
  at: string,
  check: KeyCheck,
): { builder: BuilderRef; publicKey: Uint8Array } {
  const v = readObject({ value, at, required: ['id', 'publicKey'] });
  const id = readString(v['id'], join(at, 'id'));
  const keyAt = join(at, 'publicKey');
  const publicKeyText = readString(v['publicKey'], keyAt);
  const publicKey = decodeBase64OrNull(publicKeyText);
  if (publicKey === null)
    return reject(FormatErrorCode.BASE64_INVALID, `${keyAt} is not canonical base64`, keyAt);
  if (publicKey.length !== 32) {
    reject(
      FormatErrorCode.PUBLIC_KEY_INVALID,
      `${keyAt} must be 32 bytes, got ${publicKey.length}`,
      keyAt,
    );
  }
  if (check.deferCurveCheck !== true && !isStrictEd25519PublicKey(publicKey)) {
    reject(
      FormatErrorCode.PUBLIC_KEY_INVALID,
      `${keyAt} is not a canonical Ed25519 point of large order`,
      keyAt,
    );
  }
  const expected = principalFromEd25519PublicKey(publicKey);
  if (id !== expected) {
    reject(
      FormatErrorCode.BUILDER_ID_MISMATCH,
      `${join(at, 'id')} is not the self-authenticating principal of ${keyAt} (${expected})`,
      join(at, 'id'),
    );
  }
  return { builder: { id, publicKey: publicKeyText }, publicKey };
}

/** A relative path of non-empty segments, none `.` or `..`, no backslash. */
function isCleanRelativePath(path: string): boolean {
  if (path.includes('\\')) return false;
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') return false;
  }
  return true;
}

function readMembers(value: unknown, at: string): ArtifactMember[] {
  const items = readArray(value, at);
  if (items.length > LIMITS.membersPerArtifact) {
    reject(
      FormatErrorCode.MEMBER_COUNT,
      `${at} has ${items.length} members, more than ${LIMITS.membersPerArtifact}`,
      at,
    );
  }
  const seen = new Set<string>();
  const members: ArtifactMember[] = [];
  for (let i = 0; i < items.length; i++) {
    const mAt = join(at, i);
    const m = readObject({ value: items[i], at: mAt, required: ['path', 'sha256', 'size'] });
    const pathAt = join(mAt, 'path');
    const path = readText({ value: m['path'], at: pathAt, maxBytes: LIMITS.memberPathBytes });
    if (!isCleanRelativePath(path)) {
      reject(
        FormatErrorCode.MEMBER_INVALID,
        `${pathAt} must be a relative path without empty, "." or ".." segments`,
        pathAt,
      );
    }
    if (seen.has(path))
      reject(FormatErrorCode.MEMBER_DUPLICATE, `${pathAt} repeats an earlier member`, pathAt);
    seen.add(path);
    members.push({
      path,
      sha256: readSha256(m['sha256'], join(mAt, 'sha256')),
      size: readU64String(m['size'], join(mAt, 'size')),
    });
  }
  return members;
}

function checkVerdict(artifact: Artifact, at: string, version: PredicateVersion): void {
  const { verdict, sha256, expectedSha256 } = artifact;
  const memberCount = artifact.members?.length ?? 0;
  let problem: string | null = null;
  switch (verdict) {
    case 'match':
      if (sha256 === null || expectedSha256 === null)
        problem = 'but sha256 or expectedSha256 is null';
      else if (sha256 !== expectedSha256) problem = 'but sha256 differs from expectedSha256';
      break;
    case 'mismatch':
      if (sha256 === null || expectedSha256 === null)
        problem = 'but sha256 or expectedSha256 is null';
      else if (sha256 === expectedSha256) problem = 'but sha256 equals expectedSha256';
      break;
    case 'build_failed':
    case 'not_built':
      if (sha256 !== null) problem = 'but sha256 is set (nothing was built)';
      else if (memberCount > 0) problem = 'but members are listed (nothing was built)';
      else if (artifact.tarSha256 !== undefined)
        problem = 'but tarSha256 is set (nothing was built)';
      break;
    default:
      verdict satisfies never;
  }
  // Version 1 let measurements carry members; version 2 says what they are: a value, no archive.
  if (problem === null && version === 2 && artifact.kind === 'launch-measurements') {
    if (memberCount > 0) problem = 'but launch measurements have no members';
    else if (artifact.tarSha256 !== undefined)
      problem = 'but launch measurements have no tar layer';
  }
  if (problem !== null) {
    reject(
      FormatErrorCode.VERDICT_INCONSISTENT,
      `${join(at, 'verdict')} is "${verdict}" ${problem}`,
      join(at, 'verdict'),
    );
  }
}

function readArtifactKind(
  value: unknown,
  at: string,
  family: ArtifactKindFamily,
): Artifact['kind'] {
  if (family === 'icos')
    return readEnum({
      value,
      at,
      allowed: ARTIFACT_KINDS,
      code: FormatErrorCode.ARTIFACT_KIND_UNKNOWN,
    });
  const kind = readString(value, at);
  if (!isCanisterArtifactKind(kind))
    reject(
      FormatErrorCode.ARTIFACT_KIND_UNKNOWN,
      `${at} must be canister:<target>, canister-arg:<target> or sns-wasm:<type>`,
      at,
    );
  return kind;
}

function readArtifacts(
  value: unknown,
  at: string,
  version: PredicateVersion,
  family: ArtifactKindFamily,
): Artifact[] {
  const items = readArray(value, at);
  if (items.length < 1 || items.length > LIMITS.artifacts) {
    reject(
      FormatErrorCode.ARTIFACT_COUNT,
      `${at} must list 1 to ${LIMITS.artifacts} artifacts, got ${items.length}`,
      at,
    );
  }
  const kinds = new Set<Artifact['kind']>();
  const artifacts: Artifact[] = [];
  for (let i = 0; i < items.length; i++) {
    const aAt = join(at, i);
    const a = readObject({
      value: items[i],
      at: aAt,
      required: ['kind', 'name', 'sha256', 'expectedSha256', 'verdict'],
      optional: version === 1 ? ['members'] : ['members', 'tarSha256', 'sources'],
    });
    const kind = readArtifactKind(a['kind'], join(aAt, 'kind'), family);
    if (kinds.has(kind))
      reject(
        FormatErrorCode.ARTIFACT_DUPLICATE,
        `${join(aAt, 'kind')} "${kind}" appears twice`,
        join(aAt, 'kind'),
      );
    kinds.add(kind);
    const nameAt = join(aAt, 'name');
    const name = readText({ value: a['name'], at: nameAt, maxBytes: LIMITS.artifactNameBytes });
    if (name === '.' || name === '..' || name.includes('/') || name.includes('\\')) {
      reject(FormatErrorCode.NAME_INVALID, `${nameAt} must be a file name, not a path`, nameAt);
    }
    const artifact: Artifact = {
      kind,
      name,
      sha256: readNullableSha256(a['sha256'], join(aAt, 'sha256')),
      expectedSha256: readNullableSha256(a['expectedSha256'], join(aAt, 'expectedSha256')),
      verdict: readEnum({
        value: a['verdict'],
        at: join(aAt, 'verdict'),
        allowed: VERDICTS,
        code: FormatErrorCode.VERDICT_UNKNOWN,
      }),
    };
    if (a['members'] !== undefined)
      artifact.members = readMembers(a['members'], join(aAt, 'members'));
    if (a['tarSha256'] !== undefined)
      artifact.tarSha256 = readSha256(a['tarSha256'], join(aAt, 'tarSha256'));
    if (a['sources'] !== undefined)
      artifact.sources = readSources(a['sources'], join(aAt, 'sources'));
    checkVerdict(artifact, aAt, version);
    artifacts.push(artifact);
  }
  return artifacts;
}

function readExitCode(value: unknown, at: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number') return wrongType(at, 'a number or null', value);
  if (!Number.isSafeInteger(value) || value < 0 || value > LIMITS.exitCode)
    reject(
      FormatErrorCode.NUMBER_INVALID,
      `${at} must be an integer from 0 to ${LIMITS.exitCode}`,
      at,
    );
  return value;
}

function readTool(value: unknown, at: string, version: PredicateVersion): ToolInfo {
  const v = readObject({
    value,
    at,
    required:
      version === 1
        ? ['name', 'version', 'scriptSha256']
        : ['name', 'version', 'scriptSha256', 'exitCode'],
  });
  const tool: ToolInfo = {
    name: readText({ value: v['name'], at: join(at, 'name'), maxBytes: LIMITS.labelBytes }),
    version: readText({
      value: v['version'],
      at: join(at, 'version'),
      maxBytes: LIMITS.labelBytes,
    }),
    scriptSha256: readNullableSha256(v['scriptSha256'], join(at, 'scriptSha256')),
  };
  if (version === 2) tool.exitCode = readExitCode(v['exitCode'], join(at, 'exitCode'));
  return tool;
}

function readFailure(value: unknown, at: string): BuildFailure | null {
  if (value === null) return null;
  const v = readObject({ value, at, required: ['category', 'cause'] });
  return {
    category: readEnum({
      value: v['category'],
      at: join(at, 'category'),
      allowed: FAILURE_CATEGORIES,
      code: FormatErrorCode.FAILURE_CATEGORY_UNKNOWN,
    }),
    cause: readText({
      value: v['cause'],
      at: join(at, 'cause'),
      maxBytes: LIMITS.failureCauseBytes,
    }),
  };
}

function readBuild(value: unknown, at: string, version: PredicateVersion): BuildInfo {
  const v = readObject({
    value,
    at,
    required:
      version === 1
        ? ['startedOn', 'finishedOn', 'cleanCache']
        : ['startedOn', 'finishedOn', 'cleanCache', 'failure'],
  });
  const started = readTime(v['startedOn'], join(at, 'startedOn'));
  const finished = readTime(v['finishedOn'], join(at, 'finishedOn'));
  if (finished.sortKey < started.sortKey) {
    reject(
      FormatErrorCode.TIME_ORDER,
      `${join(at, 'finishedOn')} is before ${join(at, 'startedOn')}`,
      join(at, 'finishedOn'),
    );
  }
  const cleanCache = v['cleanCache'];
  if (cleanCache !== null && typeof cleanCache !== 'boolean') {
    wrongType(join(at, 'cleanCache'), 'a boolean or null', cleanCache);
  }
  const build: BuildInfo = { startedOn: started.text, finishedOn: finished.text, cleanCache };
  if (version === 2) build.failure = readFailure(v['failure'], join(at, 'failure'));
  return build;
}

const PREDICATE_FIELDS = [
  'proposal',
  'builder',
  'artifacts',
  'tool',
  'environment',
  'build',
] as const;

/** Validates a predicate at path `at`; returns a fresh copy and the decoded builder key. */
export function readPredicate(
  value: unknown,
  at: string,
  version: PredicateVersion,
  check: KeyCheck = {},
  family: ArtifactKindFamily = 'icos',
): { predicate: Predicate; publicKey: Uint8Array } {
  const v = readObject({
    value,
    at,
    required: PREDICATE_FIELDS,
    optional: ['note'],
    rootField: 'predicate',
  });
  const proposal = readProposal(v['proposal'], join(at, 'proposal'));
  const { builder, publicKey } = readBuilder(v['builder'], join(at, 'builder'), check);
  const predicate: Predicate = {
    proposal,
    builder,
    artifacts: readArtifacts(v['artifacts'], join(at, 'artifacts'), version, family),
    tool: readTool(v['tool'], join(at, 'tool'), version),
    environment: readEnvironment(v['environment'], join(at, 'environment'), version),
    build: readBuild(v['build'], join(at, 'build'), version),
  };
  if (
    predicate.build.failure != null &&
    !predicate.artifacts.some((a) => a.verdict === 'build_failed')
  ) {
    const fAt = join(join(at, 'build'), 'failure');
    reject(
      FormatErrorCode.VERDICT_INCONSISTENT,
      `${fAt} is set but no artifact is build_failed`,
      fAt,
    );
  }
  if (v['note'] !== undefined) {
    predicate.note = readText({
      value: v['note'],
      at: join(at, 'note'),
      maxBytes: LIMITS.noteBytes,
      multiline: true,
    });
  }
  return { predicate, publicKey };
}

/** The statement's subjects: each built artifact as `<kind>/<name>` with its digest, in order. */
export function subjectsOf(artifacts: readonly Artifact[]): Subject[] {
  const subjects: Subject[] = [];
  for (const a of artifacts) {
    if (a.sha256 !== null)
      subjects.push({ name: `${a.kind}/${a.name}`, digest: { sha256: a.sha256 } });
  }
  return subjects;
}

function readSubjects(value: unknown, at: string): Subject[] {
  const items = readArray(value, at);
  const subjects: Subject[] = [];
  for (let i = 0; i < items.length; i++) {
    const sAt = join(at, i);
    const s = readObject({ value: items[i], at: sAt, required: ['name', 'digest'] });
    const name = readString(s['name'], join(sAt, 'name'));
    const digestAt = join(sAt, 'digest');
    const digest = readObject({ value: s['digest'], at: digestAt, required: ['sha256'] });
    subjects.push({
      name,
      digest: { sha256: readSha256(digest['sha256'], join(digestAt, 'sha256')) },
    });
  }
  return subjects;
}

/** Validates a parsed statement (paths relative to it; the root itself is the `payload`). */
export function readStatement(
  value: unknown,
  check: KeyCheck = {},
): { statement: Statement; publicKey: Uint8Array } {
  const v = readObject({
    value,
    at: '',
    required: ['_type', 'subject', 'predicateType', 'predicate'],
    rootField: 'payload',
  });
  if (readString(v['_type'], '_type') !== STATEMENT_TYPE) {
    reject(FormatErrorCode.STATEMENT_TYPE_UNSUPPORTED, `_type must be ${STATEMENT_TYPE}`, '_type');
  }
  const predicateType = readString(v['predicateType'], 'predicateType') as PredicateType;
  if (!(PREDICATE_TYPES as readonly string[]).includes(predicateType)) {
    reject(
      FormatErrorCode.PREDICATE_TYPE_UNSUPPORTED,
      `predicateType must be one of ${PREDICATE_TYPES.join(', ')}`,
      'predicateType',
    );
  }
  const subject = readSubjects(v['subject'], 'subject');
  const { predicate, publicKey } = readPredicate(
    v['predicate'],
    'predicate',
    versionOf(predicateType),
    check,
    kindFamilyOf(predicateType),
  );
  const expected = subjectsOf(predicate.artifacts);
  if (subject.length !== expected.length) {
    reject(
      FormatErrorCode.SUBJECT_MISMATCH,
      `subject has ${subject.length} entries but ${expected.length} artifacts have a sha256`,
      'subject',
    );
  }
  for (let i = 0; i < expected.length; i++) {
    const want = expected[i];
    const got = subject[i];
    if (got.name !== want.name || got.digest.sha256 !== want.digest.sha256) {
      reject(
        FormatErrorCode.SUBJECT_MISMATCH,
        `subject[${i}] must be ${want.name} with the sha256 of predicate.artifacts, in the same order`,
        join('subject', i),
      );
    }
  }
  return {
    statement: { _type: STATEMENT_TYPE, subject, predicateType, predicate },
    publicKey,
  };
}

/**
 * The format's rules for text (forbidden control and formatting characters, lone surrogates,
 * a byte limit) for other text the registry accepts, such as builder names: one definition of
 * "plain text" everywhere. Returns why `text` is refused, or null.
 */
export function plainTextProblem(
  text: string,
  rules: { field: string; maxBytes: number; multiline?: boolean },
): FormatError | null {
  try {
    readText({
      value: text,
      at: rules.field,
      maxBytes: rules.maxBytes,
      multiline: rules.multiline,
    });
    return null;
  } catch (e) {
    if (e instanceof Rejection) return e.error;
    throw e;
  }
}
