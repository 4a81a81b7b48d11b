import { afterEach, describe, expect, it } from 'vitest';

import {
  BAD_HASH,
  GOOD_HASH,
  T0,
  WSL2,
  attestation,
  onChainProposal,
  summaryOf,
  testBuilder,
} from '../test-support/fixtures';
import { render, text } from '../test-support/render';
import RedAlertBanner from './RedAlertBanner.svelte';

const HOUR = 3_600_000;
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function show(props: Parameters<typeof summaryOf>[0], now: number) {
  const view = render(RedAlertBanner, {
    summary: summaryOf(props),
    now,
    feedHref: 'http://registry.localhost:4943/proposals/139768/feed.atom',
  });
  cleanup.push(view.destroy);
  return view.target;
}

describe('RedAlertBanner', () => {
  it('warns while voting is open: how many builders, on how many machines, time left', () => {
    const target = show(
      {
        attestations: [
          attestation({ id: 1n, builder: testBuilder('rab-1'), sha256: BAD_HASH }),
          attestation({
            id: 2n,
            builder: testBuilder('rab-2'),
            sha256: BAD_HASH,
            environment: WSL2,
          }),
          attestation({ id: 3n, builder: testBuilder('rab-3'), sha256: GOOD_HASH }),
        ],
        onChain: onChainProposal({ deadlineAt: T0 + 27 * HOUR }),
      },
      T0,
    );
    const banner = target.querySelector('[data-red-alert]');
    expect(banner?.getAttribute('role')).toBe('alert');
    expect(text(target, '[data-red-alert] strong')).toBe(
      "Red alert: builders agree on another hash than the proposal's.",
    );
    expect(text(target, '[data-red-alert] p')).toMatch(
      /^2 builders on 2 kinds of machine got \S+ for the GuestOS( image)?, not the proposal's \S+; 1 builder got the proposal's hash\.$/,
    );
    expect(text(target, '[data-time-left]')).toContain('1 d 3 h left to vote.');
    expect(target.querySelector('[data-red-alert] a')?.getAttribute('href')).toBe(
      'http://registry.localhost:4943/proposals/139768/feed.atom',
    );
  });

  it('says when the vote has ended', () => {
    const target = show(
      {
        attestations: [
          attestation({ id: 1n, builder: testBuilder('rab-4'), sha256: BAD_HASH }),
          attestation({
            id: 2n,
            builder: testBuilder('rab-5'),
            sha256: BAD_HASH,
            environment: WSL2,
          }),
        ],
        onChain: onChainProposal({ deadlineAt: T0, status: 'adopted' }),
      },
      T0 + HOUR,
    );
    expect(text(target, '[data-time-left]')).toContain('The vote has ended.');
  });

  it('shows nothing when the differing builders share one kind of machine', () => {
    const target = show(
      {
        attestations: [
          attestation({
            id: 1n,
            builder: testBuilder('rab-6'),
            sha256: BAD_HASH,
            environment: WSL2,
          }),
          attestation({
            id: 2n,
            builder: testBuilder('rab-7'),
            sha256: BAD_HASH,
            environment: WSL2,
          }),
        ],
      },
      T0,
    );
    expect(target.querySelector('[data-red-alert]')).toBeNull();
  });
});
