import { Cbor, requestIdOf } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { describe, expect, it } from 'vitest';
import { CborError, decodeCbor, encodeCbor, type CborMap } from './cbor';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));

describe('decodeCbor', () => {
  it('decodes the RFC 8949 examples the IC uses', () => {
    expect(decodeCbor(hex('00'))).toBe(0);
    expect(decodeCbor(hex('1864'))).toBe(100);
    expect(decodeCbor(hex('1b000000e8d4a51000'))).toBe(1000000000000);
    expect(decodeCbor(hex('1bffffffffffffffff'))).toBe(18446744073709551615n);
    expect(decodeCbor(hex('c249010000000000000000'))).toBe(18446744073709551616n);
    expect(decodeCbor(hex('20'))).toBe(-1);
    expect(decodeCbor(hex('4401020304'))).toEqual(Uint8Array.of(1, 2, 3, 4));
    expect(decodeCbor(hex('6449455446'))).toBe('IETF');
    expect(decodeCbor(hex('83010203'))).toEqual([1, 2, 3]);
    expect(decodeCbor(hex('a26161016162820203'))).toEqual({ a: 1, b: [2, 3] });
    expect(decodeCbor(hex('5f42010243030405ff'))).toEqual(Uint8Array.of(1, 2, 3, 4, 5));
    expect(decodeCbor(hex('9f018202039f0405ffff'))).toEqual([1, [2, 3], [4, 5]]);
  });

  it('skips the self-describe tag', () => {
    expect(decodeCbor(hex('d9d9f7a1616101'))).toEqual({ a: 1 });
  });

  it('refuses duplicate keys, non-text keys, floats, unknown tags and trailing bytes', () => {
    expect(() => decodeCbor(hex('a2616101616102'))).toThrow(CborError);
    expect(() => decodeCbor(hex('a10101'))).toThrow(/not a text string/);
    expect(() => decodeCbor(hex('f93c00'))).toThrow(/floating point/);
    expect(() => decodeCbor(hex('c11a514b67b0'))).toThrow(/unsupported tag/);
    expect(() => decodeCbor(hex('0000'))).toThrow(/trailing/);
    expect(() => decodeCbor(hex('5a00000010'))).toThrow(/exceeds/);
  });

  it('reads what @dfinity/agent writes and the agent reads what it writes', () => {
    const value = {
      content: {
        request_type: 'call',
        arg: Uint8Array.of(68, 73, 68, 76, 0, 0),
        ingress_expiry: 1_700_000_000_000_000_000n,
        paths: [[Uint8Array.of(1), Uint8Array.of(2)]],
      },
    };
    expect(decodeCbor(Cbor.encode(value))).toEqual(value);
    const back = Cbor.decode<typeof value>(encodeCbor(value));
    expect(back.content.ingress_expiry).toBe(1_700_000_000_000_000_000n);
    expect(back.content.arg).toEqual(value.content.arg);
  });
});

describe('decoded requests and the request id', () => {
  it('hash to the id agent-js computes, whether a number decodes as number or bigint', () => {
    const content = {
      request_type: 'query',
      canister_id: Principal.fromText('bkyz2-fmaaa-aaaaa-qaaaq-cai'),
      method_name: 'greet',
      arg: Uint8Array.of(1, 2, 3),
      sender: Principal.anonymous(),
      ingress_expiry: 1_800_000_000_000_000_000n,
      nonce: Uint8Array.of(9, 9),
      paths: [[utf8ToBytes('time')], [utf8ToBytes('request_status'), Uint8Array.of(1)]],
      small: 5,
    };
    const decoded = decodeCbor(
      encodeCbor({
        ...content,
        canister_id: content.canister_id.toUint8Array(),
        sender: content.sender.toUint8Array(),
      }),
    ) as CborMap;
    expect(typeof decoded.small).toBe('number');
    expect(typeof decoded.ingress_expiry).toBe('bigint');
    expect(bytesToHex(requestIdOf(decoded))).toBe(bytesToHex(requestIdOf(content)));
  });
});
