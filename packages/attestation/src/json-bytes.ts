// The common case of `parseJson(decodeUtf8OrNull(bytes))` straight from the bytes: well-formed
// UTF-8 holding one JSON value that `parseJson` accepts. It answers `undefined` for anything
// else (bad UTF-8, bad JSON, a duplicate key, a number or depth `parseJson` refuses, a key
// `__proto__`), and the caller then runs the general path, which finds the error and names it:
// so every error keeps its code, field and message, and this file only has to agree with
// `parseJson` on what it accepts. Decoding the whole text first and then walking it character
// by character cost more than half of an envelope's verification (V8 builds strings from typed
// arrays slowly; the walk allocates closures per document); here only the values become strings.
import type { JsonObject, JsonValue } from './json';

/** Why the fast path gave up: the general path decides (and names the error, if any). */
const GIVE_UP = Symbol('give-up');
type Step = JsonValue | typeof GIVE_UP;

// The document being parsed: module state instead of closures, so a parse allocates only values.
let bytes: Uint8Array = new Uint8Array(0);
let pos = 0;
let depth = 0;
let maxDepth = 0;

/** Largest integer `parseJson` accepts: at most 15 digits, so exact. */
const MAX_INTEGER_DIGITS = 15;

/**
 * Parses `input` (UTF-8) as `parseJson(decodeUtf8OrNull(input), …)` would, or returns
 * `undefined` when that would not give a value or this parser is unsure. Objects are plain
 * objects (`Object.prototype`), not null-prototype ones: V8 keeps those in its slow dictionary
 * mode. That is safe because a key `__proto__` (the one key that behaves differently) gives up,
 * and the schema's readers only read the format's own field names.
 */
export function parseJsonBytes(input: Uint8Array, limit: number): JsonValue | undefined {
  bytes = input;
  pos = 0;
  depth = 0;
  maxDepth = limit;
  try {
    const value = parseValue();
    if (value === GIVE_UP) return undefined;
    skipWhitespace();
    return pos === bytes.length ? value : undefined;
  } finally {
    bytes = new Uint8Array(0); // do not keep the caller's bytes alive
  }
}

function skipWhitespace(): void {
  for (;;) {
    const c = bytes[pos];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
    else return;
  }
}

function parseValue(): Step {
  skipWhitespace();
  const c = bytes[pos];
  if (c === 0x22) return parseString();
  if (c === 0x7b) return parseObject();
  if (c === 0x5b) return parseArray();
  if (c === 0x74) return literal(0x74, 0x72, 0x75, 0x65) ? true : GIVE_UP; // true
  if (c === 0x66) {
    // false
    if (literal(0x66, 0x61, 0x6c, 0x73) && bytes[pos] === 0x65) {
      pos++;
      return false;
    }
    return GIVE_UP;
  }
  if (c === 0x6e) return literal(0x6e, 0x75, 0x6c, 0x6c) ? null : GIVE_UP; // null
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return parseNumber();
  return GIVE_UP;
}

function literal(a: number, b: number, c: number, d: number): boolean {
  if (bytes[pos] !== a || bytes[pos + 1] !== b || bytes[pos + 2] !== c || bytes[pos + 3] !== d)
    return false;
  pos += 4;
  return true;
}

function parseObject(): Step {
  if (++depth > maxDepth) return GIVE_UP;
  pos++;
  const obj: JsonObject = {};
  skipWhitespace();
  if (bytes[pos] === 0x7d) {
    pos++;
    depth--;
    return obj;
  }
  for (;;) {
    skipWhitespace();
    if (bytes[pos] !== 0x22) return GIVE_UP;
    const key = parseString();
    if (key === GIVE_UP || key === '__proto__' || Object.prototype.hasOwnProperty.call(obj, key))
      return GIVE_UP;
    skipWhitespace();
    if (bytes[pos] !== 0x3a) return GIVE_UP;
    pos++;
    const value = parseValue();
    if (value === GIVE_UP) return GIVE_UP;
    obj[key] = value;
    skipWhitespace();
    const sep = bytes[pos++];
    if (sep === 0x2c) continue;
    if (sep === 0x7d) break;
    return GIVE_UP;
  }
  depth--;
  return obj;
}

function parseArray(): Step {
  if (++depth > maxDepth) return GIVE_UP;
  pos++;
  const arr: JsonValue[] = [];
  skipWhitespace();
  if (bytes[pos] === 0x5d) {
    pos++;
    depth--;
    return arr;
  }
  for (;;) {
    const value = parseValue();
    if (value === GIVE_UP) return GIVE_UP;
    arr.push(value);
    skipWhitespace();
    const sep = bytes[pos++];
    if (sep === 0x2c) continue;
    if (sep === 0x5d) break;
    return GIVE_UP;
  }
  depth--;
  return arr;
}

/** Integers of at most 15 digits, not `-0`: what `parseJson` accepts; anything else gives up. */
function parseNumber(): Step {
  let negative = false;
  if (bytes[pos] === 0x2d) {
    negative = true;
    pos++;
  }
  const start = pos;
  let value = 0;
  if (bytes[pos] === 0x30) {
    pos++;
  } else {
    for (;;) {
      const c = bytes[pos];
      if (!(c >= 0x30 && c <= 0x39)) break; // also past the end (undefined)
      value = value * 10 + (c - 0x30);
      pos++;
    }
  }
  const digits = pos - start;
  if (digits === 0 || digits > MAX_INTEGER_DIGITS) return GIVE_UP;
  const next = bytes[pos];
  // A fraction or exponent is refused by `parseJson` (and digits after a leading 0 are not JSON).
  if (next === 0x2e || next === 0x65 || next === 0x45 || (next >= 0x30 && next <= 0x39))
    return GIVE_UP;
  if (negative) {
    if (value === 0) return GIVE_UP; // -0
    return -value;
  }
  return value;
}

/**
 * A string of printable ASCII without escapes (keys, hashes, base64, most text) becomes a string
 * straight from its bytes; any other string (escapes, other UTF-8) is left to `decodeRest`.
 */
function parseString(): string | typeof GIVE_UP {
  const b = bytes;
  const start = ++pos;
  let at = start;
  let hash = 0;
  for (;;) {
    const c = b[at];
    if (c === 0x22) break;
    if (c < 0x20 || c === 0x5c || c >= 0x7f || c === undefined) {
      pos = at;
      return decodeRest(start);
    }
    hash = (Math.imul(hash, 31) + c) | 0;
    at++;
  }
  const end = at;
  pos = at + 1;
  return end - start <= SHORT_STRING ? shortString(start, end, hash) : asciiString(start, end);
}

/**
 * Short strings (every key, enum values, labels) come from a small cache of the strings seen
 * before: V8 then stores object fields under a key it already knows, instead of hashing a new
 * string per field, and no string is built. A hit is checked byte by byte.
 */
const SHORT_STRING = 64;
const CACHE_SIZE = 1024;
const cachedStrings: (string | undefined)[] = new Array<string | undefined>(CACHE_SIZE);
const shortCodes: number[][] = Array.from({ length: SHORT_STRING + 1 }, (_, n) =>
  new Array<number>(n).fill(0),
);

function shortString(start: number, end: number, hash: number): string {
  const b = bytes;
  const length = end - start;
  const slot = (hash ^ (length << 7)) & (CACHE_SIZE - 1);
  const cached = cachedStrings[slot];
  if (cached !== undefined && cached.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (cached.charCodeAt(i) !== b[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  const codes = shortCodes[length];
  for (let i = 0; i < length; i++) codes[i] = b[start + i];
  const text = String.fromCharCode.apply(null, codes);
  cachedStrings[slot] = text;
  return text;
}

function asciiString(start: number, end: number): string {
  // Sixteen codes per call, concatenated: in V8 several times faster than
  // String.fromCharCode.apply over a Uint8Array (or a copy of it in an Array).
  const b = bytes;
  const from = String.fromCharCode;
  let out = '';
  let i = start;
  for (; i + 16 <= end; i += 16) {
    out += from(
      b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7],
      b[i + 8], b[i + 9], b[i + 10], b[i + 11], b[i + 12], b[i + 13], b[i + 14], b[i + 15],
    ); // prettier-ignore
  }
  for (; i < end; i++) out += from(b[i]);
  return out;
}

/**
 * A string with escapes, DEL or non-ASCII characters: decoded as strict UTF-8 and unescaped
 * by hand for the escapes JSON has; anything doubtful (a control character, a bad escape, a
 * `\u` surrogate, malformed UTF-8) gives up.
 */
function decodeRest(start: number): string | typeof GIVE_UP {
  let out = asciiString(start, pos);
  for (;;) {
    const c = bytes[pos];
    if (c === undefined || c < 0x20) return GIVE_UP;
    if (c === 0x22) {
      pos++;
      return out;
    }
    if (c === 0x5c) {
      const escaped = unescape(bytes[pos + 1]);
      if (escaped === undefined) return GIVE_UP;
      out += escaped;
      pos += 2;
      continue;
    }
    if (c < 0x80) {
      out += String.fromCharCode(c);
      pos++;
      continue;
    }
    const cp = readMultiByte(c);
    if (cp < 0) return GIVE_UP;
    out +=
      cp >= 0x10000
        ? String.fromCharCode(0xd800 | ((cp - 0x10000) >> 10), 0xdc00 | ((cp - 0x10000) & 0x3ff))
        : String.fromCharCode(cp);
  }
}

/** The single-character escapes; `\u` is left to the general path (surrogate rules). */
function unescape(e: number | undefined): string | undefined {
  switch (e) {
    case 0x22:
      return '"';
    case 0x5c:
      return '\\';
    case 0x2f:
      return '/';
    case 0x62:
      return '\b';
    case 0x66:
      return '\f';
    case 0x6e:
      return '\n';
    case 0x72:
      return '\r';
    case 0x74:
      return '\t';
    default:
      return undefined;
  }
}

/**
 * One well-formed multi-byte UTF-8 sequence at `pos` (Unicode Table 3-7, as `decodeUtf8OrNull`):
 * its code point, `pos` moved past it; -1 when malformed.
 */
function readMultiByte(b0: number): number {
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    const b1 = bytes[pos + 1];
    if (b1 === undefined || (b1 & 0xc0) !== 0x80) return -1;
    pos += 2;
    return ((b0 & 0x1f) << 6) | (b1 & 0x3f);
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const b1 = bytes[pos + 1];
    const b2 = bytes[pos + 2];
    if (b1 === undefined || b2 === undefined) return -1;
    const lo = b0 === 0xe0 ? 0xa0 : 0x80; // E0 80..9F would be overlong
    const hi = b0 === 0xed ? 0x9f : 0xbf; // ED A0..BF would be a surrogate
    if (b1 < lo || b1 > hi || (b2 & 0xc0) !== 0x80) return -1;
    pos += 3;
    return ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const b1 = bytes[pos + 1];
    const b2 = bytes[pos + 2];
    const b3 = bytes[pos + 3];
    if (b1 === undefined || b2 === undefined || b3 === undefined) return -1;
    const lo = b0 === 0xf0 ? 0x90 : 0x80; // F0 80..8F would be overlong
    const hi = b0 === 0xf4 ? 0x8f : 0xbf; // F4 90.. would exceed U+10FFFF
    if (b1 < lo || b1 > hi || (b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80) return -1;
    pos += 4;
    return ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
  }
  return -1; // stray continuation byte, C0/C1 (always overlong) or F5..FF
}
