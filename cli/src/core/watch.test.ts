import { describe, expect, it } from 'vitest';

import { CliError } from './errors';
import { eventEnvironment, eventLine, execWords, readEventPage, type RegistryEvent } from './watch';

const EVENT: RegistryEvent = {
  seq: '12',
  type: 'red_alert',
  proposalId: '139768',
  at: '1764000000000000000',
  proposalTitle: 'Elect new IC/Replica revision; $(rm -rf ~)',
  commit: '2f2c53b7c1cd1a0ba0c3f4b5ca3d7e51c4b2a0d9',
  kind: 'guestos',
  sha256: 'b'.repeat(64),
  expectedSha256: 'a'.repeat(64),
  builders: 2,
  environmentClasses: 2,
  deadlineAt: '1764345600000000000',
  secondsLeft: 345_600,
  votingOpen: true,
  summary:
    'RED ALERT: 2 builders on 2 kinds of machine agree on a guestos hash that is not the one proposal 139768 states; 4 days left to vote.',
};

const page = (over: Record<string, unknown> = {}) => ({
  events: [EVENT],
  next: '12',
  oldest: '1',
  latest: '12',
  ...over,
});

describe('readEventPage', () => {
  it('reads the registry’s page', () => {
    expect(readEventPage(page())).toEqual({ ok: true, page: page() });
  });

  it('passes on event types a newer registry adds', () => {
    const newer = readEventPage(page({ events: [{ ...EVENT, type: 'deployed_differs' }] }));
    expect(newer.ok && newer.page.events[0]?.type).toBe('deployed_differs');
  });

  it.each([
    ['not an object', 'events'],
    ['events is not a list', { ...page(), events: {} }],
    ['seq is not a sequence number', page({ events: [{ ...EVENT, seq: '-1' }] })],
    ['sha256 is not a SHA-256', page({ events: [{ ...EVENT, sha256: 'zz' }] })],
    ['builders is not a count', page({ events: [{ ...EVENT, builders: 1.5 }] })],
    ['votingOpen is not true or false', page({ events: [{ ...EVENT, votingOpen: 'yes' }] })],
    ['next is not a cursor', page({ next: 12 })],
    ['type is not an event type', page({ events: [{ ...EVENT, type: 'x; rm' }] })],
  ])('refuses an answer where %s', (error, value) => {
    expect(readEventPage(value)).toEqual({ ok: false, error });
  });
});

describe('eventEnvironment', () => {
  it('gives every fact as a variable, user text verbatim', () => {
    expect(eventEnvironment(EVENT)).toEqual({
      REPRO_EVENT_SEQ: '12',
      REPRO_EVENT_TYPE: 'red_alert',
      REPRO_EVENT_PROPOSAL_ID: '139768',
      REPRO_EVENT_AT: '2025-11-24T16:00:00Z',
      REPRO_EVENT_SUMMARY: EVENT.summary,
      REPRO_EVENT_TITLE: 'Elect new IC/Replica revision; $(rm -rf ~)',
      REPRO_EVENT_COMMIT: EVENT.commit,
      REPRO_EVENT_KIND: 'guestos',
      REPRO_EVENT_SHA256: 'b'.repeat(64),
      REPRO_EVENT_EXPECTED_SHA256: 'a'.repeat(64),
      REPRO_EVENT_BUILDERS: '2',
      REPRO_EVENT_SECONDS_LEFT: '345600',
      REPRO_EVENT_VOTING_OPEN: 'true',
    });
    expect(eventEnvironment({ ...EVENT, kind: null, secondsLeft: null }).REPRO_EVENT_KIND).toBe('');
  });

  it('prints a line per event', () => {
    expect(eventLine(EVENT)).toBe(
      `2025-11-24T16:00:00Z  #12  proposal 139768  red_alert  ${EVENT.summary}`,
    );
  });
});

describe('execWords', () => {
  it('splits words and quotes as a shell would, nothing more', () => {
    expect(execWords(`notify-send 'repro registry' "it's" plain`)).toEqual([
      'notify-send',
      'repro registry',
      "it's",
      'plain',
    ]);
    // A shell of one's own is fine: the variable is the shell's to expand, from the environment.
    expect(execWords(`sh -c 'notify-send "$REPRO_EVENT_SUMMARY"'`)).toEqual([
      'sh',
      '-c',
      'notify-send "$REPRO_EVENT_SUMMARY"',
    ]);
  });

  it.each([
    ['notify-send $REPRO_EVENT_SUMMARY', '$'],
    ['echo hi; rm -rf ~', ';'],
    ['echo hi | mail me', '|'],
    ['echo hi > /etc/passwd', '>'],
    ['ls *.txt', 'glob *.txt'],
    ['echo "$(id)"', '$'],
    ['', null],
  ])('refuses shell syntax in %j', (command, what) => {
    let error: unknown;
    try {
      execWords(command);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    if (what !== null) expect((error as Error).message).toContain(`(${what})`);
  });
});
