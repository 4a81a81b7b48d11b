// A small strict JSON parser (RFC 8259) for the envelope and the statement. JSON.parse is
// lenient where a signed format must not be: it keeps the last of duplicate keys (so a
// verifier and a viewer could see different values), accepts lone surrogates, turns 1e400
// into Infinity and 12345678901234567890 into a rounded number.
import { FormatErrorCode } from './codes';
import { reject } from './errors';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** Parsed objects have a null prototype, so a key like `__proto__` is just a key. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Largest integer the parser accepts as a number: below 2^53, so it is exact. */
const MAX_INTEGER_DIGITS = 15;

export function formatPath(base: string, segments: readonly (string | number)[]): string {
  let out = base;
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}

interface ParseOptions {
  /** Field name used for errors at the root, and prefix of nothing: paths inside start fresh. */
  rootField: string | undefined;
  maxDepth: number;
}

/**
 * Parses exactly one JSON value from `text` (already strictly UTF-8 decoded). Numbers must be
 * integers of at most 15 digits: the format has no other numbers, and this keeps them exact.
 * Throws `Rejection`; field paths are relative to the parsed document (`predicate.note`).
 */
// A string without escapes or control characters (almost every string, including an envelope's
// kilobytes of base64) is found and checked by native string functions; only the rest is walked
// character by character, which costs a lot in azle's interpreter.
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
const PLAIN_STRING_BREAKER = /[\\\u0000-\u001f]/;

export function parseJson(text: string, options: ParseOptions): JsonValue {
  const path: (string | number)[] = [];
  let pos = 0;
  let depth = 0;

  const field = (): string | undefined =>
    path.length === 0 ? options.rootField : formatPath('', path);
  const documentName = options.rootField ?? 'envelope';
  const fail = (message: string): never =>
    reject(
      FormatErrorCode.NOT_JSON,
      `${documentName} is not JSON: ${message} at offset ${pos}`,
      options.rootField,
    );

  const skipWhitespace = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else return;
    }
  };

  const parseString = (): string => {
    pos++; // opening quote
    const end = text.indexOf('"', pos);
    if (end >= 0) {
      const candidate = text.slice(pos, end);
      if (!PLAIN_STRING_BREAKER.test(candidate)) {
        pos = end + 1;
        return candidate;
      }
    }
    let out = '';
    let runStart = pos;
    for (;;) {
      if (pos >= text.length) fail('unterminated string');
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(runStart, pos);
        pos++;
        return out;
      }
      if (c < 0x20) fail('unescaped control character in string');
      if (c !== 0x5c) {
        pos++;
        continue;
      }
      out += text.slice(runStart, pos);
      const e = text.charCodeAt(pos + 1);
      pos += 2;
      switch (e) {
        case 0x22:
          out += '"';
          break;
        case 0x5c:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x75: {
          const unit = readHex4();
          if (unit >= 0xd800 && unit <= 0xdbff) {
            // A high surrogate must be followed by an escaped low surrogate.
            if (text.charCodeAt(pos) !== 0x5c || text.charCodeAt(pos + 1) !== 0x75) loneSurrogate();
            pos += 2;
            const low = readHex4();
            if (low < 0xdc00 || low > 0xdfff) loneSurrogate();
            out += String.fromCharCode(unit, low);
          } else if (unit >= 0xdc00 && unit <= 0xdfff) {
            loneSurrogate();
          } else {
            out += String.fromCharCode(unit);
          }
          break;
        }
        default:
          pos -= 2;
          fail('invalid escape');
      }
      runStart = pos;
    }
  };

  const loneSurrogate = (): never =>
    reject(
      FormatErrorCode.LONE_SURROGATE,
      `${field() ?? documentName} has a \\u escape of a lone surrogate`,
      field(),
    );

  const readHex4 = (): number => {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const c = text.charCodeAt(pos + k);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else return fail('invalid \\u escape');
      v = (v << 4) | d;
    }
    pos += 4;
    return v;
  };

  const isDigit = (c: number): boolean => c >= 48 && c <= 57;

  const parseNumber = (): number => {
    const start = pos;
    if (text.charCodeAt(pos) === 0x2d) pos++;
    const intStart = pos;
    if (text.charCodeAt(pos) === 0x30) pos++;
    else if (isDigit(text.charCodeAt(pos))) while (isDigit(text.charCodeAt(pos))) pos++;
    else fail('invalid number');
    const intDigits = pos - intStart;
    let integer = true;
    if (text.charCodeAt(pos) === 0x2e) {
      pos++;
      if (!isDigit(text.charCodeAt(pos))) fail('invalid number');
      while (isDigit(text.charCodeAt(pos))) pos++;
      integer = false;
    }
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === 0x2d) pos++;
      if (!isDigit(text.charCodeAt(pos))) fail('invalid number');
      while (isDigit(text.charCodeAt(pos))) pos++;
      integer = false;
    }
    const raw = text.slice(start, pos);
    if (!integer || intDigits > MAX_INTEGER_DIGITS || raw === '-0') {
      reject(
        FormatErrorCode.NUMBER_INVALID,
        `${field() ?? documentName}: ${raw.length > 40 ? raw.slice(0, 40) + '…' : raw} is not an integer of at most ${MAX_INTEGER_DIGITS} digits`,
        field(),
      );
    }
    return Number(raw);
  };

  const expectLiteral = (literal: string): void => {
    if (text.startsWith(literal, pos)) pos += literal.length;
    else fail('unexpected token');
  };

  const enter = (): void => {
    depth++;
    if (depth > options.maxDepth) {
      reject(
        FormatErrorCode.NESTING_TOO_DEEP,
        `${documentName} nests deeper than ${options.maxDepth} levels at ${field() ?? 'the root'}`,
        field(),
      );
    }
  };

  const parseValue = (): JsonValue => {
    skipWhitespace();
    const c = text.charCodeAt(pos);
    switch (c) {
      case 0x7b: {
        // {
        enter();
        pos++;
        const obj = Object.create(null) as JsonObject;
        skipWhitespace();
        if (text.charCodeAt(pos) === 0x7d) {
          pos++;
          depth--;
          return obj;
        }
        for (;;) {
          skipWhitespace();
          if (text.charCodeAt(pos) !== 0x22) fail('expected a string key');
          const key = parseString();
          path.push(key);
          if (key in obj)
            reject(FormatErrorCode.DUPLICATE_KEY, `duplicate key ${field() ?? ''}`, field());
          skipWhitespace();
          if (text.charCodeAt(pos) !== 0x3a) fail('expected ":"');
          pos++;
          obj[key] = parseValue();
          path.pop();
          skipWhitespace();
          const sep = text.charCodeAt(pos);
          pos++;
          if (sep === 0x2c) continue;
          if (sep === 0x7d) break;
          pos--;
          fail('expected "," or "}"');
        }
        depth--;
        return obj;
      }
      case 0x5b: {
        // [
        enter();
        pos++;
        const arr: JsonValue[] = [];
        skipWhitespace();
        if (text.charCodeAt(pos) === 0x5d) {
          pos++;
          depth--;
          return arr;
        }
        for (;;) {
          path.push(arr.length);
          arr.push(parseValue());
          path.pop();
          skipWhitespace();
          const sep = text.charCodeAt(pos);
          pos++;
          if (sep === 0x2c) continue;
          if (sep === 0x5d) break;
          pos--;
          fail('expected "," or "]"');
        }
        depth--;
        return arr;
      }
      case 0x22:
        return parseString();
      case 0x74:
        expectLiteral('true');
        return true;
      case 0x66:
        expectLiteral('false');
        return false;
      case 0x6e:
        expectLiteral('null');
        return null;
      default:
        if (c === 0x2d || isDigit(c)) return parseNumber();
        return fail(pos >= text.length ? 'unexpected end' : 'unexpected character');
    }
  };

  const value = parseValue();
  skipWhitespace();
  if (pos !== text.length) fail('trailing data after the JSON value');
  return value;
}
