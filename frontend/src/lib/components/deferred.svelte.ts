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

export class Deferred<T> {
  current = $state.raw<T>() as T;
  /** Whether `current` is the newest value. */
  caughtUp = $state(true);
  private scheduled = false;
  private urgent = false;
  private disposed = false;
  private readonly settled: () => boolean;
  private readonly meanwhile: boolean;

  constructor(
    private readonly source: () => T,
    options: {
      /** When this holds (the last value is in), follow right after the next paint. */
      settled?: () => boolean;
      /** Whether to follow in idle time before the source settles (default: yes). */
      meanwhile?: boolean;
    } = {},
  ) {
    this.settled = options.settled ?? (() => false);
    this.meanwhile = options.meanwhile ?? true;
    this.current = source();
    $effect(() => {
      const value = source();
      const settled = this.settled();
      if (value === this.current) return;
      this.caughtUp = false;
      if (settled || this.meanwhile) this.schedule(settled);
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
    const idle = (globalThis as { requestIdleCallback?: Idle }).requestIdleCallback;
    // Idle time, or at the latest 200 ms on a busy main thread.
    if (urgent || idle === undefined) afterPaint(follow);
    else idle(follow, { timeout: 200 });
  }
}
