import { describe, expect, it } from 'vitest';

import { HOUR, T0, onChainProposal } from '../test-support/fixtures';
import { decisionLine, knownTime } from './decision';
import { formatTime } from './format';

describe('decisionLine', () => {
  it('counts down an open vote', () => {
    const line = decisionLine(onChainProposal({ deadlineAt: T0 + 50 * HOUR }), T0);
    expect(line.text).toBe('Voting ends 2026-11-22 11:00 UTC (in 2 d 2 h)');
  });

  it('says when an executed proposal was executed, not "deadline unknown"', () => {
    const line = decisionLine(
      onChainProposal({
        status: 'executed',
        deadlineAt: null,
        decidedAt: T0 - 3 * HOUR,
        executedAt: T0 - 2 * HOUR,
      }),
      T0,
    );
    expect(line).toMatchObject({ label: 'Executed', at: T0 - 2 * HOUR });
    expect(line.text).toBe('Executed 2026-11-20 07:00 UTC (2 h ago)');
    const decidedOnly = decisionLine(
      onChainProposal({ status: 'rejected', deadlineAt: null, decidedAt: T0 - HOUR }),
      T0,
    );
    expect(decidedOnly.text).toBe('Rejected 2026-11-20 08:00 UTC (1 h ago)');
  });

  it('never shows 1970 for a time governance does not know', () => {
    expect(knownTime(0)).toBeNull();
    expect(formatTime(0)).toBe('—');
    const line = decisionLine(
      onChainProposal({ status: 'executed', deadlineAt: 0, decidedAt: 0, executedAt: 0 }),
      T0,
    );
    expect(line.text).toBe('Executed');
    expect(decisionLine(onChainProposal({ deadlineAt: 0 }), T0).text).toBe('deadline unknown');
  });
});
