import { describe, expect, it } from 'vitest';

import { BAD_HASH, BARE_METAL, WSL2, attestation, testBuilder } from '../test-support/fixtures';
import { consensusAttestations, environmentFactors, environmentSummary } from './environment';

const GIB = 2 ** 30;
const b = (i: number) => testBuilder(`env${i}`);

describe('environmentFactors', () => {
  const attestations = [
    attestation({ id: 1n, builder: b(1) }),
    attestation({ id: 2n, builder: b(2), environment: { ...BARE_METAL, virtualization: 'kvm' } }),
    attestation({ id: 3n, builder: b(3) }),
    attestation({ id: 4n, builder: b(4), environment: WSL2, sha256: BAD_HASH }),
    attestation({ id: 5n, builder: b(5), environment: WSL2, sha256: BAD_HASH, cleanCache: false }),
  ];
  const factors = environmentFactors(attestations);
  const factor = (id: string) => factors.find((f) => f.id === id)!;

  it('tallies verdicts per value of each factor', () => {
    const virtualization = factor('virtualization');
    expect(virtualization.values.map((v) => [v.label, v.counts.match, v.counts.mismatch])).toEqual([
      // Larger groups first; equal ones in a fixed order.
      ['WSL2', 0, 2],
      ['bare metal', 2, 0],
      ['KVM', 1, 0],
    ]);
  });

  it('points at a value only mismatching builds share', () => {
    expect(factor('virtualization').finding).toBe(
      'All 2 mismatches ran on WSL2; no matching build did.',
    );
    expect(factor('virtualization').separation).toBe(1);
    // The cache was reused by one of the two mismatches only: a weaker tie.
    expect(factor('cleanCache').separation).toBe(0.5);
  });

  it('buckets RAM and swap by whole GiB, reading 7.7 GiB as the 8 GiB it is', () => {
    expect(factor('memory').values.map((v) => v.label)).toEqual(['8–15 GiB', '≥ 64 GiB']);
    expect(factor('swap').values.map((v) => v.label)).toEqual(['< 4 GiB', '4–15 GiB']);
  });

  it('keeps unknown values apart and never blames them', () => {
    const unknown = attestation({
      id: 9n,
      builder: b(9),
      sha256: BAD_HASH,
      environment: { ...BARE_METAL, memoryBytes: null, virtualization: 'unknown' },
    });
    const withUnknown = environmentFactors([attestations[0], unknown]);
    const memory = withUnknown.find((f) => f.id === 'memory')!;
    expect(memory.values.map((v) => v.label)).toEqual(['≥ 64 GiB', 'unknown']);
    expect(memory.finding).toBeNull();
    expect(withUnknown.find((f) => f.id === 'virtualization')!.finding).toBeNull();
  });

  it('finds nothing without both matches and mismatches', () => {
    expect(
      environmentFactors(attestations.slice(0, 3)).every(
        (f) => f.separation === 0 && f.finding === null,
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
