// parseJsonBytes, parseJsonNative and parseDecodedJson (the fast paths) may only accept what the
// general path (strict UTF-8, then parseJson) accepts, with the same value; everything else they
// must leave to the general path (undefined).
import { describe, expect, it } from 'vitest';
import { base64Decode, decodeUtf8OrNull, utf8Encode } from './bytes';
import { Rejection } from './errors';
import { parseJson } from './json';
import { parseJsonBytes } from './json-bytes';
import { hasNativeJson, parseDecodedJson, parseJsonNative } from './json-native';
import { seededRandom } from '../test/seeded';
import { validVectors, invalidVectors } from '../test/vectors';

const DEPTH = 8;

/** The general path's answer: the value, or 'refused'. */
function general(bytes: Uint8Array): unknown {
  const text = decodeUtf8OrNull(bytes);
  if (text === null) return 'refused';
  try {
    return parseJson(text, { rootField: 'payload', maxDepth: DEPTH });
  } catch (e) {
    if (e instanceof Rejection) return 'refused';
    throw e;
  }
}

/** Plain copies, so values compare without their prototypes (null vs Object.prototype). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

type FastParser = (bytes: Uint8Array, maxDepth: number) => unknown;

function agree(parse: FastParser, bytes: Uint8Array): 'fast' | 'general' {
  const fast = parse(bytes, DEPTH);
  const slow = general(bytes);
  if (fast === undefined) return 'general';
  expect(slow).not.toBe('refused');
  expect(plain(fast)).toEqual(plain(slow));
  // The same keys in the same order, also where JSON.stringify would reorder nothing.
  expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
  return 'fast';
}

const text = (s: string) => utf8Encode(s);

it('runs the native parser here (Node has a strict TextDecoder)', () => {
  expect(hasNativeJson()).toBe(true);
});

/** The general path's own decoding, then the engine's JSON.parse: what the canister runs. */
const decodedThenNative: FastParser = (bytes, maxDepth) => {
  const decoded = decodeUtf8OrNull(bytes);
  return decoded === null ? undefined : parseDecodedJson(bytes, decoded, maxDepth);
};

describe.each([
  ['parseJsonBytes', parseJsonBytes],
  ['parseJsonNative', parseJsonNative],
  ['parseDecodedJson', decodedThenNative],
] as const)('%s', (_name, parse: FastParser) => {
  it('parses what the format writes, as the general path does', () => {
    const documents = [
      '{}',
      '[]',
      ' {"a" : [1, 2, {"b": null}], "c": true, "d": false, "e": "x"}\n',
      '[0, -1, 123456789012345, -123456789012345]',
      '{"note":"line\\nbreak \\"quoted\\" back\\\\slash \\/ \\t\\b\\f\\r","é":"€ 😀 ü"}',
      '{"constructor": 2, "toString": "x", "hasOwnProperty": null}',
      '{"1": 1, "a": 2, "0": 3}',
      '"\u007f"',
    ];
    for (const d of documents) expect(agree(parse, text(d)), d).toBe('fast');
  });

  it('leaves to the general path what it refuses or is unsure of', () => {
    const documents = [
      '',
      ' ',
      '{"a":1,"a":2}',
      '{"__proto__": 1}',
      '[1.5]',
      '[1e3]',
      '[-0]',
      '[01]',
      '[1234567890123456]',
      '-',
      '"\\u00e9"',
      '"\\ud83d"',
      '"a\u0001b"',
      '"\\x"',
      '[1,]',
      '{"a":1,}',
      '[1 2]',
      'tru',
      'nul',
      'falsy',
      '[[[[[[[[[1]]]]]]]]]',
      '\ufeff{}',
      '{} x',
      '"unterminated',
    ];
    for (const d of documents) {
      expect(parse(text(d), DEPTH), d).toBeUndefined();
      agree(parse, text(d));
    }
    // Malformed UTF-8 inside and outside strings: overlong, surrogate, truncated, stray.
    for (const bad of [
      [0x22, 0xc0, 0x80, 0x22],
      [0x22, 0xed, 0xa0, 0x80, 0x22],
      [0x22, 0xe2, 0x82, 0x22],
      [0x22, 0x80, 0x22],
      [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22],
      [0x5b, 0xc3, 0xa9, 0x5d],
    ]) {
      expect(parse(Uint8Array.from(bad), DEPTH)).toBeUndefined();
    }
  });

  it('agrees with the general path on every golden vector and its statement', () => {
    let fast = 0;
    for (const v of [...validVectors, ...invalidVectors]) {
      if (agree(parse, v.bytes) === 'fast') fast++;
      const value = general(v.bytes) as { payload?: unknown } | string;
      if (typeof value === 'object' && value !== null && typeof value.payload === 'string') {
        try {
          agree(parse, base64Decode(value.payload));
        } catch (e) {
          if (!(e instanceof Error && 'code' in e)) throw e; // payload not base64: no statement
        }
      }
    }
    expect(fast).toBeGreaterThan(validVectors.length);
  });

  it('agrees with the general path on mutated documents (seeded)', () => {
    const random = seededRandom(0x2545f491);
    const interesting = [
      0x22, 0x5c, 0x2c, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d, 0x20, 0x0a, 0x00, 0x1f, 0x7f, 0x80, 0xbf,
      0xc2, 0xe0, 0xed, 0xf0, 0xf4, 0xff, 0x30, 0x39, 0x2d, 0x2e, 0x65, 0x75,
    ];
    const sources = validVectors.slice(0, 6).map((v) => {
      const envelope = general(v.bytes) as { payload: string };
      return base64Decode(envelope.payload);
    });
    let accepted = 0;
    for (let round = 0; round < 3000; round++) {
      const source = sources[random(sources.length)];
      const bytes = Array.from(source);
      for (let k = 1 + random(3); k > 0; k--) {
        const at = random(bytes.length);
        const byte = interesting[random(interesting.length)];
        switch (random(4)) {
          case 0:
            bytes[at] = byte;
            break;
          case 1:
            bytes.splice(at, 0, byte);
            break;
          case 2:
            bytes.splice(at, 1);
            break;
          default:
            bytes.length = at;
        }
      }
      if (agree(parse, Uint8Array.from(bytes)) === 'fast') accepted++;
    }
    // Some mutations stay valid (inside text), so both paths are exercised.
    expect(accepted).toBeGreaterThan(100);
  });
});
