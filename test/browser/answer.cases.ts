/**
 * What a voter reads first, in Chromium: the sentence under the title in each of its cases,
 * builder names, one row per builder, the plots' sample-size rule, links without `#`, an
 * attestation's own page, and an answer that fails its check reported as such.
 */
import { decodeCbor, encodeCbor, type CborMap } from '@repro-registry/local-network';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { localNetwork } from '../support/network-context';
import { GOOD_HASH, PROPOSALS } from './seed';
import { maliciousNode, type CandidSummary } from './support';
import { ALICE_NAME, ERIN_NAME, type BrowserWorld } from './world';

const headline = (page: Page) => page.locator('[data-headline-sentence]').innerText();

export function describeAnswer({ world, open, ids }: BrowserWorld): void {
  describe('the answer first', () => {
    it('says in one sentence, coloured by it, whether the proposal was reproduced', async () => {
      const cases = [
        {
          id: PROPOSALS.mixed,
          state: 'reproduced',
          tone: 'good',
          title: 'Reproduced',
          sentence:
            "Reproduced: 4 builders got the proposal's GuestOS hash on 2 kinds of machine; 2 builders on VirtualBox and WSL2 differ (see below); 1 build failed.",
        },
        {
          id: PROPOSALS.notYet,
          state: 'not_yet',
          tone: 'pending',
          title: 'Not reproduced yet',
          sentence: "Not reproduced yet: 2 of 3 builders needed got the proposal's GuestOS hash.",
        },
        {
          id: PROPOSALS.split,
          state: 'split',
          tone: 'warn',
          title: 'Builders differ',
          sentence:
            "Builders differ: 3 got the proposal's GuestOS hash and 3 got another hash (see below); no more builders got it than differ.",
        },
        {
          id: PROPOSALS.red,
          state: 'against',
          tone: 'bad',
          title: 'Agree on another hash',
          sentence: "Warning: 2 builders agree on a GuestOS hash that is not the proposal's.",
        },
      ];
      for (const c of cases) {
        const page = await open(`#/proposal/${c.id}`);
        const line = page.locator(`[data-headline="${c.state}"]`);
        await line.waitFor({ timeout: 20_000 });
        expect(await headline(page)).toBe(c.sentence);
        expect(await line.getAttribute('class')).toContain(`tone-${c.tone}`);
        // Right under the title, before anything else.
        expect((await line.boundingBox())!.y).toBeLessThan(250);
        expect(await page.title()).toMatch(
          new RegExp(`^#${c.id}\\b.* · ${c.title} · repro registry$`),
        );
        await page.close();
      }
    });

    it('flags a summary that does not add up at the top, and counts what verified', async () => {
      const node = await maliciousNode({
        stateDir: localNetwork().stateDir,
        tamperSummary: (summary: CandidSummary) => {
          if (summary.proposal_id !== BigInt(PROPOSALS.notYet)) return false;
          const group = summary.artifacts[0]?.hash_groups.find((g) => g.sha256 === GOOD_HASH);
          if (group === undefined) return false;
          group.builder_count = 9n;
          return true;
        },
      });
      const page = await open(`#/proposal/${PROPOSALS.notYet}`, {
        setup: (p) => p.route('**/api/*/canister/*/query', node.handle),
      });
      const problems = page.locator('[data-verification-problems]');
      await problems.waitFor({ timeout: 20_000 });
      expect(node.tampered.length).toBeGreaterThan(0);
      expect(await problems.locator('[data-summary-difference]').allInnerTexts()).toEqual([
        "The registry's summary counts 9 builders with the proposal's hash; the attestations verified here show 2.",
      ]);
      expect(await problems.locator('[data-failed-attestation]').count()).toBe(0);
      expect((await problems.boundingBox())!.y).toBeLessThan(450);
      expect(await headline(page)).toBe(
        "Not reproduced yet: 2 of 3 builders needed got the proposal's GuestOS hash.",
      );
      await page.close();
    });

    it('reports an answer whose node signature fails as failed verification, not as unreachable', async () => {
      const page = await open('#/', {
        setup: (p) =>
          p.route('**/api/*/canister/*/query', async (route) => {
            const response = await route.fetch();
            const answer = decodeCbor(new Uint8Array(await response.body())) as CborMap;
            const signatures = answer['signatures'] as CborMap[] | undefined;
            if (signatures === undefined || signatures.length === 0) {
              await route.fulfill({ response });
              return;
            }
            const signature = new Uint8Array(signatures[0]['signature'] as Uint8Array);
            signature[0] ^= 1;
            signatures[0] = { ...signatures[0], signature };
            await route.fulfill({
              status: 200,
              headers: response.headers(),
              body: Buffer.from(encodeCbor(answer)),
            });
          }),
      });
      const alert = page.getByRole('alert');
      await alert.waitFor({ timeout: 20_000 });
      expect(await alert.innerText()).toContain("The registry's answer failed verification");
      expect(await alert.innerText()).not.toContain('cannot be reached');
      await page.close();
    });
  });

  describe('builders and rows', () => {
    it('names builders as they set it, as text, with the principal on hover', async () => {
      const page = await open(`#/proposal/${PROPOSALS.mixed}`);
      const alice = world.builders['alice'].principal;
      const erin = world.builders['erin'].principal;
      const groups = page.locator('[data-group-builders]');
      await expect
        .poll(() => groups.first().innerText(), { timeout: 20_000 })
        .toContain(ALICE_NAME);
      await expect.poll(() => groups.nth(1).innerText()).toContain(ERIN_NAME);
      const inTable = page.locator(`tbody a[data-builder="${alice}"]`);
      expect(await inTable.innerText()).toBe(ALICE_NAME);
      expect(await inTable.getAttribute('title')).toBe(alice);
      expect(await page.locator(`tbody a[data-builder="${erin}"]`).innerText()).toBe(ERIN_NAME);
      expect(await page.locator('main img').count()).toBe(0);
      // A builder without a name: a short principal, the full one on hover.
      const bob = world.builders['bob'].principal;
      const bobLink = page.locator(`tbody a[data-builder="${bob}"]`);
      expect(await bobLink.innerText()).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}-…-[a-z0-9]{3}$/);
      expect(await bobLink.getAttribute('title')).toBe(bob);
      // The timeline's marks carry no text of their own: it names the point under the pointer.
      const svg = page.locator('figure.timeline svg');
      await svg.scrollIntoViewIfNeeded();
      const center = await svg.evaluate((el) => {
        const plot = el as SVGSVGElement;
        const d = plot.querySelector('[data-timeline-marks="match"]')?.getAttribute('d') ?? '';
        // A match is a circle of radius 5 drawn from its left edge: "M<x>,<y>a5,5 …".
        const [x, y] = (/^M([\d.]+),([\d.]+)/.exec(d) ?? ['', '0', '0']).slice(1).map(Number);
        const at = plot.createSVGPoint();
        at.x = x + 5;
        at.y = y;
        const screen = at.matrixTransform(plot.getScreenCTM() ?? undefined);
        return { x: screen.x, y: screen.y };
      });
      await page.mouse.move(center.x, center.y);
      const label = page.locator('[data-timeline-point]');
      await label.waitFor();
      const named = Object.values(world.builders).map((b) => b.principal);
      const said = await label.innerText();
      expect(said).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC · /);
      expect(named.some((p) => said.includes(p) || said.includes(p.slice(0, 11)))).toBe(true);
      await page.mouse.move(0, 0);
      await expect.poll(() => label.count()).toBe(0);
      await page.close();
    });

    it('shows one row per builder; superseded attestations on request', async () => {
      const page = await open(`#/proposal/${PROPOSALS.notYet}`);
      const rows = page.locator('tr[data-attestation-id]');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
      expect(await page.locator('tbody .pill', { hasText: 'superseded' }).count()).toBe(0);
      await page.locator('[data-show-replaced]').check();
      await expect.poll(() => rows.count()).toBe(3);
      expect(await page.locator('tbody .pill', { hasText: 'superseded' }).count()).toBe(1);
      await page.close();
    });
  });

  describe('environment cards', () => {
    it('tie mismatches to a machine only with 3 mismatches and 3 matches', async () => {
      // 3 mismatches on WSL2 and 3 matches elsewhere: enough to say so.
      const page = await open(`#/proposal/${PROPOSALS.split}`);
      const card = page.locator('[data-factor="virtualization"]');
      await card.waitFor({ timeout: 20_000 });
      expect(await card.getAttribute('data-factor-status')).toBe('tie');
      expect(await card.locator('[data-finding]').innerText()).toBe(
        'All 3 mismatches ran on WSL2; no matching build did.',
      );
      expect(await page.locator('[data-strongest]').count()).toBe(1);
      // Labels readable: no text in the cards below 12 px.
      const smallest = await page
        .locator('[data-factor]')
        .evaluateAll((cards) =>
          Math.min(
            ...cards.flatMap((c) =>
              [...c.querySelectorAll('*')]
                .filter((e) => (e.textContent ?? '').trim() !== '')
                .map((e) => parseFloat(getComputedStyle(e).fontSize)),
            ),
          ),
        );
      expect(smallest).toBeGreaterThanOrEqual(12);
      await page.close();
    });
  });

  describe('addresses', () => {
    it('opens a link without # (and moves it behind the #)', async () => {
      const page = await open(`proposal/${PROPOSALS.mixed}`);
      await page.locator('[data-headline="reproduced"]').waitFor({ timeout: 20_000 });
      expect(new URL(page.url()).pathname).toBe('/');
      expect(new URL(page.url()).hash).toBe(`#/proposal/${PROPOSALS.mixed}`);
      await page.close();
    });

    it('gives each attestation its own page with its verification and envelope', async () => {
      const bob = world.builders['bob'].principal;
      const index = world.reproductions.findIndex(
        (r) => r.builder.principal === bob && r.proposalId === PROPOSALS.mixed,
      );
      const id = ids()[index];
      const page = await open(`#/proposal/${PROPOSALS.mixed}`);
      const bobRow = page.locator('tr[data-attestation-id]', {
        has: page.locator(`a[data-builder="${bob}"]`),
      });
      await bobRow.locator('button', { hasText: 'Details' }).click({ timeout: 20_000 });
      expect(await page.locator('[data-permalink]').getAttribute('href')).toBe(
        `#/attestation/${id}`,
      );
      await page.close();

      const own = await open(`attestation/${id}`);
      await own.locator('[data-verification="verified"]').waitFor({ timeout: 20_000 });
      expect(new URL(own.url()).hash).toBe(`#/attestation/${id}`);
      expect(await own.title()).toBe(
        `Attestation #${id} · proposal ${PROPOSALS.mixed} · repro registry`,
      );
      expect(await own.locator('[data-attestation-summary]').innerText()).toContain(
        `proposal ${PROPOSALS.mixed}`,
      );
      const [download] = await Promise.all([
        own.waitForEvent('download'),
        own.getByRole('button', { name: 'Download envelope' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`attestation-${id}.dsse.json`);
      await own.close();

      const missing = await open('#/attestation/999999999');
      await missing.getByText('There is no such attestation').waitFor({ timeout: 20_000 });
      await missing.close();
    });
  });
}
