import { afterEach, describe, expect, it, vi } from 'vitest';

import { Clock } from '../state/clock.svelte';
import { Preferences } from '../state/preferences.svelte';
import { Router } from '../state/router.svelte';
import {
  BAD_HASH,
  T0,
  WSL2,
  attestation,
  onChainProposal,
  testBuilder,
} from '../test-support/fixtures';
import type { ProposalSummary } from '../model/types';
import { MemoryRegistry } from '../test-support/memory-registry';
import { all, render } from '../test-support/render';
import ProposalsPage from './ProposalsPage.svelte';

const FAST = { baseMs: 50, maxMs: 200, errorMaxMs: 400, factor: 1.5 };
const builders = Array.from({ length: 5 }, (_, i) => testBuilder(`list${i}`));
let nextId = 1n;

/** Builders 0.. attest these hashes; a mismatch on `otherMachine` ran on WSL2. */
function add(registry: MemoryRegistry, proposalId: bigint, hashes: string[], otherMachine = false) {
  hashes.forEach((sha256, i) =>
    registry.add(
      attestation({
        id: nextId++,
        builder: builders[i],
        proposalId,
        sha256,
        ...(otherMachine && sha256 === BAD_HASH ? { environment: WSL2 } : {}),
      }),
    ),
  );
}

function seeded(): MemoryRegistry {
  const registry = new MemoryRegistry();
  const good = '05cd757019e276af68a7e2e178dec73ae095131af841d0b44a9c03c947c2d399';
  add(registry, 101n, [good, good, good, good, good]);
  // The mismatch ran on WSL2, the matches on bare metal: an outlier the machine explains.
  add(registry, 102n, [good, good, good, BAD_HASH], true);
  add(registry, 103n, [BAD_HASH, BAD_HASH]);
  // The mismatch ran on the same kind of machine as the matches: builders really differ.
  add(registry, 100n, [good, good, good, BAD_HASH]);
  // Known to the registry (it read the proposal) without any attestation that counts.
  registry.proposals.set(104n, {
    onChain: onChainProposal({ title: 'Elect HostOS version' }),
    attestations: [],
  });
  return registry;
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function show(registry: MemoryRegistry, initialQuery = '', trustList: bigint | null = null) {
  const clock = new Clock({ read: () => T0 + 10 * 3_600_000 });
  const router = new Router(window);
  const view = render(ProposalsPage, {
    api: registry,
    router,
    preferences: new Preferences(null),
    clock,
    initialQuery,
    trustList,
    backoff: FAST,
  });
  cleanup.push(
    view.destroy,
    () => clock.dispose(),
    () => router.dispose(),
  );
  return view;
}

const badges = (target: HTMLElement) =>
  all(target, '[data-proposal-id]').map((row) => {
    const badge = row.querySelector('.badge [data-tone]')!;
    return [
      row.getAttribute('data-proposal-id'),
      badge.getAttribute('data-tone'),
      badge.querySelector('[data-badge-text]')?.textContent,
    ];
  });

/** A node's lie: seven more builders in every hash group. */
const inflated = (s: ProposalSummary): ProposalSummary => ({
  ...s,
  artifacts: s.artifacts.map((a) => ({
    ...a,
    hashGroups: a.hashGroups.map((g) => ({ ...g, builderCount: g.builderCount + 7 })),
  })),
});

describe('ProposalsPage', () => {
  it('lists proposals newest first with their consensus badges', async () => {
    const { target } = show(seeded());
    await vi.waitFor(() => expect(all(target, '[data-proposal-id]')).toHaveLength(5));
    // 102's badge reads which machines its builders used (the summary does not say).
    await vi.waitFor(() =>
      expect(badges(target)).toEqual([
        ['104', 'none', 'no reproduction yet'],
        ['103', 'bad', '2 agree on another hash'],
        ['102', 'good', 'reproduced · 3 builders · 1 outlier'],
        ['101', 'good', 'reproduced · 5 builders'],
        ['100', 'warn', '3 match · 1 differ'],
      ]),
    );
    // Every badge state shown is explained in the legend.
    const legend = all(target, '[data-legend-state]').map((e) =>
      e.getAttribute('data-legend-state'),
    );
    for (const state of all(target, '.badge [data-state]').map((e) => e.getAttribute('data-state')))
      expect(legend).toContain(state);
    expect(legend).toHaveLength(6);
    const row = target.querySelector('[data-proposal-id="101"]')!;
    expect(row.querySelector('a')?.getAttribute('href')).toBe('#/proposal/101');
    expect(row.textContent).toContain('0ef2aebde');
    expect(row.textContent).toContain('voting ends');
  });

  it('draws badges from the certified summaries, never from the unchecked list', async () => {
    const registry = seeded();
    // The list's (unchecked) summaries inflate every hash group; the certified ones are honest.
    registry.tamperSummary = inflated;
    const { target } = show(registry);
    await vi.waitFor(() =>
      expect(badges(target).find(([id]) => id === '101')).toEqual([
        '101',
        'good',
        'reproduced · 5 builders',
      ]),
    );
    expect(registry.calls).toContain('certifiedSummaries');
    expect(
      target
        .querySelector('[data-proposal-id="101"] [data-certified]')
        ?.getAttribute('data-certified'),
    ).toBe('verified');
  });

  it('shows the certified proposal count, never the unchecked total of the list', async () => {
    const registry = seeded();
    // A node inflates the list's total; the count the registry certifies is the real one.
    registry.inflateTotal = 40;
    const { target } = show(registry);
    const count = () => target.querySelector('p.count')!;
    await vi.waitFor(() => expect(count().getAttribute('data-certified')).toBe('verified'));
    expect(count().textContent?.trim()).toBe('5 proposals');
    expect(target.textContent).not.toContain('45');
    expect(registry.calls).toContain('checkpoint');
  });

  it('says "failed verification" in the badge and at the top when a certified summary fails', async () => {
    const registry = seeded();
    registry.certified.failing = 'WITNESS_MISMATCH';
    const { target } = show(registry);
    await vi.waitFor(() => expect(all(target, '[data-certified-failed]')).toHaveLength(5));
    expect(badges(target).map(([, tone, text]) => [tone, text])).toEqual(
      Array.from({ length: 5 }, () => ['bad', 'failed verification']),
    );
    const alert = target.querySelector('[data-certified-problems]')!;
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('WITNESS_MISMATCH');
    expect(target.textContent).not.toContain('cannot be reached');
    // Above the legend and the list.
    expect(
      alert.compareDocumentPosition(target.querySelector('[data-proposal-id]')!) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('counts only a trust list’s builders when one is chosen, and says so on every badge', async () => {
    const registry = seeded();
    // The first three builders keep a list; builder 3 (a mismatch on 102) is not on it.
    const list = registry.addTrustList(
      'CodeGov',
      builders.slice(0, 3).map((b) => b.principal),
    );
    // The list's (unchecked) scoped summaries inflate every hash group: the badges come from the
    // list's certified summaries (`scoped/<list>/<id>`) only.
    registry.tamperSummary = inflated;
    const { target } = show(registry, '', list.id);
    await vi.waitFor(() => expect(all(target, '[data-proposal-id]')).toHaveLength(5));
    await vi.waitFor(() =>
      expect(badges(target)).toEqual([
        ['104', 'none', 'no reproduction yet on list CodeGov; 0 in all'],
        ['103', 'bad', '2 agree on another hash on list CodeGov; 0 in all'],
        ['102', 'good', 'reproduced · 3 builders on list CodeGov; 3 in all'],
        ['101', 'good', 'reproduced · 3 builders on list CodeGov; 5 in all'],
        ['100', 'good', 'reproduced · 3 builders on list CodeGov; 3 in all'],
      ]),
    );
    expect(registry.calls).toContain('listProposals');
    expect(registry.calls).toContain('scopedSummaries');
    expect(all(target, '[data-proposal-id] [data-certified="verified"]')).toHaveLength(5);
  });

  it('says "failed verification" when a trust list’s certified summary fails', async () => {
    const registry = seeded();
    const list = registry.addTrustList('CodeGov', [builders[0].principal]);
    registry.certified.failing = 'CERTIFICATE_INVALID';
    const { target } = show(registry, '', list.id);
    await vi.waitFor(() => expect(all(target, '[data-certified-failed]')).toHaveLength(5));
    expect(badges(target).map(([, tone, text]) => [tone, text])).toEqual(
      Array.from({ length: 5 }, () => ['bad', 'failed verification']),
    );
    expect(target.querySelector('[data-certified-problems]')?.textContent).toContain(
      'CERTIFICATE_INVALID',
    );
  });

  it('filters by id or commit prefix as the reader types', async () => {
    const { target } = show(seeded());
    await vi.waitFor(() => expect(all(target, '[data-proposal-id]')).toHaveLength(5));
    const input = target.querySelector('input[type="search"]') as HTMLInputElement;
    input.value = '103';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await vi.waitFor(() =>
      expect(
        all(target, '[data-proposal-id]').map((r) => r.getAttribute('data-proposal-id')),
      ).toEqual(['103']),
    );
    expect(window.location.hash).toBe('#/?q=103');
    input.value = 'deadbeef';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await vi.waitFor(() => expect(target.textContent).toContain('Nothing matches'));
  });

  it('updates badges without reload when new attestations arrive', async () => {
    const registry = seeded();
    const { target } = show(registry);
    await vi.waitFor(() => expect(all(target, '[data-proposal-id]')).toHaveLength(5));
    add(registry, 105n, ['05cd757019e276af68a7e2e178dec73ae095131af841d0b44a9c03c947c2d399']);
    await vi.waitFor(() => expect(badges(target)[0]).toEqual(['105', 'pending', '1 of 3 needed']));
  });

  it('shows an error with a retry when the registry is unreachable', async () => {
    const registry = seeded();
    registry.down = true;
    const { target } = show(registry);
    await vi.waitFor(() =>
      expect(target.querySelector('[role="alert"]')?.textContent).toContain(
        'The registry cannot be reached',
      ),
    );
    registry.down = false;
    (target.querySelector('[role="alert"] button') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(all(target, '[data-proposal-id]')).toHaveLength(5));
  });
});
