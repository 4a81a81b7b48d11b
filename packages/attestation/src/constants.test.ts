import { describe, expect, it } from 'vitest';
import { ARTIFACT_KINDS, ARTIFACT_KINDS_BY_OS, ELECTED_OS } from './constants';

describe('ARTIFACT_KINDS_BY_OS', () => {
  it('gives every artifact kind to exactly one elected OS', () => {
    const owners = Object.fromEntries(
      ARTIFACT_KINDS.map((kind) => [
        kind,
        ELECTED_OS.filter((os) => (ARTIFACT_KINDS_BY_OS[os] as readonly string[]).includes(kind)),
      ]),
    );
    expect(owners).toEqual({
      guestos: ['guestos'],
      'guestos-recovery': ['guestos'],
      'launch-measurements': ['guestos'],
      hostos: ['hostos'],
      setupos: ['hostos'],
    });
  });
});
