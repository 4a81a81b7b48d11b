import { describe, expect, it } from 'vitest';
import { FormatErrorCode } from '@repro-registry/attestation';
import { RegistryErrorCode } from '@repro-registry/registry-api';
import { explainRefusal } from './refusals';

describe('explainRefusal', () => {
  it("RATE_LIMITED says when to retry, from the registry's refill interval", () => {
    const now = new Date('2026-11-30T21:08:00Z');
    expect(explainRefusal('RATE_LIMITED', { retryAfterSeconds: 360, now }).todo).toBe(
      'retry after 21:14 UTC with `repro submit <file>` (the envelope is kept)',
    );
    expect(explainRefusal('RATE_LIMITED').todo).toMatch(/^wait, then send/);
  });

  it('every registry code has a meaning and a remedy; format codes and strangers too', () => {
    for (const code of Object.values(RegistryErrorCode)) {
      const e = explainRefusal(code);
      expect(e.meaning.length, code).toBeGreaterThan(10);
      expect(e.todo.length, code).toBeGreaterThan(5);
    }
    for (const code of Object.values(FormatErrorCode))
      expect(explainRefusal(code).meaning, code).toMatch(
        code === 'INVALID_ARGUMENT' ? /malformed/ : /format/,
      );
    expect(explainRefusal('SOMETHING_NEW').meaning).toBe('the registry refused the request');
  });
});
