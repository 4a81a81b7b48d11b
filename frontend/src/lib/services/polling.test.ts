import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { Backoff, startPolling, type PollOutcome } from './polling';

const options = { baseMs: 1000, maxMs: 8000, errorMaxMs: 30000, factor: 2 };

describe('Backoff', () => {
  it('waits longer while nothing changes, up to a limit, and resets on a change', () => {
    const b = new Backoff(options);
    expect(
      ['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged'].map((o) =>
        b.next(o as PollOutcome),
      ),
    ).toEqual([2000, 4000, 8000, 8000, 8000]);
    expect(b.next('changed')).toBe(1000);
  });

  it('backs off faster and further on errors', () => {
    const b = new Backoff(options);
    expect([b.next('error'), b.next('error'), b.next('error'), b.next('error')]).toEqual([
      4000, 16000, 30000, 30000,
    ]);
    expect(b.next('unchanged')).toBe(8000);
  });
});

describe('startPolling', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function fakeDocument() {
    const listeners = new Set<() => void>();
    return {
      hidden: false,
      addEventListener: (_: string, l: () => void) => listeners.add(l),
      removeEventListener: (_: string, l: () => void) => listeners.delete(l),
      show() {
        this.hidden = false;
        for (const l of listeners) l();
      },
    };
  }

  it('polls on the backoff schedule and reports each outcome', async () => {
    const outcomes: [PollOutcome, number][] = [];
    const results: ('changed' | 'unchanged' | Error)[] = [
      'unchanged',
      'changed',
      new Error('down'),
      'unchanged',
    ];
    const poller = startPolling({
      poll: async () => {
        const r = results.shift() ?? 'unchanged';
        if (r instanceof Error) throw r;
        return r;
      },
      backoff: options,
      document: fakeDocument() as unknown as Document,
      onOutcome: (o, next) => outcomes.push([o, next]),
    });
    await vi.advanceTimersByTimeAsync(1000); // first poll after base
    await vi.advanceTimersByTimeAsync(2000);
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(4000);
    expect(outcomes).toEqual([
      ['unchanged', 2000],
      ['changed', 1000],
      ['error', 4000],
      ['unchanged', 8000],
    ]);
    poller.stop();
    await vi.advanceTimersByTimeAsync(60000);
    expect(outcomes).toHaveLength(4);
  });

  it('skips polls while the tab is hidden and polls when it is shown', async () => {
    const doc = fakeDocument();
    doc.hidden = true;
    let polls = 0;
    const poller = startPolling({
      poll: async () => {
        polls++;
        return 'unchanged';
      },
      backoff: options,
      document: doc as unknown as Document,
    });
    await vi.advanceTimersByTimeAsync(20000);
    expect(polls).toBe(0);
    doc.show();
    await vi.advanceTimersByTimeAsync(0);
    expect(polls).toBe(1);
    poller.pollNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(polls).toBe(2);
    poller.stop();
  });
});
