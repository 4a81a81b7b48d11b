import { Principal } from '@dfinity/principal';
import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from './persist-codec';

describe('persist codec', () => {
  it('round-trips the shapes change sets are made of', () => {
    const value = {
      sequence: 12345678901234567890n,
      negative: -5n,
      time: 1_795_000_000_000_000_000n,
      text: 'grüße',
      n: 42,
      f: 1.5,
      flags: [true, false, null, undefined],
      page: new Uint8Array(65536).fill(7),
      small: Uint8Array.of(1, 2),
      pages: new Map([[3, Uint8Array.of(9)]]),
      set: new Set(['a']),
      id: Principal.fromText('bkyz2-fmaaa-aaaaa-qaaaq-cai'),
      nested: { deeper: [{ x: 1 }] },
    };
    const back = decodeValue(encodeValue(value)) as typeof value;
    expect({ ...back, id: back.id.toText() }).toEqual({ ...value, id: value.id.toText() });
    expect(back.id.toText()).toBe('bkyz2-fmaaa-aaaaa-qaaaq-cai');
  });

  it('refuses values it could not restore', () => {
    expect(() => encodeValue({ when: new Date() })).toThrow(/instance of Date/);
    expect(() => encodeValue(() => 1)).toThrow(TypeError);
  });

  it('detects truncation', () => {
    const bytes = encodeValue({ a: 'hello' });
    expect(() => decodeValue(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
  });
});
