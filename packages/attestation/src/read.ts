// Readers of JSON values with the format's rules: each checks one value at a field path and
// returns it, or throws `Rejection` with a stable code. Shared by every part of the schema.
import { isLowerHex } from './bytes';
import { FormatErrorCode } from './codes';
import { LIMITS } from './constants';
import { reject } from './errors';

export type Fields = Record<string, unknown>;

export function join(at: string, key: string | number): string {
  if (typeof key === 'number') return `${at}[${key}]`;
  return at === '' ? key : `${at}.${key}`;
}

export function isPlainObject(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function wrongType(at: string, expected: string, value: unknown): never {
  return reject(
    FormatErrorCode.WRONG_TYPE,
    `${at} must be ${expected}, got ${describe(value)}`,
    at,
  );
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
      FormatErrorCode.WRONG_TYPE,
      `${where ?? 'the envelope'} must be an object, got ${describe(value)}`,
      where,
    );
  }
  for (const key of Object.keys(value)) {
    if (value[key] === undefined) continue;
    if (!required.includes(key) && !optional.includes(key)) {
      reject(FormatErrorCode.UNKNOWN_FIELD, `unknown field ${join(at, key)}`, join(at, key));
    }
  }
  for (const key of required) {
    if (value[key] === undefined)
      reject(FormatErrorCode.MISSING_FIELD, `missing field ${join(at, key)}`, join(at, key));
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
    reject(FormatErrorCode.TEXT_EMPTY, `${at} is empty (omit it or use null for unknown)`, at);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
        reject(FormatErrorCode.LONE_SURROGATE, `${at} holds a lone surrogate`, at);
      }
      bytes += 4;
      i++;
      continue;
    } else bytes += 3;
    if (isForbiddenCharacter(c, multiline)) {
      const hex = c.toString(16).toUpperCase().padStart(4, '0');
      reject(
        FormatErrorCode.CONTROL_CHARACTER,
        `${at} holds the control or formatting character U+${hex} at index ${i}`,
        at,
      );
    }
  }
  if (bytes > maxBytes)
    reject(FormatErrorCode.TEXT_TOO_LONG, `${at} is ${bytes} bytes, more than ${maxBytes}`, at);
  return text;
}

export function readNullableLabel(value: unknown, at: string): string | null {
  return value === null ? null : readText({ value, at, maxBytes: LIMITS.labelBytes });
}

export function readSha256(value: unknown, at: string): string {
  const text = readString(value, at);
  if (!isLowerHex(text, 64))
    reject(FormatErrorCode.HEX_INVALID, `${at} must be 64 lowercase hex digits`, at);
  return text;
}

export function readNullableSha256(value: unknown, at: string): string | null {
  return value === null ? null : readSha256(value, at);
}

const U64_MAX = '18446744073709551615';

/** Decimal digits without leading zeros, at most 2^64-1. */
export function isDecimalU64(text: string): boolean {
  if (text.length === 0 || text.length > U64_MAX.length) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (text.length > 1 && text.charCodeAt(0) === 48) return false;
  return text.length < U64_MAX.length || text <= U64_MAX;
}

export function readU64String(value: unknown, at: string): string {
  const text = readString(value, at);
  if (!isDecimalU64(text)) {
    reject(FormatErrorCode.NUMBER_INVALID, `${at} must be a decimal u64 without leading zeros`, at);
  }
  return text;
}

export function readNullableU64String(value: unknown, at: string): string | null {
  return value === null ? null : readU64String(value, at);
}

export function readEnum<T extends string>(args: {
  value: unknown;
  at: string;
  allowed: readonly T[];
  code: FormatErrorCode;
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
export function readTime(value: unknown, at: string): { text: string; sortKey: string } {
  const text = readString(value, at);
  const m = TIME_PATTERN.exec(text);
  const invalid = (): never =>
    reject(
      FormatErrorCode.TIME_INVALID,
      `${at} must be RFC 3339 UTC like 2026-11-20T09:12:00Z`,
      at,
    );
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
