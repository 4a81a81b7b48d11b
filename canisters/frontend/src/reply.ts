/**
 * Candid encoding of `http_request`'s reply, written for the canister's interpreter.
 *
 * azle's automatic reply runs `IDL.encode`, which rebuilds the type table and re-checks the value
 * on every call: about 25 M instructions per response here, five times the budget of a whole
 * asset request. The reply type never changes, so its header (magic, type table, argument type)
 * is taken once from `IDL.encode` itself and only the values are written per reply, in the
 * record's field order (by field hash, as the library orders them). A test compares the bytes
 * with `IDL.encode`.
 */
import { IDL } from '@dfinity/candid';
import { utf8Encode } from '@repro-registry/attestation';

import { HttpResponse } from './candid';
import type { SiteResponse } from './site';

function leb128(n: number, out: number[]): void {
  do {
    const byte = n & 0x7f;
    n = Math.floor(n / 128);
    out.push(n === 0 ? byte : byte | 0x80);
  } while (n !== 0);
}

/** The encoded value of `{status_code=0; headers=vec{}; body=blob ""; upgrade=null}`. */
const EMPTY_VALUE_BYTES = 5;
const HEADER = (() => {
  const empty = IDL.encode(
    [HttpResponse],
    [{ status_code: 0, headers: [], body: new Uint8Array(0), upgrade: [] }],
  );
  return new Uint8Array(empty).slice(0, empty.byteLength - EMPTY_VALUE_BYTES);
})();
const FIELD_ORDER = HttpResponse._fields.map(([name]) => name);

export function encodeHttpResponse(response: SiteResponse): Uint8Array {
  const head: number[] = [];
  const parts: Uint8Array[] = [HEADER];
  const flush = (): void => {
    if (head.length > 0) parts.push(Uint8Array.from(head.splice(0)));
  };
  for (const field of FIELD_ORDER) {
    switch (field) {
      case 'status_code':
        head.push(response.statusCode & 0xff, response.statusCode >> 8);
        break;
      case 'headers':
        leb128(response.headers.length, head);
        for (const [name, value] of response.headers) {
          for (const text of [name, value]) {
            const bytes = utf8Encode(text);
            leb128(bytes.length, head);
            flush();
            parts.push(bytes);
          }
        }
        break;
      case 'body':
        leb128(response.body.length, head);
        flush();
        parts.push(response.body);
        break;
      case 'upgrade':
        head.push(0);
        break;
      default:
        throw new Error(`unexpected field ${field} in HttpResponse`);
    }
  }
  flush();
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
