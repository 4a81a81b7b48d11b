/**
 * The Candid of the HTTP gateway interface, decoded and encoded by hand for canisters.
 *
 * In a canister's interpreter, `IDL.decode` of one `HttpRequest` costs ~5 M instructions and
 * `IDL.encode` of a reply ~25 M: more than the whole budget of serving a page. The types never
 * change, so the request is read straight from the wire (its type table parsed, unknown fields
 * skipped, as Candid's subtyping asks) and the reply written after a fixed header. Tests compare
 * both with `@dfinity/candid` on many shapes.
 */
import { concatBytes } from '@noble/hashes/utils';
import { utf8Decode, utf8Encode } from '@repro-registry/attestation';

import type { HeaderField } from './hashes';

export interface GatewayRequest {
  method: string;
  url: string;
  headers: HeaderField[];
  body: Uint8Array;
  /** `certificate_version`: 2 from gateways that verify v2, null from older ones. */
  certificateVersion: number | null;
}

export interface GatewayReply {
  statusCode: number;
  /** Values may be given as bytes already (e.g. `IC-Certificate`, written without a string). */
  headers: readonly (readonly [string, string | Uint8Array])[];
  body: Uint8Array;
  /** Asks the gateway to call `http_request_update` instead (queries only). */
  upgrade?: boolean;
}

/** Why bytes are not an `HttpRequest`; the canister rejects the call with it. */
export class GatewayCandidError extends Error {
  override readonly name = 'GatewayCandidError';
}

/** Candid's field id of a name: h = h * 223 + byte (mod 2^32). */
function fieldId(name: string): number {
  let h = 0;
  for (const byte of utf8Encode(name)) h = (Math.imul(h, 223) + byte) >>> 0;
  return h;
}
const FIELD = {
  method: fieldId('method'),
  url: fieldId('url'),
  headers: fieldId('headers'),
  body: fieldId('body'),
  certificateVersion: fieldId('certificate_version'),
  statusCode: fieldId('status_code'),
  upgrade: fieldId('upgrade'),
};

// Primitive type codes (negative SLEB128 in the wire format).
const T = {
  null: -1,
  bool: -2,
  nat: -3,
  int: -4,
  nat8: -5,
  nat16: -6,
  nat32: -7,
  nat64: -8,
  int8: -9,
  int16: -10,
  int32: -11,
  int64: -12,
  float32: -13,
  float64: -14,
  text: -15,
  reserved: -16,
  empty: -17,
  opt: -18,
  vec: -19,
  record: -20,
  variant: -21,
  func: -22,
  service: -23,
  principal: -24,
} as const;
const FIXED_SIZE = new Map<number, number>([
  [T.null, 0],
  [T.bool, 1],
  [T.nat8, 1],
  [T.nat16, 2],
  [T.nat32, 4],
  [T.nat64, 8],
  [T.int8, 1],
  [T.int16, 2],
  [T.int32, 4],
  [T.int64, 8],
  [T.float32, 4],
  [T.float64, 8],
  [T.reserved, 0],
]);

type WireType =
  | { kind: 'opt' | 'vec'; inner: number }
  | { kind: 'record' | 'variant'; fields: [number, number][] }
  | { kind: 'func' | 'service' };

/** Bounds-checked reading of the wire bytes. */
class Reader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.at >= this.bytes.length) throw new GatewayCandidError('the message ends too early');
    return this.bytes[this.at++];
  }

  take(n: number): Uint8Array {
    if (n > this.bytes.length - this.at) throw new GatewayCandidError('the message ends too early');
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  uleb(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (!Number.isSafeInteger(value)) break;
        return value;
      }
      scale *= 128;
    }
    throw new GatewayCandidError('a length or count is too large');
  }

  sleb(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return b & 0x40 ? value - scale : value;
    }
    throw new GatewayCandidError('a type code is too large');
  }

  /** Skips a LEB128 number of any size (a `nat` or `int` value). */
  skipLeb(): void {
    while (this.byte() & 0x80);
  }
}

function readTypeTable(r: Reader): WireType[] {
  const count = r.uleb();
  const table: WireType[] = [];
  const typeRef = (): number => {
    const t = r.sleb();
    if (t >= count || t < T.principal) throw new GatewayCandidError(`unknown type ${t}`);
    return t;
  };
  for (let i = 0; i < count; i++) {
    const op = r.sleb();
    if (op === T.opt || op === T.vec) {
      table.push({ kind: op === T.opt ? 'opt' : 'vec', inner: typeRef() });
    } else if (op === T.record || op === T.variant) {
      const n = r.uleb();
      const fields: [number, number][] = [];
      let last = -1;
      for (let j = 0; j < n; j++) {
        const id = r.uleb();
        if (id <= last) throw new GatewayCandidError('record fields are not in increasing order');
        last = id;
        fields.push([id, typeRef()]);
      }
      table.push({ kind: op === T.record ? 'record' : 'variant', fields });
    } else if (op === T.func) {
      for (let k = 0; k < 2; k++) for (let n = r.uleb(); n > 0; n--) typeRef();
      r.take(r.uleb());
      table.push({ kind: 'func' });
    } else if (op === T.service) {
      for (let n = r.uleb(); n > 0; n--) {
        r.take(r.uleb());
        typeRef();
      }
      table.push({ kind: 'service' });
    } else {
      throw new GatewayCandidError(`type table entry ${op} is not a constructed type`);
    }
  }
  return table;
}

/** Skips one value of wire type `t` (fields a newer gateway may add). */
function skipValue(r: Reader, table: WireType[], t: number, depth = 0): void {
  if (depth > 64) throw new GatewayCandidError('values are nested too deeply');
  if (t < 0) {
    const size = FIXED_SIZE.get(t);
    if (size !== undefined) r.take(size);
    else if (t === T.nat || t === T.int) r.skipLeb();
    else if (t === T.text) r.take(r.uleb());
    else if (t === T.principal) {
      if (r.byte() !== 1) throw new GatewayCandidError('an opaque principal reference');
      r.take(r.uleb());
    } else throw new GatewayCandidError(`a value of type ${t} cannot be read`);
    return;
  }
  const type = table[t];
  switch (type.kind) {
    case 'opt':
      if (r.byte() === 1) skipValue(r, table, type.inner, depth + 1);
      return;
    case 'vec': {
      const n = r.uleb();
      const size = FIXED_SIZE.get(type.inner);
      if (size !== undefined) r.take(n * size);
      else for (let i = 0; i < n; i++) skipValue(r, table, type.inner, depth + 1);
      return;
    }
    case 'record':
      for (const [, ft] of type.fields) skipValue(r, table, ft, depth + 1);
      return;
    case 'variant': {
      const index = r.uleb();
      const field = type.fields[index];
      if (field === undefined) throw new GatewayCandidError('a variant index out of range');
      skipValue(r, table, field[1], depth + 1);
      return;
    }
    default:
      throw new GatewayCandidError(`a ${type.kind} reference cannot be read`);
  }
}

function text(r: Reader): string {
  try {
    return utf8Decode(r.take(r.uleb()));
  } catch (e) {
    if (e instanceof GatewayCandidError) throw e;
    throw new GatewayCandidError('a text is not UTF-8');
  }
}

/** The record type at `t`, or an error naming what was expected. */
function recordAt(table: WireType[], t: number, what: string): [number, number][] {
  const type = t >= 0 ? table[t] : undefined;
  if (type?.kind !== 'record') throw new GatewayCandidError(`${what} is not a record`);
  return type.fields;
}

/**
 * `decodeHttpRequest` for a canister's method: the request, or the reject message
 * (`INVALID_ARGUMENT: not an HttpRequest: …`) to answer a malformed argument with.
 */
export function readHttpRequest(
  arg: Uint8Array,
): { ok: true; request: GatewayRequest } | { ok: false; reject: string } {
  try {
    return { ok: true, request: decodeHttpRequest(arg) };
  } catch (e) {
    if (!(e instanceof GatewayCandidError)) throw e;
    return { ok: false, reject: `INVALID_ARGUMENT: not an HttpRequest: ${e.message}` };
  }
}

/** Decodes the argument of `http_request` (and of `http_request_update`, which has no version). */
export function decodeHttpRequest(arg: Uint8Array): GatewayRequest {
  const r = new Reader(arg);
  const magic = r.take(4);
  if (magic[0] !== 0x44 || magic[1] !== 0x49 || magic[2] !== 0x44 || magic[3] !== 0x4c) {
    throw new GatewayCandidError('not Candid (no DIDL magic)');
  }
  const table = readTypeTable(r);
  const argCount = r.uleb();
  if (argCount < 1) throw new GatewayCandidError('no argument');
  const argTypes: number[] = [];
  for (let i = 0; i < argCount; i++) {
    const t = r.sleb();
    if (t >= table.length) throw new GatewayCandidError(`unknown type ${t}`);
    argTypes.push(t);
  }
  const fields = recordAt(table, argTypes[0], 'the argument');
  const out: Partial<GatewayRequest> = { certificateVersion: null };
  for (const [id, t] of fields) {
    if (id === FIELD.method || id === FIELD.url) {
      if (t !== T.text) throw new GatewayCandidError('method and url must be text');
      out[id === FIELD.method ? 'method' : 'url'] = text(r);
    } else if (id === FIELD.headers) {
      const vec = t >= 0 ? table[t] : undefined;
      if (vec?.kind !== 'vec') throw new GatewayCandidError('headers must be a vector');
      const pair = recordAt(table, vec.inner, 'a header');
      if (pair.length !== 2 || pair[0][0] !== 0 || pair[1][0] !== 1) {
        throw new GatewayCandidError('a header must be a (text, text) tuple');
      }
      if (pair[0][1] !== T.text || pair[1][1] !== T.text) {
        throw new GatewayCandidError('a header must be a (text, text) tuple');
      }
      const n = r.uleb();
      const headers: HeaderField[] = [];
      for (let i = 0; i < n; i++) headers.push([text(r), text(r)]);
      out.headers = headers;
    } else if (id === FIELD.body) {
      const vec = t >= 0 ? table[t] : undefined;
      if (vec?.kind !== 'vec' || vec.inner !== T.nat8) {
        throw new GatewayCandidError('body must be a blob');
      }
      out.body = r.take(r.uleb()).slice();
    } else if (id === FIELD.certificateVersion) {
      const opt = t >= 0 ? table[t] : undefined;
      if (opt?.kind === 'opt' && opt.inner === T.nat16) {
        if (r.byte() === 1) {
          const [lo, hi] = r.take(2);
          out.certificateVersion = lo | (hi << 8);
        }
      } else if (t === T.null || t === T.reserved || opt?.kind === 'opt') {
        // Candid's rule for optional fields: a value of another type reads as null.
        skipValue(r, table, t);
      } else {
        throw new GatewayCandidError('certificate_version must be opt nat16');
      }
    } else {
      skipValue(r, table, t);
    }
  }
  if (out.method === undefined || out.url === undefined) {
    throw new GatewayCandidError('method and url are required');
  }
  if (out.headers === undefined || out.body === undefined) {
    throw new GatewayCandidError('headers and body are required');
  }
  return out as GatewayRequest;
}

/**
 * The type table and argument type of `HttpResponse` (`record { status_code : nat16; headers :
 * vec record { text; text }; body : blob; upgrade : opt bool }`), in the order `IDL.encode`
 * writes them (a test compares): 0 blob, 1 record { text; text }, 2 vec 1, 3 opt bool, 4 the
 * record with its fields in id order (body, headers, upgrade, status_code).
 */
function responseHeader(): Uint8Array {
  const out: number[] = [0x44, 0x49, 0x44, 0x4c, 5];
  out.push(0x6d, 0x7b, 0x6c, 2, 0, 0x71, 1, 0x71, 0x6d, 1, 0x6e, 0x7e);
  const fields = [
    [FIELD.body, 0],
    [FIELD.headers, 2],
    [FIELD.upgrade, 3],
    [FIELD.statusCode, T.nat16],
  ].sort((a, b) => a[0] - b[0]);
  out.push(0x6c, fields.length);
  for (const [id, t] of fields) {
    leb(id, out);
    sleb(t, out);
  }
  out.push(1, 4);
  return Uint8Array.from(out);
}
const RESPONSE_FIELD_ORDER = [FIELD.body, FIELD.headers, FIELD.upgrade, FIELD.statusCode].sort(
  (a, b) => a - b,
);
/** What every `http_request` reply starts with (type table and argument type). */
export const RESPONSE_CANDID_HEADER = responseHeader();

function leb(n: number, out: number[]): void {
  do {
    const byte = n & 0x7f;
    n = Math.floor(n / 128);
    out.push(n === 0 ? byte : byte | 0x80);
  } while (n !== 0);
}

function sleb(n: number, out: number[]): void {
  for (;;) {
    const byte = n & 0x7f;
    n = Math.floor(n / 128);
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

/** Encodes the reply of `http_request`; equal, byte for byte, to `IDL.encode([HttpResponse])`. */
export function encodeHttpResponse(reply: GatewayReply): Uint8Array {
  const small: number[] = [];
  const parts: Uint8Array[] = [RESPONSE_CANDID_HEADER];
  const flush = (): void => {
    if (small.length > 0) parts.push(Uint8Array.from(small.splice(0)));
  };
  const bytesOf = (value: string | Uint8Array): Uint8Array =>
    typeof value === 'string' ? utf8Encode(value) : value;
  for (const id of RESPONSE_FIELD_ORDER) {
    if (id === FIELD.statusCode) {
      small.push(reply.statusCode & 0xff, reply.statusCode >> 8);
    } else if (id === FIELD.headers) {
      leb(reply.headers.length, small);
      for (const [name, value] of reply.headers) {
        for (const bytes of [bytesOf(name), bytesOf(value)]) {
          leb(bytes.length, small);
          flush();
          parts.push(bytes);
        }
      }
    } else if (id === FIELD.body) {
      leb(reply.body.length, small);
      flush();
      parts.push(reply.body);
    } else if (reply.upgrade === true) {
      small.push(1, 1); // upgrade = opt true
    } else {
      small.push(0); // upgrade = null
    }
  }
  flush();
  return concatBytes(...parts);
}
