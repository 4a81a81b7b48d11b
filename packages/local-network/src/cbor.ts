/**
 * CBOR (RFC 8949) for the IC HTTP interface. Encoding is `@dfinity/cbor`'s. Decoding is our own
 * because a replica must be stricter than that library and accept more: `@dfinity/cbor` keeps
 * the last of duplicate map keys and ignores trailing bytes (two encodings of one request could
 * then mean different things), and it refuses indefinite-length strings and bignums (tag 2),
 * which the specification allows clients to send.
 *
 * Decoding accepts what IC clients send: the self-describe tag 55799 anywhere, definite and
 * indefinite lengths, bignums (tag 2) for naturals beyond 64 bits. It refuses what the
 * specification forbids or what no request needs: floats, duplicate or non-text map keys,
 * unknown tags, trailing bytes. Integers up to 2^53-1 decode as `number`, larger ones as `bigint`,
 * so callers must treat both alike (the request id does: both hash as the same LEB128).
 */

import { encode, encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { concatBytes } from '@noble/hashes/utils';

export type CborValue =
  number | bigint | string | boolean | null | undefined | Uint8Array | CborValue[] | CborMap;
export interface CborMap {
  [key: string]: CborValue;
}

export class CborError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CborError';
  }
}

const SELF_DESCRIBE_TAG = 55799;
const MAX_DEPTH = 64;
const textDecoder = new TextDecoder('utf-8', { fatal: true });
const textEncoder = new TextEncoder();

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new CborError('unexpected end of input');
    return this.bytes[this.pos++];
  }

  take(n: number): Uint8Array {
    if (n > this.bytes.length - this.pos) throw new CborError('length exceeds input');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** The argument of an initial byte; `null` means indefinite length. */
  argument(info: number): number | bigint | null {
    if (info < 24) return info;
    switch (info) {
      case 24:
        return this.byte();
      case 25: {
        const b = this.take(2);
        return (b[0] << 8) | b[1];
      }
      case 26: {
        const b = this.take(4);
        return ((b[0] << 24) >>> 0) + ((b[1] << 16) | (b[2] << 8) | b[3]);
      }
      case 27: {
        const b = this.take(8);
        let v = 0n;
        for (const x of b) v = (v << 8n) | BigInt(x);
        return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      case 31:
        return null;
      default:
        throw new CborError(`reserved additional information ${info}`);
    }
  }
}

function lengthOf(arg: number | bigint): number {
  if (typeof arg === 'bigint') throw new CborError('length too large');
  return arg;
}

const BREAK = Symbol('break');

function readItem(r: Reader, depth: number): CborValue | typeof BREAK {
  if (depth > MAX_DEPTH) throw new CborError('nesting too deep');
  const initial = r.byte();
  const major = initial >> 5;
  const info = initial & 0x1f;
  if (initial === 0xff) return BREAK;
  switch (major) {
    case 0: {
      const v = r.argument(info);
      if (v === null) throw new CborError('indefinite integer');
      return v;
    }
    case 1: {
      const v = r.argument(info);
      if (v === null) throw new CborError('indefinite integer');
      const n = -1n - BigInt(v);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n;
    }
    case 2:
    case 3: {
      const len = r.argument(info);
      let bytes: Uint8Array;
      if (len === null) {
        const chunks: Uint8Array[] = [];
        for (;;) {
          const chunk = readItem(r, depth + 1);
          if (chunk === BREAK) break;
          if (major === 2 && chunk instanceof Uint8Array) chunks.push(chunk);
          else if (major === 3 && typeof chunk === 'string') chunks.push(textEncoder.encode(chunk));
          else throw new CborError('indefinite string chunk of another type');
        }
        bytes = concatBytes(...chunks);
      } else {
        // A copy, so callers never hold a view into the request buffer.
        bytes = r.take(lengthOf(len)).slice();
      }
      if (major === 2) return bytes;
      try {
        return textDecoder.decode(bytes);
      } catch {
        throw new CborError('text string is not valid UTF-8');
      }
    }
    case 4: {
      const len = r.argument(info);
      const out: CborValue[] = [];
      if (len === null) {
        for (;;) {
          const item = readItem(r, depth + 1);
          if (item === BREAK) break;
          out.push(item);
        }
      } else {
        const n = lengthOf(len);
        if (n > r.bytes.length - r.pos) throw new CborError('array length exceeds input');
        for (let i = 0; i < n; i++) out.push(expectItem(r, depth + 1));
      }
      return out;
    }
    case 5: {
      const len = r.argument(info);
      const out: CborMap = Object.create(null) as CborMap;
      const readEntry = (key: CborValue | typeof BREAK): boolean => {
        if (key === BREAK) return false;
        if (typeof key !== 'string') throw new CborError('map key is not a text string');
        if (Object.prototype.hasOwnProperty.call(out, key)) {
          throw new CborError(`duplicate map key "${key}"`);
        }
        out[key] = expectItem(r, depth + 1);
        return true;
      };
      if (len === null) {
        while (readEntry(readItem(r, depth + 1)));
      } else {
        const n = lengthOf(len);
        if (n * 2 > r.bytes.length - r.pos) throw new CborError('map length exceeds input');
        for (let i = 0; i < n; i++) readEntry(expectItem(r, depth + 1));
      }
      return out;
    }
    case 6: {
      const tag = r.argument(info);
      if (tag === SELF_DESCRIBE_TAG) return expectItem(r, depth + 1);
      if (tag === 2) {
        const b = expectItem(r, depth + 1);
        if (!(b instanceof Uint8Array)) throw new CborError('bignum content is not a byte string');
        let v = 0n;
        for (const x of b) v = (v << 8n) | BigInt(x);
        return v;
      }
      throw new CborError(`unsupported tag ${String(tag)}`);
    }
    default: {
      switch (info) {
        case 20:
          return false;
        case 21:
          return true;
        case 22:
          return null;
        case 23:
          return undefined;
        default:
          throw new CborError('floating point and simple values are not accepted');
      }
    }
  }
}

function expectItem(r: Reader, depth: number): CborValue {
  const v = readItem(r, depth);
  if (v === BREAK) throw new CborError('unexpected break');
  return v;
}

/** Decodes exactly one CBOR data item; trailing bytes are an error. */
export function decodeCbor(bytes: Uint8Array): CborValue {
  const r = new Reader(bytes);
  const v = expectItem(r, 0);
  if (r.pos !== bytes.length) throw new CborError('trailing bytes after the data item');
  return v;
}

/** Map fields whose value is `undefined` are left out (optional fields). */
function withoutUndefined(value: CborValue): CborValue {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (isCborMap(value)) {
    const out: CborMap = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
    return out;
  }
  return value;
}

/**
 * Encodes a value with `@dfinity/cbor` (what agent-js uses). Map fields whose value is
 * `undefined` are omitted. With `selfDescribe` (the default) the item is prefixed with tag
 * 55799, as IC clients expect.
 */
export function encodeCbor(value: CborValue, options: { selfDescribe?: boolean } = {}): Uint8Array {
  const clean = withoutUndefined(value);
  return (options.selfDescribe ?? true) ? encodeWithSelfDescribedTag(clean) : encode(clean);
}

export function isCborMap(v: CborValue): v is CborMap {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v);
}
