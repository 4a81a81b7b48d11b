import {
  defaultSettings,
  applyChangeSet,
  emptyState,
  type CanisterSettings,
  type ChangeSet,
  type StoredState,
} from '@repro-registry/ic-host';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableStore } from './store';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const open = (dir: string) =>
  DurableStore.open<StoredState, ChangeSet>({
    dir,
    fold: (s, c) => applyChangeSet(s ?? emptyState(), c),
  });

const settings: CanisterSettings = defaultSettings(['2vxsx-fae']);

function page(fill: number): Uint8Array {
  return new Uint8Array(65536).fill(fill);
}

describe('DurableStore', () => {
  it('restores canisters, stable pages and request statuses after a crash (no close)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'store-test-'));
    dirs.push(dir);
    const store = await open(dir);
    expect(await store.load()).toBeUndefined();
    store.commit({
      sequence: 1n,
      time: 1n,
      nextCanisterId: 2n,
      canisters: [{ canisterId: 'bkyz2-fmaaa-aaaaa-qaaaq-cai', created: true, settings }],
    });
    store.commit({
      sequence: 2n,
      time: 2n,
      canisters: [
        {
          canisterId: 'bkyz2-fmaaa-aaaaa-qaaaq-cai',
          stable: { reset: false, sizePages: 3, pages: [{ index: 2, data: page(7) }] },
          certifiedData: Uint8Array.of(1, 2, 3),
        },
      ],
    });
    store.recordRequestStatus({
      requestId: new Uint8Array(32).fill(1),
      status: 'replied',
      reply: Uint8Array.of(9),
      sender: Uint8Array.of(4),
      receiver: Uint8Array.of(1),
      effectiveCanisterId: Uint8Array.of(1),
      method: 'put',
      pruneAfter: 99n,
    });
    await store.flush();

    const again = await open(dir);
    const state = await again.load();
    expect(state?.sequence).toBe(2n);
    expect(state?.nextCanisterId).toBe(2n);
    const c = state!.canisters[0];
    expect(c.stable.sizePages).toBe(3);
    expect(c.stable.pages.get(2)).toEqual(page(7));
    expect(c.certifiedData).toEqual(Uint8Array.of(1, 2, 3));
    expect(again.requestStatuses()).toMatchObject([
      { method: 'put', reply: Uint8Array.of(9), pruneAfter: 99n },
    ]);
    expect(again.stats.recoveredRecords).toBe(3);

    // A snapshot then covers it all; a restart reads the snapshot and no log records.
    await again.close();
    const third = await open(dir);
    expect(third.stats.recoveredRecords).toBe(0);
    expect((await third.load())?.canisters[0]?.stable.pages.get(2)).toEqual(page(7));
    await third.close({ snapshot: false });
  });

  it('never writes a change set the fold refuses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'store-test-'));
    dirs.push(dir);
    const store = await open(dir);
    expect(() => store.commit({ sequence: 5n, time: 1n, canisters: [] })).toThrow(
      /does not follow/,
    );
    await store.flush();
    const again = await open(dir);
    expect(again.stats.recoveredRecords).toBe(0);
  });
});
