/**
 * The registry's JSON API and badges through the local network's verifying gateway (DFINITY's
 * response verification, as the IC's gateways run it) on `<registry-id>.localhost`: every route
 * the API lists answers — certified for a known id, the route family's certified "not known"
 * answer for an unknown one, live and saying `no_certification` for query-dependent pages — and
 * a node's forged answer for an id the registry does not know is refused.
 */
import { readFileSync } from 'node:fs';

import { testArtifact, testPredicate } from '@repro-registry/attestation/testing';
import { identityFromPem } from '@repro-registry/local-network';
import { beforeAll, describe, expect, it } from 'vitest';

import { httpRequest, throughAlteringGateway, type HttpReply } from '../support/http';
import { localNetwork } from '../support/network-context';
import { confirmProposals, submitAsNewBuilder } from '../support/proposals';

/** A proposal only this file confirms (ids of other tests: 9000xx, 1397xx, 139901). */
const KNOWN = 139_931n;
const UNKNOWN = 999_999_931n;
const COMMIT = 'e'.repeat(40);
const HASH = 'f'.repeat(64);
const NO_CERTIFICATION = 'default_certification(ValidationArgs{no_certification:Empty{}})';
const CERTIFIED = /^default_certification\(ValidationArgs\{certification:/;

const expression = (r: HttpReply) => r.header('ic-certificateexpression');

function get(path: string, raw = false): Promise<HttpReply> {
  const { port, canisterIds } = localNetwork();
  const host = `${canisterIds.registry}.${raw ? 'raw.' : ''}localhost:${port}`;
  return httpRequest({ port, path, host });
}

/**
 * A GET on the certified domain once certification caught up with what this file did (until
 * then a known proposal's page is upgraded to an update call, answered live).
 */
async function certifiedGet(path: string): Promise<HttpReply> {
  for (let i = 0; ; i++) {
    const reply = await get(path);
    if (expression(reply) !== NO_CERTIFICATION || i > 40) return reply;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const json = (r: HttpReply) => JSON.parse(r.body.toString()) as Record<string, unknown>;

/** A new builder's attestation of KNOWN that matches the proposal's hash. */
function submitMatching(): Promise<unknown> {
  const net = localNetwork();
  return submitAsNewBuilder({
    url: net.url,
    registryId: net.canisterIds.registry,
    predicate: testPredicate({
      proposalId: KNOWN.toString(),
      commit: COMMIT,
      artifacts: [testArtifact({ kind: 'guestos', sha256: HASH, expectedSha256: HASH })],
    }),
  });
}

describe('the registry JSON API through the verifying gateway', () => {
  let attestationId: string;
  let builder: string;

  beforeAll(async () => {
    const net = localNetwork();
    await confirmProposals({
      url: net.url,
      governanceId: net.canisterIds['governance'],
      registryId: net.canisterIds.registry,
      controller: identityFromPem(readFileSync(net.deployerPemPath, 'utf8')),
      proposals: [{ id: KNOWN, commit: COMMIT, sha256: HASH }],
    });
    await submitMatching();
    const page = json(await get(`/api/v1/proposals/${KNOWN}/attestations`, true)) as {
      attestations: { id: string; builder: string }[];
    };
    [{ id: attestationId, builder }] = page.attestations;
  });

  it('answers every route the API lists: certified for known ids, a certified 404 for unknown ones', async () => {
    const index = await certifiedGet('/api/v1');
    expect(expression(index)).toMatch(CERTIFIED);
    const endpoints = (json(index) as { endpoints: string[] }).endpoints;
    const seen = new Set<string>();
    /** Known and unknown paths per listed route, queries filled in. */
    const cases: { route: string; path: string; certified: boolean; status: number }[] = [];
    const known = (route: string, path: string, certified: boolean) =>
      cases.push({ route, path, certified, status: 200 });
    const unknown = (route: string, path: string, status = 404) =>
      cases.push({ route, path, certified: true, status });
    for (const route of endpoints) {
      seen.add(route);
      switch (route) {
        case '/api/v1/info':
        case '/feed.atom':
          known(route, route, true);
          break;
        case '/api/v1/proposals?cursor=&limit=&list=':
          known(route, '/api/v1/proposals?cursor=0&limit=1', false);
          break;
        case '/api/v1/proposals/<id>?list=':
          known(route, `/api/v1/proposals/${KNOWN}`, true);
          unknown(route, `/api/v1/proposals/${UNKNOWN}`);
          unknown(route, `/api/v1/proposals/${UNKNOWN}?list=1`);
          break;
        case '/api/v1/proposals/<id>/attestations?verdict=&cursor=&limit=':
          known(route, `/api/v1/proposals/${KNOWN}/attestations?verdict=match&limit=1`, false);
          unknown(route, `/api/v1/proposals/${UNKNOWN}/attestations?limit=1`);
          break;
        case '/api/v1/attestations/<id>':
          known(route, `/api/v1/attestations/${attestationId}`, false);
          // No route family for attestations (one tree entry per attestation would cost
          // ~29 M instructions per certification): an unknown one is an uncertified 404.
          cases.push({
            route,
            path: `/api/v1/attestations/${UNKNOWN}`,
            certified: false,
            status: 404,
          });
          break;
        case '/api/v1/builders/<principal>':
          known(route, `/api/v1/builders/${builder}`, false);
          break;
        case '/api/v1/trust-lists?cursor=&limit=':
          known(route, '/api/v1/trust-lists?cursor=0&limit=1', false);
          break;
        case '/api/v1/trust-lists/<id>?version=': {
          // Not a route family: a trust list no one made is an uncertified 404.
          cases.push({
            route,
            path: `/api/v1/trust-lists/${UNKNOWN}`,
            certified: false,
            status: 404,
          });
          break;
        }
        case '/badge/<proposal id>.svg?list=':
          known(route, `/badge/${KNOWN}.svg`, true);
          unknown(route, `/badge/${UNKNOWN}.svg`, 200);
          break;
        case '/proposals/<id>/feed.atom':
          known(route, `/proposals/${KNOWN}/feed.atom`, true);
          unknown(route, `/proposals/${UNKNOWN}/feed.atom`);
          break;
        case '/api/v1/events?since=&limit=':
          known(route, '/api/v1/events?since=0&limit=1', false);
          break;
        case '/api/v1/proposals/<id>/events':
          known(route, `/api/v1/proposals/${KNOWN}/events`, true);
          unknown(route, `/api/v1/proposals/${UNKNOWN}/events`);
          break;
        default:
          throw new Error(`a route this test does not know: ${route}`);
      }
    }
    expect(seen.size).toBe(13);
    for (const c of cases) {
      const what = `${c.route}: ${c.path}`;
      const reply = c.certified ? await certifiedGet(c.path) : await get(c.path);
      expect(reply.status, what).toBe(c.status);
      if (c.certified) {
        expect(expression(reply), what).toMatch(CERTIFIED);
        expect(reply.header('ic-certificate'), what).toMatch(/^certificate=:/);
      } else {
        expect(expression(reply), what).toBe(NO_CERTIFICATION);
      }
      // The raw domain (no verification) serves the same bytes.
      expect(reply.body.toString(), what).toBe((await get(c.path, true)).body.toString());
      if (c.path.includes(UNKNOWN.toString()) && c.certified) {
        expect(reply.body.toString(), what).not.toContain(UNKNOWN.toString());
      }
    }
    expect(json(await get(`/api/v1/proposals/${UNKNOWN}`))).toMatchObject({
      error: { code: 'PROPOSAL_NOT_FOUND' },
    });
  });

  it("answers a new proposal's pages from the moment it is known: upgraded until certified, never refused", async () => {
    const net = localNetwork();
    const seen = new Map<string, number>();
    for (const id of [139_941n, 139_942n, 139_943n, 139_944n]) {
      const confirming = confirmProposals({
        url: net.url,
        governanceId: net.canisterIds['governance'],
        registryId: net.canisterIds.registry,
        controller: identityFromPem(readFileSync(net.deployerPemPath, 'utf8')),
        proposals: [{ id, commit: COMMIT, sha256: HASH }],
      });
      // Read while the registry learns of it and certifies it: before, in the one message
      // between (where a query cannot be certified and the family's wildcard would say "not
      // known"), and after.
      const reads = Array.from({ length: 30 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 40));
        const reply = await get(`/api/v1/proposals/${id}`);
        expect(reply.status, reply.body.toString()).not.toBe(503);
        const how =
          reply.status === 404
            ? 'not known yet (certified)'
            : expression(reply) === NO_CERTIFICATION
              ? 'upgraded'
              : 'certified';
        if (how !== 'not known yet (certified)') expect(reply.status).toBe(200);
        if (how === 'certified') expect(expression(reply)).toMatch(CERTIFIED);
        seen.set(how, (seen.get(how) ?? 0) + 1);
      });
      await confirming;
      await Promise.all(reads);
    }
    expect(seen.get('certified')).toBeGreaterThan(0);
  });

  it('answers a GET after an update with the fresh answer, verified (no stale witness kept)', async () => {
    const path = `/api/v1/proposals/${KNOWN}`;
    const before = await certifiedGet(path);
    expect(before.status).toBe(200);
    expect(expression(before)).toMatch(CERTIFIED);
    const count = BigInt(json(before)['builder_count'] as string);
    await submitMatching();
    // Every answer the gateway passes verifies against the certificate of its moment (the
    // gateway refuses anything else with 503): the previous answer until the certification
    // message renders the new one, then the new one.
    for (let i = 0; ; i++) {
      const reply = await get(path);
      expect(reply.status, reply.body.toString()).toBe(200);
      expect(expression(reply)).toMatch(CERTIFIED);
      const now = BigInt(json(reply)['builder_count'] as string);
      if (now === count + 1n) break;
      expect(now).toBe(count);
      expect(i).toBeLessThan(40);
      await new Promise((r) => setTimeout(r, 250));
    }
    const raw = await get(path, true);
    expect(BigInt(json(raw)['builder_count'] as string)).toBe(count + 1n);
  });

  it('refuses a forged answer for an id the registry does not know', async () => {
    const { canisterIds } = localNetwork();
    const canisterId = canisterIds.registry;
    const path = `/badge/${UNKNOWN}.svg`;
    const honest = await throughAlteringGateway({ canisterId, path, alter: (b) => b });
    expect(honest.outcome).toBe('replied (verified)');
    expect(Buffer.from(honest.body).toString()).toContain('no reproduction yet');
    // A green badge in place of the grey one.
    const green = Buffer.from(
      (await get(`/badge/${KNOWN}.svg`, true)).body.toString().replace(/#[0-9a-f]{6}/g, '#2e7d32'),
    );
    const forged = await throughAlteringGateway({ canisterId, path, alter: () => green });
    expect(forged.status).toBe(503);
    expect(Buffer.from(forged.body).toString()).toMatch(/^response_verification_error: /);
    // The known proposal's certified summary and badge, swapped in for the unknown one.
    for (const [forPath, from] of [
      [path, `/badge/${KNOWN}.svg`],
      [`/api/v1/proposals/${UNKNOWN}`, `/api/v1/proposals/${KNOWN}`],
      // And the "not known" answer for a known proposal.
      [`/api/v1/proposals/${KNOWN}`, `/api/v1/proposals/${UNKNOWN}`],
    ] as const) {
      const swapped = await throughAlteringGateway({
        canisterId,
        path: forPath,
        alter: (b) => b,
        answerFrom: from,
      });
      expect(swapped.status, `${from} for ${forPath}`).toBe(503);
    }
  });

  it('leaves trust-list answers uncertified on purpose: refused on the certified domain, served raw', async () => {
    const { canisterIds } = localNetwork();
    for (const [path, everyone] of [
      [`/badge/${KNOWN}.svg?list=1`, `/badge/${KNOWN}.svg`],
      [`/api/v1/proposals/${KNOWN}?list=1`, `/api/v1/proposals/${KNOWN}`],
    ] as const) {
      await certifiedGet(everyone);
      // The registry certifies everyone's counts only; the `list` parameter is certified as
      // absent, so no answer for a trust list passes the gateway — neither the registry's own
      // (uncertified) one nor everyone's certified answer swapped in by a node.
      const certified = await get(path);
      expect(certified.status, path).toBe(503);
      expect(certified.body.toString(), path).toMatch(/^response_verification_error: /);
      const swapped = await throughAlteringGateway({
        canisterId: canisterIds.registry,
        path,
        alter: (b) => b,
        answerFrom: everyone,
      });
      expect(swapped.status, path).toBe(503);
      // The raw domain serves it, saying it is not certified.
      const raw = await get(path, true);
      expect(raw.status, path).not.toBe(503);
      expect(expression(raw), path).toBe(NO_CERTIFICATION);
    }
  });
});
