/**
 * A value that follows another one when the main thread has time: the parts of a page below the
 * fold (plots, the table) draw after what the reader looks at first, and while the page is still
 * decoding and checking attestations they catch up in idle time, taking the newest value once
 * rather than every value on the way.
 */
type Idle = (callback: () => void, options: { timeout: number }) => number;

/** Runs `work` right after the browser has painted what is drawn now. */
export function afterPaint(work: () => void): void {
  if (typeof requestAnimationFrame === 'undefined') setTimeout(work, 0);
  else requestAnimationFrame(() => setTimeout(work, 0));
}

/** Runs `work` when the main thread is idle, at the latest after `maxWaitMs`. */
export function whenIdle(work: () => void, maxWaitMs: number): void {
  const idle = (globalThis as { requestIdleCallback?: Idle }).requestIdleCallback;
  if (idle === undefined) setTimeout(work, 0);
  else idle(work, { timeout: maxWaitMs });
}

export class Deferred<T> {
  current = $state.raw<T>() as T;
  /** Whether `current` is the newest value. */
  caughtUp = $state(true);
  private scheduled = false;
  private urgent = false;
  private disposed = false;
  private readonly maxWaitMs: number;
  private readonly settled: () => boolean;

  constructor(
    private readonly source: () => T,
    options: {
      /** At the latest this long after a change, even on a busy main thread. */
      maxWaitMs?: number;
      /** When this holds (the last value is in), follow right after the next paint. */
      settled?: () => boolean;
    } = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 200;
    this.settled = options.settled ?? (() => false);
    this.current = source();
    $effect(() => {
      const value = source();
      const settled = this.settled();
      if (value === this.current) return;
      this.caughtUp = false;
      this.schedule(settled);
    });
    $effect(() => () => {
      this.disposed = true;
    });
  }

  /** Follows the source once; an urgent request does not wait for an idle one pending. */
  private schedule(urgent: boolean): void {
    if (urgent ? this.urgent : this.scheduled) return;
    this.scheduled = true;
    this.urgent ||= urgent;
    const follow = () => {
      this.scheduled = false;
      this.urgent = false;
      if (this.disposed || this.caughtUp) return;
      this.current = this.source();
      this.caughtUp = true;
    };
    if (urgent) afterPaint(follow);
    else whenIdle(follow, this.maxWaitMs);
  }
}
