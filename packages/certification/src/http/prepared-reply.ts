/**
 * A certified response prepared once and answered many times: the Candid reply of
 * `http_request` is laid out in advance, and per request only the IC certificate (and, for a
 * wildcard route, the witness) is written into its `IC-Certificate` header.
 *
 * Why: in a canister's interpreter every JavaScript loop over bytes costs ~1,400 instructions
 * per element, so building the ~1 KB header as text (base64, then UTF-8) cost ~6 M instructions
 * per request, more than serving a page should. Here the per-request work is one base64 pass
 * over the certificate with a 12-bit table and a few native copies.
 */
import { concatBytes } from '@noble/hashes/utils';
import { utf8Encode } from '@repro-registry/attestation';

import { encodeHttpResponse, RESPONSE_CANDID_HEADER } from './gateway-candid';
import type { HeaderField } from './hashes';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Two base64 characters per 12 bits, stored so that a Uint16Array writes them in order. */
const PAIRS = (() => {
  const table = new Uint16Array(4096);
  for (let i = 0; i < 4096; i++) {
    const first = ALPHABET.charCodeAt(i >> 6);
    const second = ALPHABET.charCodeAt(i & 63);
    table[i] = LITTLE_ENDIAN ? first | (second << 8) : (first << 8) | second;
  }
  return table;
})();
const PAD = 61; // '='

/** Standard base64 (with padding) of `bytes`, as ASCII bytes. */
export function base64AsciiBytes(bytes: Uint8Array): Uint8Array {
  const groups = Math.floor(bytes.length / 3);
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const pairs = new Uint16Array(out.buffer, 0, groups * 2);
  for (let g = 0, i = 0, o = 0; g < groups; g++, i += 3, o += 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    pairs[o] = PAIRS[n >> 12];
    pairs[o + 1] = PAIRS[n & 4095];
  }
  const rest = bytes.length - groups * 3;
  if (rest > 0) {
    const at = groups * 4;
    const n = (bytes[groups * 3] << 16) | (rest === 2 ? bytes[groups * 3 + 1] << 8 : 0);
    out[at] = ALPHABET.charCodeAt(n >> 18);
    out[at + 1] = ALPHABET.charCodeAt((n >> 12) & 63);
    out[at + 2] = rest === 2 ? ALPHABET.charCodeAt((n >> 6) & 63) : PAD;
    out[at + 3] = PAD;
  }
  return out;
}

function leb(n: number): Uint8Array {
  const out: number[] = [];
  do {
    const byte = n & 0x7f;
    n = Math.floor(n / 128);
    out.push(n === 0 ? byte : byte | 0x80);
  } while (n !== 0);
  return Uint8Array.from(out);
}

const CERTIFICATE_HEADER_NAME = utf8Encode('IC-Certificate');
const CERTIFICATE_OPEN = utf8Encode('certificate=:');
const TREE_OPEN = utf8Encode(':, tree=:');

/** What `PreparedReply.layout()` keeps: Candid through the certificate header's name, the tail. */
interface Layout {
  /** Candid up to and including the body, the header count, the fixed headers and the name. */
  head: Uint8Array;
  /** `:, expr_path=:<path>:, version=2`. */
  exprPathTail: Uint8Array;
  /** `upgrade = null` and the status code. */
  statusTail: Uint8Array;
}

export class PreparedReply {
  private readonly layout: Layout;
  /** `:, tree=:<witness>:, expr_path=:<path>:, version=2` when the witness is fixed. */
  private readonly fixedTail: Uint8Array | undefined;
  private uncertified: Uint8Array | undefined;
  private readonly response:
    { statusCode: number; headers: readonly HeaderField[]; body: Uint8Array } | undefined;

  constructor(
    response:
      | { statusCode: number; headers: readonly HeaderField[]; body: Uint8Array }
      | { layout: Uint8Array },
    options: {
      /** `encodedExprPath(path)` of the response's tree entry (unused with a stored layout). */
      exprPath: string;
      /** CBOR of the witness when it does not depend on the request (exact routes). */
      witness?: Uint8Array;
    },
  ) {
    if ('layout' in response) {
      this.layout = readLayout(response.layout);
    } else {
      this.response = response;
      const { statusCode, headers, body } = response;
      const encoded: Uint8Array[] = [
        RESPONSE_CANDID_HEADER,
        leb(body.length),
        body,
        leb(headers.length + 1),
      ];
      for (const [name, value] of headers) {
        for (const text of [name, value]) {
          const bytes = utf8Encode(text);
          encoded.push(leb(bytes.length), bytes);
        }
      }
      encoded.push(leb(CERTIFICATE_HEADER_NAME.length), CERTIFICATE_HEADER_NAME);
      this.layout = {
        head: concatBytes(...encoded),
        exprPathTail: utf8Encode(`:, expr_path=:${options.exprPath}:, version=2`),
        statusTail: Uint8Array.from([0, statusCode & 0xff, statusCode >> 8]),
      };
    }
    this.fixedTail =
      options.witness === undefined
        ? undefined
        : concatBytes(TREE_OPEN, base64AsciiBytes(options.witness), this.layout.exprPathTail);
  }

  /**
   * The reply's layout as bytes, to keep beside a pre-rendered answer: a reply made again from
   * them (`new PreparedReply({ layout }, …)`) skips encoding the status, headers and body per
   * request (~3 M instructions for a JSON answer's headers in the canister's interpreter). Such
   * a reply needs a certificate: it cannot write the uncertified answer of an update call.
   */
  /** Where the body starts in `layoutBytes()` (a store can keep the body there only once). */
  layoutBodyAt(): number {
    return 4 + RESPONSE_CANDID_HEADER.length + leb(this.response?.body.length ?? 0).length;
  }

  layoutBytes(): Uint8Array {
    const { head, exprPathTail, statusTail } = this.layout;
    const out = new Uint8Array(8 + head.length + exprPathTail.length + statusTail.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, head.length);
    out.set(head, 4);
    view.setUint32(4 + head.length, exprPathTail.length);
    out.set(exprPathTail, 8 + head.length);
    out.set(statusTail, 8 + head.length + exprPathTail.length);
    return out;
  }

  /**
   * The Candid reply with `IC-Certificate` for `certificate` (`ic0.data_certificate`), or
   * without it when there is none (in an update call). `witness`: CBOR, for a route whose
   * witness depends on the request.
   */
  encode(certificate: Uint8Array | undefined, witness?: Uint8Array): Uint8Array {
    if (certificate === undefined) {
      if (this.response === undefined) {
        throw new TypeError('a reply made from its layout needs a certificate');
      }
      this.uncertified ??= encodeHttpResponse(this.response);
      return this.uncertified;
    }
    const { head, exprPathTail, statusTail } = this.layout;
    let tail = this.fixedTail;
    if (tail === undefined) {
      if (witness === undefined) throw new TypeError('this route needs the request’s witness');
      tail = concatBytes(TREE_OPEN, base64AsciiBytes(witness), exprPathTail);
    }
    const cert = base64AsciiBytes(certificate);
    const valueLength = CERTIFICATE_OPEN.length + cert.length + tail.length;
    return concatBytes(head, leb(valueLength), CERTIFICATE_OPEN, cert, tail, statusTail);
  }
}

function readLayout(bytes: Uint8Array): Layout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = view.getUint32(0);
  const tailLength = view.getUint32(4 + headLength);
  const tailAt = 8 + headLength;
  return {
    head: bytes.subarray(4, 4 + headLength),
    exprPathTail: bytes.subarray(tailAt, tailAt + tailLength),
    statusTail: bytes.subarray(tailAt + tailLength),
  };
}
