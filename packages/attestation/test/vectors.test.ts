import { describe, expect, it } from 'vitest';
import { FormatErrorCode, verifyAttestation } from '../src/index';
import { invalidVectors, validVectors } from './vectors';

describe('golden vectors', () => {
  it('has the promised coverage', () => {
    expect(validVectors.length).toBeGreaterThanOrEqual(5);
    expect(invalidVectors.length).toBeGreaterThanOrEqual(35);
  });

  it.each(validVectors.map((v) => [v.file, v] as const))('%s verifies', (_file, vector) => {
    const result = verifyAttestation(vector.bytes);
    if (!result.ok)
      expect.fail(`${result.error.code} at ${result.error.field}: ${result.error.message}`);
    expect(result.value.envelopeBytes).toBe(vector.bytes);
  });

  it.each(invalidVectors.map((v) => [v.file, v] as const))(
    '%s is rejected as expected',
    (_file, vector) => {
      const result = verifyAttestation(vector.bytes);
      expect(result.ok).toBe(false);
      if (result.ok || 'ok' in vector.expected) return;
      expect({ code: result.error.code, field: result.error.field }).toEqual({
        code: vector.expected.code,
        field: vector.expected.field,
      });
      // The message names the field at fault, so a person can find it without the code.
      if (vector.expected.field !== undefined)
        expect(result.error.message).toContain(vector.expected.field);
    },
  );

  it('covers every format error code with at least one invalid vector', () => {
    const covered = new Set(
      invalidVectors.map((v) => ('code' in v.expected ? v.expected.code : '')),
    );
    // INVALID_ARGUMENT is answered for an envelope that is not bytes at all, which a file of
    // bytes cannot be (attestation.test.ts covers it).
    const missing = Object.values(FormatErrorCode).filter(
      (code) => code !== FormatErrorCode.INVALID_ARGUMENT && !covered.has(code),
    );
    expect(missing).toEqual([]);
  });

  it('file names start with the code they expect', () => {
    for (const v of invalidVectors) {
      if (!('code' in v.expected)) expect.fail(`${v.file} expects ok`);
      expect(
        v.file.startsWith(`invalid/${v.expected.code.toLowerCase().replace(/_/g, '-')}--`),
      ).toBe(true);
    }
  });
});
