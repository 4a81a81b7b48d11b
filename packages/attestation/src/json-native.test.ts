// What the native fast path adds to json-bytes.test.ts (which runs the shared agreement checks on
// both fast parsers): the engine's decoder refuses exactly the UTF-8 that decodeUtf8OrNull
// refuses and keeps a BOM, and the scan catches what JSON.parse alone would let through.
import { describe, expect, it } from 'vitest';
import { decodeUtf8OrNull, utf8Encode } from './bytes';
import { Rejection } from './errors';
import { parseJson } from './json';
import { parseJsonNative, utf8Decoder } from './json-native';

const DEPTH = 8;

function decodeNative(bytes: Uint8Array): string | null {
  const decoder = utf8Decoder();
  if (decoder === null) throw new Error('no strict TextDecoder in this engine');
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

function general(bytes: Uint8Array): unknown {
  const text = decodeUtf8OrNull(bytes);
  if (text === null) return 'refused';
  try {
    return parseJson(text, { rootField: undefined, maxDepth: DEPTH });
  } catch (e) {
    if (e instanceof Rejection) return 'refused';
    throw e;
  }
}

describe('the native UTF-8 decoder', () => {
  /** Sequences on which the two decoders differ (the answer, or refused where the other is not). */
  const differing = (all: Iterable<Uint8Array>): string[] => {
    const out: string[] = [];
    for (const bytes of all)
      if (decodeNative(bytes) !== decodeUtf8OrNull(bytes)) out.push(Array.from(bytes).join(' '));
    return out;
  };

  it('decodes every sequence of one and two bytes as decodeUtf8OrNull does', () => {
    function* sequences(): Generator<Uint8Array> {
      for (let a = 0; a < 256; a++) {
        yield Uint8Array.of(a);
        for (let b = 0; b < 256; b++) yield Uint8Array.of(a, b);
      }
    }
    expect(differing(sequences())).toEqual([]);
  });

  it('agrees on three- and four-byte sequences at every boundary', () => {
    // Overlongs (E0 80..9F, F0 80..8F), surrogates (ED A0..BF), above U+10FFFF (F4 90.., F5..),
    // truncated sequences and stray continuation bytes, also followed by ASCII.
    const edges = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xf4, 0xff];
    let valid = 0;
    function* sequences(): Generator<Uint8Array> {
      for (let lead = 0xc0; lead <= 0xff; lead++) {
        for (const b of edges) {
          for (const c of edges) {
            const three = Uint8Array.of(lead, b, c);
            if (decodeUtf8OrNull(three) !== null) valid++;
            yield three;
            for (const d of edges) yield Uint8Array.of(lead, b, c, d);
          }
        }
      }
    }
    expect(differing(sequences())).toEqual([]);
    expect(valid).toBeGreaterThan(100);
  });

  it('keeps a leading BOM, as decodeUtf8OrNull does', () => {
    for (const bytes of [
      Uint8Array.of(0xef, 0xbb, 0xbf),
      Uint8Array.of(0xef, 0xbb, 0xbf, 0x7b, 0x7d),
      Uint8Array.of(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf),
    ]) {
      expect(decodeNative(bytes)).toBe(decodeUtf8OrNull(bytes));
      expect(decodeNative(bytes)?.charCodeAt(0)).toBe(0xfeff);
    }
  });
});

describe('parseJsonNative', () => {
  const accepts = (d: string) => {
    const fast = parseJsonNative(utf8Encode(d), DEPTH);
    expect(fast, d).not.toBeUndefined();
    expect(JSON.stringify(fast)).toBe(JSON.stringify(general(utf8Encode(d))));
  };
  const givesUp = (d: string) => {
    expect(parseJsonNative(utf8Encode(d), DEPTH), d).toBeUndefined();
  };

  it('accepts strings holding what the scan looks for outside them', () => {
    accepts('{"a":"x:y","b":"1.5e3E","c":"{[","d":"]}"}');
    accepts('["\\"", "\\\\", "\\\\\\"", "a\\\\", "\\\\u0041", "x\\n\\t:"]');
    accepts('{"true":true,"false":false,"null":null,"e":[1,0,-7]}');
    accepts('[[[[[[[[1]]]]]]]]'); // depth 8: the limit
    accepts('[999999999999999,-999999999999999]');
  });

  it('gives up on what parseJson refuses but JSON.parse takes', () => {
    givesUp('{"a":1,"a":2}');
    givesUp('{"a":{"b":1,"b":1}}');
    givesUp('[{"k\\n":1,"k\\n":2}]'); // duplicates spelled with escapes
    givesUp('{"a":"\\u0061"}'); // \u: left to the general path
    givesUp('["\\ud800"]');
    givesUp('[1.0]');
    givesUp('[1E2]');
    givesUp('[1e2]');
    givesUp('[1e-2]');
    givesUp('[0e0]');
    givesUp('[-0]');
    givesUp('[1000000000000000]');
    givesUp('[12345678901234567890]');
    givesUp('[[[[[[[[[1]]]]]]]]]');
    givesUp('{"__proto__":{}}');
    givesUp('\ufeff{}');
  });

  it('does not count a property added to Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    Object.defineProperty(proto, 'injected', {
      value: 1,
      enumerable: true,
      configurable: true,
      writable: true,
    });
    try {
      givesUp('{"a":1,"a":2,"b":3}');
      accepts('{"a":1,"b":3}');
    } finally {
      delete proto['injected'];
    }
  });
});
