import { describe, expect, it } from 'vitest';

import { BAD_HASH, BARE_METAL, WSL2, attestation, testBuilder } from '../test-support/fixtures';
import {
  STRONGEST_TIE_RULE,
  consensusAttestations,
  environmentFactors,
  environmentSummary,
  strongestTie,
} from './environment';

const GIB = 2 ** 30;
const b = (i: number) => testBuilder(`env${i}`);

describe('environmentFactors', () => {
  const attestations = [
    attestation({ id: 1n, builder: b(1) }),
    attestation({ id: 2n, builder: b(2), environment: { ...BARE_METAL, virtualization: 'kvm' } }),
    attestation({ id: 3n, builder: b(3) }),
    attestation({ id: 4n, builder: b(4), environment: WSL2, sha256: BAD_HASH }),
    attestation({ id: 5n, builder: b(5), environment: WSL2, sha256: BAD_HASH, cleanCache: false }),
    attestation({ id: 6n, builder: b(6), environment: WSL2, sha256: BAD_HASH }),
  ];
  const factors = environmentFactors(attestations);
  const factor = (id: string) => factors.find((f) => f.id === id)!;

  it('tallies verdicts per value of each factor', () => {
    const virtualization = factor('virtualization');
    expect(virtualization.values.map((v) => [v.label, v.counts.match, v.counts.mismatch])).toEqual([
      // Larger groups first; equal ones in a fixed order.
      ['WSL2', 0, 3],
      ['bare metal', 2, 0],
      ['KVM', 1, 0],
    ]);
  });

  it('points at a value only mismatching builds share, with enough results', () => {
    expect(factor('virtualization')).toMatchObject({
      status: 'tie',
      separation: 1,
      finding: 'All 3 mismatches ran on WSL2; no matching build did.',
    });
    // One of three mismatches reused its cache: not a tie.
    expect(factor('cleanCache')).toMatchObject({ status: 'no_tie' });
    expect(factor('cleanCache').separation).toBeCloseTo(1 / 3);
    expect(strongestTie(factors)?.id).toBe('virtualization');
  });

  it('says "too few results to tell" below 3 mismatches and 3 matches', () => {
    const few = environmentFactors(attestations.slice(0, 5));
    const v = few.find((f) => f.id === 'virtualization')!;
    expect(v).toMatchObject({
      status: 'too_few',
      separation: 0,
      finding:
        'Too few results to tell: needs 3 mismatches and 3 matches with this known; has 2 mismatches and 3 matches.',
    });
    expect(strongestTie(few)).toBeNull();
    expect(STRONGEST_TIE_RULE).toContain('at least 3 mismatches and 3 matches');
  });

  it('buckets RAM and swap by whole GiB, reading 7.7 GiB as the 8 GiB it is', () => {
    expect(factor('memory').values.map((v) => v.label)).toEqual(['8–15 GiB', '≥ 64 GiB']);
    expect(factor('swap').values.map((v) => v.label)).toEqual(['< 4 GiB', '4–15 GiB']);
  });

  it('keeps unknown values apart and never blames or counts them', () => {
    const unknown = (id: bigint) =>
      attestation({
        id,
        builder: b(Number(id)),
        sha256: BAD_HASH,
        environment: { ...BARE_METAL, memoryBytes: null, virtualization: 'unknown' },
      });
    const withUnknown = environmentFactors([
      ...attestations.slice(0, 3),
      unknown(9n),
      unknown(10n),
      unknown(11n),
    ]);
    const memory = withUnknown.find((f) => f.id === 'memory')!;
    expect(memory.values.map((v) => v.label)).toEqual(['≥ 64 GiB', 'unknown']);
    expect(memory.status).toBe('nothing_to_explain');
    expect(withUnknown.find((f) => f.id === 'virtualization')!.status).toBe('nothing_to_explain');
  });

  it('has nothing to explain without mismatches', () => {
    expect(
      environmentFactors(attestations.slice(0, 3)).every(
        (f) => f.separation === 0 && f.status === 'nothing_to_explain',
      ),
    ).toBe(true);
  });

  it('reads zero swap as no swap', () => {
    const noSwap = attestation({
      id: 7n,
      builder: b(7),
      environment: { ...BARE_METAL, swapBytes: '0', memoryBytes: String(16 * GIB) },
    });
    const f = environmentFactors([noSwap]);
    expect(f.find((x) => x.id === 'swap')!.values[0].label).toBe('no swap');
    expect(f.find((x) => x.id === 'memory')!.values[0].label).toBe('16–31 GiB');
  });
});

describe('consensusAttestations', () => {
  it('keeps the attestations whose results the registry counts, and a list’s builders only', () => {
    const a = attestation({ id: 1n, builder: b(1) });
    const notCounted = (x: typeof a) => ({
      ...x,
      artifacts: x.artifacts.map((r) => ({ ...r, counted: false })),
    });
    const list = [
      a,
      notCounted({ ...a, id: 2n, supersededBy: 3n }),
      notCounted({ ...a, id: 3n, hidden: { reason: 'spam', at: 0, by: 'aaaaa-aa' } }),
      notCounted({ ...a, id: 4n, held: true }),
      { ...attestation({ id: 5n, builder: b(5) }) },
    ];
    expect(consensusAttestations(list).map((x) => x.id)).toEqual([1n, 5n]);
    expect(consensusAttestations(list, new Set([b(5).principal])).map((x) => x.id)).toEqual([5n]);
  });
});

describe('environmentSummary', () => {
  it('says where and on what the build ran', () => {
    expect(environmentSummary(attestation({ id: 1n, builder: b(1), environment: WSL2 }))).toBe(
      'WSL2 · Ubuntu 22.04.4 LTS · 7.7 GiB RAM · 2 GiB swap · podman 3.4.4',
    );
  });
});
