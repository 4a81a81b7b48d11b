/**
 * Instruction budgets of the transparency log and certified reads (instrumented host, IC cost
 * model; counts are deterministic). The benchmark (`npm run bench -- --only registry-log`)
 * reports the same at 1, 1,000 and 10,000 attestations.
 */
import type * as T from '@repro-registry/client';
import { describe, expect, it } from 'vitest';

import { POPULATION_PROPOSALS, populationEnvelope } from './data';
import { startWithGovernance } from './governance-standin';
import { certifiedQuery, recordingHost } from './certified-support';
import { okOf } from './harness';

export const LOG_BUDGETS = {
  /** A whole submission (as in budgets.test.ts). */
  submit: 300_000_000n,
  /**
   * The message that logs and certifies one submission: ~110 M for the log and records, ~200 M
   * for the certified HTTP answers rendered again (the proposal's summary and badge, the info;
   * SHA-256 of bodies and headers in the interpreter). Its own message: the limit is 40 B.
   */
  certifyOne: 400_000_000n,
  /**
   * The certification message after it when events were appended: the event feeds (global and
   * the proposal's Atom feeds, the proposal's JSON events) rendered and hashed, ~10 k
   * instructions per byte each way. 430–480 M here (a global feed of ~11 entries, 11 KB); the
   * 50-entry feed (~48 KB) costs about 1.3 B — still far from the 40 B limit.
   */
  feedsAfterEvents: 600_000_000n,
  proofQuery: 10_000_000n,
  certifiedSummary: 25_000_000n,
  /**
   * `http_request` of a certified answer (a proposal's JSON summary, its badge) with its
   * certificate: the stored reply layout, the witness of its entry (~6–7 M: the stored tree's
   * walk) and the `IC-Certificate` header. 10.8 / 8.7 M here (14.5 / 12.3 M before the layout
   * was kept with the answer); the bench measures 1 to 10,000 attestations.
   */
  certifiedHttp: 12_000_000n,
} as const;

describe('transparency log budgets (instrumented host)', () => {
  it(
    'submit stays within budget; certification runs in its own bounded message; certified reads are cheap',
    { timeout: 600_000 },
    async () => {
      const { host, executions } = await recordingHost();
      const { registry } = await startWithGovernance({ host, confirmed: POPULATION_PROPOSALS });
      await registry.settle();
      const me = registry.canisterId.toText();
      const submits: bigint[] = [];
      const certifications: bigint[] = [];
      const feedRenders: bigint[] = [];
      for (let i = 0; i < 400; i += 10) {
        const { builder, envelope } = populationEnvelope(i);
        okOf(
          await registry.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
        );
        submits.push(registry.lastInstructions ?? 0n);
        executions.length = 0;
        await registry.settle(2);
        // The certification message, then (deferred, when events were appended) the feeds'.
        const [certification = 0n, feeds, ...rest] = executions
          .filter((e) => e.canisterId === me && e.entry.endsWith('timer_executor'))
          .map((e) => e.instructions);
        expect(rest).toEqual([]);
        certifications.push(certification);
        if (feeds !== undefined) feedRenders.push(feeds);
      }
      const max = (xs: bigint[]) => xs.reduce((a, b) => (a > b ? a : b));
      expect(max(submits)).toBeLessThanOrEqual(LOG_BUDGETS.submit);
      expect(max(certifications)).toBeLessThanOrEqual(LOG_BUDGETS.certifyOne);
      // Some submissions appended events (first attestation, threshold), so feeds were rendered.
      expect(feedRenders.length).toBeGreaterThan(0);
      expect(max(feedRenders)).toBeLessThanOrEqual(LOG_BUDGETS.feedsAfterEvents);

      // As readers query: with a data certificate in the reply (and the checkpoint note).
      const measure = async (method: string, args: unknown[]) => {
        const reply = await certifiedQuery<{ Ok?: unknown }>(registry, method, args);
        if (method !== 'get_checkpoint') okOf(reply as { Ok: unknown });
        return registry.lastInstructions ?? 0n;
      };
      const checkpoint = await measure('get_checkpoint', []);
      const inclusion = await measure('get_inclusion_proof', [
        { attestation_id: 17n, tree_size: [] },
      ]);
      const consistency = await measure('get_consistency_proof', [{ old_size: 13n, new_size: [] }]);
      const summary = await measure('get_certified_summary', [130000n]);
      const attestation = await measure('get_certified_attestation', [17n]);
      // The ordinary reads with their proofs (`certified`).
      const summaryRead = await measure('get_proposal_summary', [130000n]);
      const attestationRead = await measure('get_attestation', [17n]);
      const httpGet = async (url: string) => {
        const reply = await certifiedQuery<{ status_code: number; headers: [string, string][] }>(
          registry,
          'http_request',
          [{ method: 'GET', url, headers: [], body: new Uint8Array(), certificate_version: [2] }],
        );
        expect(reply.status_code).toBe(200);
        expect(reply.headers.map(([name]) => name)).toContain('IC-Certificate');
        return registry.lastInstructions ?? 0n;
      };
      for (const url of ['/api/v1/proposals/130000', '/badge/130000.svg', '/api/v1/info']) {
        expect(await httpGet(url), url).toBeLessThanOrEqual(LOG_BUDGETS.certifiedHttp);
      }
      expect(checkpoint).toBeLessThanOrEqual(LOG_BUDGETS.proofQuery);
      expect(inclusion).toBeLessThanOrEqual(LOG_BUDGETS.proofQuery);
      expect(consistency).toBeLessThanOrEqual(LOG_BUDGETS.proofQuery);
      expect(summary).toBeLessThanOrEqual(LOG_BUDGETS.certifiedSummary);
      expect(attestation).toBeLessThanOrEqual(LOG_BUDGETS.certifiedSummary);
      expect(summaryRead).toBeLessThanOrEqual(LOG_BUDGETS.certifiedSummary);
      expect(attestationRead).toBeLessThanOrEqual(LOG_BUDGETS.certifiedSummary);
    },
  );
});
