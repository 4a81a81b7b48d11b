/** JSON with bigints as decimal strings, bytes as hex and principals as text (JSON has none of them). */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
      // A Principal's toJSON gives { __principal__: "<text>" }: scripts want the text.
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const record = v as Record<string, unknown>;
        const keys = Object.keys(record);
        if (
          keys.length === 1 &&
          keys[0] === '__principal__' &&
          typeof record['__principal__'] === 'string'
        )
          return record['__principal__'];
      }
      return v;
    },
    2,
  );
}

export interface Output {
  json: boolean;
  /** The command's result: JSON on stdout with --json, else the human text. */
  result(value: unknown, human: () => string): void;
  /** Progress and remarks for people: stderr, never with --json. */
  info(text: string): void;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export function createOutput(args: {
  json: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}): Output {
  return {
    json: args.json,
    stdout: args.stdout,
    stderr: args.stderr,
    result(value, human) {
      args.stdout.write(args.json ? `${toJson(value)}\n` : `${human().replace(/\n*$/, '')}\n`);
    },
    info(text) {
      if (!args.json) args.stderr.write(`${text}\n`);
    },
  };
}
