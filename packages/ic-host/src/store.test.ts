import { describe, expect, it } from 'vitest';
import { defaultSettings } from './canister';
import { InMemoryStateStore, applyChangeSet, emptyState, type ChangeSet } from './store';

const page = (byte: number) => new Uint8Array(65536).fill(byte);

const created: ChangeSet = {
  sequence: 1n,
  time: 1n,
  nextCanisterId: 2n,
  canisters: [
    {
      canisterId: 'aaaaa-aa',
      created: true,
      settings: defaultSettings(['2vxsx-fae']),
      stable: { reset: false, sizePages: 4, pages: [{ index: 1, data: page(1) }] },
    },
  ],
};

describe('applyChangeSet', () => {
  it('folds change sets in order: pages by index, reset drops old pages, deletion removes', () => {
    const state = applyChangeSet(emptyState(), created);
    expect(state.nextCanisterId).toBe(2n);
    expect([...state.canisters[0].stable.pages.keys()]).toEqual([1]);
    applyChangeSet(state, {
      sequence: 2n,
      time: 2n,
      canisters: [
        {
          canisterId: 'aaaaa-aa',
          stable: { reset: true, sizePages: 1, pages: [{ index: 0, data: page(2) }] },
          version: 3n,
        },
      ],
    });
    const c = state.canisters[0];
    expect([...c.stable.pages.keys()]).toEqual([0]);
    expect(c.stable.sizePages).toBe(1);
    expect(c.version).toBe(3n);
    applyChangeSet(state, {
      sequence: 3n,
      time: 3n,
      canisters: [{ canisterId: 'aaaaa-aa', deleted: true }],
    });
    expect(state.canisters).toEqual([]);
  });

  it('refuses a change set out of sequence or naming an unknown canister', () => {
    expect(() => applyChangeSet(emptyState(), { ...created, sequence: 2n })).toThrow(
      'does not follow',
    );
    expect(() =>
      applyChangeSet(emptyState(), {
        sequence: 1n,
        time: 1n,
        canisters: [{ canisterId: 'x', version: 1n }],
      }),
    ).toThrow('unknown canister');
  });
});

describe('InMemoryStateStore', () => {
  it('keeps its state when a change set is refused (all or nothing)', async () => {
    const store = new InMemoryStateStore();
    store.commit(created);
    const bad: ChangeSet = {
      sequence: 2n,
      time: 2n,
      canisters: [
        { canisterId: 'aaaaa-aa', version: 9n },
        { canisterId: 'missing', version: 1n },
      ],
    };
    expect(() => store.commit(bad)).toThrow();
    const state = (await store.load())!;
    expect(state.sequence).toBe(1n);
    expect(state.canisters[0].version).toBe(0n);
  });
});
