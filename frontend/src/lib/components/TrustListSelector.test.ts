import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';

import { TrustListSelection } from '../state/trust-list-selection.svelte';
import { testBuilder } from '../test-support/fixtures';
import { MemoryRegistry } from '../test-support/memory-registry';
import { all, render } from '../test-support/render';
import TrustListSelector from './TrustListSelector.svelte';

describe('TrustListSelector', () => {
  it('offers every builder and each trust list, and selects one', async () => {
    const registry = new MemoryRegistry();
    const list = registry.addTrustList('CodeGov', [testBuilder('a').principal]);
    registry.addTrustList('<b>Others</b>', []);
    const selection = new TrustListSelection(registry, null);
    await selection.load();
    const view = render(TrustListSelector, { selection });
    try {
      const select = view.target.querySelector('select') as HTMLSelectElement;
      expect(all(select, 'option').map((o) => o.textContent?.trim())).toEqual([
        'every builder',
        'builders on list CodeGov (1)',
        'builders on list <b>Others</b> (0)', // user text stays text
      ]);
      select.value = list.id.toString();
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await vi.waitFor(() => expect(selection.members?.size).toBe(1));
      flushSync();
      expect(selection.selected?.name).toBe('CodeGov');
      expect(select.value).toBe(list.id.toString());
    } finally {
      view.destroy();
    }
  });
});
