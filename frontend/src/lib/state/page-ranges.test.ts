import { describe, expect, it } from 'vitest';

import { ConcurrentReads, PositionRanges } from './page-ranges';

describe('PositionRanges', () => {
  it('hands out a range as pages of at most the page size, newest first', () => {
    const ranges = new PositionRanges(500n);
    expect(ranges.claim({ from: 1200n, to: 0n })).toEqual([
      { from: 1200n, to: 700n },
      { from: 700n, to: 200n },
      { from: 200n, to: 0n },
    ]);
  });

  it('never hands out a position twice', () => {
    const ranges = new PositionRanges(500n);
    // The summary counted 1,000: the older half is asked before the first page arrives.
    expect(ranges.claim({ from: 500n, to: 0n })).toEqual([{ from: 500n, to: 0n }]);
    // The first page (newest 500 of 1,010: ten arrived meanwhile) is claimed as it comes.
    expect(ranges.claim({ from: 1010n, to: 510n })).toEqual([{ from: 1010n, to: 510n }]);
    // What the first page's cursor says is older than it: only the gap is left.
    expect(ranges.claim({ from: 510n, to: 0n })).toEqual([{ from: 510n, to: 500n }]);
    expect(ranges.claim({ from: 1010n, to: 0n })).toEqual([]);
  });

  it('returns the uncovered parts on both sides of a claimed range', () => {
    const ranges = new PositionRanges(100n);
    ranges.claim({ from: 60n, to: 40n });
    expect(ranges.claim({ from: 100n, to: 0n })).toEqual([
      { from: 100n, to: 60n },
      { from: 40n, to: 0n },
    ]);
  });

  it('hands out nothing for an empty range', () => {
    expect(new PositionRanges(10n).claim({ from: 5n, to: 5n })).toEqual([]);
  });
});

describe('ConcurrentReads', () => {
  it('reads every item, at most `concurrency` at a time, also items pushed while reading', async () => {
    let active = 0;
    let most = 0;
    const read: number[] = [];
    const reads = new ConcurrentReads<number>(2, async (n) => {
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 5));
      read.push(n);
      active--;
      if (n === 1) reads.push(4);
    });
    for (const n of [1, 2, 3]) reads.push(n);
    await reads.done();
    expect(read.sort()).toEqual([1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('is done at once when nothing was pushed', async () => {
    await expect(new ConcurrentReads<number>(3, async () => {}).done()).resolves.toBeUndefined();
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    const reads = new ConcurrentReads<number>(1, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('page 1 failed');
    });
    reads.push(1);
    reads.push(2);
    await expect(reads.done()).rejects.toThrow('page 1 failed');
    expect(started).toEqual([1]);
  });
});
