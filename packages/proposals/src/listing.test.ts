import { describe, expect, it } from 'vitest';
import {
  effectiveListLimit,
  excludedTopics,
  nextPageBefore,
  openProposalsRequest,
  TOPIC_NAMES,
  type ProposalInfoValue,
} from './index';

const page = (ids: bigint[]) => ids.map((id) => ({ id: [{ id }] }) as unknown as ProposalInfoValue);

describe('list_proposals requests and paging', () => {
  it('asks for open proposals, excluding every topic but the reproducible ones', () => {
    const request = openProposalsRequest({ beforeProposal: null });
    expect(request.include_status).toEqual([1]);
    expect(request.limit).toBe(100);
    expect(request.before_proposal).toEqual([]);
    const known = Object.keys(TOPIC_NAMES).map(Number);
    expect(request.exclude_topic.sort((a, b) => a - b)).toEqual(
      known.filter((t) => ![8, 13, 17, 18].includes(t)),
    );
    expect(openProposalsRequest({ beforeProposal: 42n }).before_proposal).toEqual([{ id: 42n }]);
    expect(excludedTopics([13])).not.toContain(13);
  });

  it('applies governance limits: 0 and more than 100 mean 100', () => {
    expect(effectiveListLimit(0)).toBe(100);
    expect(effectiveListLimit(101)).toBe(100);
    expect(effectiveListLimit(7)).toBe(7);
  });

  it('pages below the lowest id of a full page, and stops after a short one', () => {
    expect(nextPageBefore({ page: page([9n, 7n, 8n]), limit: 3 })).toBe(7n);
    expect(nextPageBefore({ page: page([9n, 7n]), limit: 3 })).toBeNull();
    expect(nextPageBefore({ page: page([]), limit: 0 })).toBeNull();
  });
});
