/**
 * axe-core in Chromium on the list, two proposal pages (one with its superseded rows shown) and a
 * builder page, light and dark: no serious or critical violation of WCAG 2.1 A/AA.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { PROPOSALS } from './seed';
import type { BrowserWorld } from './world';

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`)
          .join(' | ')}`,
    );
}

export function describeAccessibility({ world, open, row }: BrowserWorld): void {
  const pages: { name: string; path: string; ready: (page: Page) => Promise<unknown> }[] = [
    {
      name: 'the proposal list',
      path: '#/',
      ready: (page) => row(page, PROPOSALS.split).waitFor({ timeout: 20_000 }),
    },
    {
      name: 'a proposal',
      path: `#/proposal/${PROPOSALS.mixed}`,
      ready: (page) =>
        expect
          .poll(() => page.locator('[data-verification="verified"]').count(), { timeout: 20_000 })
          .toBe(7),
    },
    {
      name: 'a proposal with its superseded rows shown',
      path: `#/proposal/${PROPOSALS.notYet}`,
      ready: async (page) => {
        await page.locator('[data-show-replaced]').check({ timeout: 20_000 });
        await expect
          .poll(() => page.locator('[data-verification="verified"]').count(), { timeout: 20_000 })
          .toBe(3);
      },
    },
    {
      name: 'a builder',
      path: `#/builder/${world.builders['alice'].principal}`,
      ready: (page) => page.locator('[data-agreement-rate]').waitFor({ timeout: 20_000 }),
    },
  ];

  describe('accessibility (axe-core)', () => {
    for (const dark of [false, true]) {
      for (const p of pages) {
        it(`finds nothing serious on ${p.name}, ${dark ? 'dark' : 'light'}`, async () => {
          const page = await open(p.path, { dark });
          await p.ready(page);
          expect(await seriousViolations(page)).toEqual([]);
          await page.close();
        });
      }
    }
  });
}
