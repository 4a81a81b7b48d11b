import { describe, expect, it, vi } from 'vitest';

import { attestation, testBuilder } from '../test-support/fixtures';
import { MemoryRegistry } from '../test-support/memory-registry';
import { BuilderNames } from './builder-names.svelte';

const builders = ['n0', 'n1', 'n2'].map(testBuilder);

function registryWithNames(): MemoryRegistry {
  const registry = new MemoryRegistry();
  builders.forEach((b, i) => registry.add(attestation({ id: BigInt(i + 1), builder: b })));
  registry.profiles.set(builders[0].principal, { displayName: 'Ålice', url: null });
  registry.profiles.set(builders[1].principal, { displayName: 'A\u030alice ', url: null });
  return registry;
}

describe('BuilderNames', () => {
  it('reads each name once, and marks names that differ only in case, spaces or Unicode form', async () => {
    const registry = registryWithNames();
    const names = new BuilderNames(registry);
    names.request(builders.map((b) => b.principal));
    names.request([builders[0].principal]);
    await vi.waitFor(() => expect(names.name(builders[1].principal)).toBe('A\u030alice '));
    await vi.waitFor(() =>
      expect(registry.calls.filter((c) => c === 'getBuilder')).toHaveLength(3),
    );
    expect(names.name(builders[0].principal)).toBe('Ålice');
    expect(names.name(builders[2].principal)).toBeNull();
    expect(names.isShared(builders[0].principal)).toBe(true);
    expect(names.isShared(builders[1].principal)).toBe(true);
    expect(names.isShared(builders[2].principal)).toBe(false);
    // A builder who renames themself no longer collides.
    names.remember(builders[1].principal, 'Bob');
    expect(names.isShared(builders[0].principal)).toBe(false);
  });

  it('reads no name until the page it waits for has its own data', async () => {
    const registry = registryWithNames();
    const names = new BuilderNames(registry);
    let release = () => {};
    names.after(new Promise<void>((resolve) => (release = resolve)));
    names.request([builders[0].principal]);
    await new Promise((r) => setTimeout(r, 20));
    expect(registry.calls).not.toContain('getBuilder');
    release();
    await vi.waitFor(() => expect(names.name(builders[0].principal)).toBe('Ålice'));
  });
});
