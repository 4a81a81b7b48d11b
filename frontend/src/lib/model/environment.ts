/**
 * Which environment factors go with mismatches. The forum thread traced most mismatches to the
 * builder's machine (WSL2, little RAM or swap, VirtualBox vs KVM, a stale cache), so the page
 * tallies outcomes per value of each factor and points out values that only mismatching builds
 * share.
 */
import { formatBytes, plural, virtualizationLabel } from './format';
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

/**
 * What a factor can say: a value tied to mismatches; no value tied; too few results to tell;
 * nothing to explain (no mismatch, or no match to compare with).
 */
export type FactorStatus = 'tie' | 'no_tie' | 'too_few' | 'nothing_to_explain';

export interface EnvironmentFactor {
  id: FactorId;
  label: string;
  values: FactorValue[];
  status: FactorStatus;
  /**
   * How much more often the value most tied to mismatches appears among mismatches than among
   * matches (its share of mismatches minus its share of matches, 0..1); 0 unless `tie`/`no_tie`.
   */
  separation: number;
  /** A sentence for the factor's card: the tie, why there is none, or why it cannot tell. */
  finding: string;
}

/**
 * A factor claims a tie only with at least this many mismatches and this many matches whose
 * value is known: with fewer, one odd machine looks like a pattern.
 */
export const MIN_MISMATCHES = 3;
export const MIN_MATCHES = 3;
/** A value is tied to mismatches when its share among them exceeds its share among matches by this. */
export const TIE_SEPARATION = 0.5;

/** The rule the page states for "strongest tie" (see `strongestTie`). */
export const STRONGEST_TIE_RULE = `A factor is tied to mismatches when one of its values is at least ${TIE_SEPARATION * 100} percentage points more common among mismatching builds than among matching ones, counted only with at least ${MIN_MISMATCHES} mismatches and ${MIN_MATCHES} matches whose value is known. The strongest tie is the factor with the largest such difference (then the one covering more mismatches).`;

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
    return { id, label: FACTOR_LABELS[id], values: sorted, ...assess(id, sorted) };
  });
}

/** The factor with the strongest tie to mismatches, by `STRONGEST_TIE_RULE`; null without a tie. */
export function strongestTie(factors: readonly EnvironmentFactor[]): EnvironmentFactor | null {
  let best: EnvironmentFactor | null = null;
  for (const f of factors) {
    if (f.status !== 'tie') continue;
    if (
      best === null ||
      f.separation > best.separation ||
      (f.separation === best.separation && tiedMismatches(f) > tiedMismatches(best))
    )
      best = f;
  }
  return best;
}

function tiedMismatches(f: EnvironmentFactor): number {
  return Math.max(0, ...f.values.filter((v) => v.label !== UNKNOWN).map((v) => v.counts.mismatch));
}

function assess(
  id: FactorId,
  values: FactorValue[],
): { status: FactorStatus; separation: number; finding: string } {
  const known = values.filter((v) => v.label !== UNKNOWN);
  const mismatches = known.reduce((n, v) => n + v.counts.mismatch, 0);
  const matches = known.reduce((n, v) => n + v.counts.match, 0);
  if (mismatches === 0) {
    return { status: 'nothing_to_explain', separation: 0, finding: 'No mismatch to explain.' };
  }
  if (mismatches < MIN_MISMATCHES || matches < MIN_MATCHES) {
    return {
      status: 'too_few',
      separation: 0,
      finding: `Too few results to tell: needs ${MIN_MISMATCHES} mismatches and ${MIN_MATCHES} matches with this known; has ${plural(mismatches, 'mismatch', 'mismatches')} and ${plural(matches, 'match', 'matches')}.`,
    };
  }
  let best: { value: FactorValue; score: number } | null = null;
  for (const value of known) {
    const score = value.counts.mismatch / mismatches - value.counts.match / matches;
    if (best === null || score > best.score) best = { value, score };
  }
  const { value, score } = best as { value: FactorValue; score: number };
  if (score < TIE_SEPARATION) {
    return {
      status: 'no_tie',
      separation: Math.max(0, score),
      finding: 'No value goes with the mismatches: they ran on the same kinds of value as matches.',
    };
  }
  const what = PHRASES[id](value.label);
  const finding =
    value.counts.mismatch === mismatches && value.counts.match === 0
      ? `All ${mismatches} mismatches ran ${what}; no matching build did.`
      : `${value.counts.mismatch} of ${mismatches} mismatches ran ${what}, against ${value.counts.match} of ${matches} matches.`;
  return { status: 'tie', separation: score, finding };
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
