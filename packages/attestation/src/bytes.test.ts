import { describe, expect, it } from 'vitest';
import {
  base64Decode,
  base64Encode,
  bytesToHex,
  decodeBase64OrNull,
  decodeUtf8OrNull,
  hexToBytes,
  sha256Hex,
  utf8ByteLength,
  utf8Decode,
  utf8Encode,
} from './bytes';
import { FormatErrorCode } from './codes';
import { AttestationError } from './errors';

function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x >>> 8;
  };
}

function randomBytes(next: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = next() & 255;
  return out;
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof AttestationError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('hex', () => {
  it('round-trips and agrees with Buffer', () => {
    const next = random(1);
    for (let n = 0; n < 200; n++) {
      const bytes = randomBytes(next, n);
      const hex = bytesToHex(bytes);
      expect(hex).toBe(Buffer.from(bytes).toString('hex'));
      expect(hexToBytes(hex)).toEqual(bytes);
    }
  });

  it('rejects uppercase, odd length and non-hex', () => {
    for (const bad of ['AB', 'abc', 'zz', ' ab', 'ab\n', '0x12'])
      expect(codeOf(() => hexToBytes(bad))).toBe(FormatErrorCode.HEX_INVALID);
  });
});

describe('base64', () => {
  it('round-trips every length and agrees with Buffer', () => {
    const next = random(2);
    for (let n = 0; n < 300; n++) {
      const bytes = randomBytes(next, n);
      const text = base64Encode(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64Decode(text)).toEqual(bytes);
    }
  });

  it('rejects every non-canonical spelling that Buffer would accept', () => {
    const lenient = [
      'QQ',
      'QR==',
      'QUJ=',
      'QUI',
      'Q Q==',
      'QQ==\n',
      'QQ==QQ==',
      '-_8=',
      'QQ=',
      '=QQ=',
      'Q===',
      'QUJD\u00e9',
    ];
    for (const text of lenient) {
      expect(decodeBase64OrNull(text), text).toBeNull();
      expect(codeOf(() => base64Decode(text))).toBe(FormatErrorCode.BASE64_INVALID);
    }
  });

  it('rejects all 4-character strings that do not re-encode to themselves', () => {
    // Exhaustive over the last quad's interesting symbols: canonical iff encode(decode(s)) === s.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
    for (const a of 'AQgw/')
      for (const b of alphabet)
        for (const c of alphabet)
          for (const d of '=AB') {
            const text = a + b + c + d;
            const decoded = decodeBase64OrNull(text);
            if (decoded !== null) expect(base64Encode(decoded), text).toBe(text);
          }
  });
});

describe('UTF-8', () => {
  it('encodes like Buffer for well-formed strings, astral characters included', () => {
    for (const text of [
      '',
      'ascii',
      'Zürich',
      '検証',
      '👩‍💻 𝄞',
      '\u0000\u007f\u0080\u07ff\u0800\uffff',
    ]) {
      expect(utf8Encode(text)).toEqual(new Uint8Array(Buffer.from(text, 'utf8')));
      expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
      expect(utf8Decode(utf8Encode(text))).toBe(text);
    }
  });

  it('refuses to encode lone surrogates instead of writing U+FFFD', () => {
    for (const text of ['\ud800', 'a\udc00b', '\udbff\ud800']) {
      expect(codeOf(() => utf8Encode(text))).toBe(FormatErrorCode.LONE_SURROGATE);
      expect(utf8ByteLength(text)).toBe(-1);
    }
  });

  it('decodes exactly what a fatal TextDecoder accepts (seeded random bytes)', () => {
    const reference = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const next = random(3);
    // Bias towards the bytes where UTF-8 has its edge cases.
    const interesting = [
      0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff,
      0x9f, 0xa0, 0x8f, 0x90,
    ];
    for (let round = 0; round < 20_000; round++) {
      const length = 1 + (next() % 6);
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i++)
        bytes[i] = next() % 3 === 0 ? next() & 255 : interesting[next() % interesting.length];
      let expected: string | null;
      try {
        expected = reference.decode(bytes);
      } catch {
        expected = null;
      }
      expect(decodeUtf8OrNull(bytes), Buffer.from(bytes).toString('hex')).toBe(expected);
    }
  });

  it('rejects overlong forms, surrogates, values above U+10FFFF and truncation', () => {
    const bad = [
      'c0af',
      'c1bf',
      'e08080',
      'e09fbf',
      'eda080',
      'edbfbf',
      'f08fbfbf',
      'f4908080',
      'f5808080',
      'ff',
      '80',
      'e29c',
      'f09f98',
    ];
    for (const hex of bad) expect(decodeUtf8OrNull(Buffer.from(hex, 'hex')), hex).toBeNull();
    expect(codeOf(() => utf8Decode(Buffer.from('c0af', 'hex')))).toBe(FormatErrorCode.INVALID_UTF8);
  });

  it('keeps a byte-order mark rather than silently dropping it', () => {
    expect(utf8Decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).toBe('\ufeffA');
  });

  it('decodes long inputs (chunked) without loss', () => {
    const text = 'é✓𝄞a'.repeat(20_000);
    expect(utf8Decode(utf8Encode(text))).toBe(text);
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 "abc" digest', () => {
    expect(sha256Hex(utf8Encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
