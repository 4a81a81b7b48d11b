/**
 * The frontend canister (and the registry's certified JSON API) on the local network, read
 * through the network's HTTP gateway like a
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
import { readFileSync } from 'node:fs';

import { identityFromPem } from '@repro-registry/local-network';
import { httpRequest, throughAlteringGateway } from '../support/http';
import { confirmProposals } from '../support/proposals';
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

/** A proposal only this file confirms (ids of other tests: 9000xx, 1397xx). */
const CERTIFIED_PROPOSAL = 139901n;

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
      // The network's key, so the page need not fetch it (deploy.config.ts).
      rootKey: localNetwork().rootKeyHex,
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

  it('serves the registry JSON API and badges certified on <registry-id>.localhost', async () => {
    const { canisterIds, port } = localNetwork();
    const host = `${canisterIds.registry}.localhost:${port}`;
    // A proposal the registry knows: its summary and badge are certified once read.
    await confirmProposals({
      url: localNetwork().url,
      governanceId: canisterIds['governance'],
      registryId: canisterIds.registry,
      controller: identityFromPem(readFileSync(localNetwork().deployerPemPath, 'utf8')),
      proposals: [{ id: CERTIFIED_PROPOSAL, commit: 'a'.repeat(40), sha256: 'b'.repeat(64) }],
    });
    const certifiedGet = async (path: string) => {
      for (let i = 0; ; i++) {
        const reply = await get(path, { host });
        // Rendered in the certification message right after the read: wait for it. Until then
        // the gateway is asked to upgrade, and the update answers live (no_certification).
        const rendering = /no_certification/.test(header(reply, 'ic-certificateexpression') ?? '');
        if (!rendering || i > 20) return reply;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    for (const path of [
      '/api/v1/info',
      `/api/v1/proposals/${CERTIFIED_PROPOSAL}`,
      `/badge/${CERTIFIED_PROPOSAL}.svg`,
    ]) {
      // The same bytes certified and raw, for one state: other test files share this registry
      // and may add a proposal between the two reads, so a pair that differs is read again.
      for (let attempt = 1; ; attempt++) {
        const reply = await certifiedGet(path);
        // On a refusal the gateway says why (a 503 names the verification's error).
        expect(reply.status, `${path}: ${Buffer.from(reply.body).toString().slice(0, 500)}`).toBe(
          200,
        );
        expect(header(reply, 'ic-certificate'), path).toMatch(/^certificate=:/);
        expect(header(reply, 'ic-certificateexpression'), path).toMatch(
          /^default_certification\(ValidationArgs\{certification:/,
        );
        const raw = await get(path, { host: `${canisterIds.registry}.raw.localhost:${port}` });
        const [certified, plain] = [reply.body, raw.body].map((b) => Buffer.from(b).toString());
        if (certified === plain || attempt === 5) {
          expect(certified, path).toBe(plain);
          break;
        }
      }
    }
    // The event feed: certified, naming this registry.
    const feed = await certifiedGet('/feed.atom');
    expect(feed.status).toBe(200);
    expect(header(feed, 'ic-certificateexpression')).toMatch(
      /^default_certification\(ValidationArgs\{certification:/,
    );
    expect(Buffer.from(feed.body).toString()).toContain(
      `<id>urn:repro-registry:${canisterIds.registry}:events</id>`,
    );
    // Pages that depend on the query are answered uncertified, and say so (the gateway serves
    // them on the certified domain as the IC's gateways do) — the events' `?since=` pages too.
    for (const path of ['/api/v1/proposals?limit=1', '/api/v1/events?since=0']) {
      const page = await get(path, { host });
      expect(page.status, path).toBe(200);
      expect(header(page, 'ic-certificateexpression'), path).toBe(
        'default_certification(ValidationArgs{no_certification:Empty{}})',
      );
    }
  });

  it('refuses a response altered between canister and gateway', async () => {
    const { canisterIds } = localNetwork();
    const flip = (body: Uint8Array) => {
      const out = Uint8Array.from(body);
      out[out.length - 2] ^= 1;
      return out;
    };
    for (const [canisterId, path] of [
      [canisterIds.frontend, '/index.html'],
      [canisterIds.registry, '/api/v1/info'],
      [canisterIds.registry, `/badge/${CERTIFIED_PROPOSAL}.svg`],
    ] as const) {
      const untouched = await throughAlteringGateway({ canisterId, path, alter: (b) => b });
      expect(untouched.outcome, path).toBe('replied (verified)');
      const altered = await throughAlteringGateway({ canisterId, path, alter: flip });
      expect(altered.status, path).toBe(503);
      expect(Buffer.from(altered.body).toString(), path).toMatch(/^response_verification_error: /);
    }
  });
});
