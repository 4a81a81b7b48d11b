import { describe, expect, it } from 'vitest';
import { RegistryErrorCode } from '@repro-registry/attestation';
import { explainRefusal } from './refusals';

describe('explainRefusal', () => {
  it("RATE_LIMITED says when to retry, from the registry's own rule", () => {
    const now = new Date('2026-11-30T21:08:00Z');
    expect(
      explainRefusal(
        'RATE_LIMITED',
        'too many submissions: a builder may submit 10 attestations at once, then one every 6 minutes',
        now,
      ).todo,
    ).toBe('retry after 21:14 UTC with `repro submit <file>` (the envelope is kept)');
  });

  it('every registry code has a meaning and a remedy; format codes and strangers too', () => {
    for (const code of Object.values(RegistryErrorCode)) {
      const e = explainRefusal(code, '');
      expect(e.meaning.length, code).toBeGreaterThan(10);
      expect(e.todo.length, code).toBeGreaterThan(5);
    }
    expect(explainRefusal('SIGNATURE_INVALID', '').meaning).toMatch(/format/);
    expect(explainRefusal('SOMETHING_NEW', '').meaning).toBe('the registry refused the request');
  });
});
