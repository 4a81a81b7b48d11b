/**
 * `repro watch`, the pure part: the registry's event pages as read from its JSON API
 * (`/api/v1/events`), checked field by field (a registry is another party: a malformed answer is
 * an error, never a crash halfway through running commands), the environment a `--exec` command
 * gets, the line printed per event, and the `--exec` command line split into words without a
 * shell.
 */
import { parse as parseWords } from 'shell-quote';

import type { RegistryEvent as Event, RegistryEventPage } from '@repro-registry/registry-api';

import { usageError } from './errors';

/** Events as read: types a newer registry adds are kept as text. */
type RegistryEvent = Event<string>;
type EventPage = RegistryEventPage<string>;

export type { RegistryEvent, EventPage };

const U64 = /^(0|[1-9][0-9]{0,19})$/;

class Malformed extends Error {}

function field<T>(
  record: Record<string, unknown>,
  name: string,
  check: (v: unknown) => v is T,
  what: string,
): T {
  const value = record[name];
  if (!check(value)) throw new Malformed(`${name} is not ${what}`);
  return value;
}

const isU64 = (v: unknown): v is string => typeof v === 'string' && U64.test(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= 4096;
const orNull =
  <T>(check: (v: unknown) => v is T) =>
  (v: unknown): v is T | null =>
    v === null || check(v);
const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isHash = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

function readEvent(value: unknown): RegistryEvent {
  if (value === null || typeof value !== 'object') throw new Malformed('an event is not an object');
  const r = value as Record<string, unknown>;
  return {
    seq: field(r, 'seq', isU64, 'a sequence number'),
    // Types a newer registry adds are passed on, not refused.
    type: field(
      r,
      'type',
      (v): v is string => typeof v === 'string' && /^[a-z_]{1,40}$/.test(v),
      'an event type',
    ),
    proposalId: field(r, 'proposalId', isU64, 'a proposal id'),
    at: field(r, 'at', isU64, 'a time'),
    proposalTitle: field(r, 'proposalTitle', orNull(isText), 'text'),
    commit: field(r, 'commit', orNull(isText), 'text'),
    kind: field(r, 'kind', orNull(isText), 'text'),
    sha256: field(r, 'sha256', orNull(isHash), 'a SHA-256'),
    expectedSha256: field(r, 'expectedSha256', orNull(isHash), 'a SHA-256'),
    builders: field(r, 'builders', isCount, 'a count'),
    environmentClasses: field(r, 'environmentClasses', isCount, 'a count'),
    deadlineAt: field(r, 'deadlineAt', orNull(isU64), 'a time'),
    secondsLeft: field(r, 'secondsLeft', orNull(isCount), 'a count'),
    votingOpen: field(r, 'votingOpen', isBool, 'true or false'),
    summary: field(r, 'summary', isText, 'text'),
  };
}

/** The registry's answer to `/api/v1/events`, or an error saying what is wrong with it. */
export function readEventPage(
  value: unknown,
): { ok: true; page: EventPage } | { ok: false; error: string } {
  try {
    if (value === null || typeof value !== 'object') throw new Malformed('not an object');
    const r = value as Record<string, unknown>;
    const events = r['events'];
    if (!Array.isArray(events)) throw new Malformed('events is not a list');
    return {
      ok: true,
      page: {
        events: events.map(readEvent),
        next: field(r, 'next', isU64, 'a cursor'),
        oldest: field(r, 'oldest', isU64, 'a cursor'),
        latest: field(r, 'latest', isU64, 'a cursor'),
      },
    };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, error: error.message };
    throw error;
  }
}

/**
 * What a `--exec` command learns about the event, besides the event as JSON on its stdin. Values
 * are passed as environment variables, never spliced into a command line.
 */
export function eventEnvironment(event: RegistryEvent): Record<string, string> {
  const text = (v: string | number | boolean | null) => (v === null ? '' : String(v));
  return {
    REPRO_EVENT_SEQ: event.seq,
    REPRO_EVENT_TYPE: event.type,
    REPRO_EVENT_PROPOSAL_ID: event.proposalId,
    REPRO_EVENT_AT: isoFromNs(event.at),
    REPRO_EVENT_SUMMARY: event.summary,
    REPRO_EVENT_TITLE: text(event.proposalTitle),
    REPRO_EVENT_COMMIT: text(event.commit),
    REPRO_EVENT_KIND: text(event.kind),
    REPRO_EVENT_SHA256: text(event.sha256),
    REPRO_EVENT_EXPECTED_SHA256: text(event.expectedSha256),
    REPRO_EVENT_BUILDERS: String(event.builders),
    REPRO_EVENT_SECONDS_LEFT: text(event.secondsLeft),
    REPRO_EVENT_VOTING_OPEN: String(event.votingOpen),
  };
}

export function isoFromNs(ns: string): string {
  return new Date(Number(BigInt(ns) / 1_000_000n)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One line per event: time, proposal, type, what happened. */
export function eventLine(event: RegistryEvent): string {
  return `${isoFromNs(event.at)}  #${event.seq}  proposal ${event.proposalId}  ${event.type}  ${event.summary}`;
}

/**
 * The `--exec` command as words. Quotes group words as a shell would, but nothing else of a
 * shell happens: `$VAR`, globs, pipes, `;` and redirections are refused (they would silently
 * mean something else without a shell). Wrap the command in `sh -c '…'` to have a shell.
 */
export function execWords(command: string): string[] {
  const refuse = (what: string) =>
    usageError(
      `--exec "${command}" holds shell syntax (${what}): repro runs the command without a shell`,
      'the event is in REPRO_EVENT_* variables and on stdin; for a shell, use --exec "sh -c \'…\'"',
    );
  // `$` outside single quotes would be expanded by a shell; here it would stay literal.
  if (command.replace(/'[^']*'/g, '').includes('$')) throw refuse('$');
  const words: string[] = [];
  for (const token of parseWords(command)) {
    if (typeof token !== 'string') throw refuse(describeToken(token));
    words.push(token);
  }
  if (words.length === 0)
    throw usageError('--exec needs a command', 'e.g. --exec "notify-send repro"');
  return words;
}

function describeToken(token: unknown): string {
  if (token !== null && typeof token === 'object') {
    const t = token as { op?: string; comment?: string; pattern?: string };
    if (t.op === 'glob') return `glob ${t.pattern ?? ''}`;
    if (t.op !== undefined) return t.op;
    if (t.comment !== undefined) return '#';
  }
  return 'shell syntax';
}
