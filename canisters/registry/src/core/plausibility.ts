/**
 * Whether an attestation's build times can be true. The format checks the syntax and the order
 * of the times; what they are measured against (the IC's history, the registry's clock) is
 * known only here.
 */
import type { BuildInfo } from '@repro-registry/attestation';

/** The Internet Computer's genesis: no IC-OS release was built before it. */
export const IC_GENESIS = '2021-05-10T00:00:00Z';
/** Clocks drift: a build may end this far after the registry's time. */
export const CLOCK_SKEW_SECONDS = 10 * 60;
/** A build with its downloads takes hours on a slow machine, not days. */
export const MAX_BUILD_SECONDS = 48 * 60 * 60;

/** Seconds since the epoch of an RFC 3339 UTC time the format has validated (fraction ignored). */
export function epochSeconds(time: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(time);
  if (m === null) return Number.NaN;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Not Date.UTC: it reads years 0..99 as 1900..1999.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime() / 1000;
}

const GENESIS_SECONDS = epochSeconds(IC_GENESIS);

/** Why the build times are implausible at `nowNs` (the canister's time), or null. */
export function buildTimeProblem(build: BuildInfo, nowNs: bigint): string | null {
  const started = epochSeconds(build.startedOn);
  const finished = epochSeconds(build.finishedOn);
  const now = Number(nowNs / 1_000_000_000n);
  if (!(started >= GENESIS_SECONDS)) {
    return `build.startedOn ${build.startedOn} is before the Internet Computer's genesis (${IC_GENESIS})`;
  }
  if (finished > now + CLOCK_SKEW_SECONDS) {
    return `build.finishedOn ${build.finishedOn} is in the future (more than ${CLOCK_SKEW_SECONDS / 60} minutes after the registry's clock)`;
  }
  if (finished - started > MAX_BUILD_SECONDS) {
    return `the build took ${Math.round((finished - started) / 3600)} hours by its times; at most ${MAX_BUILD_SECONDS / 3600} are plausible`;
  }
  return null;
}
