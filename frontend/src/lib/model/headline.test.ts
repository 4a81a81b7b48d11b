import { describe, expect, it } from 'vitest';

import { HEADLINE_STATES, decideHeadline, needsEnvironments, type Tally } from './headline';

const GOOD = 'a'.repeat(64);
const BAD = 'b'.repeat(64);
const OTHER = 'c'.repeat(64);

const BARE = 'ubuntu / bare_metal / podman';
const KVM = 'ubuntu / kvm / podman';
const VBOX = 'ubuntu / virtualbox / podman';
const WSL = 'ubuntu / wsl2 / podman';

const MACHINE: Record<string, string> = {
  [BARE]: 'bare metal',
  [KVM]: 'KVM',
  [VBOX]: 'VirtualBox',
  [WSL]: 'WSL2',
};

/** A hash group of builders on the given kinds of machine (one builder per entry). */
function group(sha256: string, machines: string[], known = true) {
  const classes = new Set(machines);
  return {
    sha256,
    builders: machines.length,
    classCount: classes.size,
    classes: known ? classes : null,
    machines: known ? [...classes].map((c) => MACHINE[c]) : null,
  };
}

function tally(over: Partial<Tally> = {}): Tally {
  return {
    kind: 'guestos',
    expectedSha256: GOOD,
    expectedSource: 'proposal',
    onChainRead: true,
    groups: [],
    failed: 0,
    scope: { listName: null, matchingInAll: 0 },
    ...over,
  };
}

describe('decideHeadline', () => {
  it('says reproduced when the threshold agrees on the proposal’s hash and nobody differs', () => {
    const h = decideHeadline(tally({ groups: [group(GOOD, [BARE, BARE, KVM, KVM, BARE])] }), 3);
    expect(h).toMatchObject({ state: 'reproduced', tone: 'good', icon: '✓' });
    expect(h.sentence).toBe(
      "Reproduced: 5 builders got the proposal's GuestOS hash on 2 kinds of machine.",
    );
    expect(h.badge).toBe('reproduced · 5 builders');
  });

  it('keeps a proposal reproduced when the one builder who differs ran on a machine nobody reproducing used', () => {
    const t = tally({
      groups: [group(GOOD, [BARE, BARE, BARE, KVM, KVM, KVM, BARE]), group(BAD, [VBOX])],
    });
    const h = decideHeadline(t, 3);
    expect(h).toMatchObject({ state: 'reproduced', tone: 'good', reproducing: 7, differing: 1 });
    expect(h.sentence).toBe(
      "Reproduced: 7 builders got the proposal's GuestOS hash on 2 kinds of machine; 1 builder on VirtualBox differs (see below).",
    );
    expect(h.badge).toBe('reproduced · 7 builders · 1 outlier');
    expect(needsEnvironments(t, 3)).toBe(true);
  });

  it('calls it a split when a builder differs on the same kind of machine as builders who reproduced it', () => {
    const h = decideHeadline(
      tally({ groups: [group(GOOD, [BARE, KVM, KVM, BARE]), group(BAD, [BARE])] }),
      3,
    );
    expect(h).toMatchObject({ state: 'split', tone: 'warn', icon: '!' });
    expect(h.sentence).toBe(
      "Builders differ: 4 got the proposal's GuestOS hash and 1 got another hash (see below); their machines do not explain the difference.",
    );
  });

  it('does not call a difference explained while the machines are unknown', () => {
    const t = tally({ groups: [group(GOOD, [BARE, KVM, KVM], false), group(BAD, [VBOX], false)] });
    expect(decideHeadline(t, 3)).toMatchObject({ state: 'split', tone: 'warn' });
    expect(decideHeadline(t, 3).sentence).toContain('which machines they used is not known yet');
  });

  it('is a split, not reproduced, when as many differ as reproduce even on other machines', () => {
    const h = decideHeadline(
      tally({
        groups: [group(GOOD, [BARE, BARE, BARE]), group(BAD, [VBOX]), group(OTHER, [WSL, WSL])],
      }),
      3,
    );
    expect(h.state).toBe('split');
    expect(h.sentence).toContain(
      '3 got other hashes (see below); no more builders got it than differ',
    );
  });

  it('says not reproduced yet below the threshold', () => {
    const h = decideHeadline(tally({ groups: [group(GOOD, [BARE, KVM])], failed: 1 }), 3);
    expect(h).toMatchObject({ state: 'not_yet', tone: 'pending', icon: '…' });
    expect(h.sentence).toBe(
      "Not reproduced yet: 2 of 3 builders needed got the proposal's GuestOS hash; 1 build failed.",
    );
    expect(h.badge).toBe('2 of 3 needed · 1 failed');
  });

  it('warns when builders agree on a hash that is not the proposal’s', () => {
    const h = decideHeadline(
      tally({ groups: [group(BAD, [BARE, KVM, BARE, KVM]), group(GOOD, [WSL])] }),
      3,
    );
    expect(h).toMatchObject({ state: 'against', tone: 'bad', icon: '⚠' });
    expect(h.sentence).toBe(
      "Warning: 4 builders agree on a GuestOS hash that is not the proposal's; 1 got the proposal's.",
    );
  });

  it('does not call one lone differing builder an agreement against the proposal', () => {
    const h = decideHeadline(tally({ groups: [group(BAD, [WSL])] }), 3);
    expect(h.state).toBe('split');
    expect(h.sentence).toBe(
      "Not reproduced: 1 builder got another hash and none the proposal's GuestOS hash (see below).",
    );
  });

  it('says so when the proposal states no hash, instead of “match”', () => {
    const h = decideHeadline(
      tally({
        expectedSha256: GOOD,
        expectedSource: 'builders',
        groups: [group(GOOD, [BARE, KVM, BARE])],
      }),
      3,
    );
    expect(h).toMatchObject({ state: 'no_hash', tone: 'none' });
    expect(h.badge).toBe('no hash on chain · 3 agree');
    expect(h.sentence).toBe(
      'No hash on chain: the proposal states no GuestOS hash to reproduce; 3 of 3 builders agree with each other.',
    );
    const unread = decideHeadline(tally({ expectedSource: 'none', onChainRead: false }), 3);
    expect(unread.badge).toBe('hash not read yet');
  });

  it('says nothing was reproduced before any builder reported a hash', () => {
    expect(decideHeadline(tally(), 3)).toMatchObject({
      state: 'none',
      badge: 'no reproduction yet',
      sentence: 'No reproduction yet: no builder has reported a built GuestOS image.',
    });
  });

  it('says whose builders it counts when a trust list is chosen', () => {
    const h = decideHeadline(
      tally({
        groups: [group(GOOD, [BARE, KVM])],
        scope: { listName: 'CodeGov', matchingInAll: 4 },
      }),
      3,
    );
    expect(h.sentence).toBe(
      "Not reproduced yet: 2 of 3 builders needed on list CodeGov got the proposal's GuestOS hash; 4 in all.",
    );
    expect(h.badge).toBe('2 of 3 needed on list CodeGov; 4 in all');
  });

  it('explains every state it can give in the legend, each with its own icon', () => {
    const states = HEADLINE_STATES.map((s) => s.state);
    expect(new Set(states).size).toBe(6);
    expect(new Set(HEADLINE_STATES.map((s) => s.icon)).size).toBe(6);
    for (const s of HEADLINE_STATES) expect(s.meaning(3).length).toBeGreaterThan(20);
  });
});
