import { afterEach, describe, expect, it } from 'vitest';

import type { ReleaseSource } from '../model/types';
import { GOOD_HASH, BAD_HASH, summaryOf } from '../test-support/fixtures';
import { render, text } from '../test-support/render';
import SourcesAlert from './SourcesAlert.svelte';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

// The URLs repro-check downloads (ci/tools/repro-check at dfinity/ic@653da0da).
const dir = 'ic/bcac7ca3862fd8409d56d9dcda919a5f25acbbd4/guest-os/update-img';
const sums: ReleaseSource = {
  kind: 'guestos',
  source: 'sha256sums',
  url: `https://download.dfinity.systems/${dir}/SHA256SUMS`,
  sha256: GOOD_HASH,
  builderCount: 3,
  agrees: true,
};
const second: ReleaseSource = {
  kind: 'guestos',
  source: 'package_url',
  url: `https://download.dfinity.network/${dir}/update-img.tar.zst`,
  sha256: BAD_HASH,
  builderCount: 1,
  agrees: false,
};

function show(releaseSources: ReleaseSource[], sourcesDisagree: boolean) {
  const view = render(SourcesAlert, {
    summary: { ...summaryOf({ attestations: [] }), releaseSources, sourcesDisagree },
  });
  cleanup.push(view.destroy);
  return view.target;
}

describe('SourcesAlert', () => {
  it('says prominently that a package URL served other bytes, naming it as text', () => {
    const target = show([sums, second], true);
    const alert = target.querySelector('[role="alert"][data-sources-disagree]');
    expect(alert).not.toBeNull();
    expect(text(target, '[data-sources-disagree]')).toContain(
      "The release's sources disagree with the proposal's hash: a reason to reject.",
    );
    expect(text(target, '[data-sources-disagree]')).toContain(
      `the package URL ${second.url} served ${BAD_HASH.slice(0, 12)}`,
    );
    expect(text(target, '[data-sources-disagree]')).toContain('(reported by 1 builder)');
    expect(alert!.querySelectorAll('li')).toHaveLength(1);
    expect(alert!.querySelector('a')).toBeNull();
  });

  it('is a quiet line when every source agrees, and nothing without sources', () => {
    const agreeing = show([sums], false);
    expect(agreeing.querySelector('[role="alert"]')).toBeNull();
    expect(text(agreeing, '[data-sources-agree]')).toContain('1 other source');
    expect(show([], false).textContent?.trim()).toBe('');
  });
});
