import { describe, expect, it } from 'vitest';

import { attestation, testBuilder } from '../test-support/fixtures';
import { MemoryRegistry } from '../test-support/memory-registry';
import { LogCheckpoint } from './log-checkpoint.svelte';

const builder = testBuilder('log');

function registryWith(count: number): MemoryRegistry {
  const registry = new MemoryRegistry();
  for (let i = 1; i <= count; i++)
    registry.add(attestation({ id: BigInt(i), builder, proposalId: 900n + BigInt(i) }));
  return registry;
}

/** A Storage as the browser keeps it between visits. */
function storage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, v),
  };
}

const visit = async (registry: MemoryRegistry, store: Storage) => {
  const checkpoint = new LogCheckpoint(registry.certified, store, registry.connection.canisterId);
  await checkpoint.load();
  return checkpoint;
};

describe('LogCheckpoint', () => {
  it('saves the first checkpoint, then proves each later one extends it', async () => {
    const registry = registryWith(3);
    const store = storage();
    const first = await visit(registry, store);
    expect(first.status).toBe('first_seen');
    expect(first.head?.size).toBe(3);
    registry.add(attestation({ id: 4n, builder, proposalId: 904n }));
    registry.add(attestation({ id: 5n, builder, proposalId: 905n }));
    const second = await visit(registry, store);
    expect(second.status).toBe('consistent');
    expect(second.saved?.size).toBe(3);
    expect(second.head?.size).toBe(5);
    // The saved checkpoint moved on.
    expect(JSON.parse(store.getItem(first.storageKey)!)).toMatchObject({ size: 5 });
    expect((await visit(registry, store)).status).toBe('consistent');
  });

  it('detects a rewritten history and keeps the checkpoint it was caught against', async () => {
    const registry = registryWith(4);
    const store = storage();
    await visit(registry, store);
    const saved = store.getItem(`repro-registry:checkpoint:${registry.connection.canisterId}`);
    registry.certified.rewrite();
    registry.add(attestation({ id: 9n, builder, proposalId: 909n }));
    const checkpoint = await visit(registry, store);
    expect(checkpoint.status).toBe('inconsistent');
    expect(checkpoint.problem).toMatch(/^[A-Z_]+: /);
    expect(store.getItem(checkpoint.storageKey)).toBe(saved);
    // Again on the next visit: the lie is not forgotten.
    expect((await visit(registry, store)).status).toBe('inconsistent');
  });

  it('calls a shrunk log inconsistent', async () => {
    const registry = registryWith(3);
    const store = storage();
    await visit(registry, store);
    registry.certified.log = registryWith(2).certified.log;
    expect((await visit(registry, store)).status).toBe('inconsistent');
  });

  it('tells an unreachable registry apart from a failed verification', async () => {
    const registry = registryWith(1);
    registry.down = true;
    const checkpoint = await visit(registry, storage());
    expect(checkpoint.status).toBe('error');
    expect(checkpoint.error?.kind).toBe('unreachable');
  });
});
