import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Vector {
  file: string;
  description: string;
  /** The envelope bytes as given to the verifier. */
  bytes: Uint8Array;
  expected: { ok: true } | { code: string; field?: string };
}

export const vectorsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');

function load(kind: 'valid' | 'invalid'): Vector[] {
  const dir = join(vectorsDir, kind);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const raw = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
        description: string;
        envelope?: string;
        envelopeBase64?: string;
        expected: Vector['expected'];
      };
      // Node's own encoders, not the package's: the vectors must not depend on the code under test.
      const bytes =
        raw.envelopeBase64 !== undefined
          ? new Uint8Array(Buffer.from(raw.envelopeBase64, 'base64'))
          : new Uint8Array(Buffer.from(raw.envelope!, 'utf8'));
      return { file: `${kind}/${f}`, description: raw.description, bytes, expected: raw.expected };
    });
}

export const validVectors = load('valid');
export const invalidVectors = load('invalid');
