/**
 * Minimal binary reader/writer for the Wasm encoding (LEB128 integers, bytes). Hand-written on
 * purpose: rewriting a 3.5 MB module reads and writes millions of small LEB128 numbers in place in
 * one buffer; `@dfinity/candid`'s LEB128 works through a copying `PipeArrayBuffer` with bigint
 * arithmetic, made for Candid values, and would multiply the rewrite time (6–9 ms, see the
 * ic-host benchmark). Elsewhere the packages use `@dfinity/candid`'s LEB128.
 */

export class WasmFormatError extends Error {
  override name = 'WasmFormatError';
}

export class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  byte(): number {
    if (this.pos >= this.end) throw new WasmFormatError(`unexpected end of data at ${this.pos}`);
    return this.bytes[this.pos++];
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 35) throw new WasmFormatError(`LEB128 too long at ${this.pos}`);
    }
    if (result > 0xffffffff) throw new WasmFormatError(`u32 out of range at ${this.pos}`);
    return result;
  }

  /** Skips a LEB128 integer of any width (signed or unsigned). */
  skipLeb(): void {
    let guard = 0;
    while ((this.byte() & 0x80) !== 0) {
      if (++guard > 10) throw new WasmFormatError(`LEB128 too long at ${this.pos}`);
    }
  }

  skip(n: number): void {
    if (this.pos + n > this.end) throw new WasmFormatError(`unexpected end of data at ${this.pos}`);
    this.pos += n;
  }

  bytesOf(n: number): Uint8Array {
    const start = this.pos;
    this.skip(n);
    return this.bytes.subarray(start, this.pos);
  }

  name(): string {
    const n = this.u32();
    return new TextDecoder('utf-8', { fatal: true }).decode(this.bytesOf(n));
  }
}

/** Growable byte buffer. */
export class Writer {
  private buf: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): this {
    this.ensure(1);
    this.buf[this.length++] = b;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  u32(value: number): this {
    let v = value >>> 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 of a 64-bit value. */
  s64(value: bigint): this {
    let v = BigInt.asIntN(64, value);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const signBitSet = (b & 0x40) !== 0;
      if ((v === 0n && !signBitSet) || (v === -1n && signBitSet)) {
        this.byte(b);
        return this;
      }
      this.byte(b | 0x80);
    }
  }

  name(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u32(b.length).bytes(b);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export function u32Bytes(value: number): Uint8Array {
  return new Writer(5).u32(value).finish();
}
