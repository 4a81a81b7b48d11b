/**
 * Reading a proposal's attestations as ranges of arrival positions (`list_attestations`' cursor
 * is an exclusive upper bound on the position), several at once, each position asked once.
 */

/** Positions `to` (inclusive) up to `from` (exclusive), read newest first. */
export interface PositionRange {
  from: bigint;
  to: bigint;
}

/** Which positions have been asked for; hands out the rest in pages of at most `pageSize`. */
export class PositionRanges {
  /** Claimed [lo, hi) intervals, unordered and possibly touching. */
  private readonly claimed: [bigint, bigint][] = [];

  constructor(private readonly pageSize: bigint) {}

  /** Marks `range` as asked for and returns its parts not asked for before, as pages. */
  claim(range: PositionRange): PositionRange[] {
    let open: [bigint, bigint][] = range.from > range.to ? [[range.to, range.from]] : [];
    for (const [lo, hi] of this.claimed) {
      open = open.flatMap(([a, b]): [bigint, bigint][] => {
        if (hi <= a || lo >= b) return [[a, b]];
        const parts: [bigint, bigint][] = [];
        if (a < lo) parts.push([a, lo]);
        if (hi < b) parts.push([hi, b]);
        return parts;
      });
    }
    const pages: PositionRange[] = [];
    for (const [lo, hi] of open.sort((x, y) => (x[0] > y[0] ? -1 : 1))) {
      this.claimed.push([lo, hi]);
      for (let from = hi; from > lo; from -= this.pageSize)
        pages.push({ from, to: from - this.pageSize > lo ? from - this.pageSize : lo });
    }
    return pages;
  }
}

/**
 * Runs `read` for each pushed item, at most `concurrency` at a time. `done` settles when every
 * item pushed so far is read, or rejects with the first failure (then nothing new starts).
 */
export class ConcurrentReads<T> {
  private readonly queue: T[] = [];
  private active = 0;
  private failure: { error: unknown } | null = null;
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly read: (item: T) => Promise<void>,
  ) {}

  push(item: T): void {
    this.queue.push(item);
    this.pump();
  }

  done(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.settle();
    });
  }

  private pump(): void {
    while (this.failure === null && this.active < this.concurrency && this.queue.length > 0) {
      const item = this.queue.shift() as T;
      this.active++;
      this.read(item).then(
        () => {
          this.active--;
          this.pump();
          this.settle();
        },
        (error: unknown) => {
          this.active--;
          this.failure ??= { error };
          this.settle();
        },
      );
    }
  }

  private settle(): void {
    if (this.failure === null && (this.active > 0 || this.queue.length > 0)) return;
    if (this.failure !== null && this.active > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (this.failure === null) w.resolve();
      else w.reject(this.failure.error);
    }
  }
}
