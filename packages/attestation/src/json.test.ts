import { describe, expect, it } from 'vitest';
import { FormatErrorCode } from './codes';
import { Rejection } from './errors';
import type { FormatError } from './errors';
import { parseJson } from './json';

const options = { rootField: 'payload', maxDepth: 8 };

function parse(text: string): unknown {
  return parseJson(text, options);
}

function rejection(text: string): FormatError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof Rejection) return e.error;
    throw e;
  }
  return expect.fail(`accepted ${JSON.stringify(text)}`);
}

describe('parseJson agrees with JSON.parse on valid documents', () => {
  const documents = [
    '{}',
    '[]',
    ' {"a" : [1, 2, {"b": null}], "c": true, "d": false, "e": "x"} ',
    '"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00"',
    '{"__proto__": 1, "constructor": 2}',
    '[0, -1, 123456789012345, -123456789012345]',
    '\t\r\n 7 \n',
    '"ü✓𝄞"',
  ];
  it.each(documents)('%s', (text) => {
    expect(parse(text)).toEqual(JSON.parse(text));
  });

  it('gives objects a null prototype, so "__proto__" is data', () => {
    const value = parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parseJson rejects', () => {
  const notJson = [
    '',
    ' ',
    '{',
    '}',
    '[1,]',
    '{"a":1,}',
    '{a:1}',
    "{'a':1}",
    '01',
    '1.',
    '.5',
    '+1',
    '0x10',
    'NaN',
    'Infinity',
    'tru',
    'nul',
    '"abc',
    '"\\x41"',
    '"\\u12"',
    '"\\u12G4"',
    '"a\u0000b"',
    '"tab\there"',
    '[1 2]',
    '{"a" 1}',
    '1 2',
    '\ufeff{}',
    '// c\n{}',
    '/* c */{}',
    '[1]]',
    '{"a":1}}',
    '\u00a0{}',
    '"\\U0041"',
    '-',
    '--1',
    '1e',
    '1e+',
  ];
  it.each(notJson)('%j as NOT_JSON', (text) => {
    expect(rejection(text)).toMatchObject({ code: FormatErrorCode.NOT_JSON, field: 'payload' });
  });

  it('duplicate keys, naming the path', () => {
    expect(rejection('{"a":{"b":1,"b":2}}')).toMatchObject({
      code: FormatErrorCode.DUPLICATE_KEY,
      field: 'a.b',
    });
    expect(rejection('{"x":[{"k":1},{"k":1,"\\u006b":2}]}')).toMatchObject({
      code: FormatErrorCode.DUPLICATE_KEY,
      field: 'x[1].k',
    });
  });

  it('lone surrogates in escapes', () => {
    for (const text of [
      '"\\ud800"',
      '"\\udc00"',
      '"\\ud800\\u0041"',
      '"\\ud800x"',
      '{"n":"\\udfff\\ud800"}',
    ]) {
      expect(rejection(text).code).toBe(FormatErrorCode.LONE_SURROGATE);
    }
  });

  it('numbers that are not small integers', () => {
    for (const text of ['1.5', '1e3', '1E3', '-0', '1234567890123456', '1e400', '0.0']) {
      expect(rejection(`{"n":${text}}`)).toMatchObject({
        code: FormatErrorCode.NUMBER_INVALID,
        field: 'n',
      });
    }
  });

  it('nesting beyond the limit, without recursing into it', () => {
    expect(parse('[[[[[[[[1]]]]]]]]')).toEqual([[[[[[[[1]]]]]]]]);
    expect(rejection('[[[[[[[[[1]]]]]]]]]').code).toBe(FormatErrorCode.NESTING_TOO_DEEP);
    expect(rejection('['.repeat(1_000_000)).code).toBe(FormatErrorCode.NESTING_TOO_DEEP);
  });
});
