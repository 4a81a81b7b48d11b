import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { createMainThreadVerifier } from '../services/main-thread-verifier';
import { Clock } from '../state/clock.svelte';
import { Preferences } from '../state/preferences.svelte';
import {
  BAD_HASH,
  GOOD_HASH,
  ROOT_MEMBERS,
  ROOT_MEMBERS_DIFFERENT,
  T0,
  WSL2,
  attestation,
  testBuilder,
} from '../test-support/fixtures';
import { MemoryRegistry } from '../test-support/memory-registry';
import { VERIFICATION_WAIT, all, render, text } from '../test-support/render';
import ProposalPage from './ProposalPage.svelte';

const FAST = { baseMs: 50, maxMs: 200, errorMaxMs: 400, factor: 1.5 };
const NOTE =
  '<script>window.__pwned = true</script><img src=x onerror="window.__pwned = true"> built on WSL2';
const builders = Array.from({ length: 6 }, (_, i) => testBuilder(`component${i}`));

function seeded(): MemoryRegistry {
  const registry = new MemoryRegistry();
  for (let i = 0; i < 4; i++)
    registry.add(attestation({ id: BigInt(i + 1), builder: builders[i], members: ROOT_MEMBERS }));
  registry.add(
    attestation({
      id: 5n,
      builder: builders[4],
      sha256: BAD_HASH,
      members: ROOT_MEMBERS_DIFFERENT,
      environment: WSL2,
      note: NOTE,
    }),
  );
  return registry;
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function show(registry: MemoryRegistry) {
  const preferences = new Preferences(null);
  const clock = new Clock({ read: () => T0 + 10 * 3_600_000 });
  const view = render(ProposalPage, {
    api: registry,
    verifier: createMainThreadVerifier(),
    preferences,
    clock,
    proposalId: 139768n,
    backoff: FAST,
  });
  cleanup.push(view.destroy, () => clock.dispose());
  return { ...view, preferences };
}

describe('ProposalPage', () => {
  it('shows the red alert under the headline and links the proposal’s feed', async () => {
    const registry = new MemoryRegistry();
    registry.add(attestation({ id: 1n, builder: builders[0], sha256: BAD_HASH }));
    registry.add(
      attestation({ id: 2n, builder: builders[1], sha256: BAD_HASH, environment: WSL2 }),
    );
    const { target } = show(registry);
    await vi.waitFor(() => expect(target.querySelector('[data-red-alert]')).not.toBeNull());
    expect(text(target, '[data-red-alert] p')).toContain('2 builders on 2 kinds of machine');
    expect(target.querySelector('[data-feed-link]')?.getAttribute('href')).toMatch(
      /\/proposals\/139768\/feed\.atom/,
    );
  });

  it(
    'shows hash groups, the expected group, where the mismatch is, and a verification mark per attestation',
    { timeout: 30_000 },
    async () => {
      const { target } = show(seeded());
      // Five Ed25519 verifications on the main thread: allow for a loaded machine.
      await vi.waitFor(
        () => expect(all(target, '[data-verification="verified"]')).toHaveLength(5),
        VERIFICATION_WAIT,
      );

      const groups = all(target, '[data-hash-group]');
      expect(groups.map((g) => g.getAttribute('data-hash-group'))).toEqual([GOOD_HASH, BAD_HASH]);
      expect(groups.map((g) => g.getAttribute('data-expected-group'))).toEqual(['true', 'false']);
      expect(groups[0]?.textContent).toContain('4 builders');
      expect(groups[0]?.textContent).toContain("✓ the proposal's hash");
      expect(text(target, '[data-member-diff]')).toContain('root.img differs');
      expect(text(target, '[data-expected-hash]')).toBe(GOOD_HASH);
      expect(text(target, '[data-onchain-hash]')).toBe(GOOD_HASH);
      const url = target.querySelector('.urls a');
      expect(url?.getAttribute('href')).toMatch(/^https:\/\/download\.dfinity\.systems\//);
      expect(url?.getAttribute('rel')).toContain('noopener');
      expect(text(target, '[data-threshold]')).toBe('threshold met: 4 of 3');
      expect(text(target, '[data-verification-summary]')).toContain(
        '5 of 5 signatures verified in your browser',
      );
      // One mismatch: too few results to tie it to WSL2.
      expect(text(target, '[data-factor="virtualization"] [data-finding]')).toBe(
        'Too few results to tell: needs 3 mismatches and 3 matches with this known; has 1 mismatch and 4 matches.',
      );
      expect(target.querySelector('[data-strongest]')).toBeNull();
    },
  );

  it('shows user text as text, never as markup', async () => {
    const { target } = show(seeded());
    await vi.waitFor(() =>
      expect(target.querySelector('tr[data-attestation-id="5"] button.toggle')).not.toBeNull(),
    );
    const toggle = target.querySelector(
      'tr[data-attestation-id="5"] button.toggle',
    ) as HTMLButtonElement;
    toggle.click();
    flushSync();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(all(target, '[data-note]')).toHaveLength(1);
    const note = target.querySelector('[data-note]')!;
    expect(note.textContent).toBe(NOTE);
    expect(note.children).toHaveLength(0);
    expect(target.querySelector('script, img')).toBeNull();
    expect((window as unknown as { __pwned?: boolean }).__pwned).toBeUndefined();
  });

  it('marks an attestation the registry altered as failed', async () => {
    const registry = seeded();
    // The registry names another builder than the one who signed the envelope.
    registry.tamper = (a) => (a.id === 3n ? { ...a, builder: 'aaaaa-aa' } : a);
    const { target } = show(registry);
    await vi.waitFor(
      () => expect(all(target, '[data-verification="failed"]')).toHaveLength(1),
      VERIFICATION_WAIT,
    );
    const row = target.querySelector('tr[data-attestation-id="3"]')!;
    expect(row.querySelector('[data-verification]')?.getAttribute('data-verification')).toBe(
      'failed',
    );
    expect(row.querySelector('[data-verification]')?.textContent).toContain(
      'not by the builder shown',
    );
    expect(text(target, '[data-verification-summary]')).toContain('1 of 5 failed verification');
  });

  it('follows the reader threshold', async () => {
    const { target, preferences } = show(seeded());
    await vi.waitFor(() => expect(all(target, '[data-threshold]')).toHaveLength(1));
    preferences.setThreshold(5);
    flushSync();
    expect(text(target, '[data-threshold]')).toBe('threshold not met: 4 of 5');
  });

  it('offers the commands that reproduce the proposal against this registry', async () => {
    const { target } = show(seeded());
    await vi.waitFor(() => expect(all(target, '.reproduce code')).toHaveLength(4));
    expect(all(target, '.reproduce code').map((c) => c.textContent)).toContain(
      'repro check 139768 --network http://127.0.0.1:4943 --canister-id bkyz2-fmaaa-aaaaa-qaaaq-cai',
    );
  });

  it('shows new attestations after a refresh without reload', async () => {
    const registry = seeded();
    const { target } = show(registry);
    await vi.waitFor(() => expect(all(target, 'tr[data-attestation-id]')).toHaveLength(5));
    registry.add(attestation({ id: 6n, builder: builders[5], submittedAt: T0 + 20 * 3_600_000 }));
    await vi.waitFor(() => expect(all(target, 'tr[data-attestation-id]')).toHaveLength(6));
    expect(
      target.querySelector('tr[data-attestation-id]')?.getAttribute('data-attestation-id'),
    ).toBe('6');
    await vi.waitFor(
      () => expect(all(target, '[data-verification="verified"]')).toHaveLength(6),
      VERIFICATION_WAIT,
    );
  });

  it('shows a clear error with a retry when the registry is unreachable', async () => {
    const registry = seeded();
    registry.down = true;
    const { target } = show(registry);
    await vi.waitFor(() => expect(target.querySelector('[role="alert"]')).not.toBeNull());
    expect(text(target, '[role="alert"]')).toContain('The registry cannot be reached');
    registry.down = false;
    (target.querySelector('[role="alert"] button') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(all(target, '[data-hash-group]')).toHaveLength(2));
  });

  it('shows how to reproduce a proposal the registry does not know yet', async () => {
    const registry = seeded();
    const preferences = new Preferences(null);
    const clock = new Clock({ read: () => T0 + 10 * 3_600_000 });
    const view = render(ProposalPage, {
      api: registry,
      verifier: createMainThreadVerifier(),
      preferences,
      clock,
      proposalId: 42n,
    });
    cleanup.push(view.destroy, () => clock.dispose());
    await vi.waitFor(() =>
      expect(text(view.target, '[role="status"]')).toContain(
        'No reproduction of this proposal yet',
      ),
    );
    expect(all(view.target, '.reproduce code').map((c) => c.textContent)).toContain(
      'repro check 42 --network http://127.0.0.1:4943 --canister-id bkyz2-fmaaa-aaaaa-qaaaq-cai',
    );
  });
});

describe('ProposalPage headline', () => {
  it(
    'answers in one sentence from the verified attestations, and flags a summary that does not add up',
    { timeout: 30_000 },
    async () => {
      const registry = seeded();
      // The registry claims nine builders got the proposal's hash; four attestations say so.
      registry.tamperSummary = (s) => ({
        ...s,
        artifacts: s.artifacts.map((a) => ({
          ...a,
          hashGroups: a.hashGroups.map((g) =>
            g.sha256 === GOOD_HASH ? { ...g, builderCount: 9 } : g,
          ),
        })),
      });
      const { target } = show(registry);
      await vi.waitFor(
        () => expect(target.querySelector('[data-headline="reproduced"]')).not.toBeNull(),
        VERIFICATION_WAIT,
      );
      expect(text(target, '[data-headline-sentence]')).toBe(
        "Reproduced: 4 builders got the proposal's GuestOS hash on 1 kind of machine; 1 builder on WSL2 differs (see below).",
      );
      expect(all(target, '[data-summary-difference]').map((e) => e.textContent)).toEqual([
        "The registry's summary counts 9 builders with the proposal's hash; the attestations verified here show 4.",
      ]);
      expect(document.title).toMatch(/^#139768 .* · Reproduced · repro registry$/);
    },
  );

  it(
    'says at the top when the certified summary fails verification, and still answers',
    { timeout: 30_000 },
    async () => {
      const registry = seeded();
      registry.certified.failing = 'CERTIFICATE_INVALID';
      const { target } = show(registry);
      await vi.waitFor(
        () => expect(target.querySelector('[data-headline="reproduced"]')).not.toBeNull(),
        VERIFICATION_WAIT,
      );
      await vi.waitFor(() =>
        expect(all(target, '[data-summary-difference]').map((e) => e.textContent)).toEqual([
          "The registry's certified summary failed verification in your browser (CERTIFICATE_INVALID: the node lied).",
        ]),
      );
      expect(registry.calls).toContain('certifiedSummaries');
    },
  );
});
