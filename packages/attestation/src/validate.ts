// Schema of the statement and its predicate. Each reader checks one value and returns a fresh
// copy, so what callers get has exactly the format's fields in the format's order, whatever
// object came in. Errors throw `Rejection`, caught at the public boundary.
import { decodeBase64OrNull, isLowerHex } from './bytes';
import { ErrorCode } from './codes';
import {
  ARTIFACT_KINDS,
  LIMITS,
  PREDICATE_TYPE,
  STATEMENT_TYPE,
  VERDICTS,
  VIRTUALIZATIONS,
} from './constants';
import { Rejection, reject, type FormatError } from './errors';
import { isStrictEd25519PublicKey, principalFromEd25519PublicKey } from './keys';
import type {
  Artifact,
  ArtifactKind,
  ArtifactMember,
  BuildInfo,
  BuilderRef,
  Environment,
  Predicate,
  ProposalRef,
  Statement,
  Subject,
  ToolInfo,
} from './types';

type Fields = Record<string, unknown>;

export function join(at: string, key: string | number): string {
  if (typeof key === 'number') return `${at}[${key}]`;
  return at === '' ? key : `${at}.${key}`;
}

export function isPlainObject(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function wrongType(at: string, expected: string, value: unknown): never {
  return reject(ErrorCode.WRONG_TYPE, `${at} must be ${expected}, got ${describe(value)}`, at);
}

/**
 * Checks that `value` is an object with all `required` fields and nothing outside `required` and
 * `optional`. A field whose value is `undefined` counts as absent (JSON.stringify drops it).
 * `rootField` names the object in errors when `at` is the document root.
 */
export function readObject(args: {
  value: unknown;
  at: string;
  required: readonly string[];
  optional?: readonly string[];
  rootField?: string;
}): Fields {
  const { value, at, required, optional = [] } = args;
  if (!isPlainObject(value)) {
    const where = at === '' ? args.rootField : at;
    return reject(
      ErrorCode.WRONG_TYPE,
      `${where ?? 'the envelope'} must be an object, got ${describe(value)}`,
      where,
    );
  }
  for (const key of Object.keys(value)) {
    if (value[key] === undefined) continue;
    if (!required.includes(key) && !optional.includes(key)) {
      reject(ErrorCode.UNKNOWN_FIELD, `unknown field ${join(at, key)}`, join(at, key));
    }
  }
  for (const key of required) {
    if (value[key] === undefined)
      reject(ErrorCode.MISSING_FIELD, `missing field ${join(at, key)}`, join(at, key));
  }
  return value;
}

export function readArray(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) return wrongType(at, 'an array', value);
  return value;
}

export function readString(value: unknown, at: string): string {
  if (typeof value !== 'string') return wrongType(at, 'a string', value);
  return value;
}

/**
 * Characters never allowed in text: C0 and C1 controls and DEL (except tab and newline where
 * `multiline`), and the invisible formatting characters that can make a text display as
 * something else than it says (bidi embeddings, overrides and isolates, marks, zero-width
 * space, word joiner, line/paragraph separators, BOM, interlinear annotations).
 */
function isForbiddenCharacter(c: number, multiline: boolean): boolean {
  if (c < 0x20) return !(multiline && (c === 0x0a || c === 0x09));
  if (c < 0x7f) return false;
  if (c <= 0x9f) return true;
  if (c < 0x061c) return false;
  return (
    c === 0x061c ||
    c === 0x200b ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x206f) ||
    c === 0xfeff ||
    (c >= 0xfff9 && c <= 0xfffb)
  );
}

/** Non-empty text within `maxBytes` UTF-8 bytes, without forbidden characters or lone surrogates. */
export function readText(args: {
  value: unknown;
  at: string;
  maxBytes: number;
  multiline?: boolean;
}): string {
  const { at, maxBytes } = args;
  const multiline = args.multiline ?? false;
  const text = readString(args.value, at);
  if (text.length === 0)
    reject(ErrorCode.TEXT_EMPTY, `${at} is empty (omit it or use null for unknown)`, at);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
        reject(ErrorCode.LONE_SURROGATE, `${at} holds a lone surrogate`, at);
      }
      bytes += 4;
      i++;
      continue;
    } else bytes += 3;
    if (isForbiddenCharacter(c, multiline)) {
      const hex = c.toString(16).toUpperCase().padStart(4, '0');
      reject(
        ErrorCode.CONTROL_CHARACTER,
        `${at} holds the control or formatting character U+${hex} at index ${i}`,
        at,
      );
    }
  }
  if (bytes > maxBytes)
    reject(ErrorCode.TEXT_TOO_LONG, `${at} is ${bytes} bytes, more than ${maxBytes}`, at);
  return text;
}

function readNullableLabel(value: unknown, at: string): string | null {
  return value === null ? null : readText({ value, at, maxBytes: LIMITS.labelBytes });
}

export function readSha256(value: unknown, at: string): string {
  const text = readString(value, at);
  if (!isLowerHex(text, 64))
    reject(ErrorCode.HEX_INVALID, `${at} must be 64 lowercase hex digits`, at);
  return text;
}

function readNullableSha256(value: unknown, at: string): string | null {
  return value === null ? null : readSha256(value, at);
}

const U64_MAX = '18446744073709551615';

/** Decimal digits without leading zeros, at most 2^64-1. */
function isDecimalU64(text: string): boolean {
  if (text.length === 0 || text.length > U64_MAX.length) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (text.length > 1 && text.charCodeAt(0) === 48) return false;
  return text.length < U64_MAX.length || text <= U64_MAX;
}

function readU64String(value: unknown, at: string): string {
  const text = readString(value, at);
  if (!isDecimalU64(text)) {
    reject(ErrorCode.NUMBER_INVALID, `${at} must be a decimal u64 without leading zeros`, at);
  }
  return text;
}

function readNullableU64String(value: unknown, at: string): string | null {
  return value === null ? null : readU64String(value, at);
}

function readEnum<T extends string>(args: {
  value: unknown;
  at: string;
  allowed: readonly T[];
  code: ErrorCode;
}): T {
  const text = readString(args.value, args.at);
  if (!(args.allowed as readonly string[]).includes(text)) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    reject(
      args.code,
      `${args.at} is ${JSON.stringify(shown)}, not one of ${args.allowed.join(', ')}`,
      args.at,
    );
  }
  return text as T;
}

const TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** An RFC 3339 UTC time, returned with a key that sorts by instant (fractions padded to ns). */
function readTime(value: unknown, at: string): { text: string; sortKey: string } {
  const text = readString(value, at);
  const m = TIME_PATTERN.exec(text);
  const invalid = (): never =>
    reject(ErrorCode.TIME_INVALID, `${at} must be RFC 3339 UTC like 2026-11-20T09:12:00Z`, at);
  if (m === null) return invalid();
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const daysInMonth = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth[month - 1]) invalid();
  // No leap second: 23:59:60 cannot be ordered without a leap-second table.
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) invalid();
  return { text, sortKey: text.slice(0, 19) + (m[7] ?? '').padEnd(9, '0') };
}

function readProposal(value: unknown, at: string): ProposalRef {
  const v = readObject({ value, at, required: ['id', 'commit'] });
  const id = readString(v['id'], join(at, 'id'));
  if (!isDecimalU64(id) || id === '0') {
    reject(
      ErrorCode.PROPOSAL_ID_INVALID,
      `${join(at, 'id')} must be a decimal u64 ≥ 1 without leading zeros`,
      join(at, 'id'),
    );
  }
  const commit = readString(v['commit'], join(at, 'commit'));
  if (!isLowerHex(commit, 40)) {
    reject(
      ErrorCode.COMMIT_INVALID,
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
    return reject(ErrorCode.BASE64_INVALID, `${keyAt} is not canonical base64`, keyAt);
  if (publicKey.length !== 32) {
    reject(
      ErrorCode.PUBLIC_KEY_INVALID,
      `${keyAt} must be 32 bytes, got ${publicKey.length}`,
      keyAt,
    );
  }
  if (check.deferCurveCheck !== true && !isStrictEd25519PublicKey(publicKey)) {
    reject(
      ErrorCode.PUBLIC_KEY_INVALID,
      `${keyAt} is not a canonical Ed25519 point of large order`,
      keyAt,
    );
  }
  const expected = principalFromEd25519PublicKey(publicKey);
  if (id !== expected) {
    reject(
      ErrorCode.BUILDER_ID_MISMATCH,
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
      ErrorCode.MEMBER_COUNT,
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
        ErrorCode.MEMBER_INVALID,
        `${pathAt} must be a relative path without empty, "." or ".." segments`,
        pathAt,
      );
    }
    if (seen.has(path))
      reject(ErrorCode.MEMBER_DUPLICATE, `${pathAt} repeats an earlier member`, pathAt);
    seen.add(path);
    members.push({
      path,
      sha256: readSha256(m['sha256'], join(mAt, 'sha256')),
      size: readU64String(m['size'], join(mAt, 'size')),
    });
  }
  return members;
}

function checkVerdict(artifact: Artifact, at: string): void {
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
      break;
    default:
      verdict satisfies never;
  }
  if (problem !== null) {
    reject(
      ErrorCode.VERDICT_INCONSISTENT,
      `${join(at, 'verdict')} is "${verdict}" ${problem}`,
      join(at, 'verdict'),
    );
  }
}

function readArtifacts(value: unknown, at: string): Artifact[] {
  const items = readArray(value, at);
  if (items.length < 1 || items.length > LIMITS.artifacts) {
    reject(
      ErrorCode.ARTIFACT_COUNT,
      `${at} must list 1 to ${LIMITS.artifacts} artifacts, got ${items.length}`,
      at,
    );
  }
  const kinds = new Set<ArtifactKind>();
  const artifacts: Artifact[] = [];
  for (let i = 0; i < items.length; i++) {
    const aAt = join(at, i);
    const a = readObject({
      value: items[i],
      at: aAt,
      required: ['kind', 'name', 'sha256', 'expectedSha256', 'verdict'],
      optional: ['members'],
    });
    const kind = readEnum({
      value: a['kind'],
      at: join(aAt, 'kind'),
      allowed: ARTIFACT_KINDS,
      code: ErrorCode.ARTIFACT_KIND_UNKNOWN,
    });
    if (kinds.has(kind))
      reject(
        ErrorCode.ARTIFACT_DUPLICATE,
        `${join(aAt, 'kind')} "${kind}" appears twice`,
        join(aAt, 'kind'),
      );
    kinds.add(kind);
    const nameAt = join(aAt, 'name');
    const name = readText({ value: a['name'], at: nameAt, maxBytes: LIMITS.artifactNameBytes });
    if (name === '.' || name === '..' || name.includes('/') || name.includes('\\')) {
      reject(ErrorCode.NAME_INVALID, `${nameAt} must be a file name, not a path`, nameAt);
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
        code: ErrorCode.VERDICT_UNKNOWN,
      }),
    };
    if (a['members'] !== undefined)
      artifact.members = readMembers(a['members'], join(aAt, 'members'));
    checkVerdict(artifact, aAt);
    artifacts.push(artifact);
  }
  return artifacts;
}

function readTool(value: unknown, at: string): ToolInfo {
  const v = readObject({ value, at, required: ['name', 'version', 'scriptSha256'] });
  return {
    name: readText({ value: v['name'], at: join(at, 'name'), maxBytes: LIMITS.labelBytes }),
    version: readText({
      value: v['version'],
      at: join(at, 'version'),
      maxBytes: LIMITS.labelBytes,
    }),
    scriptSha256: readNullableSha256(v['scriptSha256'], join(at, 'scriptSha256')),
  };
}

const ENVIRONMENT_FIELDS = [
  'osName',
  'osVersion',
  'kernel',
  'arch',
  'virtualization',
  'cpuModel',
  'cpuCount',
  'memoryBytes',
  'swapBytes',
  'diskFreeBytes',
  'containerRuntimeName',
  'containerRuntimeVersion',
  'gitVersion',
] as const;

function readCpuCount(value: unknown, at: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number') return wrongType(at, 'a number or null', value);
  if (!Number.isSafeInteger(value) || value < 1 || value > LIMITS.cpuCount) {
    reject(ErrorCode.NUMBER_INVALID, `${at} must be an integer from 1 to ${LIMITS.cpuCount}`, at);
  }
  return value;
}

function readEnvironment(value: unknown, at: string): Environment {
  const v = readObject({ value, at, required: ENVIRONMENT_FIELDS });
  const f = (key: (typeof ENVIRONMENT_FIELDS)[number]): string => join(at, key);
  return {
    osName: readNullableLabel(v['osName'], f('osName')),
    osVersion: readNullableLabel(v['osVersion'], f('osVersion')),
    kernel: readNullableLabel(v['kernel'], f('kernel')),
    arch: readNullableLabel(v['arch'], f('arch')),
    virtualization: readEnum({
      value: v['virtualization'],
      at: f('virtualization'),
      allowed: VIRTUALIZATIONS,
      code: ErrorCode.VIRTUALIZATION_UNKNOWN,
    }),
    cpuModel: readNullableLabel(v['cpuModel'], f('cpuModel')),
    cpuCount: readCpuCount(v['cpuCount'], f('cpuCount')),
    memoryBytes: readNullableU64String(v['memoryBytes'], f('memoryBytes')),
    swapBytes: readNullableU64String(v['swapBytes'], f('swapBytes')),
    diskFreeBytes: readNullableU64String(v['diskFreeBytes'], f('diskFreeBytes')),
    containerRuntimeName: readNullableLabel(v['containerRuntimeName'], f('containerRuntimeName')),
    containerRuntimeVersion: readNullableLabel(
      v['containerRuntimeVersion'],
      f('containerRuntimeVersion'),
    ),
    gitVersion: readNullableLabel(v['gitVersion'], f('gitVersion')),
  };
}

function readBuild(value: unknown, at: string): BuildInfo {
  const v = readObject({ value, at, required: ['startedOn', 'finishedOn', 'cleanCache'] });
  const started = readTime(v['startedOn'], join(at, 'startedOn'));
  const finished = readTime(v['finishedOn'], join(at, 'finishedOn'));
  if (finished.sortKey < started.sortKey) {
    reject(
      ErrorCode.TIME_ORDER,
      `${join(at, 'finishedOn')} is before ${join(at, 'startedOn')}`,
      join(at, 'finishedOn'),
    );
  }
  const cleanCache = v['cleanCache'];
  if (cleanCache !== null && typeof cleanCache !== 'boolean') {
    wrongType(join(at, 'cleanCache'), 'a boolean or null', cleanCache);
  }
  return { startedOn: started.text, finishedOn: finished.text, cleanCache: cleanCache };
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
  check: KeyCheck = {},
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
    artifacts: readArtifacts(v['artifacts'], join(at, 'artifacts')),
    tool: readTool(v['tool'], join(at, 'tool')),
    environment: readEnvironment(v['environment'], join(at, 'environment')),
    build: readBuild(v['build'], join(at, 'build')),
  };
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
    reject(ErrorCode.STATEMENT_TYPE_UNSUPPORTED, `_type must be ${STATEMENT_TYPE}`, '_type');
  }
  if (readString(v['predicateType'], 'predicateType') !== PREDICATE_TYPE) {
    reject(
      ErrorCode.PREDICATE_TYPE_UNSUPPORTED,
      `predicateType must be ${PREDICATE_TYPE}`,
      'predicateType',
    );
  }
  const subject = readSubjects(v['subject'], 'subject');
  const { predicate, publicKey } = readPredicate(v['predicate'], 'predicate', check);
  const expected = subjectsOf(predicate.artifacts);
  if (subject.length !== expected.length) {
    reject(
      ErrorCode.SUBJECT_MISMATCH,
      `subject has ${subject.length} entries but ${expected.length} artifacts have a sha256`,
      'subject',
    );
  }
  for (let i = 0; i < expected.length; i++) {
    const want = expected[i];
    const got = subject[i];
    if (got.name !== want.name || got.digest.sha256 !== want.digest.sha256) {
      reject(
        ErrorCode.SUBJECT_MISMATCH,
        `subject[${i}] must be ${want.name} with the sha256 of predicate.artifacts, in the same order`,
        join('subject', i),
      );
    }
  }
  return {
    statement: { _type: STATEMENT_TYPE, subject, predicateType: PREDICATE_TYPE, predicate },
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
