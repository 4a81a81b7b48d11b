// The engine's own UTF-8 decoder and JSON.parse, where they can be trusted, made exactly as strict
// as `parseJson(decodeUtf8OrNull(bytes))`. The page verifies a thousand envelopes in freshly
// started workers, where hand-written parsers (json-bytes.ts) still run in the interpreter;
// native decoding and parsing cost a fraction of that from the first call.
//
// JSON.parse accepts more than `parseJson`: duplicate keys (keeping the last), fractions,
// exponents, -0, integers too long to be exact, `\u` escapes of lone surrogates, any depth. A
// scan of the bytes outside strings rules those out before its result counts: it counts the
// members (one `:` each), so a parse that kept fewer had a duplicate; it refuses any `.`, `E`
// or `e` after a digit (a fraction or exponent; `true` and `false` are the only other places an
// `e` can be) and any `\u`, and measures the depth. What is left are integers, checked by value.
// Like parseJsonBytes, this answers `undefined` for anything it does not accept, and the
// general path then finds the error and names it.
import type { JsonValue } from './json';

/** Largest magnitude `parseJson` accepts: at most 15 digits. */
const MAX_INTEGER = 999_999_999_999_999;

let strictDecoder: TextDecoder | null | undefined;

/**
 * A UTF-8 decoder that refuses what `decodeUtf8OrNull` refuses and keeps a BOM, or null where
 * the engine has none (azle's QuickJS) or one that fails these checks.
 */
export function utf8Decoder(): TextDecoder | null {
  if (strictDecoder !== undefined) return strictDecoder;
  strictDecoder = null;
  if (typeof TextDecoder !== 'function') return null;
  try {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    if (decoder.decode(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41)) !== '\ufeffA') return null;
    // Overlong, surrogate, above U+10FFFF, truncated: each must throw.
    for (const bad of [
      [0xc0, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
    ]) {
      try {
        decoder.decode(Uint8Array.from(bad));
        return null;
      } catch {
        // refused, as it must be
      }
    }
    strictDecoder = decoder;
  } catch {
    // no usable decoder
  }
  return strictDecoder;
}

/** Whether this engine has what `parseJsonNative` needs. */
export function hasNativeJson(): boolean {
  return utf8Decoder() !== null;
}

/**
 * Parses `input` (UTF-8) as `parseJson(decodeUtf8OrNull(input), …)` would, or returns
 * `undefined` when that would not give a value, this parser is unsure, or the engine lacks a
 * strict decoder. Objects are plain objects (`Object.prototype`); a key `__proto__` gives up.
 */
export function parseJsonNative(input: Uint8Array, maxDepth: number): JsonValue | undefined {
  const decoder = utf8Decoder();
  if (decoder === null) return undefined;
  let text: string;
  try {
    text = decoder.decode(input);
  } catch {
    return undefined; // not UTF-8: the general path says where
  }
  return parseDecodedJson(input, text, maxDepth);
}

/**
 * `parseJsonNative` for `input` already decoded into `text` by a decoder as strict as
 * `decodeUtf8OrNull` (that one itself, where the engine has none: azle's QuickJS, whose
 * `JSON.parse` is C while a parser in JavaScript runs in its interpreter).
 */
export function parseDecodedJson(
  input: Uint8Array,
  text: string,
  maxDepth: number,
): JsonValue | undefined {
  const members = countMembers(input, maxDepth);
  if (members < 0) return undefined;
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return undefined; // not JSON: the general path says where
  }
  return membersOf(value) === members ? value : undefined;
}

/**
 * Members (`:` outside strings) of the document, or -1 when it nests deeper than `maxDepth`,
 * holds a number with a fraction or exponent, or a `\u` escape. Meaningful only for bytes
 * JSON.parse accepts: the caller discards it otherwise. Strings are skipped with native
 * `indexOf`, not byte by byte.
 */
function countMembers(b: Uint8Array, maxDepth: number): number {
  let backslash = b.indexOf(0x5c);
  let members = 0;
  let depth = 0;
  const n = b.length;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 0x22) {
      let end = b.indexOf(0x22, i + 1);
      // Escapes inside this string: one may hide a quote, so the end is searched again after it.
      while (backslash >= 0 && backslash < end) {
        if (b[backslash + 1] === 0x75) return -1; // \u: surrogate rules are the general path's
        const after = backslash + 2;
        if (after > end) end = b.indexOf(0x22, after);
        backslash = b.indexOf(0x5c, after);
      }
      if (end < 0) return -1;
      i = end;
    } else if (c === 0x3a) {
      members++;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return -1;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x2e || c === 0x45 || (c === 0x65 && b[i - 1] >= 0x30 && b[i - 1] <= 0x39)) {
      return -1;
    }
  }
  return members;
}

/**
 * Members of the parsed value, or -1 for what `parseJson` refuses that the scan cannot see: a
 * number beyond 15 digits or -0 (fractions and exponents are already excluded), a key `__proto__`.
 */
function membersOf(value: JsonValue): number {
  if (typeof value === 'number') {
    return Math.abs(value) <= MAX_INTEGER && !Object.is(value, -0) ? 0 : -1;
  }
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const inner = membersOf(item);
      if (inner < 0) return -1;
      count += inner;
    }
    return count;
  }
  // Own keys only: an enumerable property someone added to Object.prototype must not count.
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return -1;
    const inner = membersOf(value[key]);
    if (inner < 0) return -1;
    count += inner + 1;
  }
  return count;
}
