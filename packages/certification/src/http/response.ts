/**
 * Certified responses: the `IC-CertificateExpression` header and the tree entry of a response,
 * and the `IC-Certificate` header that carries the IC's certificate and the witness.
 */
import { encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { base64Encode, sha256, utf8Encode } from '@repro-registry/attestation';

import { encodeHashTree, type HashTree } from '../hash-tree';
import { celExpressionText, type CertificationExpression } from './cel';
import {
  CERTIFICATE_EXPRESSION_HEADER,
  requestHash,
  responseHash,
  type HeaderField,
  type HttpRequestParts,
  type HttpResponseParts,
} from './hashes';
import { exprPathOf, type CertifiedPath } from './paths';
import type { CertificationEntry } from './tree';

/**
 * Adds the expression header to `response` and computes its tree entry. For a full
 * certification, `request` is the request the response answers (for a static file, a GET with
 * no body); `bodyHash` may be given when already known.
 */
export function certifyResponse(args: {
  path: CertifiedPath;
  expression: CertificationExpression;
  response: HttpResponseParts;
  request?: HttpRequestParts;
  bodyHash?: Uint8Array;
}): { response: HttpResponseParts; entry: CertificationEntry } {
  const { path, expression } = args;
  const text = celExpressionText(expression);
  const response: HttpResponseParts = {
    ...args.response,
    headers: [...args.response.headers, [CERTIFICATE_EXPRESSION_HEADER, text]],
  };
  const exprHash = sha256(utf8Encode(text));
  if (expression.kind === 'skip') return { response, entry: { path, exprHash } };
  let reqHash: Uint8Array | null = null;
  if (expression.kind === 'full') {
    if (args.request === undefined) throw new TypeError('a full certification needs the request');
    reqHash = requestHash(args.request, expression.request);
  }
  return {
    response,
    entry: {
      path,
      exprHash,
      requestHash: reqHash,
      responseHash: responseHash(response, expression.response, args.bodyHash),
    },
  };
}

/** The base64 of the CBOR `expr_path`, fixed per tree entry: compute once, reuse per response. */
export function encodedExprPath(path: CertifiedPath): string {
  return base64Encode(encodeWithSelfDescribedTag(exprPathOf(path)));
}

/**
 * The `IC-Certificate` header (RFC 8941 structured fields, as the gateways parse it):
 * `certificate=:…:, tree=:…:, expr_path=:…:, version=2`.
 */
export function certificateHeader(args: {
  certificate: Uint8Array;
  tree: HashTree | Uint8Array;
  /** `encodedExprPath(path)`. */
  exprPath: string;
}): HeaderField {
  const tree = args.tree instanceof Uint8Array ? args.tree : encodeHashTree(args.tree);
  return [
    'IC-Certificate',
    `certificate=:${base64Encode(args.certificate)}:, tree=:${base64Encode(tree)}:, expr_path=:${args.exprPath}:, version=2`,
  ];
}
