import { IDL } from '@dfinity/candid';
import { base64Encode } from '@repro-registry/attestation';
import { describe, expect, it } from 'vitest';

import { certificateHeader } from './response';
import { base64AsciiBytes, PreparedReply } from './prepared-reply';

const HttpResponse = IDL.Record({
  status_code: IDL.Nat16,
  headers: IDL.Vec(IDL.Tuple(IDL.Text, IDL.Text)),
  body: IDL.Vec(IDL.Nat8),
  upgrade: IDL.Opt(IDL.Bool),
});
const hex = (b: Uint8Array | ArrayBuffer): string => Buffer.from(b as Uint8Array).toString('hex');
const bytes = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 17 + (i >> 3)) & 0xff);

describe('base64AsciiBytes', () => {
  it('is base64 (with padding) for every length up to 200 and for every byte value', () => {
    for (let n = 0; n <= 200; n++) {
      const input = bytes(n, n);
      expect(new TextDecoder().decode(base64AsciiBytes(input)), `length ${n}`).toBe(
        base64Encode(input),
      );
    }
    const all = Uint8Array.from({ length: 256 * 3 }, (_, i) => (i * 7) & 0xff);
    expect(new TextDecoder().decode(base64AsciiBytes(all))).toBe(
      Buffer.from(all).toString('base64'),
    );
  });
});

describe('PreparedReply', () => {
  const headers: [string, string][] = [
    ['content-type', 'text/html; charset=utf-8'],
    ['cache-control', 'no-cache'],
    ['x-note', 'ünïcödé 😀'],
    ['IC-CertificateExpression', 'default_certification(ValidationArgs{…})'],
  ];
  const exprPath = base64Encode(Uint8Array.from([0xd9, 0xd9, 0xf7, 0x82]));

  it('writes what IDL.encode writes with the IC-Certificate header certificateHeader makes', () => {
    for (const [size, statusCode] of [
      [0, 200],
      [981, 200],
      [70_000, 404],
    ] as const) {
      const body = bytes(size, 3);
      const witness = bytes(123, 5);
      const exact = new PreparedReply({ statusCode, headers, body }, { exprPath, witness });
      const wildcard = new PreparedReply({ statusCode, headers, body }, { exprPath });
      for (const certLength of [0, 1, 2, 3, 400, 1_301]) {
        const certificate = bytes(certLength, certLength);
        const expected = IDL.encode(
          [HttpResponse],
          [
            {
              status_code: statusCode,
              headers: [...headers, certificateHeader({ certificate, tree: witness, exprPath })],
              body,
              upgrade: [],
            },
          ],
        );
        expect(hex(exact.encode(certificate))).toBe(hex(expected));
        expect(hex(wildcard.encode(certificate, witness))).toBe(hex(expected));
        // Made again from its stored layout: the same bytes, without encoding the response.
        const stored = new PreparedReply({ layout: wildcard.layoutBytes() }, { exprPath: '' });
        expect(hex(stored.encode(certificate, witness))).toBe(hex(expected));
      }
      // Without a certificate (an update call): the same response with no IC-Certificate.
      expect(hex(exact.encode(undefined))).toBe(
        hex(IDL.encode([HttpResponse], [{ status_code: statusCode, headers, body, upgrade: [] }])),
      );
    }
  });

  it('a reply made from its layout has no uncertified form (an update call re-renders)', () => {
    const reply = new PreparedReply({ statusCode: 200, headers, body: bytes(3, 1) }, { exprPath });
    const stored = new PreparedReply({ layout: reply.layoutBytes() }, { exprPath });
    expect(() => stored.encode(undefined)).toThrow(/certificate/);
  });

  it('refuses to answer a wildcard route without the request’s witness', () => {
    const reply = new PreparedReply({ statusCode: 200, headers, body: bytes(3, 1) }, { exprPath });
    expect(() => reply.encode(bytes(10, 1))).toThrow(/witness/);
  });
});
