/*
 * Reads the Python literals repro-check prints with f-strings (`str()` of a dict): the launch
 * measurements it compares appear as `{'guest_launch_measurements': [{'measurement': [163, 9,
 * …], 'metadata': {'kernel_cmdline': '…'}}]}` (the measurement as a hex string since 2026).
 * Only what `repr` writes for JSON-like values: dicts, lists, tuples, strings, ints, floats,
 * True/False/None. Pure; throws `SyntaxError` on anything else.
 */

export type PythonValue =
  null | boolean | number | string | PythonValue[] | { [key: string]: PythonValue };

const MAX_DEPTH = 16;

class Reader {
  at = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new SyntaxError(`${what} at offset ${this.at} of a Python literal`);
  }

  skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }

  value(depth: number): PythonValue {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    this.skipSpace();
    const c = this.text[this.at];
    if (c === '{') return this.dict(depth);
    if (c === '[' || c === '(') return this.list(depth, c === '[' ? ']' : ')');
    if (c === "'" || c === '"') return this.string();
    for (const [word, value] of [
      ['None', null],
      ['True', true],
      ['False', false],
    ] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.at, this.at + 40));
    if (m) {
      this.at += m[0].length;
      return Number(m[0]);
    }
    return this.fail('unexpected character');
  }

  dict(depth: number): { [key: string]: PythonValue } {
    this.at++;
    const out: { [key: string]: PythonValue } = Object.create(null) as {
      [key: string]: PythonValue;
    };
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      const key = this.value(depth + 1);
      if (typeof key !== 'string') this.fail('a dict key that is not a string');
      this.skipSpace();
      if (this.text[this.at] !== ':') this.fail('expected ":"');
      this.at++;
      out[key] = this.value(depth + 1);
      this.skipSpace();
      const c = this.text[this.at++];
      if (c === '}') return out;
      if (c !== ',') this.fail('expected "," or "}"');
    }
  }

  list(depth: number, close: string): PythonValue[] {
    this.at++;
    const out: PythonValue[] = [];
    this.skipSpace();
    if (this.text[this.at] === close) {
      this.at++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.at++];
      if (c === close) return out;
      if (c !== ',') this.fail(`expected "," or "${close}"`);
      this.skipSpace();
      if (this.text[this.at] === close) {
        this.at++;
        return out;
      }
    }
  }

  string(): string {
    const quote = this.text[this.at++];
    let out = '';
    for (;;) {
      if (this.at >= this.text.length) this.fail('unterminated string');
      const c = this.text[this.at++];
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.at++];
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '\\': '\\',
        "'": "'",
        '"': '"',
        a: '\u0007',
        b: '\b',
        f: '\f',
        v: '\v',
        '0': '\0',
      };
      if (e in simple) out += simple[e];
      else if (e === 'x' || e === 'u' || e === 'U') {
        const length = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = this.text.slice(this.at, this.at + length);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) this.fail('bad escape');
        out += String.fromCodePoint(parseInt(hex, 16));
        this.at += length;
      } else this.fail('unknown escape');
    }
  }
}

/** Parses one Python literal that makes up the whole text (surrounding spaces allowed). */
export function parsePythonLiteral(text: string): PythonValue {
  const reader = new Reader(text);
  const value = reader.value(0);
  reader.skipSpace();
  if (reader.at !== text.length) reader.fail('trailing text');
  return value;
}
