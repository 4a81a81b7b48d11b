/**
 * A compact binary encoding of the JavaScript values the host's change sets and stored state
 * are made of (plain objects, arrays, Maps, Sets, byte arrays, bigints, principals), for the
 * state directory. It round-trips exactly what it accepts and refuses anything else (functions,
 * class instances other than Principal), so nothing is silently lost on disk.
 */
import { Principal } from '@dfinity/principal';

/** Type tags of the encoding (one byte before each value). */
const T = {
  Undefined: 0,
  Null: 1,
  False: 2,
  True: 3,
  Float: 4,
  BigInt: 5,
  String: 6,
  Bytes: 7,
  Array: 8,
  Object: 9,
  Map: 10,
  Set: 11,
  Principal: 12,
  Int32: 13,
} as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

class Out {
  private chunks: Uint8Array[] = [];
  private cur = new Uint8Array(4096);
  private len = 0;
  size = 0;

  private room(n: number): void {
    if (this.len + n <= this.cur.length) return;
    this.chunks.push(this.cur.subarray(0, this.len));
    this.cur = new Uint8Array(Math.max(4096, n));
    this.len = 0;
  }
  byte(b: number): void {
    this.room(1);
    this.cur[this.len++] = b;
    this.size++;
  }
  u32(n: number): void {
    this.room(4);
    new DataView(this.cur.buffer, this.cur.byteOffset).setUint32(this.len, n, true);
    this.len += 4;
    this.size += 4;
  }
  f64(n: number): void {
    this.room(8);
    new DataView(this.cur.buffer, this.cur.byteOffset).setFloat64(this.len, n, true);
    this.len += 8;
    this.size += 8;
  }
  i32(n: number): void {
    this.room(4);
    new DataView(this.cur.buffer, this.cur.byteOffset).setInt32(this.len, n, true);
    this.len += 4;
    this.size += 4;
  }
  bytes(b: Uint8Array): void {
    if (b.length > 1024) {
      // Large blobs (stable pages, modules) are referenced, not copied twice.
      this.chunks.push(this.cur.subarray(0, this.len));
      this.chunks.push(b.slice());
      this.cur = new Uint8Array(4096);
      this.len = 0;
      this.size += b.length;
      return;
    }
    this.room(b.length);
    this.cur.set(b, this.len);
    this.len += b.length;
    this.size += b.length;
  }
  result(): Uint8Array {
    const parts = [...this.chunks, this.cur.subarray(0, this.len)];
    const out = new Uint8Array(this.size);
    let off = 0;
    for (const p of parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  }
}

function isPrincipal(v: object): v is Principal {
  return (v as { _isPrincipal?: unknown })._isPrincipal === true;
}

function write(o: Out, v: unknown, depth: number): void {
  if (depth > 100) throw new TypeError('value nests too deeply to persist');
  if (v === undefined) return o.byte(T.Undefined);
  if (v === null) return o.byte(T.Null);
  if (v === false) return o.byte(T.False);
  if (v === true) return o.byte(T.True);
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff && !Object.is(v, -0)) {
      o.byte(T.Int32);
      return o.i32(v);
    }
    o.byte(T.Float);
    return o.f64(v);
  }
  if (typeof v === 'bigint') {
    o.byte(T.BigInt);
    const s = encoder.encode(v.toString(16));
    o.u32(s.length);
    return o.bytes(s);
  }
  if (typeof v === 'string') {
    const s = encoder.encode(v);
    o.byte(T.String);
    o.u32(s.length);
    return o.bytes(s);
  }
  if (v instanceof Uint8Array) {
    o.byte(T.Bytes);
    o.u32(v.length);
    return o.bytes(v);
  }
  if (Array.isArray(v)) {
    o.byte(T.Array);
    o.u32(v.length);
    for (const x of v) write(o, x, depth + 1);
    return;
  }
  if (v instanceof Map) {
    o.byte(T.Map);
    o.u32(v.size);
    for (const [k, x] of v) {
      write(o, k, depth + 1);
      write(o, x, depth + 1);
    }
    return;
  }
  if (v instanceof Set) {
    o.byte(T.Set);
    o.u32(v.size);
    for (const x of v) write(o, x, depth + 1);
    return;
  }
  if (typeof v === 'object') {
    if (isPrincipal(v)) {
      o.byte(T.Principal);
      const b = v.toUint8Array();
      o.u32(b.length);
      return o.bytes(b);
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`cannot persist an instance of ${v.constructor?.name}`);
    }
    const entries = Object.entries(v);
    o.byte(T.Object);
    o.u32(entries.length);
    for (const [k, x] of entries) {
      write(o, k, depth + 1);
      write(o, x, depth + 1);
    }
    return;
  }
  throw new TypeError(`cannot persist a value of type ${typeof v}`);
}

export function encodeValue(v: unknown): Uint8Array {
  const o = new Out();
  write(o, v, 0);
  return o.result();
}

class In {
  pos = 0;
  private view: DataView;
  constructor(private readonly b: Uint8Array) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  need(n: number): void {
    if (this.pos + n > this.b.length) throw new RangeError('persisted value is truncated');
  }
  byte(): number {
    this.need(1);
    return this.b[this.pos++];
  }
  u32(): number {
    this.need(4);
    const n = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return n;
  }
  i32(): number {
    this.need(4);
    const n = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return n;
  }
  f64(): number {
    this.need(8);
    const n = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return n;
  }
  take(n: number): Uint8Array {
    this.need(n);
    const out = this.b.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

function read(i: In): unknown {
  const t = i.byte();
  switch (t) {
    case T.Undefined:
      return undefined;
    case T.Null:
      return null;
    case T.False:
      return false;
    case T.True:
      return true;
    case T.Int32:
      return i.i32();
    case T.Float:
      return i.f64();
    case T.BigInt: {
      const s = decoder.decode(i.take(i.u32()));
      return s.startsWith('-') ? -BigInt('0x' + s.slice(1)) : BigInt('0x' + s);
    }
    case T.String:
      return decoder.decode(i.take(i.u32()));
    case T.Bytes:
      return i.take(i.u32());
    case T.Array: {
      const n = i.u32();
      const out: unknown[] = [];
      for (let k = 0; k < n; k++) out.push(read(i));
      return out;
    }
    case T.Map: {
      const n = i.u32();
      const out = new Map<unknown, unknown>();
      for (let k = 0; k < n; k++) {
        const key = read(i);
        out.set(key, read(i));
      }
      return out;
    }
    case T.Set: {
      const n = i.u32();
      const out = new Set<unknown>();
      for (let k = 0; k < n; k++) out.add(read(i));
      return out;
    }
    case T.Principal:
      return Principal.fromUint8Array(i.take(i.u32()));
    case T.Object: {
      const n = i.u32();
      const out: Record<string, unknown> = {};
      for (let k = 0; k < n; k++) {
        const key = read(i);
        if (typeof key !== 'string') throw new TypeError('persisted object key is not a string');
        out[key] = read(i);
      }
      return out;
    }
    default:
      throw new TypeError(`unknown persisted value tag ${t}`);
  }
}

export function decodeValue(b: Uint8Array): unknown {
  const i = new In(b);
  const v = read(i);
  if (i.pos !== b.length) throw new RangeError('trailing bytes after persisted value');
  return v;
}
