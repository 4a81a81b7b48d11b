import { afterEach, describe, expect, it, vi } from 'vitest';

import { BAD_HASH, attestation, testBuilder } from '../test-support/fixtures';
import { BuilderNames } from '../state/builder-names.svelte';
import { MemoryRegistry } from '../test-support/memory-registry';
import { render, text } from '../test-support/render';
import BuilderPage from './BuilderPage.svelte';

const me = testBuilder('builder-page');
const others = [testBuilder('bp1'), testBuilder('bp2')];
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

describe('BuilderPage', () => {
  it('shows the principal, the checked key, the history and the agreement rate', async () => {
    const registry = new MemoryRegistry();
    registry.add(attestation({ id: 1n, builder: me, proposalId: 1n }));
    registry.add(attestation({ id: 2n, builder: others[0], proposalId: 1n }));
    registry.add(attestation({ id: 3n, builder: me, proposalId: 2n }));
    registry.add(attestation({ id: 4n, builder: others[0], proposalId: 2n, sha256: BAD_HASH }));
    registry.add(attestation({ id: 5n, builder: others[1], proposalId: 2n, sha256: BAD_HASH }));
    const view = render(BuilderPage, { api: registry, builder: me.principal });
    cleanup.push(view.destroy);
    await vi.waitFor(() => expect(text(view.target, '[data-agreement-rate]')).toBe('50%'));
    expect(text(view.target, '[data-builder-name]')).toBe('Unnamed builder');
    expect(view.target.textContent).toContain(me.principal);
    expect(view.target.querySelector('[data-key-check]')?.getAttribute('data-key-check')).toBe(
      'ok',
    );
    expect(
      [...view.target.querySelectorAll('tbody tr')].map((r) =>
        r.querySelector('a')?.getAttribute('href'),
      ),
    ).toEqual(['#/proposal/2', '#/proposal/1']);
  });

  it('shows the name the builder set as text, and marks a name another builder also uses', async () => {
    const registry = new MemoryRegistry();
    registry.add(attestation({ id: 1n, builder: me, proposalId: 1n }));
    registry.add(attestation({ id: 2n, builder: others[0], proposalId: 1n }));
    registry.profiles.set(me.principal, { displayName: '<b>Alice</b>', url: null });
    registry.profiles.set(others[0].principal, { displayName: '<B>alice</B> ', url: null });
    const names = new BuilderNames(registry);
    const view = render(BuilderPage, { api: registry, builder: me.principal, names });
    cleanup.push(view.destroy);
    await vi.waitFor(() => expect(text(view.target, '[data-builder-name]')).toBe('<b>Alice</b>'));
    expect(view.target.querySelector('h1 b')).toBeNull();
    expect(document.title).toBe('Builder <b>Alice</b> · repro registry');
    expect(view.target.querySelector('[data-name-not-unique]')).toBeNull();
    // Another page of the visit showed the other builder: the names collide (case, spaces).
    names.request([others[0].principal]);
    await vi.waitFor(() =>
      expect(view.target.querySelector('[data-name-not-unique]')).not.toBeNull(),
    );
  });

  it('says so when the principal never attested', async () => {
    const view = render(BuilderPage, { api: new MemoryRegistry(), builder: me.principal });
    cleanup.push(view.destroy);
    await vi.waitFor(() =>
      expect(view.target.textContent).toContain('No attestation from this builder'),
    );
  });
});
