import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';

import { Deferred } from './deferred.svelte';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

/** A source, whether it has settled, and a `Deferred` following it inside an effect root. */
function following(meanwhile?: boolean) {
  const state = $state({ value: 0, settled: false });
  let deferred: Deferred<number> | undefined;
  cleanup.push(
    $effect.root(() => {
      deferred = new Deferred(() => state.value, {
        settled: () => state.settled,
        ...(meanwhile === undefined ? {} : { meanwhile }),
      });
    }),
  );
  flushSync();
  return { state, deferred: deferred as Deferred<number> };
}

/** Long enough for an idle callback, a frame or a zero timeout in happy-dom. */
const later = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('Deferred', () => {
  it('follows the source in idle time before it settles by default', async () => {
    const { state, deferred } = following();
    state.value = 1;
    flushSync();
    expect(deferred.caughtUp).toBe(false);
    await later();
    expect(deferred.current).toBe(1);
    expect(deferred.caughtUp).toBe(true);
  });

  it('without `meanwhile`, keeps the first value until the source settles, then takes the last', async () => {
    const { state, deferred } = following(false);
    state.value = 1;
    flushSync();
    await later();
    state.value = 2;
    flushSync();
    await later();
    expect(deferred.current).toBe(0);
    expect(deferred.caughtUp).toBe(false);
    state.settled = true;
    flushSync();
    await later();
    expect(deferred.current).toBe(2);
    expect(deferred.caughtUp).toBe(true);
  });
});
