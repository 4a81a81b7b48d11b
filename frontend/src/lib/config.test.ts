import { describe, expect, it } from 'vitest';

import { resolveConfig } from './config';

const ID = 'bkyz2-fmaaa-aaaaa-qaaaq-cai';
const OTHER = 'be2us-64aaa-aaaaa-qaabq-cai';
const none = { file: null, buildCanisterId: undefined, buildHost: undefined };

describe('resolveConfig', () => {
  it('takes a local network’s root key from config.json, never for mainnet or from the address', () => {
    const rootKey = 'ab'.repeat(133);
    const local = resolveConfig({
      ...none,
      pageUrl: 'http://127.0.0.1:4943/',
      file: { canisterId: ID, network: 'local', rootKey },
    });
    expect(local).toMatchObject({ ok: true, connection: { rootKey, fetchRootKey: false } });
    // Mainnet's key is built into the agent: a file cannot replace it.
    const mainnet = resolveConfig({
      ...none,
      pageUrl: `https://${OTHER}.icp0.io/`,
      file: { canisterId: ID, rootKey },
    });
    expect(mainnet.ok && mainnet.connection).toMatchObject({ fetchRootKey: false });
    expect(mainnet.ok && mainnet.connection.rootKey).toBeUndefined();
    // The key comes with the file that names the registry, not with another registry's address.
    const address = resolveConfig({
      ...none,
      pageUrl: `http://127.0.0.1:4943/?canisterId=${OTHER}`,
      file: { canisterId: ID, rootKey },
    });
    expect(address.ok && address.connection).toMatchObject({ fetchRootKey: true });
    expect(address.ok && address.connection.rootKey).toBeUndefined();
    // Not hex, or of no plausible size: ignored, and the key is fetched as before.
    for (const bad of ['xyz', 'abc', 'ab'.repeat(10), 'AB'.repeat(133)]) {
      const r = resolveConfig({
        ...none,
        pageUrl: 'http://127.0.0.1:4943/',
        file: { canisterId: ID, rootKey: bad },
      });
      expect(r.ok && r.connection).toMatchObject({ fetchRootKey: true });
      expect(r.ok && r.connection.rootKey).toBeUndefined();
    }
  });

  it('takes the page address first, then config.json, then the build', () => {
    expect(
      resolveConfig({
        ...none,
        pageUrl: `http://localhost:5173/?canisterId=${ID}`,
        file: { canisterId: OTHER },
        buildCanisterId: OTHER,
      }),
    ).toMatchObject({
      ok: true,
      source: 'address',
      connection: { canisterId: ID },
    });
    expect(
      resolveConfig({
        ...none,
        pageUrl: 'http://localhost:5173/',
        file: { canisterId: ID },
        buildCanisterId: OTHER,
      }),
    ).toMatchObject({
      source: 'file',
      connection: { canisterId: ID },
    });
    expect(
      resolveConfig({ ...none, pageUrl: 'http://localhost:5173/', buildCanisterId: ID }),
    ).toMatchObject({ source: 'build', connection: { canisterId: ID } });
  });

  it("reads dfx's names in env.json as served by npm start", () => {
    const file = {
      DFX_NETWORK: 'local',
      IC_HOST: 'http://127.0.0.1:4943',
      CANISTER_ID_REGISTRY: ID,
    };
    expect(resolveConfig({ ...none, pageUrl: 'http://127.0.0.1:4943/', file })).toMatchObject({
      ok: true,
      source: 'file',
      connection: { canisterId: ID, host: 'http://127.0.0.1:4943', fetchRootKey: true },
    });
  });

  it("uses the page's origin as the host on a local network, and fetches its root key", () => {
    const r = resolveConfig({
      ...none,
      pageUrl: `http://${ID}.localhost:4943/#/proposal/1`,
      buildCanisterId: ID,
    });
    expect(r).toMatchObject({
      ok: true,
      connection: { host: `http://${ID}.localhost:4943`, fetchRootKey: true },
    });
  });

  it("uses the public API on mainnet and never fetches mainnet's root key", () => {
    const r = resolveConfig({ ...none, pageUrl: `https://${OTHER}.icp0.io/`, buildCanisterId: ID });
    expect(r).toMatchObject({
      ok: true,
      connection: { host: 'https://icp-api.io', fetchRootKey: false },
    });
    const forced = resolveConfig({
      ...none,
      pageUrl: 'http://localhost/',
      file: { canisterId: ID, host: 'https://icp-api.io', fetchRootKey: true },
    });
    expect(forced).toMatchObject({ connection: { fetchRootKey: false } });
  });

  it('takes an explicit host from the address or config.json', () => {
    expect(
      resolveConfig({
        ...none,
        pageUrl: `http://localhost:8080/?canisterId=${ID}&host=http://127.0.0.1:4943`,
      }),
    ).toMatchObject({
      connection: { host: 'http://127.0.0.1:4943' },
    });
    expect(
      resolveConfig({
        ...none,
        pageUrl: 'http://localhost:8080/',
        file: { canisterId: ID, host: 'http://127.0.0.1:9000/' },
      }),
    ).toMatchObject({
      connection: { host: 'http://127.0.0.1:9000' },
    });
  });

  it('refuses what is not a canister id or an http(s) host', () => {
    expect(resolveConfig({ ...none, pageUrl: 'http://localhost/' })).toEqual({
      ok: false,
      reason: 'no canister id',
    });
    expect(
      resolveConfig({ ...none, pageUrl: 'http://localhost/?canisterId=<script>' }),
    ).toMatchObject({ ok: false });
    expect(
      resolveConfig({
        ...none,
        pageUrl: `http://localhost/?canisterId=${ID}&host=javascript:alert(1)`,
      }),
    ).toMatchObject({ ok: false });
    expect(
      resolveConfig({ ...none, pageUrl: 'http://localhost/', file: { canisterId: 42 } }),
    ).toMatchObject({ ok: false, reason: 'no canister id' });
  });

  it("reads the frontend canister's /config.json: network ic means the public API, no root key", () => {
    const file = { canisterId: ID, network: 'ic', frontendCanisterId: OTHER };
    expect(resolveConfig({ ...none, pageUrl: 'https://repro.example.org/', file })).toMatchObject({
      ok: true,
      source: 'file',
      connection: {
        canisterId: ID,
        host: 'https://icp-api.io',
        fetchRootKey: false,
        frontendCanisterId: OTHER,
      },
    });
    const local = resolveConfig({
      ...none,
      pageUrl: `http://${OTHER}.localhost:4943/#/proposal/1`,
      file: { canisterId: ID, network: 'local', frontendCanisterId: OTHER },
    });
    expect(local).toMatchObject({
      connection: { host: `http://${OTHER}.localhost:4943`, fetchRootKey: true },
    });
    // dfx's names, as npm start serves them; a frontend id that is not a principal is ignored.
    const env = resolveConfig({
      ...none,
      pageUrl: 'http://127.0.0.1:4943/',
      file: { CANISTER_ID_REGISTRY: ID, CANISTER_ID_FRONTEND: '<b>' },
    });
    expect(env.ok && env.connection.frontendCanisterId).toBe(undefined);
  });

  it('names the repository to clone when the configuration does, as an http(s) URL only', () => {
    const read = (repository: unknown) =>
      resolveConfig({
        ...none,
        pageUrl: 'http://127.0.0.1:4943/',
        file: { canisterId: ID, repository },
      });
    expect(read('https://example.org/repro-registry.git')).toMatchObject({
      repository: 'https://example.org/repro-registry.git',
    });
    expect(read('javascript:alert(1)')).toMatchObject({ repository: null });
    expect(read(undefined)).toMatchObject({ repository: null });
  });
});
