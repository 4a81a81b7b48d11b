import { describe, expect, it } from 'vitest';

import { buildTimeProblem, epochSeconds } from './plausibility';

const NOW = BigInt(epochSeconds('2026-11-30T12:00:00Z')) * 1_000_000_000n;
const build = (startedOn: string, finishedOn: string) => ({
  startedOn,
  finishedOn,
  cleanCache: true,
});

describe('build time plausibility', () => {
  it('accepts a build of a few hours that ended before now', () => {
    expect(
      buildTimeProblem(build('2026-11-30T09:00:00Z', '2026-11-30T11:30:00.123456789Z'), NOW),
    ).toBe(null);
  });

  it('accepts a clock a few minutes ahead, not more', () => {
    expect(buildTimeProblem(build('2026-11-30T11:00:00Z', '2026-11-30T12:09:59Z'), NOW)).toBe(null);
    expect(buildTimeProblem(build('2026-11-30T11:00:00Z', '2026-11-30T12:10:01Z'), NOW)).toMatch(
      /future/,
    );
  });

  it('refuses builds before the IC existed, in the far future and of days', () => {
    expect(buildTimeProblem(build('1969-12-31T23:00:00Z', '1970-01-01T00:00:00Z'), NOW)).toMatch(
      /genesis/,
    );
    expect(buildTimeProblem(build('0000-01-01T00:00:00Z', '0000-01-01T01:00:00Z'), NOW)).toMatch(
      /genesis/,
    );
    expect(buildTimeProblem(build('2021-05-09T23:59:59Z', '2021-05-10T02:00:00Z'), NOW)).toMatch(
      /genesis/,
    );
    expect(buildTimeProblem(build('3000-01-01T00:00:00Z', '3000-01-01T01:00:00Z'), NOW)).toMatch(
      /future/,
    );
    expect(buildTimeProblem(build('2026-11-20T00:00:00Z', '2026-11-23T00:00:00Z'), NOW)).toMatch(
      /72 hours/,
    );
  });

  it('takes whole seconds of the format’s times', () => {
    expect(epochSeconds('2021-05-10T00:00:00Z')).toBe(1_620_604_800);
    expect(epochSeconds('0000-01-01T00:00:00Z')).toBe(-62_167_219_200);
    expect(epochSeconds('2026-02-28T23:59:59.999Z')).toBe(epochSeconds('2026-02-28T23:59:59Z'));
  });
});
