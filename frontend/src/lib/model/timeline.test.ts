import { describe, expect, it } from 'vitest';

import {
  BAD_HASH,
  HOUR,
  T0,
  attestation,
  onChainProposal,
  summaryOf,
  testBuilder,
} from '../test-support/fixtures';
import { buildTimeline } from './timeline';

describe('buildTimeline', () => {
  const atts = [
    attestation({ id: 1n, builder: testBuilder('t1'), submittedAt: T0 + 1 * HOUR }),
    attestation({
      id: 2n,
      builder: testBuilder('t2'),
      submittedAt: T0 + 2 * HOUR,
      sha256: BAD_HASH,
    }),
    attestation({ id: 3n, builder: testBuilder('t3'), submittedAt: T0 + 3 * HOUR }),
    attestation({ id: 4n, builder: testBuilder('t4'), submittedAt: T0 + 5 * HOUR }),
  ];
  const summary = summaryOf({ attestations: atts });

  it('spans from the proposal to its deadline and marks when the threshold was reached', () => {
    const t = buildTimeline({ summary, attestations: atts, threshold: 3, now: T0 + 6 * HOUR });
    expect(t.start).toBe(summary.onChain!.proposedAt);
    expect(t.end).toBe(summary.onChain!.deadlineAt);
    expect(t.deadline).toBe(summary.onChain!.deadlineAt);
    expect(t.thresholdReachedAt).toBe(T0 + 5 * HOUR);
    expect(t.points.map((p) => p.verdict)).toEqual(['match', 'mismatch', 'match', 'match']);
  });

  it('runs to now while the deadline is unknown, and to late attestations after it', () => {
    const noDeadline = summaryOf({
      attestations: atts,
      onChain: onChainProposal({ deadlineAt: null }),
    });
    expect(
      buildTimeline({ summary: noDeadline, attestations: atts, threshold: 5, now: T0 + 9 * HOUR })
        .end,
    ).toBe(T0 + 9 * HOUR);
    const late = attestation({ id: 5n, builder: testBuilder('t5'), submittedAt: T0 + 200 * HOUR });
    const t = buildTimeline({
      summary,
      attestations: [...atts, late],
      threshold: 5,
      now: T0 + 300 * HOUR,
    });
    expect(t.end).toBe(T0 + 200 * HOUR);
    expect(t.thresholdReachedAt).toBeNull();
  });

  it('does not count superseded attestations towards the threshold', () => {
    const replaced = atts.map((a) => (a.id === 1n ? { ...a, supersededBy: 9n } : a));
    const t = buildTimeline({ summary, attestations: replaced, threshold: 3, now: T0 });
    expect(t.thresholdReachedAt).toBeNull();
    expect(t.points.find((p) => p.id === '1')?.counts).toBe(false);
  });

  it('gives a single instant an hour of axis', () => {
    const lone = [atts[0]];
    const t = buildTimeline({
      summary: summaryOf({
        attestations: lone,
        onChain: onChainProposal({ proposedAt: null, deadlineAt: null }),
      }),
      attestations: lone,
      threshold: 3,
      now: T0 + HOUR,
    });
    expect(t.end - t.start).toBe(HOUR);
  });
});
