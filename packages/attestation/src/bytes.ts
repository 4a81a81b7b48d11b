// Byte helpers written out by hand: azle's JS engine has neither Buffer nor atob/btoa nor a
// TextDecoder that can be trusted to reject bad input, and the lenient versions elsewhere
// (Buffer.from(s, 'base64') skips junk, TextDecoder substitutes U+FFFD) would let two
// different byte strings mean the same attestation.
import { sha256 } from '@noble/hashes/sha2.js';
import { FormatErrorCode } from './codes';
import { AttestationError } from './errors';

const HEX_DIGITS = '0123456789abcdef';

/**
 * True for any Uint8Array, also one from another realm (a worker, an iframe, a vm context) or a
 * Node Buffer, where `instanceof` would answer differently.
 */
export function isBytes(value: unknown): value is Uint8Array {
  return Object.prototype.toString.call(value) === '[object Uint8Array]';
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    out += HEX_DIGITS[b >> 4] + HEX_DIGITS[b & 15];
  }
  return out;
}

function hexNibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  return -1; // uppercase is rejected: one spelling per value
}

/** Strict lowercase hex → bytes, or null. */
export function decodeHexOrNull(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(hex.charCodeAt(2 * i));
    const lo = hexNibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** True when `value` is exactly `length` lowercase hex digits. */
export function isLowerHex(value: string, length: number): boolean {
  if (value.length !== length) return false;
  for (let i = 0; i < length; i++) if (hexNibble(value.charCodeAt(i)) < 0) return false;
  return true;
}

/** Strict lowercase hex → bytes; throws `AttestationError` (`HEX_INVALID`). */
export function hexToBytes(hex: string): Uint8Array {
  const out = typeof hex === 'string' ? decodeHexOrNull(hex) : null;
  if (out === null) {
    throw new AttestationError({
      code: FormatErrorCode.HEX_INVALID,
      message: 'hex must be an even number of lowercase hex digits',
    });
  }
  return out;
}

const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// Indexed by any UTF-16 code unit, so the decoding loop needs no range check (or call).
const B64_VALUES = (() => {
  const table = new Int8Array(65536).fill(-1);
  for (let i = 0; i < 64; i++) table[B64_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** RFC 4648 base64, standard alphabet, with padding. */
export function base64Encode(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    chunk +=
      B64_ALPHABET[n >> 18] +
      B64_ALPHABET[(n >> 12) & 63] +
      B64_ALPHABET[(n >> 6) & 63] +
      B64_ALPHABET[n & 63];
    if (chunk.length >= 4096) {
      parts.push(chunk);
      chunk = '';
    }
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    chunk += B64_ALPHABET[n >> 18] + B64_ALPHABET[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    chunk +=
      B64_ALPHABET[n >> 18] + B64_ALPHABET[(n >> 12) & 63] + B64_ALPHABET[(n >> 6) & 63] + '=';
  }
  parts.push(chunk);
  return parts.join('');
}

function b64Value(code: number): number {
  return B64_VALUES[code];
}

/**
 * Canonical base64 → bytes, or null: length a multiple of 4, padding only as the last one or two
 * characters, no whitespace, and the unused low bits of the last symbol zero (otherwise several
 * strings would decode to the same bytes).
 */
export function decodeBase64OrNull(text: string): Uint8Array | null {
  const len = text.length;
  if (len % 4 !== 0) return null;
  if (len === 0) return new Uint8Array(0);
  let pad = 0;
  if (text.charCodeAt(len - 1) === 61) pad = text.charCodeAt(len - 2) === 61 ? 2 : 1;
  const out = new Uint8Array((len / 4) * 3 - pad);
  const fullQuads = pad === 0 ? len / 4 : len / 4 - 1;
  let o = 0;
  const values = B64_VALUES;
  for (let q = 0, p = 0; q < fullQuads; q++, p += 4) {
    const a = values[text.charCodeAt(p)];
    const b = values[text.charCodeAt(p + 1)];
    const c = values[text.charCodeAt(p + 2)];
    const d = values[text.charCodeAt(p + 3)];
    if ((a | b | c | d) < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (pad > 0) {
    const p = len - 4;
    const a = b64Value(text.charCodeAt(p));
    const b = b64Value(text.charCodeAt(p + 1));
    if ((a | b) < 0) return null;
    if (pad === 2) {
      if ((b & 15) !== 0) return null;
      out[o] = (a << 2) | (b >> 4);
    } else {
      const c = b64Value(text.charCodeAt(p + 2));
      if (c < 0 || (c & 3) !== 0) return null;
      out[o++] = (a << 2) | (b >> 4);
      out[o] = ((b & 15) << 4) | (c >> 2);
    }
  }
  return out;
}

/** Canonical base64 → bytes; throws `AttestationError` (`BASE64_INVALID`). */
export function base64Decode(text: string): Uint8Array {
  const out = typeof text === 'string' ? decodeBase64OrNull(text) : null;
  if (out === null) {
    throw new AttestationError({
      code: FormatErrorCode.BASE64_INVALID,
      message: 'not canonical RFC 4648 base64 (standard alphabet, padded, zero trailing bits)',
    });
  }
  return out;
}

/**
 * UTF-8 byte length of a JS string, or -1 when it holds a lone surrogate (which has no UTF-8
 * encoding).
 */
export function utf8ByteLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return -1;
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** JS string → UTF-8; throws `AttestationError` (`LONE_SURROGATE`) instead of writing U+FFFD. */
export function utf8Encode(text: string): Uint8Array {
  // ASCII (JSON records, hashes, most text) in one pass after a native check.
  if (!NON_ASCII.test(text)) {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }
  const length = utf8ByteLength(text);
  if (length < 0) {
    throw new AttestationError({
      code: FormatErrorCode.LONE_SURROGATE,
      message: 'text holds a lone surrogate, which has no UTF-8 encoding',
    });
  }
  const out = new Uint8Array(length);
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
    } else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c <= 0xdbff) {
      c = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      out[o++] = 0xf0 | (c >> 18);
      out[o++] = 0x80 | ((c >> 12) & 63);
      out[o++] = 0x80 | ((c >> 6) & 63);
      out[o++] = 0x80 | (c & 63);
    } else {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 63);
      out[o++] = 0x80 | (c & 63);
    }
  }
  return out;
}

const STRING_CHUNK = 4096;

/**
 * Well-formed UTF-8 (Unicode Table 3-7: no overlong forms, no surrogates, nothing above
 * U+10FFFF, no truncated sequence) → JS string, or null. A leading BOM is kept, not skipped.
 *
 * ASCII runs (all of an envelope, most of a statement) become strings straight from the byte
 * array, a chunk per call: in azle's interpreter a per-byte copy costs 4x the bare scan.
 */
export function decodeUtf8OrNull(bytes: Uint8Array): string | null {
  // Fast path for pure ASCII (every envelope; most statements): native conversion, native check.
  const ascii: string[] = [];
  for (let start = 0; start < bytes.length; start += STRING_CHUNK) {
    const chunk = bytes.subarray(start, Math.min(bytes.length, start + STRING_CHUNK));
    ascii.push(String.fromCharCode.apply(null, chunk as unknown as number[]));
  }
  const text = ascii.join('');
  if (!NON_ASCII.test(text)) return text;
  return decodeUtf8Slow(bytes);
}

// eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose
const NON_ASCII = /[^\u0000-\u007f]/;

function decodeUtf8Slow(bytes: Uint8Array): string | null {
  const n = bytes.length;
  const parts: string[] = [];
  let runStart = 0;
  const flushAscii = (end: number): void => {
    for (let start = runStart; start < end; start += STRING_CHUNK) {
      const chunk = bytes.subarray(start, Math.min(end, start + STRING_CHUNK));
      parts.push(String.fromCharCode.apply(null, chunk as unknown as number[]));
    }
  };
  let i = 0;
  while (i < n) {
    const b0 = bytes[i];
    if (b0 < 0x80) {
      i++;
      continue;
    }
    flushAscii(i);
    let cp: number;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      if (i + 1 >= n || (bytes[i + 1] & 0xc0) !== 0x80) return null;
      cp = ((b0 & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
      i += 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      if (i + 2 >= n) return null;
      const b1 = bytes[i + 1];
      const b2 = bytes[i + 2];
      const lo = b0 === 0xe0 ? 0xa0 : 0x80; // E0 80..9F would be overlong
      const hi = b0 === 0xed ? 0x9f : 0xbf; // ED A0..BF would be a surrogate
      if (b1 < lo || b1 > hi || (b2 & 0xc0) !== 0x80) return null;
      cp = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      i += 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      if (i + 3 >= n) return null;
      const b1 = bytes[i + 1];
      const b2 = bytes[i + 2];
      const b3 = bytes[i + 3];
      const lo = b0 === 0xf0 ? 0x90 : 0x80; // F0 80..8F would be overlong
      const hi = b0 === 0xf4 ? 0x8f : 0xbf; // F4 90.. would exceed U+10FFFF
      if (b1 < lo || b1 > hi || (b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80) return null;
      cp = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
      i += 4;
    } else {
      return null; // stray continuation byte, C0/C1 (always overlong) or F5..FF
    }
    parts.push(
      cp >= 0x10000
        ? String.fromCharCode(0xd800 | ((cp - 0x10000) >> 10), 0xdc00 | ((cp - 0x10000) & 0x3ff))
        : String.fromCharCode(cp),
    );
    runStart = i;
  }
  flushAscii(n);
  return parts.join('');
}

/** Well-formed UTF-8 → JS string; throws `AttestationError` (`INVALID_UTF8`). */
export function utf8Decode(bytes: Uint8Array): string {
  const out = isBytes(bytes) ? decodeUtf8OrNull(bytes) : null;
  if (out === null) {
    throw new AttestationError({
      code: FormatErrorCode.INVALID_UTF8,
      message: 'bytes are not well-formed UTF-8',
    });
  }
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** SHA-256 of `bytes` as 64 lowercase hex digits. */
export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}
