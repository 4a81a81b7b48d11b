import { describe, expect, it } from 'vitest';

import { GUESTOS_HASH, artifact, hashOf, predicate, testBuilder } from '../../test/builders';
import { MINUTE, T0, accepted, confirm, newRegistry, submit } from '../../test/core-support';
import { EVENT_THRESHOLD } from './alerts';
import { noteProposalEvents, type EventJson } from './events';
import type { Registry } from './registry';

const P = 134567n;
const OTHER = hashOf('another image');
const DAY = 24n * 60n * MINUTE;

const machines = {
  ubuntu: { osName: 'Ubuntu', virtualization: 'bare_metal', containerRuntimeName: 'podman' },
  fedora: { osName: 'Fedora', virtualization: 'kvm', containerRuntimeName: 'docker' },
  wsl: { osName: 'Ubuntu', virtualization: 'wsl2', containerRuntimeName: 'docker' },
} as const;

/** A builder's GuestOS result `sha256` on `machine`, submitted and noted at `now`. */
function report(
  r: Registry,
  args: { who: string; sha256: string; machine: keyof typeof machines; now: bigint },
): EventJson[] {
  const base = predicate();
  accepted(
    submit(
      r,
      testBuilder(`events-${args.who}`),
      predicate({
        artifacts: [artifact({ kind: 'guestos', sha256: args.sha256 })],
        environment: { ...base.environment, ...machines[args.machine] },
      }),
      args.now,
    ),
  );
  return r.noteEvents({ proposalIds: [P], now: args.now });
}

const types = (events: EventJson[]) => events.map((e) => e.type);

describe('the event stream', () => {
  it('tells a proposal’s story once each: seen, first attestation, mismatch, threshold', () => {
    const r = newRegistry();
    confirm(r, P);
    const seen = r.noteEvents({ proposalIds: [P], now: T0 });
    expect(seen).toMatchObject([
      {
        seq: '1',
        type: 'proposal_seen',
        proposalId: P.toString(),
        at: T0.toString(),
        proposalTitle: 'Elect new IC/Replica revision',
        secondsLeft: 4 * 86_400,
        votingOpen: true,
      },
    ]);
    expect(seen[0]?.summary).toBe(`Proposal ${P} is in the registry; 4 days left to vote.`);
    expect(r.noteEvents({ proposalIds: [P], now: T0 + MINUTE })).toEqual([]);

    expect(
      types(report(r, { who: 'a', sha256: GUESTOS_HASH, machine: 'ubuntu', now: T0 + DAY })),
    ).toEqual(['first_attestation']);
    const mismatch = report(r, { who: 'b', sha256: OTHER, machine: 'wsl', now: T0 + 2n * DAY });
    expect(mismatch).toMatchObject([
      { type: 'first_mismatch', kind: 'guestos', sha256: OTHER, expectedSha256: GUESTOS_HASH },
    ]);
    expect(mismatch[0]?.summary).toContain('2 days left to vote');
    expect(EVENT_THRESHOLD).toBe(3);
    expect(
      report(r, { who: 'c', sha256: GUESTOS_HASH, machine: 'fedora', now: T0 + 3n * DAY }),
    ).toEqual([]);
    const threshold = report(r, {
      who: 'd',
      sha256: GUESTOS_HASH,
      machine: 'ubuntu',
      now: T0 + 3n * DAY + MINUTE,
    });
    expect(threshold).toMatchObject([
      { seq: '4', type: 'threshold_reached', builders: 3, sha256: GUESTOS_HASH },
    ]);
    // A second mismatch on one kind of machine (WSL2 again) is no alert and no new event.
    expect(report(r, { who: 'e', sha256: OTHER, machine: 'wsl', now: T0 + 3n * DAY })).toEqual([]);
    expect(types(r.proposalEvents(P))).toEqual([
      'threshold_reached',
      'first_mismatch',
      'first_attestation',
      'proposal_seen',
    ]);
  });

  it('raises the red alert once per hash, with the builders and the time left', () => {
    const r = newRegistry();
    confirm(r, P);
    report(r, { who: 'a', sha256: OTHER, machine: 'ubuntu', now: T0 + MINUTE });
    const alert = report(r, { who: 'b', sha256: OTHER, machine: 'fedora', now: T0 + DAY });
    expect(alert).toMatchObject([
      {
        type: 'red_alert',
        sha256: OTHER,
        builders: 2,
        environmentClasses: 2,
        secondsLeft: 3 * 86_400,
        votingOpen: true,
      },
    ]);
    expect(alert[0]?.summary).toBe(
      `RED ALERT: 2 builders on 2 kinds of machine agree on a guestos hash that is not the one proposal ${P} states; 3 days left to vote.`,
    );
    expect(report(r, { who: 'c', sha256: OTHER, machine: 'wsl', now: T0 + DAY })).toEqual([]);
    const third = hashOf('third image');
    report(r, { who: 'd', sha256: third, machine: 'ubuntu', now: T0 + DAY });
    expect(
      report(r, { who: 'e', sha256: third, machine: 'wsl', now: T0 + DAY }).map((e) => e.sha256),
    ).toEqual([third]);
  });

  it('has no events for an unconfirmed proposal; held attestations tell theirs once counted', () => {
    const r = newRegistry();
    report(r, { who: 'a', sha256: OTHER, machine: 'ubuntu', now: T0 });
    report(r, { who: 'b', sha256: OTHER, machine: 'fedora', now: T0 });
    expect(r.eventsSince({}).events).toEqual([]);
    confirm(r, P, {}, T0 + MINUTE);
    // The canister notes again after the walk that counts what was held.
    while (r.renderStale(100) > 0);
    const events = r.noteEvents({ proposalIds: [P], now: T0 + MINUTE });
    expect(types(events)).toEqual([
      'proposal_seen',
      'first_attestation',
      'first_mismatch',
      'red_alert',
    ]);
  });

  it('pages with a cursor and keeps a bounded number of events', () => {
    const r = newRegistry();
    for (let id = 1n; id <= 5n; id++) {
      confirm(r, id);
      noteProposalEvents(r, { proposalId: id, now: T0 + id, capacity: 3 });
    }
    const page = r.eventsSince({});
    expect(page).toMatchObject({ oldest: '3', latest: '5', next: '5' });
    expect(page.events.map((e) => e.proposalId)).toEqual(['3', '4', '5']);
    expect(r.eventsSince({ since: 3n, limit: 1 })).toMatchObject({
      next: '4',
      events: [{ seq: '4' }],
    });
    // A reader behind the oldest kept event gets what is kept; one at the head gets nothing.
    expect(r.eventsSince({ since: 1n }).events.map((e) => e.seq)).toEqual(['3', '4', '5']);
    expect(r.eventsSince({ since: 5n })).toMatchObject({ events: [], next: '5' });
    expect(r.latestEvents(2).map((e) => e.seq)).toEqual(['5', '4']);
    expect(r.proposalEvents(1n)).toEqual([]);
    expect(r.tables.events.len()).toBe(3);
  });
});
