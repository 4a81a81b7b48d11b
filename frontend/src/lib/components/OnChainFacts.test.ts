import { afterEach, describe, expect, it } from 'vitest';

import { GOOD_HASH, onChainProposal } from '../test-support/fixtures';
import { render, text } from '../test-support/render';
import OnChainFacts from './OnChainFacts.svelte';

const SYNC = {
  state: 'ok',
  lastAttemptAt: null,
  lastSuccessAt: null,
  error: null,
  final: true,
} as const;
const MODULE = 'c'.repeat(64);
const ARG = 'd'.repeat(64);

describe('OnChainFacts', () => {
  let destroy = () => {};
  afterEach(() => destroy());

  it('shows a canister install’s target and the hashes it expects, not a release package', () => {
    const view = render(OnChainFacts, {
      onChain: onChainProposal({
        kind: 'canister_install',
        os: null,
        releasePackageSha256: null,
        releasePackageUrls: [],
        canisterTarget: 'cycles-minting',
        expected: [
          { kind: 'canister:cycles-minting', sha256: MODULE },
          { kind: 'canister-arg:cycles-minting', sha256: ARG },
        ],
      }),
      sync: SYNC,
    });
    destroy = view.destroy;
    expect(text(view.target, '[data-onchain-target]')).toBe('cycles-minting');
    expect(text(view.target, '[data-onchain-expected="canister:cycles-minting"]')).toBe(MODULE);
    expect(text(view.target, '[data-onchain-expected="canister-arg:cycles-minting"]')).toBe(ARG);
    expect(view.target.querySelector('[data-onchain-hash]')).toBeNull();
    expect(text(view.target, '.onchain')).not.toContain('Release package');
  });

  it('shows an IC-OS election’s release package as before', () => {
    const view = render(OnChainFacts, { onChain: onChainProposal(), sync: SYNC });
    destroy = view.destroy;
    expect(text(view.target, '[data-onchain-hash]')).toBe(GOOD_HASH);
    expect(view.target.querySelector('[data-onchain-target]')).toBeNull();
  });
});
