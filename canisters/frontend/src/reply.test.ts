import { IDL } from '@dfinity/candid';
import { describe, expect, it } from 'vitest';

import { HttpResponse } from './candid';
import { encodeHttpResponse } from './reply';

describe('the http_request reply encoder', () => {
  it('writes the bytes IDL.encode writes', () => {
    const body = new Uint8Array(70_000).map((_, i) => i % 251);
    const cases = [
      { statusCode: 200, headers: [], body: new Uint8Array(0) },
      { statusCode: 405, headers: [['allow', 'GET']] as [string, string][], body },
      {
        statusCode: 200,
        headers: Array.from({ length: 130 }, (_, i): [string, string] => [
          `h${i}`,
          'ü€😀'.repeat(i),
        ]),
        body: body.subarray(0, 300),
      },
    ];
    for (const c of cases) {
      const expected = IDL.encode(
        [HttpResponse],
        [{ status_code: c.statusCode, headers: c.headers, body: c.body, upgrade: [] }],
      );
      expect(encodeHttpResponse(c)).toEqual(new Uint8Array(expected));
    }
  });
});
