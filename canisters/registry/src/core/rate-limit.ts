import type { MetaJson, RateBucketJson } from './records';

/**
 * A token bucket per caller: `capacity` submissions at once, then one more every
 * `refillIntervalNs`. Verification is the expensive part of a submission (about 200 M
 * instructions), so every submission that reaches it takes a token, valid or not, and the
 * bucket is checked before execution, in canister_inspect_message. Publishing a trust list and
 * asking for a governance read take tokens from the same bucket.
 */
export interface RateLimit {
  capacity: number;
  refillIntervalNs: bigint;
}

/** The defaults: 10 at once, then one every 6 minutes (10 an hour). A builder reproduces a
 *  proposal a few times at most; a release week has a handful of proposals. */
export const DEFAULT_RATE_LIMIT: RateLimit = {
  capacity: 10,
  refillIntervalNs: 6n * 60n * 1_000_000_000n,
};

export function tokensAvailable(
  bucket: RateBucketJson | undefined,
  limit: RateLimit,
  now: bigint,
): number {
  if (bucket === undefined) return limit.capacity;
  const elapsed = now - BigInt(bucket.updatedAt);
  const refill = elapsed <= 0n ? 0 : Number(elapsed / limit.refillIntervalNs);
  return Math.min(limit.capacity, bucket.tokens + refill);
}

/** The bucket after taking one token, or null when none is left. */
export function takeToken(
  bucket: RateBucketJson | undefined,
  limit: RateLimit,
  now: bigint,
): RateBucketJson | null {
  const available = tokensAvailable(bucket, limit, now);
  if (available < 1) return null;
  // Keep the fractional refill progress: advance `updatedAt` only by whole intervals used.
  let updatedAt = now;
  if (bucket !== undefined && available < limit.capacity) {
    const elapsed = now - BigInt(bucket.updatedAt);
    updatedAt =
      BigInt(bucket.updatedAt) + (elapsed / limit.refillIntervalNs) * limit.refillIntervalNs;
  }
  return { tokens: available - 1, updatedAt: updatedAt.toString() };
}

/** The rate limit `meta` sets, or the default. */
export function rateLimitOf(meta: MetaJson): RateLimit {
  return meta.rateLimit === null
    ? DEFAULT_RATE_LIMIT
    : {
        capacity: meta.rateLimit.capacity,
        refillIntervalNs: BigInt(meta.rateLimit.refillSeconds) * 1_000_000_000n,
      };
}

export function rateLimitMessage(limit: RateLimit): string {
  const minutes = Number(limit.refillIntervalNs / 60_000_000_000n);
  return `too many requests: a caller may make ${limit.capacity} at once, then one every ${minutes} minutes (invalid submissions count too)`;
}
