/**
 * The browser tests' shared setup: the scenario of `seed.ts` submitted to the registry on the
 * local network (with two profiles and one hidden attestation), the built frontend served from
 * its own origin, and headless Chromium. `frontend.test.ts` sets it up once for every case file
 * (`*.cases.ts`): the integration tests share one registry, so the scenario is seeded only once.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createRegistryClient } from '@repro-registry/client';
import { identityFromPem } from '@repro-registry/local-network';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';

import { localNetwork } from '../support/network-context';
import { confirmProposals } from '../support/proposals';
import { COMMIT, GOOD_HASH, PROPOSALS, scenario, setProfile, submitReproductions } from './seed';
import { buildFrontend, launchChromium, serveFrontend } from './support';

export interface OpenOptions {
  width?: number;
  height?: number;
  dark?: boolean;
  setup?: (page: Page) => Promise<unknown>;
}

export interface BrowserWorld {
  world: ReturnType<typeof scenario>;
  /** Attestation ids, in the order of `world.reproductions`. */
  ids: () => bigint[];
  siteUrl: () => string;
  /** A new page at `path` (relative to the site), light desktop unless told otherwise. */
  open: (path: string, options?: OpenOptions) => Promise<Page>;
  row: (page: Page, proposalId: string) => ReturnType<Page['locator']>;
}

export const ALICE_NAME = "Alice's bare-metal box";
export const ERIN_NAME = '<img src=x onerror="window.__pwned=true"> Erin (WSL2)';

export function setupBrowserWorld(): BrowserWorld {
  let browser: Browser;
  let site: { url: string; close(): Promise<void> };
  let distDir: string;
  const world = scenario();
  let ids: bigint[] = [];

  beforeAll(async () => {
    const network = localNetwork();
    const target = { url: network.url, canisterId: network.canisterIds['registry'] };
    distDir = await mkdtemp(join(tmpdir(), 'repro-frontend-'));
    buildFrontend(distDir);
    const controller = identityFromPem(await readFile(network.deployerPemPath, 'utf8'));
    // The proposals as governance has them: the registry counts only proposals it confirmed.
    await confirmProposals({
      url: network.url,
      governanceId: network.canisterIds['governance'],
      registryId: target.canisterId,
      controller,
      proposals: Object.values(PROPOSALS).map((id) => ({
        id: BigInt(id),
        commit: COMMIT,
        sha256: GOOD_HASH,
      })),
    });
    ids = await submitReproductions(target, world.reproductions);
    await setProfile(target, world.builders['alice'], {
      displayName: ALICE_NAME,
      url: 'https://example.org/alice',
    });
    await setProfile(target, world.builders['erin'], { displayName: ERIN_NAME });
    // The controller hides the grey proposal's only attestation: the proposal stays listed with
    // no attestation that counts.
    const admin = await createRegistryClient({
      host: target.url,
      canisterId: target.canisterId,
      identity: controller,
      fetchRootKey: true,
      retryTimes: 0,
    });
    const hidden = await admin.hideAttestation({
      attestationId: ids[ids.length - 1],
      reason: 'duplicate submission from a test machine',
    });
    expect(hidden.ok).toBe(true);
    site = await serveFrontend({
      dir: distDir,
      config: { canisterId: target.canisterId, host: network.url },
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    if (distDir) await rm(distDir, { recursive: true, force: true });
  });

  return {
    world,
    ids: () => ids,
    siteUrl: () => site.url,
    open: async (path, options = {}) => {
      // A context of its own per page (axe-core needs one), closed with the page.
      const context = await browser.newContext({
        viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
        colorScheme: options.dark ? 'dark' : 'light',
      });
      const page = await context.newPage();
      page.on('close', () => void context.close());
      page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
      await options.setup?.(page);
      // A route handler still between `route.fetch()` and `route.fulfill()` when its test closes
      // the page rejects with "Target page … has been closed", and nothing awaits that promise:
      // vitest then reports an unhandled rejection after every test passed. Closing first drops
      // the page's routes, with the errors of handlers still running.
      const close = page.close.bind(page);
      page.close = async (closeOptions) => {
        await page.unrouteAll({ behavior: 'ignoreErrors' });
        await close(closeOptions);
      };
      await page.goto(new URL(path, site.url).href);
      return page;
    },
    row: (page, proposalId) => page.locator(`[data-proposal-id="${proposalId}"]`),
  };
}
