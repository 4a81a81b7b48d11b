import { describe, expect, it } from 'vitest';

import type { TimelinePoint } from './timeline';
import { jitter, nearestPoint, timelineMarks } from './timeline-marks';

const point = (id: string, at: number, verdict: TimelinePoint['verdict'], counts = true) => ({
  id,
  builder: `builder-${id}`,
  at,
  verdict,
  counts,
});

describe('timelineMarks', () => {
  const lanes = { match: 10, mismatch: 40, build_failed: 70, not_built: 100 } as const;
  const points = [
    point('100', 0, 'match'),
    point('101', 1, 'mismatch'),
    point('102', 2, 'match', false),
    point('103', 3, 'build_failed'),
    point('104', 4, 'match'),
  ];
  const drawn = timelineMarks({ points, x: (t) => 100 + t * 10, laneY: (v) => lanes[v] });

  it('draws each kind of mark as one path, in one pass over the points', () => {
    expect(drawn.paths.map((p) => p.key)).toEqual([
      'match',
      'mismatch',
      'match-hollow',
      'build_failed',
    ]);
    const match = drawn.paths.find((p) => p.key === 'match')!;
    // Two circles, each two arcs from its left edge.
    expect(match.d.match(/M/g)).toHaveLength(2);
    expect(match.d).toContain(`M95,${10 + jitter('100')}a5,5 0 1,0 10,0a5,5 0 1,0 -10,0`);
    expect(drawn.paths.find((p) => p.key === 'mismatch')!.d).toBe(
      `M105,${40 + jitter('101') - 5}L115,${40 + jitter('101') + 5}M115,${40 + jitter('101') - 5}L105,${40 + jitter('101') + 5}`,
    );
    expect(drawn.paths.find((p) => p.key === 'match-hollow')!.counts).toBe(false);
    expect(drawn.placed.map((p) => p.point.id)).toEqual(points.map((p) => p.id));
  });

  it('finds the point under the pointer, or none beyond its radius', () => {
    const target = drawn.placed[3];
    expect(nearestPoint(drawn.placed, target.cx + 3, target.cy - 2)?.point.id).toBe('103');
    expect(nearestPoint(drawn.placed, target.cx + 30, target.cy + 30)).toBeNull();
  });

  it('spreads simultaneous points by at most 8 units either way', () => {
    const spread = Array.from({ length: 1000 }, (_, i) => jitter(String(i)));
    expect(Math.min(...spread)).toBe(-8);
    expect(Math.max(...spread)).toBe(8);
  });
});
