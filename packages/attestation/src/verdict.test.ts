import { describe, expect, it } from 'vitest';

import { overallVerdict } from './verdict';

describe('overallVerdict', () => {
  it('is the worst verdict of the artifacts', () => {
    expect(overallVerdict(['match', 'mismatch', 'build_failed'])).toBe('mismatch');
    expect(overallVerdict(['not_built', 'build_failed', 'match'])).toBe('build_failed');
    expect(overallVerdict(['not_built', 'match'])).toBe('match');
  });

  it('is not_built when nothing was built', () => {
    expect(overallVerdict(['not_built', 'not_built'])).toBe('not_built');
    expect(overallVerdict([])).toBe('not_built');
  });
});
