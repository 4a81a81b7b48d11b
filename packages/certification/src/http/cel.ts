/**
 * Certification expressions (the `IC-CertificateExpression` header of HTTP certification v2):
 * what of a request and its response the certification covers, written in the minified form
 * DFINITY's `ic-http-certification` produces (the gateways accept any CEL spacing, but the
 * expression's hash is over the exact header text, so one spelling is used throughout).
 */

/** Response headers certified: the listed ones, or all but the listed ones. */
export type ResponseCertification =
  { certifiedResponseHeaders: readonly string[] } | { responseHeaderExclusions: readonly string[] };

export type CertificationExpression =
  /** Nothing is certified: for responses that cannot be (and whose forgery is harmless). */
  | { kind: 'skip' }
  /** Only the response: right when the response depends on the path alone. */
  | { kind: 'responseOnly'; response: ResponseCertification }
  /** The request (method, body, the listed headers and query parameters) and the response. */
  | {
      kind: 'full';
      request: { headers: readonly string[]; queryParameters: readonly string[] };
      response: ResponseCertification;
    };

function list(items: readonly string[]): string {
  for (const item of items) {
    // The header grammar has no escapes: a quote or newline would end the string early.
    if (/["\n\0]/.test(item)) throw new RangeError(`"${item}" cannot appear in a CEL string`);
  }
  return items.length === 0 ? '[]' : `["${items.join('","')}"]`;
}

function responsePart(response: ResponseCertification): string {
  const [field, headers] =
    'certifiedResponseHeaders' in response
      ? ['certified_response_headers', response.certifiedResponseHeaders]
      : ['response_header_exclusions', response.responseHeaderExclusions];
  return `response_certification:ResponseCertification{${field}:ResponseHeaderList{headers:${list(headers)}}}`;
}

/** The header value, e.g. `default_certification(ValidationArgs{no_certification:Empty{}})`. */
export function celExpressionText(expression: CertificationExpression): string {
  switch (expression.kind) {
    case 'skip':
      return 'default_certification(ValidationArgs{no_certification:Empty{}})';
    case 'responseOnly':
      return `default_certification(ValidationArgs{certification:Certification{no_request_certification:Empty{},${responsePart(expression.response)}}})`;
    case 'full': {
      const { headers, queryParameters } = expression.request;
      const request = `request_certification:RequestCertification{certified_request_headers:${list(headers)},certified_query_parameters:${list(queryParameters)}}`;
      return `default_certification(ValidationArgs{certification:Certification{${request},${responsePart(expression.response)}}})`;
    }
  }
}
