/**
 * Keeps a page current without reload: poll, and wait longer each time nothing changed or the
 * registry failed to answer, so idle tabs and outages cost the registry little. A change resets
 * the wait. Hidden tabs don't poll; they poll once as soon as they are shown again.
 */
export type PollOutcome = 'changed' | 'unchanged' | 'error';

export interface BackoffOptions {
  /** Wait after a change (and at first). */
  baseMs: number;
  /** Longest wait while nothing changes. */
  maxMs: number;
  /** Longest wait while the registry keeps failing. */
  errorMaxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  baseMs: 5_000,
  maxMs: 60_000,
  errorMaxMs: 120_000,
  factor: 1.6,
};

export class Backoff {
  private delay: number;
  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {
    this.delay = options.baseMs;
  }

  /** The wait before the next poll, given how the last one went. */
  next(outcome: PollOutcome): number {
    const { baseMs, maxMs, errorMaxMs, factor } = this.options;
    switch (outcome) {
      case 'changed':
        this.delay = baseMs;
        break;
      case 'unchanged':
        this.delay = Math.min(maxMs, Math.max(baseMs, this.delay * factor));
        break;
      case 'error':
        this.delay = Math.min(errorMaxMs, Math.max(baseMs, this.delay * factor * factor));
        break;
      default:
        return outcome satisfies never;
    }
    return Math.round(this.delay);
  }
}

export interface Poller {
  stop(): void;
  /** Poll now (e.g. the reader pressed "retry"), then continue the schedule from there. */
  pollNow(): void;
}

export interface PollerOptions {
  poll: () => Promise<'changed' | 'unchanged'>;
  backoff?: BackoffOptions;
  /** Told after each poll; `nextInMs` is when the next one will run. */
  onOutcome?: (outcome: PollOutcome, nextInMs: number, error: unknown) => void;
  /** Where to listen for visibility changes; none in tests without a document. */
  document?: Pick<Document, 'hidden' | 'addEventListener' | 'removeEventListener'>;
}

export function startPolling(options: PollerOptions): Poller {
  const backoff = new Backoff(options.backoff);
  const doc = options.document ?? (typeof document === 'undefined' ? undefined : document);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let running = false;
  let missedWhileHidden = false;

  function schedule(ms: number): void {
    if (stopped) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => void tick(), ms);
  }

  async function tick(): Promise<void> {
    timer = null;
    if (stopped || running) return;
    if (doc?.hidden === true) {
      missedWhileHidden = true;
      return;
    }
    running = true;
    let outcome: PollOutcome;
    let error: unknown = null;
    try {
      outcome = await options.poll();
    } catch (e) {
      outcome = 'error';
      error = e;
    }
    running = false;
    if (stopped) return;
    const next = backoff.next(outcome);
    options.onOutcome?.(outcome, next, error);
    schedule(next);
  }

  const onVisibility = () => {
    if (doc?.hidden === false && missedWhileHidden) {
      missedWhileHidden = false;
      schedule(0);
    }
  };
  doc?.addEventListener('visibilitychange', onVisibility);
  schedule((options.backoff ?? DEFAULT_BACKOFF).baseMs);

  return {
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      doc?.removeEventListener('visibilitychange', onVisibility);
    },
    pollNow() {
      schedule(0);
    },
  };
}
