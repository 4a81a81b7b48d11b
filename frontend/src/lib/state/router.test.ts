import { describe, expect, it } from 'vitest';

import {
  Router,
  hashAddressFor,
  parseProposalId,
  parseRoute,
  routeHref,
  type Route,
} from './router.svelte';

const PRINCIPAL = 'sxl7k-grunh-wofzi-r6mgo-anglt-5nekn-tymug-or2pa-fnjyp-u6unz-jae';

describe('parseRoute', () => {
  it('reads the shareable routes', () => {
    expect(parseRoute('')).toEqual({ page: 'proposals', query: '' });
    expect(parseRoute('#/')).toEqual({ page: 'proposals', query: '' });
    expect(parseRoute('#/?q=0ef2aeb')).toEqual({ page: 'proposals', query: '0ef2aeb' });
    expect(parseRoute('#/proposal/139768')).toEqual({ page: 'proposal', proposalId: 139768n });
    expect(parseRoute(`#/builder/${PRINCIPAL}`)).toEqual({ page: 'builder', builder: PRINCIPAL });
    expect(parseRoute('#/attestation/0')).toEqual({ page: 'attestation', attestationId: 0n });
    expect(parseRoute('#/attestation/42')).toEqual({ page: 'attestation', attestationId: 42n });
  });

  it('sends anything else to "not found"', () => {
    for (const hash of [
      '#/proposal/0139',
      '#/proposal/abc',
      '#/proposal/18446744073709551616',
      '#/builder/NOT-A-PRINCIPAL',
      '#/x',
      '#/proposal/%E0%A4%A',
      '#/attestation/042',
      '#/attestation/18446744073709551616',
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
      { page: 'attestation', attestationId: 7n },
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

describe('links without #', () => {
  it('move behind the # with the query kept', () => {
    expect(hashAddressFor({ pathname: '/proposal/900001', search: '', hash: '' })).toBe(
      '/#/proposal/900001',
    );
    expect(
      hashAddressFor({ pathname: '/attestation/12', search: '?canisterId=aaaaa-aa', hash: '' }),
    ).toBe('/?canisterId=aaaaa-aa#/attestation/12');
    expect(hashAddressFor({ pathname: '/', search: '', hash: '' })).toBeNull();
    expect(hashAddressFor({ pathname: '/index.html', search: '', hash: '' })).toBeNull();
    expect(hashAddressFor({ pathname: '/x', search: '', hash: '#/proposal/1' })).toBeNull();
  });

  it('open the page they name', () => {
    window.history.replaceState(null, '', '/proposal/900001');
    const router = new Router(window);
    try {
      expect(router.route).toEqual({ page: 'proposal', proposalId: 900001n });
      expect(window.location.pathname).toBe('/');
      expect(window.location.hash).toBe('#/proposal/900001');
    } finally {
      router.dispose();
      window.history.replaceState(null, '', '/');
    }
  });
});
