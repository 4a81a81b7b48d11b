/**
 * The frontend canister on the local network, read through the network's HTTP gateway like a
 * browser: every response carries a certificate from the network's certified state and passes
 * DFINITY's response verification under the network's root key. An upgrade of the frontend
 * canister (through the deploy code) leaves the registry as it was.
 */
import { verifyRequestResponsePair } from '@dfinity/response-verification';
import { Principal } from '@dfinity/principal';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { readAssets } from '../../canisters/frontend/scripts/assets';
import { deploy, moduleHash, PROJECT_ROOT } from '@repro-registry/deploy';
import { httpRequest } from '../support/http';
import { createAgent, localNetwork, rootKey } from '../support/network-context';

interface Reply {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

/** A GET of the frontend canister through the gateway, as a browser on its host would send it. */
async function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  const { port, canisterIds } = localNetwork();
  const r = await httpRequest({
    port,
    path,
    headers: { host: `${canisterIds.frontend}.localhost:${port}`, ...headers },
  });
  return { status: r.status, headers: r.headers, body: r.body };
}

/**
 * Headers the network's HTTP server adds after the canister answered. A gateway verifies the
 * canister's response before it adds its own (the specification lets it add these), so they are
 * dropped here; every other header must be the canister's, certified.
 */
const ADDED_BY_THE_SERVER = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
const fromTheCanister = (headers: [string, string][]): [string, string][] =>
  headers.filter(
    ([k]) => !ADDED_BY_THE_SERVER.has(k.toLowerCase()) && !/^access-control-/i.test(k),
  );

function verify(path: string, reply: Reply, headers: [string, string][] = []) {
  return verifyRequestResponsePair(
    { method: 'GET', url: path, headers, body: new Uint8Array(0), certificate_version: [2] },
    { status_code: reply.status, headers: fromTheCanister(reply.headers), body: reply.body },
    Principal.fromText(localNetwork().canisterIds.frontend).toUint8Array(),
    BigInt(Date.now()) * 1_000_000n,
    5n * 60n * 1_000_000_000n,
    rootKey(),
    2,
  );
}

const header = (r: Reply, name: string): string | undefined =>
  r.headers.find(([k]) => k.toLowerCase() === name)?.[1];

describe('the frontend canister behind the local gateway', () => {
  it('serves every built file certified under the network root key', async () => {
    const files = await readAssets(join(PROJECT_ROOT, 'frontend', 'dist'));
    for (const file of files) {
      for (const encoding of ['identity', 'br'] as const) {
        const reply = await get(file.path, { 'accept-encoding': encoding });
        expect(reply.status, file.path).toBe(200);
        expect(header(reply, 'content-type')).toBe(file.contentType);
        expect(reply.body).toEqual(Buffer.from(file[encoding] ?? file.identity));
        const info = verify(file.path, reply, [['accept-encoding', encoding]]);
        expect(info.verificationVersion).toBe(2);
        expect(info.response?.statusCode).toBe(200);
      }
    }
  });

  it('serves index.html for deep links, and the configuration naming the registry', async () => {
    const deep = await get('/proposal/900001');
    expect(header(deep, 'content-type')).toBe('text/html; charset=utf-8');
    expect(verify('/proposal/900001', deep).response?.statusCode).toBe(200);
    const config = await get('/config.json');
    verify('/config.json', config);
    const { canisterIds } = localNetwork();
    expect(JSON.parse(Buffer.from(config.body).toString())).toEqual({
      canisterId: canisterIds.registry,
      network: 'local',
      frontendCanisterId: canisterIds.frontend,
    });
  });

  it('upgrades without touching the registry, and serves certified responses after', async () => {
    const { url, stateDir, canisterIds } = localNetwork();
    const agent = await createAgent();
    const registry = Principal.fromText(canisterIds.registry);
    const before = await moduleHash(agent, registry);
    const registryConfigBefore = await get(`/api/v1/proposals?limit=1`, {
      host: `${canisterIds.registry}.raw.localhost`,
    });
    const result = await deploy({
      url,
      network: 'local',
      stateDir,
      canisters: ['frontend'],
      mode: 'upgrade',
      writeEnv: false,
      log: () => {},
    });
    expect(result.canisters.map((c) => [c.name, c.action])).toEqual([['frontend', 'upgrade']]);
    expect(await moduleHash(agent, registry)).toEqual(before);
    const registryConfigAfter = await get(`/api/v1/proposals?limit=1`, {
      host: `${canisterIds.registry}.raw.localhost`,
    });
    expect(registryConfigAfter.status).toBe(200);
    // The registry's data is what it was (its refresh timer may have stamped a newer read time,
    // so compare what the upgrade could have lost: the proposals and their count).
    const proposalsOf = (r: Reply) => {
      const page = JSON.parse(Buffer.from(r.body).toString()) as {
        total: string;
        proposals: { proposal_id: string }[];
      };
      return { total: page.total, ids: page.proposals.map((p) => p.proposal_id) };
    };
    expect(proposalsOf(registryConfigAfter)).toEqual(proposalsOf(registryConfigBefore));
    const index = await get('/index.html', { 'accept-encoding': 'gzip' });
    expect(verify('/index.html', index, [['accept-encoding', 'gzip']]).response?.statusCode).toBe(
      200,
    );
  });

  it('fails verification for a response altered on its way', async () => {
    const reply = await get('/index.html');
    const body = Uint8Array.from(reply.body);
    body[body.length - 2] ^= 1;
    expect(() => verify('/index.html', { ...reply, body })).toThrow();
  });
});
