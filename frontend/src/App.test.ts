import { afterEach, describe, expect, it, vi } from 'vitest';

import App from './App.svelte';
import { createAppContext } from './lib/app-context';
import { render } from './lib/test-support/render';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

describe('App', () => {
  it('says clearly when it does not know which registry to read', async () => {
    const context = await createAppContext(window);
    cleanup.push(
      () => context.clock.dispose(),
      () => context.router.dispose(),
    );
    expect(context.config.ok).toBe(false);
    const view = render(App, { context });
    cleanup.push(view.destroy);
    await vi.waitFor(() =>
      expect(view.target.querySelector('[role="alert"]')?.textContent).toContain(
        'No registry is configured',
      ),
    );
    expect(view.target.textContent).toContain('?canisterId=');
  });
});
