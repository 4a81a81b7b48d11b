import { describe, expect, it } from 'vitest';

import {
  BAD_HASH,
  T0,
  WSL2,
  attestation,
  onChainProposal,
  summaryOf,
  testBuilder,
} from '../test-support/fixtures';
import { feedUrl, redAlertOf } from './feed';

const REGISTRY = 'uxrrr-q7777-77774-qaaaq-cai';
const HOUR = 3_600_000;

describe('feedUrl', () => {
  it('points at the registry through the HTTP gateway of its network', () => {
    const at = (host: string) => ({ host, canisterId: REGISTRY, fetchRootKey: false });
    expect(feedUrl(at('https://icp-api.io'), null)).toBe(`https://${REGISTRY}.icp0.io/feed.atom`);
    expect(feedUrl(at('http://127.0.0.1:4943'), 139768n)).toBe(
      `http://${REGISTRY}.localhost:4943/proposals/139768/feed.atom`,
    );
    expect(feedUrl(at('https://boundary.example.org'), null)).toBe(
      `https://boundary.example.org/feed.atom?canisterId=${REGISTRY}`,
    );
  });
});

describe('redAlertOf', () => {
  const twoMachines = [
    attestation({ id: 1n, builder: testBuilder('alert-a'), sha256: BAD_HASH }),
    attestation({ id: 2n, builder: testBuilder('alert-b'), sha256: BAD_HASH, environment: WSL2 }),
  ];

  it('holds when builders on two kinds of machine agree on another hash, with the time left', () => {
    const deadline = T0 + 30 * HOUR;
    const summary = summaryOf({
      attestations: twoMachines,
      onChain: onChainProposal({ deadlineAt: deadline }),
    });
    const alert = redAlertOf(summary, T0);
    expect(alert).toMatchObject({
      top: { sha256: BAD_HASH, builders: 2, environmentClasses: 2, reproducing: 0 },
      msLeft: 30 * HOUR,
      votingOpen: true,
    });
    expect(redAlertOf(summary, deadline + 1)).toMatchObject({ msLeft: 0, votingOpen: false });
  });

  it('does not hold on one kind of machine, or without a hash on chain', () => {
    const sameMachine = [
      attestation({ id: 1n, builder: testBuilder('alert-c'), sha256: BAD_HASH }),
      attestation({ id: 2n, builder: testBuilder('alert-d'), sha256: BAD_HASH }),
    ];
    expect(redAlertOf(summaryOf({ attestations: sameMachine }), T0)).toBeNull();
    const noHash = summaryOf({
      attestations: twoMachines,
      onChain: onChainProposal({ releasePackageSha256: null }),
    });
    expect(redAlertOf(noHash, T0)).toBeNull();
  });
});
