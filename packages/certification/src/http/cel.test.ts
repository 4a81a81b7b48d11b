import { describe, expect, it } from 'vitest';

import { celExpressionText } from './cel';

// Expected texts: the fixtures of DFINITY's ic-http-certification (src/cel/fixtures.rs), with
// their whitespace removed as those fixtures do.
const strip = (s: string): string => s.replace(/\s/g, '');

describe('certification expressions', () => {
  it('are spelled as ic-http-certification spells them', () => {
    expect(celExpressionText({ kind: 'skip' })).toBe(
      strip('default_certification( ValidationArgs { no_certification: Empty {} } )'),
    );
    expect(
      celExpressionText({
        kind: 'responseOnly',
        response: { responseHeaderExclusions: ['Date', 'Cookie', 'Set-Cookie'] },
      }),
    ).toBe(
      strip(`default_certification( ValidationArgs { certification: Certification {
        no_request_certification: Empty {},
        response_certification: ResponseCertification { response_header_exclusions:
          ResponseHeaderList { headers: [ "Date", "Cookie", "Set-Cookie" ] } } } } )`),
    );
    expect(
      celExpressionText({
        kind: 'full',
        request: {
          headers: ['Accept', 'Accept-Encoding', 'If-Match'],
          queryParameters: ['foo', 'bar', 'baz'],
        },
        response: {
          certifiedResponseHeaders: [
            'Cache-Control',
            'ETag',
            'Content-Length',
            'Content-Type',
            'Content-Encoding',
          ],
        },
      }),
    ).toBe(
      strip(`default_certification( ValidationArgs { certification: Certification {
        request_certification: RequestCertification {
          certified_request_headers: [ "Accept", "Accept-Encoding", "If-Match" ],
          certified_query_parameters: [ "foo", "bar", "baz" ] },
        response_certification: ResponseCertification { certified_response_headers:
          ResponseHeaderList { headers: [ "Cache-Control", "ETag", "Content-Length",
            "Content-Type", "Content-Encoding" ] } } } } )`),
    );
    expect(
      celExpressionText({
        kind: 'responseOnly',
        response: { certifiedResponseHeaders: [] },
      }),
    ).toBe(
      strip(`default_certification( ValidationArgs { certification: Certification {
        no_request_certification: Empty {},
        response_certification: ResponseCertification { certified_response_headers:
          ResponseHeaderList { headers: [] } } } } )`),
    );
  });

  it('refuses names that would break out of a CEL string', () => {
    expect(() =>
      celExpressionText({ kind: 'responseOnly', response: { certifiedResponseHeaders: ['a"b'] } }),
    ).toThrow(RangeError);
  });
});
