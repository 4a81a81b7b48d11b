import { describe, expect, it } from 'vitest';

import { GUESTOS_HASH, hashOf } from '../../test/builders';
import { MINUTE, T0, onChain } from '../../test/core-support';
import {
  ALERT_MIN_BUILDERS,
  ALERT_MIN_ENVIRONMENTS,
  durationText,
  redAlerts,
  votingWindow,
} from './alerts';
import { computeConsensus } from './consensus';
import type { ConsensusCell, OnChainProposalJson } from './records';

const OTHER = hashOf('other image');
const THIRD = hashOf('third image');
const DEADLINE = T0 + 4n * 24n * 60n * MINUTE;

/** One builder's counted GuestOS result with `sha256` on a machine of class `env`. */
const cell = (sha256: string, env: string, n = 1): ConsensusCell => ({
  kind: 'guestos',
  sha256,
  claimed: null,
  verdict: sha256 === GUESTOS_HASH ? 'match' : 'mismatch',
  env,
  n,
});

function alertsOf(
  cells: ConsensusCell[],
  over: Partial<OnChainProposalJson> = {},
  now = T0 + MINUTE,
) {
  const chain = onChain({ deadlineAt: DEADLINE.toString(), ...over });
  return redAlerts({ consensus: computeConsensus({ cells, onChain: chain }), onChain: chain, now });
}

describe('redAlerts: independent builders agree on a hash that is not the proposal’s', () => {
  it('raises when two builders on two kinds of machine agree on another hash', () => {
    const alerts = alertsOf([
      cell(GUESTOS_HASH, 'ubuntu / bare_metal / podman'),
      cell(OTHER, 'ubuntu / bare_metal / podman'),
      cell(OTHER, 'fedora / kvm / docker'),
    ]);
    expect(alerts).toEqual([
      {
        kind: 'guestos',
        sha256: OTHER,
        expectedSha256: GUESTOS_HASH,
        builders: 2,
        environmentClasses: 2,
        reproducing: 1,
        deadlineAt: DEADLINE,
        secondsLeft: Number((DEADLINE - T0 - MINUTE) / 1_000_000_000n),
        votingOpen: true,
      },
    ]);
  });

  it('needs the minimum number of builders (one builder alone is a mismatch, not an alert)', () => {
    expect(ALERT_MIN_BUILDERS).toBe(2);
    expect(alertsOf([cell(OTHER, 'ubuntu / bare_metal / podman')])).toEqual([]);
    // Two builders, each on another hash: nobody agrees with anybody.
    expect(
      alertsOf([cell(OTHER, 'ubuntu / bare_metal / podman'), cell(THIRD, 'fedora / kvm / docker')]),
    ).toEqual([]);
  });

  it('needs independent machines: many builders on one kind of machine share its quirk', () => {
    expect(ALERT_MIN_ENVIRONMENTS).toBe(2);
    expect(alertsOf([cell(OTHER, 'ubuntu / wsl2 / docker', 5)])).toEqual([]);
    const two = alertsOf([
      cell(OTHER, 'ubuntu / wsl2 / docker', 4),
      cell(OTHER, 'ubuntu / virtualbox / docker'),
    ]);
    expect(two.map((a) => [a.builders, a.environmentClasses])).toEqual([[5, 2]]);
  });

  it('does not count builders whose machine the registry no longer tracks as independent', () => {
    // Past the cell limit a result is counted without its environment class ('*').
    expect(alertsOf([cell(OTHER, 'ubuntu / bare_metal / podman'), cell(OTHER, '*')])).toEqual([]);
  });

  it('needs more of them than got the proposal’s hash (fewer is a split, not an alert)', () => {
    const others = [
      cell(OTHER, 'debian / bare_metal / docker'),
      cell(OTHER, 'fedora / kvm / podman'),
    ];
    expect(alertsOf([cell(GUESTOS_HASH, 'ubuntu / bare_metal / podman', 2), ...others])).toEqual(
      [],
    );
    const alerts = alertsOf([cell(GUESTOS_HASH, 'ubuntu / bare_metal / podman'), ...others]);
    expect(alerts.map((a) => [a.builders, a.reproducing])).toEqual([[2, 1]]);
  });

  it('says nothing when the proposal states no hash (builders’ own claims are not the proposal’s)', () => {
    const cells = [
      { ...cell(OTHER, 'ubuntu / bare_metal / podman'), claimed: GUESTOS_HASH },
      { ...cell(OTHER, 'fedora / kvm / docker'), claimed: GUESTOS_HASH },
    ];
    expect(alertsOf(cells, { releasePackageSha256Hex: null })).toEqual([]);
    // Nor before governance was read.
    const consensus = computeConsensus({ cells, onChain: null });
    expect(redAlerts({ consensus, onChain: null, now: T0 })).toEqual([]);
  });

  it('still reports after the deadline, with no time left and voting closed', () => {
    const cells = [
      cell(OTHER, 'ubuntu / bare_metal / podman'),
      cell(OTHER, 'fedora / kvm / docker'),
    ];
    const atDeadline = alertsOf(cells, {}, DEADLINE);
    expect(atDeadline[0]).toMatchObject({ secondsLeft: 0, votingOpen: false });
    const oneSecondBefore = alertsOf(cells, {}, DEADLINE - 1_000_000_000n);
    expect(oneSecondBefore[0]).toMatchObject({ secondsLeft: 1, votingOpen: true });
    // Decided early (adopted before the deadline): no vote can change it.
    expect(alertsOf(cells, { status: 'adopted' })[0]).toMatchObject({ votingOpen: false });
  });

  it('lists several other hashes, the largest first', () => {
    const alerts = alertsOf([
      cell(THIRD, 'ubuntu / bare_metal / podman'),
      cell(THIRD, 'fedora / kvm / docker'),
      cell(OTHER, 'ubuntu / bare_metal / podman', 2),
      cell(OTHER, 'fedora / kvm / docker'),
    ]);
    expect(alerts.map((a) => [a.sha256, a.builders])).toEqual([
      [OTHER, 3],
      [THIRD, 2],
    ]);
  });
});

describe('votingWindow', () => {
  it('has no time left without a deadline and is open while governance says so', () => {
    expect(votingWindow(onChain({ deadlineAt: null }), T0)).toEqual({
      deadlineAt: null,
      secondsLeft: null,
      votingOpen: true,
    });
    expect(votingWindow(null, T0).votingOpen).toBe(false);
  });
});

describe('durationText', () => {
  it('gives the two largest units', () => {
    expect(durationText(3 * 86_400 + 4 * 3_600 + 59)).toBe('3 days 4 hours');
    expect(durationText(3_600 + 60)).toBe('1 hour 1 minute');
    expect(durationText(40)).toBe('40 seconds');
    expect(durationText(0)).toBe('0 seconds');
  });
});
