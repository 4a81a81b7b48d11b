import { describe, expect, it } from 'vitest';

import { LogErrorCode } from './codes';
import { decodeLeaf, encodeLeaf, type LogEvent } from './leaves';

const HASH = 'ab'.repeat(32);
const EVENTS: LogEvent[] = [
  {
    event: 'attestation_accepted',
    attestation: '7',
    proposal: '130000',
    builder: 'rwlgt-iiaaa-aaaaa-aaaaa-cai',
    envelope_sha256: HASH,
    at: '1700000000000000000',
  },
  { event: 'attestation_superseded', attestation: '3', by: '7', at: '1' },
  {
    event: 'attestation_hidden',
    attestation: '3',
    reason: 'spam — "quoted"\nsecond line',
    by: 'rwlgt-iiaaa-aaaaa-aaaaa-cai',
    at: '18446744073709551615',
  },
  { event: 'attestation_unhidden', attestation: '0', by: '2vxsx-fae', at: '5' },
  {
    event: 'proposal_read',
    proposal: '130000',
    kind: 'icos_election',
    os: 'guestos',
    status: 'open',
    elected_commit: 'cd'.repeat(20),
    release_package_sha256: HASH,
    launch_measurements: ['00ff', '11ee'],
    at: '9',
  },
];

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);

describe('leaf format', () => {
  it('one fixed text per event, and back', () => {
    expect(text(encodeLeaf(EVENTS[1]))).toBe(
      '{"v":1,"event":"attestation_superseded","attestation":"3","by":"7","at":"1"}',
    );
    expect(text(encodeLeaf(EVENTS[0]))).toBe(
      `{"v":1,"event":"attestation_accepted","attestation":"7","proposal":"130000","builder":"rwlgt-iiaaa-aaaaa-aaaaa-cai","envelope_sha256":"${HASH}","at":"1700000000000000000"}`,
    );
    for (const event of EVENTS)
      expect(decodeLeaf(encodeLeaf(event))).toEqual({ ok: true, value: event });
  });

  it('the field order is the format’s, not the object’s', () => {
    const { at, by, attestation } = EVENTS[1] as Extract<
      LogEvent,
      { event: 'attestation_superseded' }
    >;
    const shuffled = { at, by, attestation, event: 'attestation_superseded' } as LogEvent;
    expect(encodeLeaf(shuffled)).toEqual(encodeLeaf(EVENTS[1]));
  });

  it('refuses other encodings of an event and malformed leaves with their codes', () => {
    const code = (s: string) => {
      const r = decodeLeaf(bytes(s));
      return r.ok ? 'ok' : r.code;
    };
    const good = text(encodeLeaf(EVENTS[1]));
    expect(code(good)).toBe('ok');
    expect(code(good.replace(',"by"', ', "by"'))).toBe(LogErrorCode.LEAF_NOT_CANONICAL);
    expect(
      code('{"event":"attestation_superseded","v":1,"attestation":"3","by":"7","at":"1"}'),
    ).toBe(LogErrorCode.LEAF_NOT_CANONICAL);
    expect(code(good.replace('"3"', '"\\u0033"'))).toBe(LogErrorCode.LEAF_NOT_CANONICAL);
    expect(code(good.replace('"v":1', '"v":2'))).toBe(LogErrorCode.LEAF_VERSION);
    expect(code(good.replace('"at":"1"', '"at":1'))).toBe(LogErrorCode.LEAF_MALFORMED);
    expect(code(good.replace('"at":"1"', '"at":"01"'))).toBe(LogErrorCode.LEAF_MALFORMED);
    expect(code(good.replace('"at":"1"', '"at":"18446744073709551616"'))).toBe(
      LogErrorCode.LEAF_MALFORMED,
    );
    expect(code(good.replace('}', ',"extra":1}'))).toBe(LogErrorCode.LEAF_MALFORMED);
    expect(code(good.replace('attestation_superseded', 'attestation_deleted'))).toBe(
      LogErrorCode.LEAF_MALFORMED,
    );
    expect(code('not json')).toBe(LogErrorCode.LEAF_MALFORMED);
    expect(code('[1]')).toBe(LogErrorCode.LEAF_MALFORMED);
    expect(decodeLeaf(Uint8Array.of(0xff, 0xfe)).ok).toBe(false);
  });

  it('refuses to encode a field out of its domain', () => {
    const bad: LogEvent[] = [
      {
        ...(EVENTS[0] as Extract<LogEvent, { event: 'attestation_accepted' }>),
        envelope_sha256: 'AB'.repeat(32),
      },
      {
        ...(EVENTS[0] as Extract<LogEvent, { event: 'attestation_accepted' }>),
        builder: 'Not A Principal',
      },
      { event: 'attestation_superseded', attestation: '-1', by: '7', at: '1' },
      {
        event: 'attestation_hidden',
        attestation: '1',
        reason: 'x'.repeat(2001),
        by: '2vxsx-fae',
        at: '1',
      },
    ];
    for (const event of bad) {
      expect(() => encodeLeaf(event)).toThrow(
        expect.objectContaining({ code: LogErrorCode.EVENT_FIELD_INVALID }),
      );
    }
  });
});
