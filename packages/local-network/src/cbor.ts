/**
 * A small strict CBOR (RFC 8949) codec for the IC HTTP interface.
 *
 * Decoding accepts what IC clients send: the self-describe tag 55799 anywhere, definite and
 * indefinite lengths, bignums (tag 2) for naturals beyond 64 bits. It refuses what the
 * specification forbids or what no request needs: floats, duplicate or non-text map keys,
 * unknown tags, trailing bytes. Integers up to 2^53-1 decode as `number`, larger ones as `bigint`,
 * so callers must treat both alike (the request id does: both hash as the same LEB128).
 */

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

function concat(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
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
        bytes = concat(chunks);
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

class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  push(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  head(major: number, arg: number | bigint): void {
    const m = major << 5;
    const v = BigInt(arg);
    if (v < 24n) this.push(Uint8Array.of(m | Number(v)));
    else if (v < 0x100n) this.push(Uint8Array.of(m | 24, Number(v)));
    else if (v < 0x10000n) this.push(Uint8Array.of(m | 25, Number(v >> 8n), Number(v & 0xffn)));
    else if (v < 0x100000000n) {
      const n = Number(v);
      this.push(Uint8Array.of(m | 26, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff));
    } else {
      const out = new Uint8Array(9);
      out[0] = m | 27;
      for (let i = 0; i < 8; i++) out[8 - i] = Number((v >> BigInt(8 * i)) & 0xffn);
      this.push(out);
    }
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

const U64_MAX = (1n << 64n) - 1n;

function writeItem(w: Writer, v: CborValue, depth: number): void {
  if (depth > MAX_DEPTH) throw new CborError('nesting too deep');
  if (v === null) return w.push(Uint8Array.of(0xf6));
  if (v === undefined) return w.push(Uint8Array.of(0xf7));
  if (v === true) return w.push(Uint8Array.of(0xf5));
  if (v === false) return w.push(Uint8Array.of(0xf4));
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new CborError(`cannot encode non-integer number ${v}`);
    return v >= 0 ? w.head(0, v) : w.head(1, -1 - v);
  }
  if (typeof v === 'bigint') {
    if (v >= 0n && v <= U64_MAX) return w.head(0, v);
    if (v < 0n && -1n - v <= U64_MAX) return w.head(1, -1n - v);
    if (v < 0n) throw new CborError('negative bignums are not supported');
    let hex = v.toString(16);
    if (hex.length % 2) hex = '0' + hex;
    w.head(6, 2);
    w.head(2, hex.length / 2);
    return w.push(Uint8Array.from(Buffer.from(hex, 'hex')));
  }
  if (typeof v === 'string') {
    const b = textEncoder.encode(v);
    w.head(3, b.length);
    return w.push(b);
  }
  if (v instanceof Uint8Array) {
    w.head(2, v.length);
    return w.push(v);
  }
  if (Array.isArray(v)) {
    w.head(4, v.length);
    for (const x of v) writeItem(w, x, depth + 1);
    return;
  }
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  w.head(5, entries.length);
  for (const [k, x] of entries) {
    writeItem(w, k, depth + 1);
    writeItem(w, x, depth + 1);
  }
}

/**
 * Encodes a value. Map fields whose value is `undefined` are omitted (optional fields).
 * With `selfDescribe` (the default) the item is prefixed with tag 55799, as IC clients expect.
 */
export function encodeCbor(value: CborValue, options: { selfDescribe?: boolean } = {}): Uint8Array {
  const w = new Writer();
  if (options.selfDescribe ?? true) w.head(6, SELF_DESCRIBE_TAG);
  writeItem(w, value, 0);
  return w.result();
}

export function isCborMap(v: CborValue): v is CborMap {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v);
}
