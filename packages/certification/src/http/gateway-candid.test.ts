import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { describe, expect, it } from 'vitest';

import { decodeHttpRequest, encodeHttpResponse, GatewayCandidError } from './gateway-candid';

const Header = IDL.Tuple(IDL.Text, IDL.Text);
/** The interface as the IC's gateways and the HTTP gateway specification write it. */
const HttpRequest = IDL.Record({
  method: IDL.Text,
  url: IDL.Text,
  headers: IDL.Vec(Header),
  body: IDL.Vec(IDL.Nat8),
  certificate_version: IDL.Opt(IDL.Nat16),
});
const HttpUpdateRequest = IDL.Record({
  method: IDL.Text,
  url: IDL.Text,
  headers: IDL.Vec(Header),
  body: IDL.Vec(IDL.Nat8),
});
const HttpResponse = IDL.Record({
  status_code: IDL.Nat16,
  headers: IDL.Vec(Header),
  body: IDL.Vec(IDL.Nat8),
  upgrade: IDL.Opt(IDL.Bool),
});

const encode = (type: IDL.Type, value: unknown): Uint8Array =>
  new Uint8Array(IDL.encode([type], [value]));

/** A small deterministic generator, so a failure names its seed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const ALPHABET = ['a', 'Z', '/', '?', '=', '%', ' ', 'é', '日', '😀', '\u0000', '-'];
function randomText(next: () => number, max: number): string {
  let out = '';
  for (let n = Math.floor(next() * max); n > 0; n--) out += ALPHABET[Math.floor(next() * 12)];
  return out;
}

describe('decodeHttpRequest', () => {
  it('reads what IDL.encode writes, for 300 random requests', () => {
    const next = random(7);
    for (let i = 0; i < 300; i++) {
      const value = {
        method: ['GET', 'POST', 'HEAD', randomText(next, 8)][Math.floor(next() * 4)],
        url: '/' + randomText(next, 40),
        headers: Array.from({ length: Math.floor(next() * 12) }, () => [
          randomText(next, 16),
          randomText(next, 200),
        ]),
        body: Uint8Array.from({ length: Math.floor(next() * 300) }, () => (next() * 256) | 0),
        certificate_version: next() < 0.5 ? [] : [Math.floor(next() * 65536)],
      };
      const got = decodeHttpRequest(encode(HttpRequest, value));
      expect(got, `request ${i}`).toEqual({
        method: value.method,
        url: value.url,
        headers: value.headers,
        body: value.body,
        certificateVersion: value.certificate_version[0] ?? null,
      });
    }
  });

  it('reads an update request (no certificate_version) and tolerates added fields of any type', () => {
    const update = decodeHttpRequest(
      encode(HttpUpdateRequest, { method: 'POST', url: '/x', headers: [], body: [1, 2] }),
    );
    expect(update).toEqual({
      method: 'POST',
      url: '/x',
      headers: [],
      body: Uint8Array.from([1, 2]),
      certificateVersion: null,
    });
    // A newer gateway may send more: Candid's subtyping says skip what is not known.
    const Newer = IDL.Record({
      method: IDL.Text,
      url: IDL.Text,
      headers: IDL.Vec(Header),
      body: IDL.Vec(IDL.Nat8),
      certificate_version: IDL.Opt(IDL.Nat16),
      a_nat: IDL.Nat,
      an_int: IDL.Int,
      nested: IDL.Vec(
        IDL.Record({ p: IDL.Principal, v: IDL.Variant({ x: IDL.Null, y: IDL.Text }) }),
      ),
      maybe: IDL.Opt(IDL.Vec(IDL.Float64)),
      z_last: IDL.Text,
    });
    const got = decodeHttpRequest(
      encode(Newer, {
        method: 'GET',
        url: '/y',
        headers: [['accept', '*/*']],
        body: [],
        certificate_version: [2],
        a_nat: 2n ** 100n,
        an_int: -(2n ** 90n),
        nested: [
          { p: Principal.fromText('aaaaa-aa'), v: { y: 'text' } },
          { p: Principal.fromText('2vxsx-fae'), v: { x: null } },
        ],
        maybe: [[1.5, -2]],
        z_last: 'end',
      }),
    );
    expect(got).toEqual({
      method: 'GET',
      url: '/y',
      headers: [['accept', '*/*']],
      body: new Uint8Array(0),
      certificateVersion: 2,
    });
  });

  it('reads a certificate_version of another optional type as null (Candid opt rule)', () => {
    const Other = IDL.Record({
      method: IDL.Text,
      url: IDL.Text,
      headers: IDL.Vec(Header),
      body: IDL.Vec(IDL.Nat8),
      certificate_version: IDL.Opt(IDL.Text),
    });
    const got = decodeHttpRequest(
      encode(Other, { method: 'GET', url: '/', headers: [], body: [], certificate_version: ['2'] }),
    );
    expect(got.certificateVersion).toBeNull();
  });

  it('refuses what is not an HttpRequest, with a reason', () => {
    const good = encode(HttpRequest, {
      method: 'GET',
      url: '/',
      headers: [['a', 'b']],
      body: [1],
      certificate_version: [2],
    });
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /ends too early/],
      [Uint8Array.from([1, 2, 3, 4, 0, 0]), /DIDL/],
      [good.subarray(0, good.length - 3), /ends too early/],
      [encode(IDL.Text, 'GET /'), /not a record/],
      [
        encode(IDL.Record({ method: IDL.Text, url: IDL.Text }), { method: 'GET', url: '/' }),
        /headers and body are required/,
      ],
      [
        encode(IDL.Record({ method: IDL.Nat, url: IDL.Text }), { method: 1n, url: '/' }),
        /must be text/,
      ],
      [
        encode(
          IDL.Record({
            method: IDL.Text,
            url: IDL.Text,
            headers: IDL.Vec(IDL.Tuple(IDL.Text, IDL.Nat)),
            body: IDL.Vec(IDL.Nat8),
          }),
          { method: 'GET', url: '/', headers: [['a', 1n]], body: [] },
        ),
        /tuple/,
      ],
    ];
    // Invalid UTF-8 in the url.
    const badUtf8 = encode(HttpRequest, {
      method: 'GET',
      url: 'ab',
      headers: [],
      body: [],
      certificate_version: [],
    });
    const at = badUtf8.indexOf(0x61);
    badUtf8[at] = 0xc0;
    cases.push([badUtf8, /UTF-8/]);
    for (const [bytes, reason] of cases) {
      expect(() => decodeHttpRequest(bytes)).toThrow(GatewayCandidError);
      expect(() => decodeHttpRequest(bytes)).toThrow(reason);
      // And the library agrees that these are not HttpRequests.
      expect(() => IDL.decode([HttpRequest], bytes)).toThrow();
    }
  });
});

describe('encodeHttpResponse', () => {
  it('writes the bytes IDL.encode writes, with headers given as text or bytes', () => {
    const next = random(11);
    for (let i = 0; i < 60; i++) {
      const headers: [string, string][] = Array.from({ length: Math.floor(next() * 8) }, () => [
        randomText(next, 20),
        randomText(next, 300),
      ]);
      const body = Uint8Array.from({ length: Math.floor(next() * 2000) }, () => (next() * 256) | 0);
      const statusCode = [200, 404, 503, 65535][i % 4];
      const expected = encode(HttpResponse, {
        status_code: statusCode,
        headers,
        body,
        upgrade: [],
      });
      const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
      expect(hex(encodeHttpResponse({ statusCode, headers, body }))).toBe(hex(expected));
      const asBytes = headers.map(([k, v]) => [k, new TextEncoder().encode(v)] as const);
      expect(hex(encodeHttpResponse({ statusCode, headers: asBytes, body }))).toBe(hex(expected));
    }
  });

  it('writes `upgrade = opt true` as IDL.encode does, and nothing else changes', () => {
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    const body = new TextEncoder().encode('not yet certified');
    const expected = encode(HttpResponse, {
      status_code: 200,
      headers: [['cache-control', 'no-store']],
      body,
      upgrade: [true],
    });
    const bytes = encodeHttpResponse({
      statusCode: 200,
      headers: [['cache-control', 'no-store']],
      body,
      upgrade: true,
    });
    expect(hex(bytes)).toBe(hex(expected));
    expect(IDL.decode([HttpResponse], bytes)[0]).toMatchObject({ upgrade: [true] });
  });
});
