/**
 * The timeline's points as a few SVG paths: one per mark kind (verdict, counts or not), built in
 * one pass. A thousand attestations are then eight elements for the browser to lay out and
 * Svelte to keep current, not a thousand groups with a title each; who a point is shows on
 * hover (`nearestPoint`).
 */
import type { TimelinePoint } from './timeline';
import type { Verdict } from './types';

export interface MarkPath {
  /** Stable key: verdict, and whether the attestations still count. */
  key: string;
  verdict: Verdict;
  counts: boolean;
  d: string;
}

export interface PlacedPoint {
  point: TimelinePoint;
  cx: number;
  cy: number;
}

/** Deterministic vertical spread so simultaneous points stay visible (−8 … +8). */
export function jitter(id: string): number {
  return ((Number.parseInt(id.slice(-3), 10) * 7) % 17) - 8;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** One mark's outline at (cx, cy): a circle for a match, a cross for a mismatch, else a triangle. */
function mark(verdict: Verdict, cx: number, cy: number): string {
  const x = round(cx);
  const y = round(cy);
  if (verdict === 'match') return `M${round(x - 5)},${y}a5,5 0 1,0 10,0a5,5 0 1,0 -10,0`;
  if (verdict === 'mismatch')
    return `M${x - 5},${y - 5}L${x + 5},${y + 5}M${x + 5},${y - 5}L${x - 5},${y + 5}`;
  return `M${x},${y - 6}L${x + 6},${y + 5}L${x - 6},${y + 5}Z`;
}

/**
 * Places every point and draws the marks of each kind as one path. `x` maps a time, `laneY` a
 * verdict to the plot's coordinates.
 */
export function timelineMarks(args: {
  points: readonly TimelinePoint[];
  x: (t: number) => number;
  laneY: (v: Verdict) => number;
}): { paths: MarkPath[]; placed: PlacedPoint[] } {
  const { points, x, laneY } = args;
  const parts = new Map<string, { verdict: Verdict; counts: boolean; d: string[] }>();
  const placed: PlacedPoint[] = [];
  for (const point of points) {
    const cx = x(point.at);
    const cy = laneY(point.verdict) + jitter(point.id);
    placed.push({ point, cx, cy });
    const key = `${point.verdict}${point.counts ? '' : '-hollow'}`;
    let part = parts.get(key);
    if (part === undefined) {
      part = { verdict: point.verdict, counts: point.counts, d: [] };
      parts.set(key, part);
    }
    part.d.push(mark(point.verdict, cx, cy));
  }
  const paths = [...parts].map(([key, p]) => ({
    key,
    verdict: p.verdict,
    counts: p.counts,
    d: p.d.join(''),
  }));
  return { paths, placed };
}

/** The point nearest (x, y) within `radius` (plot coordinates), or null. */
export function nearestPoint(
  placed: readonly PlacedPoint[],
  x: number,
  y: number,
  radius = 10,
): PlacedPoint | null {
  let best: PlacedPoint | null = null;
  let bestDistance = radius * radius;
  for (const p of placed) {
    const d = (p.cx - x) ** 2 + (p.cy - y) ** 2;
    if (d <= bestDistance) {
      best = p;
      bestDistance = d;
    }
  }
  return best;
}
