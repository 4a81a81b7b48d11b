import { describe, expect, it } from 'vitest';

import { BAD_HASH, attestation, testBuilder } from '../test-support/fixtures';
import { MemoryRegistry } from '../test-support/memory-registry';
import { BuilderPageState } from './builder-page.svelte';

const me = testBuilder('me');
const others = [testBuilder('o1'), testBuilder('o2')];

describe('BuilderPageState', () => {
  it('loads the profile, checks the key, and rates agreement with other builders', async () => {
    const registry = new MemoryRegistry();
    registry.add(attestation({ id: 1n, builder: me, proposalId: 1n }));
    registry.add(attestation({ id: 2n, builder: others[0], proposalId: 1n }));
    registry.add(attestation({ id: 3n, builder: me, proposalId: 2n, sha256: BAD_HASH }));
    registry.add(attestation({ id: 4n, builder: others[0], proposalId: 2n }));
    registry.add(attestation({ id: 5n, builder: others[1], proposalId: 2n }));
    const page = new BuilderPageState({ api: registry, builder: me.principal });
    await page.load();
    expect(page.status).toBe('ready');
    expect(page.keyMatchesPrincipal).toBe(true);
    expect(page.attestations.map((a) => a.id)).toEqual([3n, 1n]);
    expect(page.agreement).toMatchObject({ agreed: 1, disagreed: 1, rate: 0.5 });
  });

  it('says when a principal has no attestation', async () => {
    const page = new BuilderPageState({ api: new MemoryRegistry(), builder: me.principal });
    await page.load();
    expect(page.status).toBe('not_found');
  });
});
