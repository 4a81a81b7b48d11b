/**
 * The leaves of the registry's log: one per event that changes what readers see. A leaf is the
 * UTF-8 of one JSON object with its fields in a fixed order, no spaces, u64 values as decimal
 * strings, hashes as lowercase hex — so a reader with only Node's standard library can read
 * and re-check it, and each event has exactly one encoding (a reader re-encodes what it decoded
 * and refuses a leaf that differs: LEAF_NOT_CANONICAL).
 *
 *   {"v":1,"event":"attestation_accepted","attestation":"7","proposal":"130000",
 *    "builder":"<principal>","envelope_sha256":"<hex>","at":"<ns>"}
 *   {"v":1,"event":"attestation_superseded","attestation":"3","by":"7","at":"<ns>"}
 *   {"v":1,"event":"attestation_hidden","attestation":"3","reason":"…","by":"<principal>","at":"<ns>"}
 *   {"v":1,"event":"attestation_unhidden","attestation":"3","by":"<principal>","at":"<ns>"}
 *   {"v":1,"event":"proposal_read","proposal":"130000","kind":"icos_election","os":"guestos",
 *    "status":"open","elected_commit":"<hex>","release_package_sha256":"<hex>",
 *    "launch_measurements":["<hex>"],"at":"<ns>"}
 *
 * `at` is the canister time of the event (ns since the epoch). `proposal_read` is appended when
 * what governance says about a proposal changes (not on every read), with the fields consensus
 * is computed against.
 */
import { utf8Decode, utf8Encode } from '@repro-registry/attestation';

import { LogError, LogErrorCode, refuse, type Checked } from './codes';

export const LEAF_VERSION = 1;

export type LogEvent =
  | {
      event: 'attestation_accepted';
      attestation: string;
      proposal: string;
      builder: string;
      envelope_sha256: string;
      at: string;
    }
  | { event: 'attestation_superseded'; attestation: string; by: string; at: string }
  | { event: 'attestation_hidden'; attestation: string; reason: string; by: string; at: string }
  | { event: 'attestation_unhidden'; attestation: string; by: string; at: string }
  | {
      event: 'proposal_read';
      proposal: string;
      kind: string;
      os: string | null;
      status: string;
      elected_commit: string | null;
      release_package_sha256: string | null;
      launch_measurements: string[];
      at: string;
    };

export type LogEventName = LogEvent['event'];

type FieldKind =
  'u64' | 'principal' | 'hex64' | 'text' | 'name' | 'nullableName' | 'nullableHex' | 'hexList';

/** Each event's fields, in their one order. */
const FIELDS: Record<LogEventName, [string, FieldKind][]> = {
  attestation_accepted: [
    ['attestation', 'u64'],
    ['proposal', 'u64'],
    ['builder', 'principal'],
    ['envelope_sha256', 'hex64'],
    ['at', 'u64'],
  ],
  attestation_superseded: [
    ['attestation', 'u64'],
    ['by', 'u64'],
    ['at', 'u64'],
  ],
  attestation_hidden: [
    ['attestation', 'u64'],
    ['reason', 'text'],
    ['by', 'principal'],
    ['at', 'u64'],
  ],
  attestation_unhidden: [
    ['attestation', 'u64'],
    ['by', 'principal'],
    ['at', 'u64'],
  ],
  proposal_read: [
    ['proposal', 'u64'],
    ['kind', 'name'],
    ['os', 'nullableName'],
    ['status', 'name'],
    ['elected_commit', 'nullableHex'],
    ['release_package_sha256', 'nullableHex'],
    ['launch_measurements', 'hexList'],
    ['at', 'u64'],
  ],
};

const U64_MAX = 18446744073709551615n;
/** A hide reason is at most 500 UTF-8 bytes in the registry; leaves allow some slack. */
const MAX_TEXT_BYTES = 2000;

function validField(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'u64':
      return (
        typeof value === 'string' &&
        /^(0|[1-9][0-9]{0,19})$/.test(value) &&
        BigInt(value) <= U64_MAX
      );
    case 'principal':
      // Textual principals: lowercase base32 groups of five joined by dashes (at most 63 chars).
      return typeof value === 'string' && /^[a-z2-7]{1,5}(-[a-z2-7]{1,5}){0,10}$/.test(value);
    case 'hex64':
      return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
    case 'text':
      return typeof value === 'string' && utf8Encode(value).length <= MAX_TEXT_BYTES;
    case 'name':
      return typeof value === 'string' && /^[a-z0-9_]{1,40}$/.test(value);
    case 'nullableName':
      return value === null || validField('name', value);
    case 'nullableHex':
      return value === null || (typeof value === 'string' && /^([0-9a-f]{2}){1,64}$/.test(value));
    case 'hexList':
      return (
        Array.isArray(value) &&
        value.length <= 64 &&
        value.every((v) => typeof v === 'string' && /^([0-9a-f]{2}){1,128}$/.test(v))
      );
  }
}

/** The leaf bytes of `event`; throws EVENT_FIELD_INVALID for a field out of its domain. */
export function encodeLeaf(event: LogEvent): Uint8Array {
  const fields = FIELDS[event.event];
  if (fields === undefined) {
    throw new LogError(LogErrorCode.EVENT_FIELD_INVALID, 'unknown event');
  }
  const record = event as unknown as Record<string, unknown>;
  // Built field by field so the order is the table's, whatever the object's.
  let text = `{"v":${LEAF_VERSION},"event":${JSON.stringify(event.event)}`;
  for (const [name, kind] of fields) {
    const value = record[name];
    if (!validField(kind, value)) {
      throw new LogError(LogErrorCode.EVENT_FIELD_INVALID, `${event.event}.${name} is not valid`);
    }
    text += `,${JSON.stringify(name)}:${JSON.stringify(value)}`;
  }
  return utf8Encode(text + '}');
}

/** The event a leaf records, checked to be the one encoding of it. */
export function decodeLeaf(leaf: Uint8Array): Checked<LogEvent> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decode(leaf));
  } catch {
    return refuse(LogErrorCode.LEAF_MALFORMED, 'the leaf is not UTF-8 JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return refuse(LogErrorCode.LEAF_MALFORMED, 'the leaf is not a JSON object');
  }
  const object = parsed as Record<string, unknown>;
  if (object.v !== LEAF_VERSION) {
    return refuse(LogErrorCode.LEAF_VERSION, `leaf version ${String(object.v)} is not known`);
  }
  const name = object.event;
  if (typeof name !== 'string' || !Object.hasOwn(FIELDS, name)) {
    return refuse(LogErrorCode.LEAF_MALFORMED, `unknown event ${String(name)}`);
  }
  const fields = FIELDS[name as LogEventName];
  const expected = new Set(['v', 'event', ...fields.map(([f]) => f)]);
  for (const key of Object.keys(object)) {
    if (!expected.has(key)) return refuse(LogErrorCode.LEAF_MALFORMED, `unknown field ${key}`);
  }
  const event: Record<string, unknown> = { event: name };
  for (const [field, kind] of fields) {
    if (!Object.hasOwn(object, field) || !validField(kind, object[field])) {
      return refuse(LogErrorCode.LEAF_MALFORMED, `${name}.${field} is missing or not valid`);
    }
    event[field] = object[field];
  }
  const canonical = encodeLeaf(event as LogEvent);
  if (canonical.length !== leaf.length || canonical.some((b, i) => b !== leaf[i])) {
    return refuse(LogErrorCode.LEAF_NOT_CANONICAL, 'the leaf is not the one encoding of its event');
  }
  return { ok: true, value: event as LogEvent };
}
