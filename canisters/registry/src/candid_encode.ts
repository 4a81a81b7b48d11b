/**
 * Candid encoding of replies, built for the canister's interpreter.
 *
 * `IDL.encode` from @dfinity/candid rebuilds the type table for every message, re-validates the
 * whole value (`covariant`) and concatenates one small array per field. In azle's QuickJS that
 * costs tens of millions of instructions for a proposal summary — more than the summary itself.
 * This encoder produces the same bytes: the header (magic, type table, argument types) is
 * computed once per type with the library itself, and values are written into one growing
 * buffer in the library's field order. Tests compare its output with `IDL.encode` byte for byte.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { utf8Encode } from '@repro-registry/attestation';

class Writer {
  bytes = new Uint8Array(1024);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  byte(b: number): void {
    this.room(1);
    this.bytes[this.length++] = b;
  }

  raw(data: Uint8Array): void {
    this.room(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  leb(value: number | bigint): void {
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
    let v = BigInt.asUintN(bytes * 8, BigInt(value));
    for (let i = 0; i < bytes; i++) {
      this.byte(Number(v & 0xffn));
      v >>= 8n;
    }
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** A value already encoded (with `encodeValue`), copied as is. */
export class Encoded {
  constructor(readonly bytes: Uint8Array) {}
}

type FieldHook = (name: string, offset: number) => void;

function writeValue(w: Writer, type: IDL.Type, value: unknown, onField?: FieldHook): void {
  if (value instanceof Encoded) return w.raw(value.bytes);
  if (type instanceof IDL.RecClass)
    return writeValue(w, type.getType() as IDL.Type, value, onField);
  if (type instanceof IDL.TupleClass) {
    const items = value as unknown[];
    type._fields.forEach(([, t], i) => writeValue(w, t, items[i]));
    return;
  }
  if (type instanceof IDL.RecordClass) {
    const record = value as Record<string, unknown>;
    for (const [name, t] of type._fields) {
      onField?.(name, w.length);
      writeValue(w, t, record[name]);
    }
    return;
  }
  if (type instanceof IDL.VariantClass) {
    const variant = value as Record<string, unknown>;
    for (let i = 0; i < type._fields.length; i++) {
      const [name, t] = type._fields[i] as [string, IDL.Type];
      if (Object.prototype.hasOwnProperty.call(variant, name)) {
        w.leb(i);
        writeValue(w, t, variant[name]);
        return;
      }
    }
    throw new TypeError(`no known case in variant value ${Object.keys(variant).join(',')}`);
  }
  if (type instanceof IDL.OptClass) {
    const opt = value as unknown[];
    if (opt.length === 0) return w.byte(0);
    w.byte(1);
    return writeValue(w, type._type, opt[0]);
  }
  if (type instanceof IDL.VecClass) {
    if (value instanceof Uint8Array) {
      w.leb(value.length);
      return w.raw(value);
    }
    const items = value as unknown[];
    w.leb(items.length);
    for (const item of items) writeValue(w, type._type, item);
    return;
  }
  if (type instanceof IDL.TextClass) {
    const bytes = utf8Encode(value as string);
    w.leb(bytes.length);
    return w.raw(bytes);
  }
  if (type instanceof IDL.BoolClass) return w.byte(value ? 1 : 0);
  if (type instanceof IDL.NullClass || type instanceof IDL.ReservedClass) return;
  if (type instanceof IDL.NatClass) return w.leb(value as bigint);
  if (type instanceof IDL.IntClass) return w.sleb(value as bigint);
  if (type instanceof IDL.FixedNatClass || type instanceof IDL.FixedIntClass) {
    return w.fixed(value as number | bigint, type._bits / 8);
  }
  if (type instanceof IDL.PrincipalClass) {
    const bytes = (value as Principal).toUint8Array();
    w.byte(1);
    w.leb(bytes.length);
    return w.raw(bytes);
  }
  throw new TypeError(`candid_encode: unsupported type ${type.display()}`);
}

/** The smallest value of a type: used once per type to split the library's header off. */
function minimalValue(type: IDL.Type): unknown {
  if (type instanceof IDL.RecClass) return minimalValue(type.getType() as IDL.Type);
  if (type instanceof IDL.TupleClass) return type._fields.map(([, t]) => minimalValue(t));
  if (type instanceof IDL.RecordClass) {
    return Object.fromEntries(type._fields.map(([n, t]) => [n, minimalValue(t)]));
  }
  if (type instanceof IDL.VariantClass) {
    const [name, t] = type._fields[0] as [string, IDL.Type];
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
  throw new TypeError(`candid_encode: unsupported type ${type.display()}`);
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
  for (const type of types) headerOf(type);
}

/**
 * The encoding of one value of `type`, without the message header: the bytes that stand for
 * it inside a larger value. `onField` learns where each field of a top-level record starts.
 */
export function encodeValue(type: IDL.Type, value: unknown, onField?: FieldHook): Uint8Array {
  const w = new Writer();
  writeValue(w, type, value, onField);
  return w.result();
}

/** `IDL.encode([type], [value])`, byte for byte, at a fraction of the cost. */
export function encodeReply(type: IDL.Type, value: unknown): Uint8Array {
  const w = new Writer();
  w.raw(headerOf(type));
  writeValue(w, type, value);
  return w.result();
}
