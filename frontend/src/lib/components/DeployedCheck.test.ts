import { afterEach, describe, expect, it } from 'vitest';

import type { DeployedCheck as Check } from '../model/types';
import { render, text } from '../test-support/render';
import DeployedCheck from './DeployedCheck.svelte';

const PROPOSED = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const check = (over: Partial<Check>): Check => ({
  canisterId: 'rkp4c-7iaaa-aaaaa-aaaca-cai',
  state: 'deployed',
  proposedSha256: PROPOSED,
  deployedSha256: PROPOSED,
  reproducedSha256: PROPOSED,
  reproducedBuilders: 2,
  agreement: 'proposed = reproduced = deployed',
  checkedAt: 1_764_000_000_000,
  error: null,
  ...over,
});

describe('DeployedCheck', () => {
  let destroy = () => {};
  afterEach(() => destroy());

  it('says proposed = reproduced = deployed, with the three hashes', () => {
    const view = render(DeployedCheck, { deployed: check({}) });
    destroy = view.destroy;
    const agreement = view.target.querySelector('[data-deployed-agreement]');
    expect(agreement?.textContent).toBe('proposed = reproduced = deployed');
    expect(agreement?.classList.contains('agrees')).toBe(true);
    expect(text(view.target, '.hashes')).toContain(`${PROPOSED} (2 builders)`);
    expect(text(view.target, '[data-deployed-hash]')).toBe(PROPOSED);
  });

  it('shows where the chain differs, and a read that failed', () => {
    const differs = render(DeployedCheck, {
      deployed: check({
        state: 'differs',
        deployedSha256: OTHER,
        agreement: 'proposed = reproduced; canister x runs another module than the proposed one',
      }),
    });
    expect(differs.target.querySelector('.differs')?.textContent).toMatch(/another module/);
    expect(text(differs.target, '[data-deployed-hash]')).toBe(OTHER);
    differs.destroy();

    const failed = render(DeployedCheck, {
      deployed: check({
        state: 'error',
        deployedSha256: null,
        error: '<b>canister_info was rejected</b>',
        agreement: 'proposed = reproduced; the deployed module could not be read',
      }),
    });
    destroy = failed.destroy;
    // User-controlled text is rendered as text.
    expect(failed.target.querySelector('[data-deployed-hash] b')).toBeNull();
    expect(text(failed.target, '[data-deployed-hash]')).toBe(
      'not readable: <b>canister_info was rejected</b>',
    );
  });
});
