import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ReadOrder } from './read-order';

describe('ReadOrder', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs a deferred read once the page holding the order has loaded', async () => {
    const order = new ReadOrder();
    const ran: string[] = [];
    // The footer asks before the page mounts and holds the order (same task).
    order.later(() => ran.push('footer'));
    let loaded!: () => void;
    order.hold(new Promise<void>((r) => (loaded = r)));
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual([]);
    loaded();
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual(['footer']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ran).toEqual(['footer']);
  });

  it('runs at once (after the current task) when nothing holds it', async () => {
    const order = new ReadOrder();
    const ran: string[] = [];
    order.later(() => ran.push('footer'));
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual(['footer']);
  });

  it('also releases on a failed load, and at the latest after maxWaitMs', async () => {
    const order = new ReadOrder({ maxWaitMs: 1000 });
    const ran: string[] = [];
    order.hold(Promise.reject(new Error('unreachable')));
    order.later(() => ran.push('after failure'));
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual(['after failure']);

    order.hold(new Promise(() => {}));
    order.later(() => ran.push('after the wait'));
    await vi.advanceTimersByTimeAsync(999);
    expect(ran).toEqual(['after failure']);
    await vi.advanceTimersByTimeAsync(1);
    expect(ran).toEqual(['after failure', 'after the wait']);
  });
});
