import { describe, expect, it } from 'vitest';

import { parseProposalId, parseRoute, routeHref, type Route } from './router.svelte';

const PRINCIPAL = 'sxl7k-grunh-wofzi-r6mgo-anglt-5nekn-tymug-or2pa-fnjyp-u6unz-jae';

describe('parseRoute', () => {
  it('reads the shareable routes', () => {
    expect(parseRoute('')).toEqual({ page: 'proposals', query: '' });
    expect(parseRoute('#/')).toEqual({ page: 'proposals', query: '' });
    expect(parseRoute('#/?q=0ef2aeb')).toEqual({ page: 'proposals', query: '0ef2aeb' });
    expect(parseRoute('#/proposal/139768')).toEqual({ page: 'proposal', proposalId: 139768n });
    expect(parseRoute(`#/builder/${PRINCIPAL}`)).toEqual({ page: 'builder', builder: PRINCIPAL });
  });

  it('sends anything else to "not found"', () => {
    for (const hash of [
      '#/proposal/0139',
      '#/proposal/abc',
      '#/proposal/18446744073709551616',
      '#/builder/NOT-A-PRINCIPAL',
      '#/x',
      '#/proposal/%E0%A4%A',
    ]) {
      expect(parseRoute(hash).page).toBe('not_found');
    }
  });

  it('round-trips through routeHref', () => {
    const routes: Route[] = [
      { page: 'proposals', query: '' },
      { page: 'proposals', query: 'a b&c' },
      { page: 'proposal', proposalId: 18446744073709551615n },
      { page: 'builder', builder: PRINCIPAL },
    ];
    for (const r of routes) expect(parseRoute(routeHref(r))).toEqual(r);
  });
});

describe('parseProposalId', () => {
  it('accepts u64 decimals without leading zeros', () => {
    expect(parseProposalId('1')).toBe(1n);
    expect(parseProposalId('18446744073709551615')).toBe(2n ** 64n - 1n);
    expect(parseProposalId('0')).toBeNull();
    expect(parseProposalId('01')).toBeNull();
    expect(parseProposalId('1.5')).toBeNull();
  });
});
