import { createHash } from 'node:crypto';
import { IDL } from '@dfinity/candid';
import { describe, expect, it } from 'vitest';
import {
  IcHost,
  InMemoryStateStore,
  STABLE_PAGE_SIZE,
  type ChangeSet,
  type StateStore,
} from '../src/index';
import {
  alice,
  bob,
  call,
  enc,
  installProbe,
  probeWasm,
  query,
  replyOf,
  TestClock,
} from './helpers';

async function hostWith(store: StateStore, clock = new TestClock()): Promise<IcHost> {
  return IcHost.create({
    store,
    clock: clock.now,
    log: () => undefined,
    random: (n) => new Uint8Array(n).fill(9),
  });
}

describe('persistence', () => {
  it('commits one change set per state-changing message, with what changed', async () => {
    const store = new InMemoryStateStore(true);
    const host = await hostWith(store);
    const id = await installProbe(host);
    const seqs = store.commits.map((c) => c.sequence);
    expect(seqs).toEqual(seqs.map((_, i) => BigInt(i + 1)));

    const created = store.commits[0].canisters[0];
    expect(created).toMatchObject({
      canisterId: id.toText(),
      created: true,
      status: 'running',
      version: 0n,
    });
    expect(created.settings!.controllers).toEqual([alice.toText()]);
    expect(store.commits[0].nextCanisterId).toBe(0x8000000000100002n);

    const installed = store.commits[1].canisters[0];
    expect(installed.module!.hash).toEqual(
      new Uint8Array(createHash('sha256').update(probeWasm()).digest()),
    );
    expect(installed.install!.sender).toBe(alice.toText());
    expect(installed.stable!.reset).toBe(true);
    expect(installed.stable!.pages.length).toBeGreaterThan(0);
    expect(installed.stable!.pages.every((p) => p.data.length === STABLE_PAGE_SIZE)).toBe(true);
    // Sparse: a few touched pages, not the whole (large) declared size.
    expect(installed.stable!.pages.length).toBeLessThan(installed.stable!.sizePages / 10);

    const before = store.commits.length;
    await call(host, { id, method: 'put', types: [IDL.Text, IDL.Text], values: ['k', 'v'] });
    const put = store.commits.at(-1)!;
    expect(store.commits.length).toBe(before + 1);
    expect(put.canisters).toHaveLength(1);
    const change = put.canisters[0];
    expect(change.module).toBeUndefined();
    expect(change.settings).toBeUndefined();
    expect(change.version).toBe(host.canister(id)!.version);
    expect(change.stable!.reset).toBe(false);
    expect(change.stable!.pages.length).toBeGreaterThan(0);
    expect(change.stable!.pages.length).toBeLessThan(8);

    // Queries, traps and inspect_message change nothing and commit nothing.
    const n = store.commits.length;
    await query(host, { id, method: 'queryMutates' });
    await call(host, {
      id,
      method: 'putThenThrow',
      types: [IDL.Text, IDL.Text],
      values: ['no', 'no'],
    });
    await host.inspectMessage({
      canisterId: id,
      method: 'increment',
      arg: enc([], []),
      sender: alice,
    });
    expect(store.commits.length).toBe(n);
  });

  it('releases an update result only after its change set is committed', async () => {
    const order: string[] = [];
    const inner = new InMemoryStateStore();
    const store: StateStore = {
      load: () => inner.load(),
      commit: async (c: ChangeSet) => {
        await new Promise((r) => setTimeout(r, 20));
        inner.commit(c);
        order.push(`commit ${c.sequence}`);
      },
    };
    const host = await hostWith(store);
    const id = await installProbe(host);
    order.length = 0;
    const r = await call(host, { id, method: 'increment' });
    order.push('result');
    expect(r.status).toBe('replied');
    expect(order).toEqual([expect.stringMatching(/^commit /), 'result']);
  });

  it('rebuilds canisters from the store: stable memory durable, heap rebuilt by post_upgrade', async () => {
    const store = new InMemoryStateStore();
    const clock = new TestClock();
    const first = await hostWith(store, clock);
    const id = await installProbe(first, 'persisted');
    await call(first, {
      id,
      method: 'put',
      types: [IDL.Text, IDL.Text],
      values: ['durable', 'yes'],
    });
    await call(first, { id, method: 'increment' });
    await call(first, {
      id,
      method: 'setCertified',
      types: [IDL.Vec(IDL.Nat8)],
      values: [new Uint8Array([1, 2, 3])],
    });
    const view = first.canister(id)!;

    const second = await hostWith(store, clock);
    const restored = second.canister(id)!;
    expect(restored.moduleHash).toEqual(view.moduleHash);
    expect(restored.controllers.map((p) => p.toText())).toEqual([alice.toText()]);
    expect(restored.certifiedData).toEqual(new Uint8Array([1, 2, 3]));
    expect(restored.version).toBe(view.version);
    expect(restored.stableMemoryPages).toBe(view.stableMemoryPages);
    expect(
      replyOf(
        await query(second, { id, method: 'get', types: [IDL.Text], values: ['durable'] }),
        IDL.Opt(IDL.Text),
      ),
    ).toEqual(['yes']);
    // The greeting lives in stable memory too; post_upgrade ran with the stored init argument.
    expect(replyOf<string>(await query(second, { id, method: 'getGreeting' }), IDL.Text)).toBe(
      'persisted',
    );
    expect(
      replyOf<string[]>(await query(second, { id, method: 'getLifecycle' }), IDL.Vec(IDL.Text)),
    ).toEqual(['postUpgrade:persisted']);
    // Heap-only state is gone, as across an upgrade without pre_upgrade.
    expect(replyOf<bigint>(await query(second, { id, method: 'getCount' }), IDL.Nat64)).toBe(0n);
    // The restored canister works, and new canisters continue the id sequence.
    expect((await call(second, { id, method: 'increment' })).status).toBe('replied');
    expect((await second.createCanister({ controllers: [bob] })).toText()).toBe(
      'bd3sg-teaaa-aaaaa-qaaba-cai',
    );
  });

  it('stops processing when the store fails, and never releases the unstored result', async () => {
    let fail = false;
    const inner = new InMemoryStateStore();
    const store: StateStore = {
      load: () => inner.load(),
      commit: (c) => {
        if (fail) throw new Error('disk full');
        inner.commit(c);
      },
    };
    const host = await hostWith(store);
    const id = await installProbe(host);
    fail = true;
    await expect(call(host, { id, method: 'increment' })).rejects.toMatchObject({
      code: 'STORE_COMMIT_FAILED',
    });
    await expect(query(host, { id, method: 'getCount' })).rejects.toMatchObject({
      code: 'STORE_COMMIT_FAILED',
    });
  });
});
