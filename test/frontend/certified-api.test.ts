/**
 * The frontend's certified reads (`frontend/src/lib/api/certified.api.ts`) against the real
 * registry wasm on the local network, through the real agent and the network's BLS root key:
 * summaries verified per proposal (an unknown one proven absent), the log checkpoint verified,
 * and consistency with an earlier checkpoint proven — or refused for a history that differs.
 */
import { readFile } from 'node:fs/promises';

import { identityFromPem } from '@repro-registry/local-network';
import { describe, expect, it } from 'vitest';

import { createRegistryApi } from '../../frontend/src/lib/api/registry.api';
import { localNetwork } from '../support/network-context';
import { confirmProposals } from '../support/proposals';

const COMMIT = '0ef2aebde4ff735a1a93efa342dcf966b6df5061';

/** Has the governance stand-in hold `proposalId` and the registry read it. */
async function confirm(proposalId: bigint, sha256: string): Promise<void> {
  const network = localNetwork();
  await confirmProposals({
    url: network.url,
    governanceId: network.canisterIds['governance'],
    registryId: network.canisterIds['registry'],
    controller: identityFromPem(await readFile(network.deployerPemPath, 'utf8')),
    proposals: [{ id: proposalId, commit: COMMIT, sha256 }],
  });
}

describe('frontend certified reads (real network)', () => {
  it('verifies summaries and the checkpoint, and proves the log extends what was seen', async () => {
    const network = localNetwork();
    const registryId = network.canisterIds['registry'];
    const proposalId = 880_000n + BigInt(Date.now() % 10_000);
    await confirm(proposalId, 'c'.repeat(64));
    const api = createRegistryApi({
      canisterId: registryId,
      host: network.url,
      fetchRootKey: true,
    });

    // The proposal's summary is certified once the registry's certification message ran.
    let summaries = await api.certified.summaries([proposalId, 999_999_999n]);
    for (let i = 0; i < 50 && summaries.get(proposalId)?.status !== 'verified'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      summaries = await api.certified.summaries([proposalId, 999_999_999n]);
    }
    const certified = summaries.get(proposalId);
    if (certified?.status !== 'verified') throw new Error(JSON.stringify(certified));
    expect(certified.summary.proposalId).toBe(proposalId);
    expect(certified.summary.onChain?.releasePackageSha256).toBe('c'.repeat(64));
    expect(certified.summary.attestationCount).toBe(0);
    expect(summaries.get(999_999_999n)).toEqual({ status: 'absent' });

    const head = await api.certified.checkpoint();
    expect(head.size).toBeGreaterThanOrEqual(1);
    expect(head.rootHex).toMatch(/^[0-9a-f]{64}$/);
    expect(Math.abs(head.certifiedAt - Date.now())).toBeLessThan(5 * 60_000);

    // The same checkpoint, and a smaller one of the same log: consistent.
    expect(await api.certified.consistency(head)).toMatchObject({ status: 'consistent' });
    await confirm(proposalId + 1n, 'c'.repeat(64));
    let later = await api.certified.consistency(head);
    for (let i = 0; i < 50 && later.head.size === head.size; i++) {
      await new Promise((r) => setTimeout(r, 200));
      later = await api.certified.consistency(head);
    }
    expect(later.status).toBe('consistent');
    expect(later.head.size).toBeGreaterThan(head.size);

    // Another history of the same size, or a longer one than the registry has: inconsistent.
    const rewritten = await api.certified.consistency({
      size: head.size,
      rootHex: 'ab'.repeat(32),
    });
    expect(rewritten).toMatchObject({ status: 'inconsistent' });
    const longer = await api.certified.consistency({
      size: later.head.size + 5,
      rootHex: later.head.rootHex,
    });
    expect(longer).toMatchObject({ status: 'inconsistent', code: 'TREE_SIZE_OUT_OF_RANGE' });
  });

  it('checks certificates with the root key the configuration gives, without fetching one', async () => {
    const network = localNetwork();
    const registryId = network.canisterIds['registry'];
    const proposalId = 890_000n + BigInt(Date.now() % 10_000);
    await confirm(proposalId, 'd'.repeat(64));
    const rootKey = network.rootKeyHex;
    const given = createRegistryApi({
      canisterId: registryId,
      host: network.url,
      fetchRootKey: false,
      rootKey,
    });
    let summary = (await given.certified.summaries([proposalId])).get(proposalId);
    for (let i = 0; i < 50 && summary?.status !== 'verified'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      summary = (await given.certified.summaries([proposalId])).get(proposalId);
    }
    expect(summary?.status).toBe('verified');
    // The count that plans the page's reads, from one node without its signature checked.
    expect(await given.attestationCountHint?.(proposalId)).toBe(0);

    // Another network's key (here: one flipped bit): nothing this network certified verifies.
    const other =
      rootKey.slice(0, -2) + (parseInt(rootKey.slice(-2), 16) ^ 1).toString(16).padStart(2, '0');
    const wrong = createRegistryApi({
      canisterId: registryId,
      host: network.url,
      fetchRootKey: false,
      rootKey: other,
    });
    await expect(wrong.certified.summaries([proposalId])).rejects.toMatchObject({
      kind: 'verification_failed',
    });
    await expect(wrong.getProposalSummary(proposalId)).rejects.toMatchObject({
      kind: 'verification_failed',
    });
  });
});
