import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { Attestation } from '../model/types';
import { attestation, testBuilder } from '../test-support/fixtures';
import { all, render, text } from '../test-support/render';
import type { VerificationOutcome } from '../verification/verify';
import AttestationTable from './AttestationTable.svelte';

// One signed attestation copied under many ids and builders: the table draws what it is given
// (the page verifies each envelope before handing it over).
const signed = attestation({ id: 1n, builder: testBuilder('table') });
const many = (n: number): Attestation[] =>
  Array.from({ length: n }, (_, i) => ({
    ...signed,
    id: BigInt(n - i),
    builder: `builder-${n - i}`,
  }));
const noOutcome = { get: (): VerificationOutcome | undefined => undefined };

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function show(attestations: Attestation[], props: { pageSize?: number; chunkSize?: number } = {}) {
  const view = render(AttestationTable, { attestations, verification: noOutcome, ...props });
  cleanup.push(view.destroy);
  return view.target;
}

const rowIds = (target: HTMLElement) =>
  all(target, 'tr[data-attestation-id]').map((r) => r.getAttribute('data-attestation-id'));

describe('AttestationTable', () => {
  it('draws the newest rows first and the rest on request, the first of them at once', async () => {
    const target = show(many(230), { pageSize: 50, chunkSize: 60 });
    expect(rowIds(target)).toEqual(Array.from({ length: 50 }, (_, i) => String(230 - i)));
    expect(text(target, '.filters .muted')).toBe('230 shown of 230');

    const more = all(target, '.show-more button').find((b) => b.textContent === 'Show 50 more');
    (more as HTMLButtonElement).click();
    flushSync();
    expect(rowIds(target)).toHaveLength(100);

    (target.querySelector('[data-show-all]') as HTMLButtonElement).click();
    flushSync();
    // The first chunk at once, with a status saying the rest follows; no button meanwhile.
    expect(rowIds(target)).toHaveLength(160);
    expect(text(target, '[data-rows-drawing]')).toBe('Showing 160 of 230; adding the rest…');
    expect(target.querySelector('[data-rows-drawing]')?.getAttribute('role')).toBe('status');
    expect(target.querySelector('[data-show-all]')).toBeNull();
    // Drawing rows in happy-dom on a loaded machine is slow: allow for it.
    await vi.waitFor(() => expect(rowIds(target)).toHaveLength(230), { timeout: 10_000 });
    expect(target.querySelector('[data-rows-drawing]')).toBeNull();
    expect(target.querySelector('.show-more')).toBeNull();
    // Newest first, each once, every row a real table row with its builder and details toggle.
    expect(new Set(rowIds(target)).size).toBe(230);
    expect(rowIds(target).at(-1)).toBe('1');
    expect(all(target, 'tbody tr button[aria-controls]')).toHaveLength(230);
  });

  it('keeps the filter and the superseded toggle on the rows it draws', () => {
    const rows = many(80);
    const older = { ...rows[79], id: 500n, builder: 'builder-1' } satisfies Attestation;
    const superseded = { ...rows[79], supersededBy: 500n } satisfies Attestation;
    const target = show([older, ...rows.slice(0, 79), superseded], { pageSize: 50 });
    // One row per builder by default: the superseded one waits behind the toggle.
    expect(text(target, '.filters .muted')).toBe('80 shown of 81');
    const toggle = target.querySelector('[data-show-replaced]') as HTMLInputElement;
    toggle.click();
    flushSync();
    expect(text(target, '.filters .muted')).toBe('81 shown of 81');
    expect(rowIds(target)).toHaveLength(50);
  });
});
