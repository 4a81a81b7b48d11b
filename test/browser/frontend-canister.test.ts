/**
 * The page as voters reach it: served by the frontend canister through the local gateway, which
 * verifies every response's certification like the IC's gateways (`<id>.localhost`), opened in
 * a real headless Chromium. The footer's module hashes are the ones read from the network's certified state.
 */
import { Principal } from '@dfinity/principal';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { moduleHash } from '@repro-registry/deploy';
import { createAgent, localNetwork } from '../support/network-context';
import { launchChromium, outputPath } from './support';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** A page that records what a voter would not see: script errors and failed requests. */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  return { page, problems };
}

describe('the frontend canister in Chromium', () => {
  it('serves the app on <frontend-id>.localhost, verified, with both module hashes in the footer', async () => {
    const { port, canisterIds } = localNetwork();
    const gatewayUrl = `http://${canisterIds.frontend}.localhost:${port}/`;
    const { page, problems } = await openPage();
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    try {
      const main = await page.goto(gatewayUrl);
      expect(main?.status()).toBe(200);
      // The gateway verified it (a response that failed would be a 503): the certificate header
      // the canister sent comes along.
      expect(main?.headers()['ic-certificate']).toMatch(/^certificate=:/);
      await page.locator('[data-frontend-canister-id]').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-canister-id]').first().textContent()).toBe(
        canisterIds.registry,
      );
      expect(await page.locator('[data-frontend-canister-id]').textContent()).toBe(
        canisterIds.frontend,
      );
      const agent = await createAgent();
      const registryHash = (await moduleHash(agent, Principal.fromText(canisterIds.registry))).hash;
      const frontendHash = (await moduleHash(agent, Principal.fromText(canisterIds.frontend))).hash;
      expect(frontendHash).toMatch(/^[0-9a-f]{64}$/);
      await page.locator('[data-frontend-module-hash]').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-module-hash]').textContent()).toBe(registryHash);
      expect(await page.locator('[data-frontend-module-hash]').textContent()).toBe(frontendHash);
      await page.screenshot({ path: await outputPath('frontend-canister.png'), fullPage: true });
      expect(problems).toEqual([]);
      // The canister's /config.json gives the local network's root key (deploy.config.ts): the
      // page checked every certificate above with it, and never asked the network for one.
      const config = await page.evaluate(
        async () => (await (await fetch('/config.json')).json()) as { rootKey?: string },
      );
      expect(config.rootKey).toBe(Buffer.from(agent.rootKey ?? []).toString('hex'));
      expect(asked.filter((p) => p.startsWith('/api/'))).not.toEqual([]);
      expect(asked.filter((p) => p === '/api/v2/status')).toEqual([]);
      // Certificates' BLS checks ran in their worker (vite/bls-off-main-thread.ts).
      expect(asked.some((p) => /\/bls\.worker-[\w-]+\.js$/.test(p))).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('serves an unknown path through the certified fallback route, and a proposal link', async () => {
    const { port, canisterIds } = localNetwork();
    const origin = `http://${canisterIds.frontend}.localhost:${port}`;
    const { page, problems } = await openPage();
    try {
      // The fallback (index.html for any path) is a certified route of its own.
      // (A path the app does not move behind `#`, so that the proposal link below is a navigation
      // of its own, not a same-document hash change racing the app's own rewrite.)
      const fallback = await page.goto(`${origin}/no/such/page`);
      expect(fallback?.status()).toBe(200);
      await page.locator('[data-frontend-canister-id]').waitFor({ timeout: 30_000 });
      await page.goto(`${origin}/#/proposal/900001`);
      await page.locator('h1', { hasText: 'Proposal 900001' }).waitFor({ timeout: 30_000 });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
