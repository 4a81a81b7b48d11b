import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IDL } from '@dfinity/candid';
import {
  decodeIcOsElection,
  encodeGuestosElectionPayload,
  encodeHostosElectionPayload,
  hexToBytes,
  NnsFunction,
  ProposalsErrorCode,
} from './index';

interface Fixture {
  name: string;
  nnsFunction: number;
  payloadHex: string;
  expected: { ok: true; value: unknown } | { ok: false; code: string };
}

const { fixtures } = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/payloads.json', import.meta.url)), 'utf8'),
) as { fixtures: Fixture[] };

describe('decodeIcOsElection on Candid encoded with each historic payload type', () => {
  it('has fixtures for every election function and the failure codes', () => {
    const functions = new Set(fixtures.filter((f) => f.expected.ok).map((f) => f.nnsFunction));
    expect([...functions].sort((a, b) => a - b)).toEqual([5, 38, 40, 50]);
    const codes = new Set(fixtures.flatMap((f) => (f.expected.ok ? [] : [f.expected.code])));
    expect(codes).toEqual(new Set(['NOT_ICOS_ELECTION', 'PAYLOAD_UNDECODABLE', 'PAYLOAD_OMITTED']));
  });

  for (const fixture of fixtures) {
    it(fixture.name, () => {
      const result = decodeIcOsElection({
        nnsFunction: fixture.nnsFunction,
        payload: hexToBytes(fixture.payloadHex),
      });
      if (fixture.expected.ok) {
        expect(result).toEqual(fixture.expected);
      } else {
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.code).toBe(fixture.expected.code);
          expect(result.message.length).toBeGreaterThan(10);
        }
      }
    });
  }
});

describe('decodeIcOsElection edge cases', () => {
  it('refuses functions that elect nothing, including retiring versions', () => {
    const payload = encodeGuestosElectionPayload({
      electedCommit: 'a'.repeat(40),
      releasePackageSha256Hex: null,
      releasePackageUrls: [],
    });
    for (const nnsFunction of [0, 11, NnsFunction.RetireReplicaVersion, 51, -1, 1.5, Number.NaN]) {
      const result = decodeIcOsElection({ nnsFunction, payload });
      expect(result).toMatchObject({ ok: false, code: ProposalsErrorCode.NOT_ICOS_ELECTION });
    }
  });

  it('reads a payload that sits inside a larger buffer at an offset (Node Buffer pools)', () => {
    const payload = encodeHostosElectionPayload({
      electedCommit: 'b'.repeat(40),
      releasePackageSha256Hex: 'c'.repeat(64),
      releasePackageUrls: ['https://example.org/update-img.tar.zst'],
    });
    const big = new Uint8Array(payload.length + 100);
    big.set(payload, 37);
    const view = big.subarray(37, 37 + payload.length);
    const result = decodeIcOsElection({ nnsFunction: 50, payload: view });
    expect(result).toMatchObject({
      ok: true,
      value: { os: 'hostos', electedCommit: 'b'.repeat(40) },
    });
  });

  it('round-trips the encoder with launch measurements', () => {
    const measurementHex = '0a0b'.repeat(24);
    const payload = encodeGuestosElectionPayload({
      electedCommit: 'd'.repeat(40),
      releasePackageSha256Hex: 'e'.repeat(64),
      releasePackageUrls: ['u1', 'u2'],
      launchMeasurements: [{ measurementHex, kernelCmdline: null }],
      unelectedVersions: ['x'],
    });
    const result = decodeIcOsElection({ nnsFunction: 38, payload });
    expect(result).toEqual({
      ok: true,
      value: {
        os: 'guestos',
        payloadType: 'ReviseElectedGuestosVersions',
        nnsFunction: 38,
        electedCommit: 'd'.repeat(40),
        releasePackageSha256Hex: 'e'.repeat(64),
        releasePackageUrls: ['u1', 'u2'],
        launchMeasurements: [{ measurementHex, kernelCmdline: null }],
        unelectedVersions: ['x'],
      },
    });
  });

  it('rejects trailing bytes after a valid payload', () => {
    const payload = encodeHostosElectionPayload({
      electedCommit: null,
      releasePackageSha256Hex: null,
      releasePackageUrls: [],
      unelectedVersions: ['v'],
    });
    const withTail = new Uint8Array([...payload, 0]);
    expect(decodeIcOsElection({ nnsFunction: 50, payload: withTail })).toMatchObject({
      ok: false,
      code: ProposalsErrorCode.PAYLOAD_UNDECODABLE,
    });
  });

  it('rejects a payload with two arguments of which the first is wrong', () => {
    const payload = IDL.encode([IDL.Nat, IDL.Text], [1n, 'x']);
    expect(decodeIcOsElection({ nnsFunction: 5, payload })).toMatchObject({
      ok: false,
      code: ProposalsErrorCode.PAYLOAD_UNDECODABLE,
    });
  });
});
