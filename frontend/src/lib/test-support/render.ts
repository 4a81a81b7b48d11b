import { flushSync, mount, unmount, type Component } from 'svelte';

/** Mounts a component into the test document; `destroy` unmounts it (and stops its polling). */
export function render<Props extends Record<string, unknown>>(
  component: Component<Props>,
  props: Props,
) {
  const target = document.createElement('div');
  document.body.append(target);
  const instance = mount(component, { target, props });
  flushSync();
  return {
    target,
    destroy: () => {
      void unmount(instance);
      target.remove();
    },
  };
}

export const all = (root: ParentNode, selector: string): Element[] => [
  ...root.querySelectorAll(selector),
];
export const text = (root: ParentNode, selector: string): string =>
  root.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/**
 * How long a test waits for signatures to be verified: real Ed25519 work that took 1.6 s on a
 * 2-core machine at load 10, past `vi.waitFor`'s 1 s default. The wait ends as soon as the
 * condition holds; only a hung verification reaches the limit.
 */
export const VERIFICATION_WAIT = { timeout: 20_000 } as const;
