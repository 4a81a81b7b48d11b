/**
 * How `certified-http.ts` keeps its answers in the log's store: one record per tree entry,
 * under `'R' + path` for an exact path and `'F' + scope` for a route family's wildcard.
 *
 * Record: `u32 meta length || meta JSON || expression, request and response hashes (3 × 32) ||
 * body`; meta: status, headers, answer-selecting parameters, the header's `expr_path` (what a
 * query would otherwise compute per request) and, for an exact path that is answered live, `u`
 * (its entry says `no_certification`; status, headers, hashes and body are then unused).
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
}

const EXACT_TAG = 0x52; // 'R'
const FAMILY_TAG = 0x46; // 'F'
const ZERO_HASH = new Uint8Array(32);

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
  const { entry, response } = answer;
  const meta = utf8Encode(
    JSON.stringify({
      s: response.statusCode,
      h: response.headers,
      q: answer.queryParameters,
      x: answer.exprPath,
      ...(answer.uncertified ? { u: 1 } : {}),
    }),
  );
  const out = new Uint8Array(4 + meta.length + 96 + response.body.length);
  new DataView(out.buffer).setUint32(0, meta.length);
  let at = 4;
  for (const part of [
    meta,
    entry.exprHash,
    entry.requestHash ?? ZERO_HASH,
    entry.responseHash ?? ZERO_HASH,
    response.body,
  ]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function decodeAnswer(path: CertifiedPath, bytes: Uint8Array): StoredAnswer {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  const meta = JSON.parse(utf8Decode(bytes.subarray(4, 4 + length))) as {
    s: number;
    h: HeaderField[];
    q: string[];
    x: string;
    u?: 1;
  };
  const hash = (i: number) => bytes.subarray(4 + length + 32 * i, 4 + length + 32 * (i + 1));
  const uncertified = meta.u === 1;
  return {
    response: { statusCode: meta.s, headers: meta.h, body: bytes.subarray(4 + length + 96) },
    queryParameters: meta.q,
    exprPath: meta.x,
    uncertified,
    entry: uncertified
      ? { path, exprHash: hash(0) }
      : { path, exprHash: hash(0), requestHash: hash(1), responseHash: hash(2) },
  };
}
