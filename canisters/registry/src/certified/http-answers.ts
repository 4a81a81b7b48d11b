/**
 * How `certified-http.ts` keeps its answers in the log's store: one record per tree entry,
 * under `'R' + path` for an exact path and `'F' + scope` for a route family's wildcard.
 *
 * Record: `u32 meta length || meta JSON || expression, request and response hashes (3 × 32) ||
 * body`; meta: status, headers, answer-selecting parameters, the header's `expr_path` (what a
 * query would otherwise compute per request) and, for an exact path that is answered live, `u`
 * (its entry says `no_certification`; status, headers, hashes and body are then unused).
 *
 * A certified answer rendered since the serving memo exists is prefixed with what a query
 * needs, so it reads no JSON of the response and encodes nothing but the certificate and the
 * witness: `0xFF || u16 length || JSON { q, x, u? } || the 3 hashes || u32 length || the
 * reply's layout (`PreparedReply.layoutBytes`) || the record above, its body empty` (the body
 * is kept once, in the layout; `b` in the JSON says where). It is the same between two
 * renders of the answer (the certificate and the witness are not in it), so it is written when
 * the answer is rendered and dropped with it. Records without the prefix (written before an
 * upgrade, until the upgrade's re-render reaches them) are served as before.
 */
import { utf8Decode, utf8Encode } from '@repro-registry/attestation';
import type {
  CertificationEntry,
  CertifiedPath,
  HeaderField,
  HttpResponseParts,
} from '@repro-registry/certification';

export interface StoredAnswer {
  /** The certified answer; for a live (`uncertified`) entry, an empty placeholder. */
  response: HttpResponseParts;
  entry: CertificationEntry;
  queryParameters: readonly string[];
  exprPath: string;
  /** The entry says `no_certification`: the path is answered live. */
  uncertified: boolean;
  /** The certified reply's layout (`PreparedReply.layoutBytes`), kept with the answer. */
  layout?: Uint8Array;
  /** Where the body starts in `layout` (`PreparedReply.layoutBodyAt`): stored there only. */
  layoutBodyAt?: number;
}

/** What a query serves from a record: no response, the reply's layout when it was kept. */
export type ServedAnswer = Omit<StoredAnswer, 'response' | 'layoutBodyAt'> & {
  /** Offset and length of the body in `layout`. */
  layoutBody?: [number, number];
};

const EXACT_TAG = 0x52; // 'R'
const FAMILY_TAG = 0x46; // 'F'
const ZERO_HASH = new Uint8Array(32);
const SERVING_TAG = 0xff;

/** The store key of a path's (or a family scope's) record. */
export function answerKey(path: CertifiedPath): Uint8Array {
  const exact = 'exact' in path;
  const bytes = utf8Encode(exact ? path.exact : path.wildcard);
  const key = new Uint8Array(bytes.length + 1);
  key[0] = exact ? EXACT_TAG : FAMILY_TAG;
  key.set(bytes, 1);
  return key;
}

export function encodeAnswer(answer: StoredAnswer): Uint8Array {
  if (answer.layout === undefined || answer.layoutBodyAt === undefined) {
    return encodeRecord(answer);
  }
  const { entry, layout, response } = answer;
  // The body is in the layout: the record keeps it only there.
  const record = encodeRecord({ ...answer, response: { ...response, body: new Uint8Array(0) } });
  const small = utf8Encode(
    JSON.stringify({
      q: answer.queryParameters,
      x: answer.exprPath,
      b: [answer.layoutBodyAt, response.body.length],
      ...uncertifiedMark(answer),
    }),
  );
  const out = new Uint8Array(3 + small.length + 96 + 4 + layout.length + record.length);
  const view = new DataView(out.buffer);
  out[0] = SERVING_TAG;
  view.setUint16(1, small.length);
  let at = 3;
  for (const part of [small, ...hashesOf(entry)]) {
    out.set(part, at);
    at += part.length;
  }
  view.setUint32(at, layout.length);
  out.set(layout, at + 4);
  out.set(record, at + 4 + layout.length);
  return out;
}

const uncertifiedMark = (answer: ServedAnswer) => (answer.uncertified ? { u: 1 } : {});
const hashesOf = (entry: CertificationEntry) => [
  entry.exprHash,
  entry.requestHash ?? ZERO_HASH,
  entry.responseHash ?? ZERO_HASH,
];

function entryOf(args: {
  path: CertifiedPath;
  bytes: Uint8Array;
  at: number;
  uncertified: boolean;
}): CertificationEntry {
  const { path, bytes, at } = args;
  const hash = (i: number) => bytes.subarray(at + 32 * i, at + 32 * (i + 1));
  return args.uncertified
    ? { path, exprHash: hash(0) }
    : { path, exprHash: hash(0), requestHash: hash(1), responseHash: hash(2) };
}

/**
 * What a query needs of a record: from its serving prefix when it has one (no response decoded),
 * else from the whole record.
 */
export function servedAnswer(path: CertifiedPath, bytes: Uint8Array): ServedAnswer {
  if (bytes[0] !== SERVING_TAG) return decodeRecord(path, bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const smallLength = view.getUint16(1);
  const small = JSON.parse(utf8Decode(bytes.subarray(3, 3 + smallLength))) as {
    q: string[];
    x: string;
    b: [number, number];
    u?: 1;
  };
  const hashesAt = 3 + smallLength;
  const layoutLength = view.getUint32(hashesAt + 96);
  const uncertified = small.u === 1;
  return {
    queryParameters: small.q,
    exprPath: small.x,
    uncertified,
    entry: entryOf({ path, bytes, at: hashesAt, uncertified }),
    layout: bytes.subarray(hashesAt + 100, hashesAt + 100 + layoutLength),
    layoutBody: small.b,
  };
}

function encodeRecord(answer: StoredAnswer): Uint8Array {
  const { entry, response } = answer;
  const meta = utf8Encode(
    JSON.stringify({
      s: response.statusCode,
      h: response.headers,
      q: answer.queryParameters,
      x: answer.exprPath,
      ...uncertifiedMark(answer),
    }),
  );
  const out = new Uint8Array(4 + meta.length + 96 + response.body.length);
  new DataView(out.buffer).setUint32(0, meta.length);
  let at = 4;
  for (const part of [meta, ...hashesOf(entry), response.body]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function decodeAnswer(path: CertifiedPath, stored: Uint8Array): StoredAnswer {
  if (stored[0] !== SERVING_TAG) return decodeRecord(path, stored);
  const served = servedAnswer(path, stored);
  const [at, length] = served.layoutBody!;
  const answer = decodeRecord(path, recordOf(stored));
  return {
    ...answer,
    response: { ...answer.response, body: served.layout!.subarray(at, at + length) },
  };
}

function decodeRecord(path: CertifiedPath, bytes: Uint8Array): StoredAnswer {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  const meta = JSON.parse(utf8Decode(bytes.subarray(4, 4 + length))) as {
    s: number;
    h: HeaderField[];
    q: string[];
    x: string;
    u?: 1;
  };
  const uncertified = meta.u === 1;
  return {
    response: { statusCode: meta.s, headers: meta.h, body: bytes.subarray(4 + length + 96) },
    queryParameters: meta.q,
    exprPath: meta.x,
    uncertified,
    entry: entryOf({ path, bytes, at: 4 + length, uncertified }),
  };
}

/** The record inside a record with a serving prefix. */
function recordOf(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const layoutAt = 3 + view.getUint16(1) + 96;
  return bytes.subarray(layoutAt + 4 + view.getUint32(layoutAt));
}
