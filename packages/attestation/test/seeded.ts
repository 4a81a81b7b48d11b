/**
 * A seeded xorshift32 for tests that mutate inputs: the same cases on every run, so a failure
 * names a round that can be replayed. Returns an integer in [0, n).
 */
export function seededRandom(seed: number): (n: number) => number {
  let state = seed | 0;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}
