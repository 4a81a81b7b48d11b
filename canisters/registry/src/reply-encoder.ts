/**
 * Candid encoding of replies, built for the canister's interpreter.
 *
 * Why not `IDL.encode`: @dfinity/candid rebuilds the type table for every message,
 * re-validates the whole value (`covariant`) and concatenates one small array per field. In
 * azle's QuickJS that costs tens of millions of instructions for a proposal summary — more than
 * the summary itself (measured: `npm run bench -- --only registry`). This encoder produces the
 * same bytes: the header (magic, type table, argument types) is computed once per type with the
 * library itself, and values are written into one growing buffer in the library's field order.
 * Tests compare its output with `IDL.encode` byte for byte.
 *
 * A part of a value may be handed in already encoded (`PreEncoded`, e.g. an attestation's
 * stored rendering): it is copied as is. `Encodable<T>` says where: any part of a `T`.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { utf8Encode } from '@repro-registry/attestation';

/**
 * The Candid encoding of one value of `T` (without the message header), made by `encodeValue`
 * with `T`'s IDL type. The type parameter keeps bytes of one type from standing in for another.
 */
export class PreEncoded<T> {
  declare private readonly encodes: T;
  /**
   * The encoding in consecutive pieces (e.g. a stored rendering with an envelope spliced in):
   * they are copied once, straight into the reply, instead of being joined first — in the
   * interpreter every extra copy of a page's envelopes costs millions of instructions.
   */
  readonly chunks: readonly Uint8Array[];

  constructor(bytes: Uint8Array | readonly Uint8Array[]) {
    this.chunks = bytes instanceof Uint8Array ? [bytes] : bytes;
  }

  /** The encoding as one byte string. */
  get bytes(): Uint8Array {
    if (this.chunks.length === 1) return this.chunks[0];
    const w = new Writer();
    for (const chunk of this.chunks) w.raw(chunk);
    return w.result();
  }
}

/** Pieces at least this long are copied once, into the result (see `Writer`). */
const LARGE_PIECE = 512;

type Leaf = Uint8Array | Principal | bigint | number | string | boolean | null | undefined;

/** A `T` to encode, any part of which may already be encoded. */
export type Encodable<T> =
  PreEncoded<T> | (T extends Leaf ? T : { [K in keyof T]: Encodable<T[K]> });

/**
 * Where the encoding grows. Small writes go into a buffer; a large piece (an attestation's
 * stored rendering, ~4 KB with its envelope) is kept by reference and copied once, when the
 * result is put together: a page of 500 attestations is ~1.5 MB, and every copy of it costs the
 * interpreter ~5 M instructions (growing one buffer by doubling copies it once more, the result
 * once more again).
 */
class Writer {
  /** Finished pieces, in order: filled parts of buffers and large pieces taken as they are. */
  private readonly pieces: Uint8Array[] = [];
  private piecesLength = 0;
  private buffer = new Uint8Array(1024);
  /** Where the current piece starts in `buffer`, and where the next byte goes. */
  private start = 0;
  private at = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.piecesLength + this.at - this.start;
  }

  private endPiece(): void {
    if (this.at === this.start) return;
    this.pieces.push(this.buffer.subarray(this.start, this.at));
    this.piecesLength += this.at - this.start;
    this.start = this.at;
  }

  private room(n: number): void {
    if (this.at + n <= this.buffer.length) return;
    this.endPiece();
    this.buffer = new Uint8Array(Math.max(n, 1024, this.buffer.length));
    this.start = this.at = 0;
  }

  byte(b: number): void {
    this.room(1);
    this.buffer[this.at++] = b;
  }

  raw(data: Uint8Array): void {
    if (data.length >= LARGE_PIECE) {
      this.endPiece();
      this.pieces.push(data);
      this.piecesLength += data.length;
      return;
    }
    this.room(data.length);
    this.buffer.set(data, this.at);
    this.at += data.length;
  }

  leb(value: number | bigint): void {
    if (typeof value === 'bigint' && value < 0x80000000n) value = Number(value);
    if (typeof value === 'number' && value < 0x80000000) {
      let v = value;
      do {
        const b = v & 0x7f;
        v >>>= 7;
        this.byte(v === 0 ? b : b | 0x80);
      } while (v !== 0);
      return;
    }
    let v = BigInt(value);
    do {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      this.byte(v === 0n ? b : b | 0x80);
    } while (v !== 0n);
  }

  sleb(value: number | bigint): void {
    let v = BigInt(value);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return;
    }
  }

  fixed(value: number | bigint, bytes: number): void {
    if (bytes <= 4 && typeof value === 'number') {
      let v = value >>> 0;
      for (let i = 0; i < bytes; i++) {
        this.byte(v & 0xff);
        v >>>= 8;
      }
      return;
    }
    let v = BigInt.asUintN(bytes * 8, BigInt(value));
    for (let i = 0; i < bytes; i++) {
      this.byte(Number(v & 0xffn));
      v >>= 8n;
    }
  }

  /** The bytes written, in one array of their own (a large piece is not kept by reference). */
  result(): Uint8Array {
    this.endPiece();
    const out = new Uint8Array(this.piecesLength);
    let at = 0;
    for (const piece of this.pieces) {
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }
}

type FieldHook = (name: string, offset: number) => void;

type Encoder = (w: Writer, value: unknown, onField?: FieldHook) => void;

const encoders = new WeakMap<IDL.Type, Encoder>();

/**
 * A function that writes values of `type`, built once per type: the type is inspected when the
 * encoder is made, not at every value (each `instanceof` is a prototype walk in the
 * interpreter, and a record has dozens of fields).
 */
function encoderOf(type: IDL.Type): Encoder {
  let encoder = encoders.get(type);
  if (encoder === undefined) {
    // Recursive types: register a forwarder first so a cycle finds it.
    const slot: { target?: Encoder } = {};
    encoders.set(type, (w, v, f) => (slot.target as Encoder)(w, v, f));
    slot.target = compile(type);
    encoders.set(type, slot.target);
    encoder = slot.target;
  }
  return encoder;
}

function compile(type: IDL.Type): Encoder {
  const withEncoded =
    (inner: Encoder): Encoder =>
    (w, value, onField) => {
      if (value instanceof PreEncoded) {
        for (const chunk of value.chunks) w.raw(chunk);
      } else inner(w, value, onField);
    };
  if (type instanceof IDL.RecClass) {
    const inner = type.getType() as IDL.Type;
    return (w, value, onField) => encoderOf(inner)(w, value, onField);
  }
  if (type instanceof IDL.TupleClass) {
    const parts = type._fields.map(([, t]) => encoderOf(t));
    return (w, value) => {
      const items = value as unknown[];
      for (let i = 0; i < parts.length; i++) parts[i](w, items[i]);
    };
  }
  if (type instanceof IDL.RecordClass) {
    const names = type._fields.map(([n]) => n);
    const parts = type._fields.map(([, t]) => encoderOf(t));
    return withEncoded((w, value, onField) => {
      const record = value as Record<string, unknown>;
      for (let i = 0; i < parts.length; i++) {
        if (onField) onField(names[i], w.length);
        parts[i](w, record[names[i]]);
      }
    });
  }
  if (type instanceof IDL.VariantClass) {
    const names = type._fields.map(([n]) => n);
    const parts = type._fields.map(([, t]) => encoderOf(t));
    return withEncoded((w, value) => {
      const variant = value as Record<string, unknown>;
      for (let i = 0; i < names.length; i++) {
        const name = names[i];
        if (Object.prototype.hasOwnProperty.call(variant, name)) {
          w.leb(i);
          parts[i](w, variant[name]);
          return;
        }
      }
      throw new TypeError(`no known case in variant value ${Object.keys(variant).join(',')}`);
    });
  }
  if (type instanceof IDL.OptClass) {
    const inner = encoderOf(type._type);
    return (w, value) => {
      const opt = value as unknown[];
      if (opt.length === 0) {
        w.byte(0);
      } else {
        w.byte(1);
        inner(w, opt[0]);
      }
    };
  }
  if (type instanceof IDL.VecClass) {
    const inner = encoderOf(type._type);
    return (w, value) => {
      if (value instanceof Uint8Array) {
        w.leb(value.length);
        w.raw(value);
        return;
      }
      const items = value as unknown[];
      w.leb(items.length);
      for (let i = 0; i < items.length; i++) inner(w, items[i]);
    };
  }
  if (type instanceof IDL.TextClass) {
    return (w, value) => {
      const bytes = utf8Encode(value as string);
      w.leb(bytes.length);
      w.raw(bytes);
    };
  }
  if (type instanceof IDL.BoolClass) return (w, value) => w.byte(value ? 1 : 0);
  if (type instanceof IDL.NullClass || type instanceof IDL.ReservedClass) return () => undefined;
  if (type instanceof IDL.NatClass) return (w, value) => w.leb(value as bigint);
  if (type instanceof IDL.IntClass) return (w, value) => w.sleb(value as bigint);
  if (type instanceof IDL.FixedNatClass || type instanceof IDL.FixedIntClass) {
    const bytes = type._bits / 8;
    return (w, value) => w.fixed(value as number | bigint, bytes);
  }
  if (type instanceof IDL.PrincipalClass) {
    return (w, value) => {
      const bytes = (value as Principal).toUint8Array();
      w.byte(1);
      w.leb(bytes.length);
      w.raw(bytes);
    };
  }
  throw new TypeError(`reply encoder: unsupported type ${type.display()}`);
}

function writeValue(w: Writer, type: IDL.Type, value: unknown, onField?: FieldHook): void {
  encoderOf(type)(w, value, onField);
}

/** The smallest value of a type: used once per type to split the library's header off. */
function minimalValue(type: IDL.Type): unknown {
  if (type instanceof IDL.RecClass) return minimalValue(type.getType() as IDL.Type);
  if (type instanceof IDL.TupleClass) return type._fields.map(([, t]) => minimalValue(t));
  if (type instanceof IDL.RecordClass) {
    return Object.fromEntries(type._fields.map(([n, t]) => [n, minimalValue(t)]));
  }
  if (type instanceof IDL.VariantClass) {
    const [name, t] = type._fields[0];
    return { [name]: minimalValue(t) };
  }
  if (type instanceof IDL.OptClass) return [];
  if (type instanceof IDL.VecClass) return [];
  if (type instanceof IDL.TextClass) return '';
  if (type instanceof IDL.BoolClass) return false;
  if (type instanceof IDL.NullClass || type instanceof IDL.ReservedClass) return null;
  if (type instanceof IDL.NatClass || type instanceof IDL.IntClass) return 0n;
  if (type instanceof IDL.FixedNatClass || type instanceof IDL.FixedIntClass)
    return type._bits > 32 ? 0n : 0;
  if (type instanceof IDL.PrincipalClass) return Principal.managementCanister();
  throw new TypeError(`reply encoder: unsupported type ${type.display()}`);
}

const headers = new WeakMap<IDL.Type, Uint8Array>();

function headerOf(type: IDL.Type): Uint8Array {
  let header = headers.get(type);
  if (header === undefined) {
    const sample = minimalValue(type);
    const full = new Uint8Array(IDL.encode([type], [sample]));
    const w = new Writer();
    writeValue(w, type, sample);
    header = full.slice(0, full.length - w.length);
    headers.set(type, header);
  }
  return header;
}

/**
 * Computes the headers of `types` now. Call it from init and post_upgrade: a query's heap is
 * thrown away after it runs, so a header first computed in a query would be computed again,
 * at full `IDL.encode` cost, by every query.
 */
export function prepareReplyTypes(types: Iterable<IDL.Type>): void {
  for (const type of types) {
    headerOf(type);
    encoderOf(type);
  }
}

/**
 * The encoding of one value of `type`, without the message header: the bytes that stand for
 * it inside a larger value. `onField` learns where each field of a top-level record starts.
 */
export function encodeValue<T>(
  type: IDL.Type,
  value: Encodable<T>,
  onField?: FieldHook,
): PreEncoded<T> {
  const w = new Writer();
  writeValue(w, type, value, onField);
  return new PreEncoded<T>(w.result());
}

/** `IDL.encode([type], [value])`, byte for byte, at a fraction of the cost. */
export function encodeReply<T>(type: IDL.Type, value: Encodable<T>): Uint8Array {
  const w = new Writer();
  w.raw(headerOf(type));
  writeValue(w, type, value);
  return w.result();
}
