import { describe, expect, it } from 'vitest';

import { attestation, testBuilder } from '../test-support/fixtures';
import { MemoryRegistry } from '../test-support/memory-registry';
import { TrustListSelection } from './trust-list-selection.svelte';

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    getItem: (k: string) => values.get(k) ?? null,
    setItem: (k: string, v: string) => void values.set(k, v),
    removeItem: (k: string) => void values.delete(k),
  };
}

describe('TrustListSelection', () => {
  const alice = testBuilder('alice');
  const bob = testBuilder('bob');

  it('lists the trust lists, selects one with its members, and remembers the choice', async () => {
    const registry = new MemoryRegistry();
    registry.add(attestation({ id: 1n, builder: alice }));
    const codegov = registry.addTrustList('CodeGov', [alice.principal]);
    registry.addTrustList('Others', [bob.principal]);
    const storage = memoryStorage();
    const selection = new TrustListSelection(registry, storage);
    await selection.load();
    expect(selection.status).toBe('ready');
    expect(selection.lists.map((l) => l.name)).toEqual(['CodeGov', 'Others']);
    expect(selection.selectedId).toBeNull();

    await selection.select(codegov.id);
    expect(selection.selected?.name).toBe('CodeGov');
    expect([...(selection.members ?? [])]).toEqual([alice.principal]);

    const again = new TrustListSelection(registry, storage);
    await again.load();
    expect(again.selectedId).toBe(codegov.id);
    await again.select(null);
    expect(again.members).toBeNull();
    expect(new TrustListSelection(registry, storage).selectedId).toBeNull();
  });

  it('falls back to everyone when the remembered list is gone', async () => {
    const storage = memoryStorage();
    storage.setItem('repro-registry.trust-list', '42');
    const selection = new TrustListSelection(new MemoryRegistry(), storage);
    await selection.load();
    expect(selection.selectedId).toBeNull();
  });

  it('says when the registry cannot be read', async () => {
    const registry = new MemoryRegistry();
    registry.down = true;
    const selection = new TrustListSelection(registry, null);
    await selection.load();
    expect(selection.status).toBe('error');
    expect(selection.error?.kind).toBe('unreachable');
  });
});
