/**
 * Which environment factors go with mismatches. The forum thread traced most mismatches to the
 * builder's machine (WSL2, little RAM or swap, VirtualBox vs KVM, a stale cache), so the page
 * tallies outcomes per value of each factor and points out values that only mismatching builds
 * share.
 */
import { formatBytes, virtualizationLabel } from './format';
import type { Attestation, Verdict, VerdictCounts } from './types';

export type FactorId =
  'virtualization' | 'memory' | 'swap' | 'containerRuntime' | 'osVersion' | 'cleanCache';

export const FACTOR_LABELS: Record<FactorId, string> = {
  virtualization: 'Virtualization',
  memory: 'RAM',
  swap: 'Swap',
  containerRuntime: 'Container runtime',
  osVersion: 'OS version',
  cleanCache: 'Cache',
};

export const UNKNOWN = 'unknown';

export interface FactorValue {
  /** The bucket, e.g. "16–31 GiB" or "WSL2"; `unknown` when the builder could not tell. */
  label: string;
  /** Sort key within the factor (numeric buckets in ascending order). */
  order: number;
  counts: VerdictCounts;
  total: number;
}

export interface EnvironmentFactor {
  id: FactorId;
  label: string;
  values: FactorValue[];
  /**
   * How much more often one value appears among mismatches than among matches (0..1): 1 when
   * every mismatch and no match has it. 0 without both matches and mismatches.
   */
  separation: number;
  /** A sentence about the value most tied to mismatches, when the tie is strong. */
  finding: string | null;
}

const GIB = 2 ** 30;

function bucketGiB(
  bytes: string | null,
  edges: { below: number; label: string }[],
  top: string,
): [string, number] {
  if (bytes === null) return [UNKNOWN, Number.MAX_SAFE_INTEGER];
  const gib = Math.round(Number(bytes) / GIB);
  const index = edges.findIndex((e) => gib < e.below);
  return index < 0 ? [top, edges.length] : [(edges[index] as { label: string }).label, index];
}

type Bucketer = (a: Attestation) => [label: string, order: number];

const BUCKETS: Record<FactorId, Bucketer> = {
  virtualization: (a) => {
    const v = a.environment.virtualization;
    return v === 'unknown' ? [UNKNOWN, Number.MAX_SAFE_INTEGER] : [virtualizationLabel(v), 0];
  },
  // /proc/meminfo reports a little less than the nominal size: round to whole GiB first.
  memory: (a) =>
    bucketGiB(
      a.environment.memoryBytes,
      [
        { below: 8, label: '< 8 GiB' },
        { below: 16, label: '8–15 GiB' },
        { below: 32, label: '16–31 GiB' },
        { below: 64, label: '32–63 GiB' },
      ],
      '≥ 64 GiB',
    ),
  swap: (a) =>
    a.environment.swapBytes === '0'
      ? ['no swap', -1]
      : bucketGiB(
          a.environment.swapBytes,
          [
            { below: 4, label: '< 4 GiB' },
            { below: 16, label: '4–15 GiB' },
            { below: 64, label: '16–63 GiB' },
          ],
          '≥ 64 GiB',
        ),
  containerRuntime: (a) => {
    const { containerRuntimeName: name, containerRuntimeVersion: version } = a.environment;
    if (name === null && version === null) return [UNKNOWN, Number.MAX_SAFE_INTEGER];
    return [`${name ?? 'runtime'} ${version ?? '(version unknown)'}`, 0];
  },
  osVersion: (a) => {
    const { osName: name, osVersion: version } = a.environment;
    if (name === null && version === null) return [UNKNOWN, Number.MAX_SAFE_INTEGER];
    return [[name, version].filter((x) => x !== null).join(' '), 0];
  },
  cleanCache: (a) => {
    const clean = a.build.cleanCache;
    return clean === null
      ? [UNKNOWN, Number.MAX_SAFE_INTEGER]
      : clean
        ? ['clean cache', 0]
        : ['reused cache', 1];
  },
};

/** "ran {phrase}": how a value reads in a sentence. */
const PHRASES: Record<FactorId, (value: string) => string> = {
  virtualization: (v) => `on ${v}`,
  memory: (v) => `with ${v} RAM`,
  swap: (v) => (v === 'no swap' ? 'without swap' : `with ${v} swap`),
  containerRuntime: (v) => `with ${v}`,
  osVersion: (v) => `on ${v}`,
  cleanCache: (v) => `with a ${v}`,
};

const emptyCounts = (): VerdictCounts => ({ match: 0, mismatch: 0, build_failed: 0, not_built: 0 });

/** Attestations that count: current, visible, for the proposal's commit. */
export function consensusAttestations(
  attestations: Iterable<Attestation>,
  members: ReadonlySet<string> | null = null,
): Attestation[] {
  // The registry says which results count (a builder's newest with a hash, visible, not held
  // or rejected); with a trust list selected only its builders'.
  return [...attestations].filter(
    (a) => a.artifacts.some((r) => r.counted) && (members === null || members.has(a.builder)),
  );
}

export function environmentFactors(attestations: Attestation[]): EnvironmentFactor[] {
  return (Object.keys(BUCKETS) as FactorId[]).map((id) => {
    const values = new Map<string, FactorValue>();
    for (const a of attestations) {
      const [label, order] = BUCKETS[id](a);
      const value = values.get(label) ?? { label, order, counts: emptyCounts(), total: 0 };
      value.counts[a.effectiveVerdict satisfies Verdict] += 1;
      value.total += 1;
      values.set(label, value);
    }
    const sorted = [...values.values()].sort(
      (x, y) => x.order - y.order || y.total - x.total || (x.label < y.label ? -1 : 1),
    );
    const { separation, finding } = assess(id, sorted);
    return { id, label: FACTOR_LABELS[id], values: sorted, separation, finding };
  });
}

function assess(
  id: FactorId,
  values: FactorValue[],
): { separation: number; finding: string | null } {
  const mismatches = values.reduce((n, v) => n + v.counts.mismatch, 0);
  const matches = values.reduce((n, v) => n + v.counts.match, 0);
  if (mismatches === 0 || matches === 0) return { separation: 0, finding: null };
  let best: { value: FactorValue; score: number } | null = null;
  for (const value of values) {
    if (value.label === UNKNOWN) continue;
    const score = value.counts.mismatch / mismatches - value.counts.match / matches;
    if (best === null || score > best.score) best = { value, score };
  }
  if (best === null || best.score <= 0) return { separation: 0, finding: null };
  const { value, score } = best;
  const what = PHRASES[id](value.label);
  let finding: string | null = null;
  if (value.counts.mismatch === mismatches && value.counts.match === 0) {
    finding =
      mismatches === 1
        ? `The mismatch ran ${what}; no matching build did.`
        : `All ${mismatches} mismatches ran ${what}; no matching build did.`;
  } else if (score >= 0.5) {
    finding = `${value.counts.mismatch} of ${mismatches} mismatches ran ${what}, against ${value.counts.match} of ${matches} matches.`;
  }
  return { separation: score, finding };
}

/** One line summarising a builder's machine for the attestations table. */
export function environmentSummary(a: Attestation): string {
  const e = a.environment;
  const parts = [
    virtualizationLabel(e.virtualization),
    [e.osName, e.osVersion].filter((x) => x !== null).join(' ') || null,
    e.memoryBytes === null ? null : `${formatBytes(e.memoryBytes)} RAM`,
    e.swapBytes === null ? null : `${formatBytes(e.swapBytes)} swap`,
    e.containerRuntimeName === null
      ? null
      : `${e.containerRuntimeName} ${e.containerRuntimeVersion ?? ''}`.trim(),
  ];
  return parts.filter((p) => p !== null).join(' · ');
}
