/**
 * The frontend in a real headless Chromium against the real registry wasm on the local network,
 * seeded through the real client with attestations signed by `packages/attestation`: several
 * builders on bare metal, KVM, WSL2 and VirtualBox, a mismatch group whose files differ in
 * root.img, a note full of markup, a hidden attestation. Screenshots of the main pages go to
 * test-results/browser/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '@repro-registry/attestation';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { createRegistryClient } from '@repro-registry/client';
import { describe, expect, it } from 'vitest';

import { identityFromPem } from '@repro-registry/local-network';

import { localNetwork } from '../support/network-context';
import { confirmProposals } from '../support/proposals';
import { describeAccessibility } from './accessibility.cases';
import { describeAnswer } from './answer.cases';
import { badgeOf, describeCertified, inflate } from './certified.cases';
import {
  COMMIT,
  ENVIRONMENTS,
  GOOD_HASH,
  HOSTILE_NOTE,
  PROPOSALS,
  seedBuilder,
  submitReproductions,
} from './seed';
import { maliciousNode, outputPath } from './support';
import { ALICE_NAME, ERIN_NAME, setupBrowserWorld } from './world';

const QUERIES = '**/api/*/canister/*/query';

const browserWorld = setupBrowserWorld();
const { world, open, row } = browserWorld;

describe('trust lists', () => {
  it('counts only the builders on the list the reader chooses, and says so', async () => {
    const network = localNetwork();
    const lead = await createRegistryClient({
      host: network.url,
      canisterId: network.canisterIds['registry'],
      identity: Ed25519KeyIdentity.generate(),
      fetchRootKey: true,
      retryTimes: 0,
    });
    const name = `Bare metal ${Date.now() % 100000}`;
    const published = await lead.publishTrustList({
      name,
      description: 'two builders on bare metal',
      members: [world.builders['alice'].principal, world.builders['carol'].principal],
    });
    if (!published.ok) throw new Error(published.error.code);
    const id = published.value.id;
    for (let i = 0; i < 50; i++) {
      // Verified: the list's summary is certified (`scoped/<list>/<id>`).
      const s = await lead.getProposalSummary(BigInt(PROPOSALS.mixed), { trustList: id });
      if (s.ok && s.value.scope.up_to_date) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const page = await open('#/');
    await row(page, PROPOSALS.mixed).waitFor();
    await page.locator('[data-trust-list-selector]').selectOption(id.toString());
    const badge = row(page, PROPOSALS.mixed).locator('[data-tone]');
    await page.waitForFunction(
      (text) => document.body.innerText.includes(text),
      `on list ${name}; 4 in all`,
    );
    expect(await badge.locator('[data-badge-text]').innerText()).toBe(
      `2 of 3 needed on list ${name}; 4 in all`,
    );
    // Two agreeing builders are below the default threshold of three: not green yet.
    expect(await badge.getAttribute('data-tone')).toBe('pending');
    await page.goto(new URL(`#/proposal/${PROPOSALS.mixed}`, browserWorld.siteUrl()).href);
    await page.locator('[data-headline="not_yet"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-headline-sentence]').innerText()).toBe(
      `Not reproduced yet: 2 of 3 builders needed on list ${name} got the proposal's GuestOS hash; 4 in all.`,
    );
    expect(await page.locator('[data-scope]').innerText()).toBe(
      `Counting the builders on version 1 of list ${name}.`,
    );
    // The timeline counts the same builders.
    expect(await page.locator('[data-timeline-summary]').innerText()).toContain(
      'The threshold of 3 matching builders has not been reached.',
    );
    await page.screenshot({ path: await outputPath('trust-list.png'), fullPage: true });
    await page.close();

    // A node inflates the list's summary of the proposal, in the page's list and in the
    // certified read of it, and signs both: the badge says "failed verification", never the
    // inflated count; the other proposals' list badges still verify.
    const node = await maliciousNode({
      stateDir: localNetwork().stateDir,
      tamperListed: inflate(PROPOSALS.mixed),
      tamperConsensus: inflate(PROPOSALS.mixed),
    });
    const lied = await open('#/', { setup: (p) => p.route(QUERIES, node.handle) });
    await row(lied, PROPOSALS.mixed).waitFor();
    await lied.locator('[data-trust-list-selector]').selectOption(id.toString());
    await expect
      .poll(() => badgeOf(lied, row(lied, PROPOSALS.mixed)), { timeout: 60_000 })
      .toEqual(['failed', 'bad', 'failed verification']);
    expect(node.tampered).toContain(BigInt(PROPOSALS.mixed));
    expect(await lied.locator('[data-certified-problems]').innerText()).toContain(
      'WITNESS_MISMATCH',
    );
    expect(await lied.locator('body').innerText()).not.toMatch(/1[01] builders on list/);
    await expect
      .poll(async () => (await badgeOf(lied, row(lied, PROPOSALS.green)))[0], { timeout: 20_000 })
      .toBe('verified');
    await lied.screenshot({ path: await outputPath('trust-list-forged.png'), fullPage: true });
    await lied.close();
  });
});

describe('proposal list', () => {
  it('shows each proposal with the right consensus badge', async () => {
    const page = await open('#/');
    await row(page, PROPOSALS.split).waitFor();
    const badge = async (id: string) => {
      const b = row(page, id).locator('[data-tone]');
      return [await b.getAttribute('data-tone'), await b.locator('[data-badge-text]').innerText()];
    };
    // The same rule as the proposal pages' sentence: outliers on other machines (read once the
    // badge needs them) still leave a proposal reproduced; a real split does not.
    await expect
      .poll(() => badge(PROPOSALS.mixed), { timeout: 20_000 })
      .toEqual(['good', 'reproduced · 4 builders · 2 outliers · 1 failed']);
    await expect
      .poll(() => badge(PROPOSALS.amber))
      .toEqual(['good', 'reproduced · 3 builders · 1 outlier']);
    expect(await badge(PROPOSALS.red)).toEqual(['bad', '2 agree on another hash']);
    expect(await badge(PROPOSALS.green)).toEqual(['good', 'reproduced · 5 builders']);
    expect(await badge(PROPOSALS.grey)).toEqual(['none', 'no reproduction yet']);
    expect(await badge(PROPOSALS.notYet)).toEqual(['pending', '2 of 3 needed']);
    expect(await badge(PROPOSALS.split)).toEqual(['warn', '3 match · 3 differ']);
    // The legend explains every state a badge can take.
    await page.locator('[data-badge-legend] summary').click();
    const legend = await page
      .locator('[data-legend-state]')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-legend-state')));
    expect(legend.sort()).toEqual(
      ['against', 'no_hash', 'none', 'not_yet', 'reproduced', 'split'].sort(),
    );
    expect(await page.title()).toBe('IC-OS release proposals · repro registry');
    // Newest first.
    const order = await page
      .locator('[data-proposal-id]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-proposal-id')));
    const ours = order.filter((id) => Object.values(PROPOSALS).includes(id as never));
    expect(ours).toEqual([
      PROPOSALS.mixed,
      PROPOSALS.amber,
      PROPOSALS.red,
      PROPOSALS.green,
      PROPOSALS.grey,
      PROPOSALS.notYet,
      PROPOSALS.split,
    ]);
    await page.screenshot({
      path: await outputPath('proposals-desktop-light.png'),
      fullPage: true,
    });

    await page.getByLabel('Search by proposal id or commit prefix').fill('73105');
    await expect.poll(() => page.locator('[data-proposal-id]').count()).toBe(1);
    expect(page.url()).toContain('#/?q=73105');
    await page.close();

    const phone = await open('#/', { width: 390, height: 844, dark: true });
    await row(phone, PROPOSALS.grey).waitFor();
    await phone.screenshot({ path: await outputPath('proposals-phone-dark.png'), fullPage: true });
    await phone.close();
  });
});

describe('proposal page', () => {
  it('shows hash groups, the expected group, where the groups differ and a verification mark per attestation', async () => {
    const page = await open(`#/proposal/${PROPOSALS.mixed}`);
    await expect
      .poll(() => page.locator('[data-verification="verified"]').count(), { timeout: 20_000 })
      .toBe(7);
    expect(await page.locator('[data-verification="failed"]').count()).toBe(0);
    const groups = page.locator('[data-hash-group]');
    expect(await groups.count()).toBe(2);
    expect(await groups.nth(0).getAttribute('data-hash-group')).toBe(GOOD_HASH);
    expect(await groups.nth(0).getAttribute('data-expected-group')).toBe('true');
    expect(await groups.nth(0).innerText()).toContain('4 builders');
    expect(await groups.nth(1).getAttribute('data-expected-group')).toBe('false');
    expect(await groups.nth(1).innerText()).toContain('2 builders');
    expect(await page.locator('[data-member-diff]').innerText()).toContain('root.img differs');
    expect(await page.locator('[data-threshold]').innerText()).toBe('threshold met: 4 of 3');
    expect(await page.locator('[data-verification-summary]').innerText()).toContain(
      '7 of 7 signatures verified in your browser',
    );
    // Two mismatches are too few for the environment cards to tie them to a machine.
    expect(await page.locator('[data-factor="virtualization"] [data-finding]').innerText()).toBe(
      'Too few results to tell: needs 3 mismatches and 3 matches with this known; has 2 mismatches and 4 matches.',
    );
    expect(await page.locator('[data-strongest]').count()).toBe(0);
    expect(await page.locator('.reproduce code').allInnerTexts()).toContain(
      `repro check ${PROPOSALS.mixed} --network ${localNetwork().url} --canister-id ${localNetwork().canisterIds['registry']}`,
    );
    await page.screenshot({ path: await outputPath('proposal-desktop-light.png'), fullPage: true });

    // The reader's threshold.
    await page.getByLabel('Threshold: builders who must reproduce the expected hash').fill('5');
    await expect
      .poll(() => page.locator('[data-threshold]').innerText())
      .toBe('threshold not met: 4 of 5');
    await page.close();

    const phone = await open(`#/proposal/${PROPOSALS.mixed}`, {
      width: 390,
      height: 844,
      dark: true,
    });
    await expect
      .poll(() => phone.locator('[data-verification="verified"]').count(), { timeout: 20_000 })
      .toBe(7);
    await phone.screenshot({ path: await outputPath('proposal-phone-dark.png'), fullPage: true });
    await phone.close();
  });

  it('shows a note full of markup as text', async () => {
    const page = await open(`#/proposal/${PROPOSALS.mixed}`);
    const grace = world.builders['grace'].principal;
    const graceRow = page.locator('tr[data-attestation-id]', {
      has: page.locator(`a[title="${grace}"]`),
    });
    await graceRow.locator('button', { hasText: 'Details' }).click();
    const note = page.locator('[data-note]');
    expect(await note.textContent()).toBe(HOSTILE_NOTE);
    expect(await note.locator('*').count()).toBe(0);
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(
      await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned),
    ).toBeUndefined();
    await page.close();
  });

  it('marks an envelope that does not verify as failed', async () => {
    const network = localNetwork();
    const alice = world.builders['alice'].principal;
    const node = await maliciousNode({
      stateDir: network.stateDir,
      tamper: (_id, envelope) => {
        // Alice's attestation of the mixed proposal, with her RAM doubled after she signed.
        const e = JSON.parse(utf8Decode(envelope)) as { payload: string };
        const statement = utf8Decode(base64Decode(e.payload));
        if (
          !statement.includes(`"id":"${alice}"`) ||
          !statement.includes(`"id":"${PROPOSALS.mixed}"`)
        )
          return envelope;
        e.payload = base64Encode(
          utf8Encode(
            statement.replace(
              `"memoryBytes":"${ENVIRONMENTS.bareMetal.memoryBytes}"`,
              `"memoryBytes":"${2 * Number(ENVIRONMENTS.bareMetal.memoryBytes)}"`,
            ),
          ),
        );
        return utf8Encode(JSON.stringify(e));
      },
    });
    const page = await open(`#/proposal/${PROPOSALS.mixed}`, {
      setup: (p) => p.route('**/api/*/canister/*/query', node.handle),
    });
    await expect
      .poll(() => page.locator('[data-verification="failed"]').count(), { timeout: 20_000 })
      .toBe(1);
    await expect.poll(() => page.locator('[data-verification="verified"]').count()).toBe(6);
    expect(node.tampered).toHaveLength(1);
    const failedRow = page.locator('tr[data-attestation-id]', {
      has: page.locator('[data-verification="failed"]'),
    });
    expect(await failedRow.locator('a').first().getAttribute('title')).toBe(alice);
    await failedRow.locator('button', { hasText: 'Details' }).click();
    expect(await page.locator('[data-verification-detail]').innerText()).toContain(
      'SIGNATURE_INVALID',
    );
    expect(await page.locator('[data-verification-summary]').innerText()).toContain(
      '1 of 7 failed verification',
    );
    // At the top of the page: who failed, and that the registry's count is more than verified.
    const problems = page.locator('[data-verification-problems]');
    expect(await problems.locator('[data-failed-attestation]').innerText()).toContain(
      `${ALICE_NAME}: attestation #`,
    );
    expect(await problems.locator('[data-failed-attestation]').innerText()).toContain(
      'failed verification and is not counted',
    );
    expect(await problems.locator('[data-summary-difference]').allInnerTexts()).toEqual([
      "The registry's summary counts 4 builders with the proposal's hash; the attestations verified here show 3.",
    ]);
    expect((await problems.boundingBox())!.y).toBeLessThan(450);
    // The sentence counts what verified: three, still enough with two outliers on other machines.
    expect(await page.locator('[data-headline-sentence]').innerText()).toMatch(
      /^Reproduced: 3 builders got the proposal's GuestOS hash/,
    );
    await page.screenshot({
      path: await outputPath('proposal-tampered-envelope.png'),
      fullPage: false,
    });
    await page.close();
  });

  it('shows new attestations without reload', async () => {
    const page = await open(`#/proposal/${PROPOSALS.amber}`);
    await expect
      .poll(() => page.locator('tr[data-attestation-id]').count(), { timeout: 20_000 })
      .toBe(4);
    const network = localNetwork();
    await submitReproductions({ url: network.url, canisterId: network.canisterIds['registry'] }, [
      {
        builder: seedBuilder('judy'),
        proposalId: PROPOSALS.amber,
        sha256: GOOD_HASH,
        environment: ENVIRONMENTS.kvm,
      },
    ]);
    await expect
      .poll(() => page.locator('tr[data-attestation-id]').count(), { timeout: 30_000 })
      .toBe(5);
    await expect.poll(() => page.locator('[data-verification="verified"]').count()).toBe(5);
    expect(await page.locator('[data-hash-group]').first().innerText()).toContain('4 builders');
    await page.close();
  });
});

describe("the release's other sources", () => {
  it("says under the headline that the proposal's second URL served other bytes", async () => {
    const network = localNetwork();
    const id = 7_311_000n + BigInt(Date.now() % 1000);
    // The URLs repro-check downloads (ci/tools/repro-check at dfinity/ic@653da0da).
    const dir = `ic/${COMMIT}/guest-os/update-img`;
    const second = `https://download.dfinity.network/${dir}/update-img.tar.zst`;
    await confirmProposals({
      url: network.url,
      governanceId: network.canisterIds['governance'],
      registryId: network.canisterIds['registry'],
      controller: identityFromPem(await readFile(network.deployerPemPath, 'utf8')),
      proposals: [
        {
          id,
          commit: COMMIT,
          sha256: GOOD_HASH,
          urls: [`https://download.dfinity.systems/${dir}/update-img.tar.zst`, second],
        },
      ],
    });
    await submitReproductions({ url: network.url, canisterId: network.canisterIds['registry'] }, [
      {
        builder: seedBuilder('sources-kim'),
        proposalId: id.toString(),
        sha256: GOOD_HASH,
        environment: ENVIRONMENTS.kvm,
        sources: [
          {
            kind: 'sha256sums',
            url: `https://download.dfinity.systems/${dir}/SHA256SUMS`,
            sha256: GOOD_HASH,
          },
          { kind: 'package_url', url: second, sha256: 'ab'.repeat(32) },
        ],
      },
    ]);
    const page = await open(`#/proposal/${id}`);
    const alert = page.locator('[data-sources-disagree]');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await alert.innerText()).toContain(
      "The release's sources disagree with the proposal's hash: a reason to reject.",
    );
    expect(await alert.innerText()).toContain(`the package URL ${second} served abababababab`);
    // Near the top, with the headline, not below the attestations.
    expect((await alert.boundingBox())!.y).toBeLessThan(600);
    await page.close();
  });
});

describe('envelope download', () => {
  it('hands out the exact bytes the builder signed, checkable with standard tools', async () => {
    const page = await open(`#/proposal/${PROPOSALS.mixed}`);
    const bob = world.builders['bob'].principal;
    const bobRow = page.locator('tr[data-attestation-id]', {
      has: page.locator(`a[title="${bob}"]`),
    });
    await bobRow.locator('button', { hasText: 'Details' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download envelope' }).click(),
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'repro-download-'));
    try {
      const file = join(dir, download.suggestedFilename());
      await download.saveAs(file);
      expect(download.suggestedFilename()).toMatch(/^attestation-\d+\.dsse\.json$/);
      // The commands the page shows under "Verify a downloaded envelope offline", as written.
      const script = await page.locator('.offline pre').textContent();
      const out = execFileSync(
        'bash',
        ['-c', script!.replace('attestation-<id>.dsse.json', download.suggestedFilename())],
        {
          cwd: dir,
          encoding: 'utf8',
        },
      );
      expect(out).toContain('Signature Verified Successfully');
      expect(out.trim().split('\n').at(-1)).toBe(bob);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await page.close();
  });
});

describe('builder page', () => {
  it('shows the builder with its key checked, its history and its agreement with the others', async () => {
    const erin = world.builders['erin'].principal;
    const page = await open(`#/builder/${erin}`);
    await page.locator('[data-agreement-rate]').waitFor();
    expect(await page.locator('[data-builder-name]').textContent()).toBe(ERIN_NAME);
    expect(await page.title()).toBe(`Builder ${ERIN_NAME} · repro registry`);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.locator('[data-key-check]').getAttribute('data-key-check')).toBe('ok');
    expect(await page.locator('main').innerText()).toContain(erin);
    expect(await page.locator('tbody tr').count()).toBe(3);
    await page.screenshot({ path: await outputPath('builder-desktop-light.png'), fullPage: true });
    await page.close();
  });
});

describe('a page loaded on demand', () => {
  it('says so when its script does not arrive, and a reload brings it', async () => {
    const erin = world.builders['erin'].principal;
    let missing = true;
    const page = await open(`#/builder/${erin}`, {
      setup: (p) =>
        p.route('**/assets/BuilderPage-*.js', (route) =>
          missing ? route.abort('connectionreset') : route.fallback(),
        ),
    });
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).toContain('This page could not be loaded');
    missing = false;
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.locator('[data-agreement-rate]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-builder-name]').textContent()).toBe(ERIN_NAME);
    await page.close();
  });
});

describeAnswer(browserWorld);
describeCertified(browserWorld);
describeAccessibility(browserWorld);

describe('registry down', () => {
  it('shows a clear error and recovers on retry', async () => {
    let down = true;
    const page = await open('#/', {
      setup: (p) =>
        p.route('**/api/**', (route) =>
          down ? route.abort('connectionrefused') : route.fallback(),
        ),
    });
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).toContain('The registry cannot be reached');
    await page.screenshot({ path: await outputPath('registry-down.png'), fullPage: true });
    down = false;
    await alert.getByRole('button', { name: 'Retry' }).click();
    await row(page, PROPOSALS.mixed).waitFor({ timeout: 20_000 });
    await page.close();
  });
});
