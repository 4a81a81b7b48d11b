/**
 * Issue 10 in the browser: the list's badges come from the registry's certified summaries,
 * verified in the page (a node that inflates the unchecked list changes nothing; one that alters
 * a certified summary is caught and named "failed verification"), and the footer's log
 * checkpoint is verified and compared with the one this browser saw last (a stored checkpoint
 * the log does not extend — a rewritten history — is flagged in red at the top).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { localNetwork } from '../support/network-context';
import { GOOD_HASH, PROPOSALS } from './seed';
import { maliciousNode, outputPath, type CandidSummary } from './support';
import type { BrowserWorld } from './world';

const QUERIES = '**/api/*/canister/*/query';

/** Nine more builders with the proposal's hash than there are. */
export function inflate(id: string) {
  return (summary: CandidSummary): boolean => {
    if (summary.proposal_id !== BigInt(id)) return false;
    const group = summary.artifacts[0]?.hash_groups.find((g) => g.sha256 === GOOD_HASH);
    if (group === undefined) return false;
    group.builder_count += 9n;
    return true;
  };
}

export const badgeOf = async (page: Page, row: ReturnType<Page['locator']>) => {
  void page;
  const b = row.locator('.badge [data-tone]');
  return [
    await row.locator('[data-certified]').getAttribute('data-certified'),
    await b.getAttribute('data-tone'),
    await b.locator('[data-badge-text]').innerText(),
  ];
};

export function describeCertified({ open, row }: BrowserWorld): void {
  describe('certified data (issue 10)', () => {
    it('draws the badges from certified summaries, whatever the unchecked list says', async () => {
      const node = await maliciousNode({
        stateDir: localNetwork().stateDir,
        tamperListed: inflate(PROPOSALS.notYet),
      });
      const page = await open('#/', { setup: (p) => p.route(QUERIES, node.handle) });
      const notYet = row(page, PROPOSALS.notYet);
      await notYet.waitFor({ timeout: 20_000 });
      await expect
        .poll(() => badgeOf(page, notYet), { timeout: 20_000 })
        .toEqual(['verified', 'pending', '2 of 3 needed']);
      // The list answer was altered (11 builders would read "reproduced"); the badge ignores it.
      expect(node.tampered).toContain(BigInt(PROPOSALS.notYet));
      await expect
        .poll(() => badgeOf(page, row(page, PROPOSALS.green)))
        .toEqual(['verified', 'good', 'reproduced · 5 builders']);
      expect(await page.locator('[data-certified-problems]').count()).toBe(0);
      // The proposal count, too, is the certified one (`proposal_count`, checked here).
      const count = page.locator('p.count');
      await expect
        .poll(() => count.getAttribute('data-certified'), { timeout: 20_000 })
        .toBe('verified');
      expect(await count.innerText()).toMatch(/^[1-9][0-9]* proposals?$/);
      await page.close();
    });

    it('names a certified summary that fails its check "failed verification", at the top', async () => {
      const node = await maliciousNode({
        stateDir: localNetwork().stateDir,
        tamperCertified: inflate(PROPOSALS.split),
      });
      const page = await open('#/', { setup: (p) => p.route(QUERIES, node.handle) });
      const split = row(page, PROPOSALS.split);
      await split.waitFor({ timeout: 20_000 });
      await expect
        .poll(() => badgeOf(page, split), { timeout: 20_000 })
        .toEqual(['failed', 'bad', 'failed verification']);
      expect(node.tampered).toContain(BigInt(PROPOSALS.split));
      const problems = page.locator('[data-certified-problems]');
      expect(await problems.getAttribute('role')).toBe('alert');
      expect(await problems.innerText()).toContain(`proposal #${PROPOSALS.split}`);
      expect(await problems.innerText()).toContain('WITNESS_MISMATCH');
      expect(await problems.innerText()).not.toContain('cannot be reached');
      expect((await problems.boundingBox())!.y).toBeLessThan(400);
      // The other proposals of the same certified batch still verify.
      expect(await badgeOf(page, row(page, PROPOSALS.green))).toEqual([
        'verified',
        'good',
        'reproduced · 5 builders',
      ]);
      await page.screenshot({ path: await outputPath('certified-failed.png'), fullPage: true });
      await page.close();

      // The proposal page says so at the top too.
      const proposal = await open(`#/proposal/${PROPOSALS.split}`, {
        setup: (p) => p.route(QUERIES, node.handle),
      });
      const top = proposal.locator('[data-verification-problems]');
      await top.waitFor({ timeout: 20_000 });
      // The certified summary is read and checked after the attestations: wait for its verdict.
      await expect
        .poll(() => top.locator('[data-summary-difference]').allInnerTexts(), { timeout: 20_000 })
        .toEqual([
          expect.stringContaining(
            "The registry's certified summary failed verification in your browser (WITNESS_MISMATCH",
          ),
        ]);
      await proposal.close();
    });

    it('shows the verified checkpoint in the footer, first seen and then consistent', async () => {
      const page = await open('#/');
      const footer = page.locator('[data-checkpoint]');
      await page.locator('[data-checkpoint="first_seen"]').waitFor({ timeout: 20_000 });
      const head = await footer.locator('[data-checkpoint-head]').innerText();
      expect(head).toMatch(/^\d+ entries · root [0-9a-f]{16} · certified /);
      expect(Number(head.split(' ')[0])).toBeGreaterThan(7);
      // The same browser again: the log is proven to extend what it saw.
      await page.reload();
      await page.locator('[data-checkpoint="consistent"]').waitFor({ timeout: 20_000 });
      expect(await footer.locator('[data-checkpoint-state]').innerText()).toContain(
        'consistent with the checkpoint this browser saw last',
      );
      expect(await page.locator('[data-log-alert]').count()).toBe(0);
      await page.close();
    });

    it('detects a rewritten history: a saved checkpoint the log does not extend', async () => {
      const key = `repro-registry:checkpoint:${localNetwork().canisterIds['registry']}`;
      // What this browser "saw" before: 3 entries with another root than the registry's first 3.
      const saved = JSON.stringify({ size: 3, rootHex: 'ab'.repeat(32), certifiedAt: 0 });
      const page = await open('#/', {
        setup: (p) =>
          p.addInitScript(
            ([k, v]) => {
              if (sessionStorage.getItem('seeded') === null) {
                localStorage.setItem(k, v);
                sessionStorage.setItem('seeded', '1');
              }
            },
            [key, saved],
          ),
      });
      await page.locator('[data-checkpoint="inconsistent"]').waitFor({ timeout: 20_000 });
      const alert = page.locator('[data-log-alert="inconsistent"]');
      expect(await alert.getAttribute('role')).toBe('alert');
      expect(await alert.innerText()).toContain('The registry rewrote its history.');
      expect((await alert.boundingBox())!.y).toBeLessThan(200);
      expect(await page.locator('[data-checkpoint-state]').innerText()).toContain('INCONSISTENT');
      // The evidence is kept: the saved checkpoint is not replaced by the registry's.
      expect(await page.evaluate((k) => localStorage.getItem(k), key)).toBe(saved);
      await page.screenshot({ path: await outputPath('log-inconsistent.png'), fullPage: true });
      await page.close();
    });
  });
}
