import { describe, expect, it } from 'vitest';

import { createRegistryClient, isMainnetHost } from './index';

describe('the root key a client checks certificates with', () => {
  it('knows mainnet’s hosts, as URLs or names', () => {
    for (const host of [
      'https://icp-api.io',
      'https://ic0.app',
      'x.icp0.io',
      'https://a.b.icp0.io/x',
    ])
      expect(isMainnetHost(host)).toBe(true);
    for (const host of ['http://127.0.0.1:4943', 'http://x.localhost:4943', 'https://evil-icp0.io'])
      expect(isMainnetHost(host)).toBe(false);
  });

  it('refuses a given root key for mainnet, whose key the agent has built in', async () => {
    await expect(
      createRegistryClient({
        host: 'https://icp-api.io',
        canisterId: 'aaaaa-aa',
        rootKey: new Uint8Array(133),
      }),
    ).rejects.toThrow(/root key is given for mainnet/);
  });
});
