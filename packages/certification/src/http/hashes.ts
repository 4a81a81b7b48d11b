/**
 * The request and response hashes of HTTP certification v2 (HTTP Gateway Protocol,
 * "Request Hash Calculation" and "Response Hash Calculation"), computed as DFINITY's verifier
 * computes them: header names compared case-insensitively and hashed in lower case, repeated
 * headers each counted, the status as the `:ic-cert-status` pseudo-header.
 */
import { concatBytes } from '@noble/hashes/utils.js';
import { sha256 } from '@repro-registry/attestation';

import {
  representationIndependentHash,
  type HashableValue,
} from '../representation-independent-hash';
import type { ResponseCertification } from './cel';

export const CERTIFICATE_HEADER = 'IC-Certificate';
export const CERTIFICATE_EXPRESSION_HEADER = 'IC-CertificateExpression';

export type HeaderField = readonly [string, string];

export interface HttpRequestParts {
  method: string;
  /** Path and query, as the gateway passes it: `/index.html?x=1`. */
  url: string;
  headers: readonly HeaderField[];
  body: Uint8Array;
}

export interface HttpResponseParts {
  statusCode: number;
  headers: readonly HeaderField[];
  body: Uint8Array;
}

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The query string's `name=value` fragments whose name is listed, in their order, or null. */
function certifiedQuery(url: string, names: readonly string[]): string | null {
  const at = url.indexOf('?');
  if (at < 0 || names.length === 0) return null;
  const kept = url
    .slice(at + 1)
    .split('#')[0]
    .split('&')
    .filter((fragment) => names.some((n) => sameName(n, fragment.split('=')[0])));
  return kept.length === 0 ? null : kept.join('&');
}

export function requestHash(
  request: HttpRequestParts,
  certified: { headers: readonly string[]; queryParameters: readonly string[] },
): Uint8Array {
  const entries: [string, HashableValue][] = request.headers
    .filter(([name]) => certified.headers.some((h) => sameName(h, name)))
    .map(([name, value]) => [name.toLowerCase(), value]);
  entries.push([':ic-cert-method', request.method]);
  const query = certifiedQuery(request.url, certified.queryParameters);
  if (query !== null) entries.push([':ic-cert-query', query]);
  return sha256(concatBytes(representationIndependentHash(entries), sha256(request.body)));
}

/** The response headers a certification covers (names in lower case). */
export function certifiedResponseHeaders(
  headers: readonly HeaderField[],
  certification: ResponseCertification,
): [string, string][] {
  const included = (name: string): boolean =>
    'certifiedResponseHeaders' in certification
      ? certification.certifiedResponseHeaders.some((h) => sameName(h, name))
      : !certification.responseHeaderExclusions.some((h) => sameName(h, name));
  return headers
    .filter(
      ([name]) =>
        !sameName(name, CERTIFICATE_HEADER) &&
        (sameName(name, CERTIFICATE_EXPRESSION_HEADER) || included(name)),
    )
    .map(([name, value]) => [name.toLowerCase(), value]);
}

/** `bodyHash` may be given when known (SHA-256 of the body), to avoid hashing large bodies again. */
export function responseHash(
  response: HttpResponseParts,
  certification: ResponseCertification,
  bodyHash: Uint8Array = sha256(response.body),
): Uint8Array {
  const entries: [string, HashableValue][] = certifiedResponseHeaders(
    response.headers,
    certification,
  );
  entries.push([':ic-cert-status', response.statusCode]);
  return sha256(concatBytes(representationIndependentHash(entries), bodyHash));
}
