import { describe, expect, it } from 'vitest';

import { COMMIT, attestation, testBuilder } from '../test-support/fixtures';
import { MemoryRegistry } from '../test-support/memory-registry';
import { PROPOSAL_PAGE_SIZE, ProposalListState, matchesQuery } from './proposal-list.svelte';

const builder = testBuilder('list');

function registryWith(count: number): MemoryRegistry {
  const registry = new MemoryRegistry();
  for (let i = 1; i <= count; i++)
    registry.add(attestation({ id: BigInt(i), builder, proposalId: BigInt(1000 + i) }));
  return registry;
}

describe('ProposalListState', () => {
  it('loads the newest proposals first and pages on', async () => {
    const list = new ProposalListState(registryWith(PROPOSAL_PAGE_SIZE + 5));
    await list.load();
    expect(list.proposals).toHaveLength(PROPOSAL_PAGE_SIZE);
    expect(list.proposals[0]?.proposalId).toBe(BigInt(1000 + PROPOSAL_PAGE_SIZE + 5));
    expect(list.hasMore).toBe(true);
    await list.loadMore();
    expect(list.proposals).toHaveLength(PROPOSAL_PAGE_SIZE + 5);
    expect(list.hasMore).toBe(false);
  });

  it('searches by id prefix or commit prefix, reading older pages to find matches', async () => {
    const list = new ProposalListState(registryWith(PROPOSAL_PAGE_SIZE + 5));
    await list.load();
    list.search('1003');
    await new Promise((r) => setTimeout(r, 0));
    while (list.loadingMore) await new Promise((r) => setTimeout(r, 0));
    expect(list.filtered.map((p) => p.proposalId)).toEqual([1003n]);
    list.search(COMMIT.slice(0, 7).toUpperCase());
    expect(list.filtered).toHaveLength(PROPOSAL_PAGE_SIZE + 5);
    list.search('zzz');
    expect(list.filtered).toHaveLength(0);
  });

  it('merges new proposals and changed badges on refresh', async () => {
    const registry = registryWith(3);
    const list = new ProposalListState(registry);
    await list.load();
    expect(await list.refresh()).toBe('unchanged');
    registry.add(attestation({ id: 10n, builder: testBuilder('other'), proposalId: 1002n }));
    registry.add(attestation({ id: 11n, builder, proposalId: 2000n }));
    expect(await list.refresh()).toBe('changed');
    expect(list.proposals.map((p) => p.proposalId)).toEqual([2000n, 1003n, 1002n, 1001n]);
    expect(list.proposals.find((p) => p.proposalId === 1002n)?.builderCount).toBe(2);
  });

  it('shows an error state when the registry is down, and retries', async () => {
    const registry = registryWith(1);
    registry.down = true;
    const list = new ProposalListState(registry);
    await list.load();
    expect(list.status).toBe('error');
    expect(list.error?.kind).toBe('unreachable');
    registry.down = false;
    await list.load();
    expect(list.status).toBe('ready');
  });
});

describe('matchesQuery', () => {
  it('matches ids and commits by prefix, ignoring case and spaces', () => {
    const registry = registryWith(1);
    const summary = (
      registry as unknown as { summary(id: bigint): Parameters<typeof matchesQuery>[0] }
    ).summary(1001n);
    expect(matchesQuery(summary, ' 100 ')).toBe(true);
    expect(matchesQuery(summary, '0EF2')).toBe(true);
    expect(matchesQuery(summary, '2001')).toBe(false);
    expect(matchesQuery(summary, 'ef2')).toBe(false);
  });
});
