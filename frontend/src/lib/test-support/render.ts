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
