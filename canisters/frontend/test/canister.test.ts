/**
 * The real frontend wasm serving the real built app: every file with its content type, cache
 * policy and encodings, certified (checked by DFINITY's response verification), the fallback
 * for other paths, the configuration, refusals, and upgrades.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { join } from 'node:path';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { beforeAll, describe, expect, it } from 'vitest';

import { PROJECT_ROOT } from '@repro-registry/deploy';
import { filesOutsideModuleGraph, readAssets, type BuiltAsset } from '../scripts/assets';
import { IMMUTABLE, REVALIDATE } from '../src/site';
import { FrontendUnderTest, REGISTRY } from './harness';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('the frontend canister', () => {
  let canister: FrontendUnderTest;
  let files: BuiltAsset[];
  let index: BuiltAsset;

  beforeAll(async () => {
    // The app the build embedded (the global setup rebuilt the wasm from these files).
    files = await readAssets(join(PROJECT_ROOT, 'frontend', 'dist'));
    index = files.find((f) => f.path === '/index.html')!;
    canister = await FrontendUnderTest.start();
  });

  it('serves every built file, certified, with its content type and cache policy', async () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const response = await canister.get(file.path);
      expect(response.status, file.path).toBe(200);
      expect(response.header('content-type')).toBe(file.contentType);
      expect(response.header('content-encoding')).toBeUndefined();
      expect(response.header('cache-control')).toBe(file.immutable ? IMMUTABLE : REVALIDATE);
      expect(response.body).toEqual(file.identity);
      const verified = canister.verify(file.path, response);
      expect(verified?.statusCode).toBe(200);
      expect(verified?.headers).toEqual(
        expect.arrayContaining([['content-type', file.contentType]]),
      );
    }
    const js = files.filter((f) => f.path.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    for (const f of js) expect(f.contentType).toBe('text/javascript; charset=utf-8');
    expect(index.immutable).toBe(false);
  });

  it('serves Brotli or gzip when accepted, each certified, decoding to the file', async () => {
    const compressed = files.filter((f) => f.br !== null && f.gzip !== null);
    // Every script of 1 KiB or more; a smaller one (the 0.2 KB entry that imports the app's
    // chunk) may not shrink by the 10 % a compressed copy must save, and is served as is.
    const scripts = files.filter((f) => f.path.endsWith('.js'));
    expect(compressed.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        '/index.html',
        ...scripts.filter((f) => f.identity.length >= 1024).map((f) => f.path),
      ]),
    );
    for (const file of scripts.filter((f) => f.br === null)) {
      const plain = await canister.get(file.path, [['Accept-Encoding', 'gzip, deflate, br, zstd']]);
      expect(plain.header('content-encoding')).toBeUndefined();
      expect(plain.body).toEqual(file.identity);
      canister.verify(file.path, plain, [['Accept-Encoding', 'gzip, deflate, br, zstd']]);
    }
    for (const file of compressed) {
      const br = await canister.get(file.path, [['Accept-Encoding', 'gzip, deflate, br, zstd']]);
      expect(br.header('content-encoding')).toBe('br');
      expect(br.header('vary')).toBe('accept-encoding');
      expect(new Uint8Array(brotliDecompressSync(br.body))).toEqual(file.identity);
      canister.verify(file.path, br, [['Accept-Encoding', 'gzip, deflate, br, zstd']]);

      const gz = await canister.get(file.path, [['accept-encoding', 'gzip;q=1.0, br;q=0']]);
      expect(gz.header('content-encoding')).toBe('gzip');
      expect(new Uint8Array(gunzipSync(gz.body))).toEqual(file.identity);
      canister.verify(file.path, gz);
      expect(gz.body.length).toBeLessThan(file.identity.length);
    }
  });

  it('answers / and unknown paths with index.html, certified as a fallback route', async () => {
    for (const url of ['/', '/proposal/900001', '/builder/abc/', '/assets/missing.js', '/a?b=c']) {
      const response = await canister.get(url);
      expect(response.status, url).toBe(200);
      expect(response.header('cache-control')).toBe(REVALIDATE);
      expect(response.body).toEqual(index.identity);
      expect(canister.verify(url, response)?.statusCode).toBe(200);
    }
    // The fallback's certificate says "wildcard": it does not pass for a path with its own file.
    const fallback = await canister.get('/no/such/page');
    const certificate = fallback.header('IC-Certificate')!;
    const main = files.find((f) => f.path.endsWith('.js'))!;
    const forged = await canister.get(main.path);
    forged.headers = forged.headers.map(([k, v]) => [k, k === 'IC-Certificate' ? certificate : v]);
    expect(() => canister.verify(main.path, forged)).toThrow();
  });

  it('serves the page configuration, certified', async () => {
    const response = await canister.get('/config.json');
    expect(response.header('content-type')).toBe('application/json');
    expect(JSON.parse(text(response.body))).toEqual({
      canisterId: REGISTRY.toText(),
      network: 'ic',
      frontendCanisterId: canister.canisterId.toText(),
    });
    canister.verify('/config.json', response);
  });

  it('fails verification when a node changes a byte or a header', async () => {
    const response = await canister.get('/index.html');
    const body = response.body.slice();
    body[0] ^= 1;
    expect(() => canister.verify('/index.html', { ...response, body })).toThrow();
    const headers = response.headers.map(([k, v]): [string, string] => [
      k,
      k === 'cache-control' ? IMMUTABLE : v,
    ]);
    expect(() => canister.verify('/index.html', { ...response, headers })).toThrow();
  });

  it('refuses other methods and paths that are not UTF-8, without certifying them', async () => {
    const post = await canister.get('/index.html', [], 'POST');
    expect(post.status).toBe(405);
    expect(post.header('allow')).toBe('GET');
    expect(post.header('IC-Certificate')).toBeUndefined();
    const bad = await canister.get('/%ff%fe');
    expect(bad.status).toBe(400);
  });

  it('keeps its configuration across an upgrade without argument, takes a new one with', async () => {
    const other = await FrontendUnderTest.start();
    await other.install(null);
    const kept = await other.get('/config.json');
    expect(JSON.parse(text(kept.body))).toMatchObject({ canisterId: REGISTRY.toText() });
    other.verify('/config.json', kept);

    const next = Principal.fromText('be2us-64aaa-aaaaa-qaabq-cai');
    await other.install({ registry_canister_id: next, network: 'local' });
    const changed = await other.get('/config.json');
    expect(JSON.parse(text(changed.body))).toMatchObject({
      canisterId: next.toText(),
      network: 'local',
    });
    other.verify('/config.json', changed);
    other.verify('/index.html', await other.get('/index.html'));
  });

  it('hands a local network’s root key to the page, and keeps it across an upgrade', async () => {
    const rootKey = Uint8Array.from({ length: 133 }, (_, i) => (i * 7) & 0xff);
    const local = await FrontendUnderTest.start({
      init: { registry_canister_id: REGISTRY, network: 'local', root_key: [rootKey] },
    });
    const served = await local.get('/config.json');
    expect(JSON.parse(text(served.body))).toMatchObject({
      network: 'local',
      rootKey: Buffer.from(rootKey).toString('hex'),
    });
    local.verify('/config.json', served);
    await local.install(null);
    const kept = await local.get('/config.json');
    expect(JSON.parse(text(kept.body))).toMatchObject({
      rootKey: Buffer.from(rootKey).toString('hex'),
    });
    // Mainnet's page takes the key built into the agent: none is served.
    expect(JSON.parse(text((await canister.get('/config.json')).body))).not.toHaveProperty(
      'rootKey',
    );
  });

  it('refuses an install without configuration, with a bad network name or a root key for mainnet', async () => {
    await expect(FrontendUnderTest.start({ init: null })).rejects.toThrow(/INVALID_ARGUMENT/);
    await expect(
      FrontendUnderTest.start({ init: { registry_canister_id: REGISTRY, network: 'Bad Net' } }),
    ).rejects.toThrow(/INVALID_ARGUMENT/);
    await expect(
      FrontendUnderTest.start({
        init: { registry_canister_id: REGISTRY, network: 'ic', root_key: [new Uint8Array(133)] },
      }),
    ).rejects.toThrow(/INVALID_ARGUMENT: a root key is for local networks only/);
    await expect(
      FrontendUnderTest.start({
        init: { registry_canister_id: REGISTRY, network: 'local', root_key: [new Uint8Array(513)] },
      }),
    ).rejects.toThrow(/INVALID_ARGUMENT: the root key must be 1-512 bytes/);
  });

  it('rejects an argument that is not an HttpRequest, and serves index.html within 5 M instructions', async () => {
    const instrumented = await FrontendUnderTest.start({ instrumented: true });
    const rejected = await instrumented.host.query({
      canisterId: instrumented.canisterId,
      method: 'http_request',
      arg: new Uint8Array(IDL.encode([IDL.Text], ['GET /index.html'])),
      sender: Principal.anonymous(),
    });
    expect(rejected.status).toBe('rejected');
    expect(rejected.status === 'rejected' && rejected.rejectMessage).toMatch(
      /INVALID_ARGUMENT: not an HttpRequest: the argument is not a record/,
    );
    // Deterministic (IC cost model); the goal for the page's first request.
    for (const accept of ['identity', 'gzip, deflate, br']) {
      const page = await instrumented.get('/index.html', [['accept-encoding', accept]]);
      instrumented.verify('/index.html', page, [['accept-encoding', accept]]);
      expect(page.instructions).toBeLessThanOrEqual(5_000_000n);
    }
  });
});

describe("the frontend canister's build inputs", () => {
  it('name the files that shape the page outside its modules: the build and its own plugins', async () => {
    const files = await filesOutsideModuleGraph(PROJECT_ROOT);
    expect(files).toEqual(
      expect.arrayContaining([
        'frontend/index.html',
        'frontend/vite.config.ts',
        'frontend/package.json',
        // A plugin that rewrites a dependency changes the page without being one of its modules.
        'frontend/vite/bls-frobenius.ts',
        'frontend/vite/bls-off-main-thread.ts',
        'frontend/vite/dependency-patch.ts',
      ]),
    );
    expect(files.filter((f) => f.endsWith('.test.ts'))).toEqual([]);
  });
});
