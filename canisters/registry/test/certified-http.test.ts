/**
 * Certified HTTP of the real registry wasm: the JSON API's and badges' answers carry HTTP
 * certification v2 that DFINITY's own verifier (the IC gateways' check) accepts under the root
 * key, equal to the live answers; query-dependent answers say `no_certification` and are proven
 * not to stand in for a certified path; an altered answer fails; what changed is rendered again.
 */
import { Principal } from '@dfinity/principal';
import type * as T from '@repro-registry/client';
import { describe, expect, it } from 'vitest';

import { verifyResponse } from '../../../packages/certification/test/certificate';
import { certifiedQuery, rootKey } from './certified-support';
import { POPULATION_PROPOSALS, populationEnvelope } from './data';
import { startWithGovernance } from './governance-standin';
import { okOf, type RegistryUnderTest } from './harness';

/** Instructions of one `http_request` with a certificate (instrumented host). */
export const HTTP_BUDGETS = {
  /**
   * A certified answer: stored bytes, the witness of its entry (~5 M: nine levels of the stored
   * tree), the certificate header. Measured 9–12 M.
   */
  certified: 15_000_000n,
  /**
   * A route family's "not known" answer: its witness also proves the request's exact path and
   * the more specific wildcards absent (three paths instead of one). Measured 13.7–17.4 M.
   */
  family: 20_000_000n,
} as const;

interface HttpReply {
  status_code: number;
  headers: [string, string][];
  body: Uint8Array;
  upgrade: [] | [boolean];
}

async function get(registry: RegistryUnderTest, url: string, method = 'GET') {
  const reply = await certifiedQuery<HttpReply>(registry, 'http_request', [
    { method, url, headers: [], body: new Uint8Array(), certificate_version: [2] },
  ]);
  return { reply, instructions: registry.lastInstructions ?? 0n };
}

function verify(registry: RegistryUnderTest, url: string, reply: HttpReply, method = 'GET') {
  return verifyResponse({
    request: { method, url, headers: [] },
    response: { statusCode: reply.status_code, headers: reply.headers, body: reply.body },
    canisterId: registry.canisterId,
    rootKey,
    nowNs: BigInt(Date.now()) * 1_000_000n,
  });
}

/** The certified event feeds (issue 12): global, then the proposal's. */
const FEEDS = (proposal: bigint) => [
  '/feed.atom',
  `/proposals/${proposal}/feed.atom`,
  `/api/v1/proposals/${proposal}/events`,
];

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const header = (r: HttpReply, name: string) =>
  r.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

describe('certified HTTP (real wasm, DFINITY response verification)', () => {
  it(
    'certifies summaries, badges, info, the index and the event feeds; says no_certification for the rest',
    { timeout: 300_000 },
    async () => {
      const { registry } = await startWithGovernance({
        instrumented: true,
        confirmed: POPULATION_PROPOSALS.slice(0, 2),
      });
      for (let i = 0; i < 3; i++) {
        const { builder, envelope } = populationEnvelope(i * 10); // proposal 130000
        okOf(
          await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
        );
      }
      await registry.settle();
      const proposal = POPULATION_PROPOSALS[0];

      for (const url of [
        `/api/v1/proposals/${proposal}`,
        `/badge/${proposal}.svg`,
        `/badge/${POPULATION_PROPOSALS[1]}.svg`,
        '/api/v1/info',
        '/',
        '/api/v1',
        ...FEEDS(proposal),
      ]) {
        const { reply, instructions } = await get(registry, url);
        const verified = verify(registry, url, reply);
        expect(verified?.statusCode, url).toBe(reply.status_code);
        expect(verified?.body, url).toEqual(reply.body);
        expect(header(reply, 'IC-CertificateExpression'), url).toContain('certification:');
        expect(instructions, url).toBeLessThanOrEqual(HTTP_BUDGETS.certified);
        // The same bytes as the uncertified answer (an update call has no certificate).
        if (url !== '/api/v1/info') expect(text(reply.body)).toBe((await registry.http(url)).body);
      }
      const summary = JSON.parse(
        text((await get(registry, `/api/v1/proposals/${proposal}`)).reply.body),
      ) as { proposal_id: string; artifacts: { verdicts: { match: string } }[] };
      expect(summary.proposal_id).toBe(proposal.toString());
      expect(text((await get(registry, `/badge/${proposal}.svg`)).reply.body)).toContain(
        'reproduced by 2 of 3 builders',
      );

      // Query-dependent pages, unknown ids, other methods: answered live, not certified, and
      // the expression says so.
      for (const [url, method] of [
        ['/api/v1/proposals?limit=1', 'GET'],
        // The events' JSON paging stays live, so `?since=` pages pass the gateways.
        ['/api/v1/events', 'GET'],
        ['/api/v1/events?since=0', 'GET'],
        ['/api/v1/events?since=1&limit=1', 'GET'],
        [`/api/v1/proposals/${proposal}/attestations`, 'GET'],
        ['/api/v1/attestations/1', 'GET'],
        ['/nowhere', 'GET'],
        ['/api/v1/proposals', 'OPTIONS'],
      ] as const) {
        const { reply } = await get(registry, url, method);
        expect(header(reply, 'IC-CertificateExpression'), url).toBe(
          'default_certification(ValidationArgs{no_certification:Empty{}})',
        );
        expect(verify(registry, url, reply, method), url).toBeNull();
      }

      // Ids the registry does not know: one certified "not known" answer per route family.
      for (const url of [
        '/api/v1/proposals/999999',
        '/api/v1/proposals/999999/attestations',
        '/proposals/999999/feed.atom',
        '/badge/999999.svg',
      ]) {
        const { reply, instructions } = await get(registry, url);
        expect(verify(registry, url, reply)?.body, url).toEqual(reply.body);
        expect(text(reply.body), url).not.toContain('999');
        expect(instructions, url).toBeLessThanOrEqual(HTTP_BUDGETS.family);
      }

      // A node cannot answer a certified path with an uncertified (or other) answer.
      const scoped = await get(registry, `/badge/${proposal}.svg?list=1`);
      expect(() => verify(registry, `/badge/${proposal}.svg?list=1`, scoped.reply)).toThrow();
      const everyone = (await get(registry, `/badge/${proposal}.svg`)).reply;
      expect(() => verify(registry, `/badge/${proposal}.svg?list=1`, everyone)).toThrow();
      const live = (await get(registry, '/badge/999999.svg')).reply;
      expect(() => verify(registry, `/badge/${proposal}.svg`, live)).toThrow();
      const altered = Uint8Array.from(everyone.body);
      altered[altered.indexOf('3'.charCodeAt(0))] = '9'.charCodeAt(0);
      expect(() =>
        verify(registry, `/badge/${proposal}.svg`, { ...everyone, body: altered }),
      ).toThrow();
      const otherProposal = (await get(registry, `/badge/${POPULATION_PROPOSALS[1]}.svg`)).reply;
      expect(() => verify(registry, `/badge/${proposal}.svg`, otherProposal)).toThrow();
      // Nor one proposal's events for another's.
      const otherEvents = (
        await get(registry, `/api/v1/proposals/${POPULATION_PROPOSALS[1]}/events`)
      ).reply;
      expect(() => verify(registry, `/api/v1/proposals/${proposal}/events`, otherEvents)).toThrow();
      const eventsBefore = (await get(registry, '/api/v1/events')).reply;
      const feedsBefore = await Promise.all(
        FEEDS(proposal).map(async (url) => (await get(registry, url)).reply),
      );

      // A new attestation: the badge is rendered again, and still verifies.
      const { builder, envelope } = populationEnvelope(30);
      okOf(
        await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
      );
      await registry.settle();
      const after = (await get(registry, `/badge/${proposal}.svg`)).reply;
      expect(verify(registry, `/badge/${proposal}.svg`, after)?.statusCode).toBe(200);
      expect(text(after.body)).toContain('reproduced by 3 of 4 builders');
      const info = (await get(registry, '/api/v1/info')).reply;
      verify(registry, '/api/v1/info', info);
      expect(JSON.parse(text(info.body))).toMatchObject({ attestation_count: '4' });
      // The new attestation reached the threshold: an event, so every feed was rendered again;
      // the new answers verify, the old bodies no longer do.
      const latest = (r: HttpReply) => (JSON.parse(text(r.body)) as { latest: string }).latest;
      const events = (await get(registry, '/api/v1/events')).reply;
      expect(BigInt(latest(events))).toBeGreaterThan(BigInt(latest(eventsBefore)));
      for (const [i, url] of FEEDS(proposal).entries()) {
        const now = (await get(registry, url)).reply;
        expect(verify(registry, url, now)?.body, url).toEqual(now.body);
        expect(text(now.body), url).toContain('threshold_reached');
        expect(text(now.body), url).not.toBe(text(feedsBefore[i].body));
        expect(() => verify(registry, url, { ...now, body: feedsBefore[i].body }), url).toThrow();
      }
      expect(text((await get(registry, '/feed.atom')).reply.body)).toContain(
        `urn:repro-registry:${registry.canisterId.toText()}:events`,
      );

      // A proposal the registry learns of in an update: until the certification message renders
      // its pages, the family's wildcard is their most specific expression, so the query asks the
      // gateway to upgrade, and http_request_update answers live (through consensus).
      const fresh = populationEnvelope(2); // proposal 130002: not confirmed yet, held
      okOf(
        await registry.call<{ Ok: T.SubmitReceipt }>(
          'submit',
          [{ envelope: fresh.envelope }],
          fresh.builder.principal,
        ),
      );
      const freshUrl = `/api/v1/proposals/${POPULATION_PROPOSALS[2]}`;
      const asked = (await get(registry, freshUrl)).reply;
      expect(asked.upgrade).toEqual([true]);
      const httpUpdate = (url: string) =>
        registry.call<HttpReply>(
          'http_request_update',
          [{ method: 'GET', url, headers: [], body: new Uint8Array() }],
          Principal.anonymous(),
        );
      const answered = await httpUpdate(freshUrl);
      expect(answered.upgrade).toEqual([]);
      // What the registry knows now (its attestation is held), not the family's "not known".
      expect(JSON.parse(text(answered.body))).toMatchObject({
        error: { code: 'PROPOSAL_PENDING' },
      });
      // The registry pays for updates: inspect_message refuses what no query upgrades.
      for (const url of ['/api/v1/info', '/api/v1/proposals/999999', '/api/v1/proposals?limit=1']) {
        await expect(httpUpdate(url), url).rejects.toThrow(
          /INVALID_ARGUMENT: http_request_update answers only/,
        );
      }
      // Certified in the following messages (which also read governance: not on chain): the
      // query answers itself, and an upgrade sent just before is still answered, alike.
      await registry.settle();
      const certifiedFresh = (await get(registry, freshUrl)).reply;
      expect(certifiedFresh.upgrade).toEqual([]);
      expect(verify(registry, freshUrl, certifiedFresh)?.body).toEqual(
        (await httpUpdate(freshUrl)).body,
      );

      // An upgrade renders every answer again; they verify after it.
      await registry.upgrade();
      await registry.settle();
      const upgraded = (await get(registry, `/api/v1/proposals/${proposal}`)).reply;
      expect(verify(registry, `/api/v1/proposals/${proposal}`, upgraded)?.statusCode).toBe(200);
    },
  );
});
