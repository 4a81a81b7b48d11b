/**
 * The registry's certified reads, verified in this browser (IC certificate against the root key
 * the agent holds, witness, freshness ≤ 5 min; see packages/client/src/verify.ts). What fails
 * its check is reported as failed verification with the client's code — never as a network
 * error, and never replaced by an unchecked number. The verifying code is loaded on first use
 * (`certified-verify.ts`) so it stays out of the initial bundle.
 */
import type { RegistryClient } from '@repro-registry/client';

import type * as M from '../model/types';
import type * as Verify from './certified-verify';
import type { ApiError } from './errors';

/** One proposal's summary as certified by the registry, or why it cannot be believed. */
export type CertifiedSummary =
  | { status: 'verified'; summary: M.ProposalSummary }
  /** The registry certifies it has no summary of this proposal (yet: certification lags). */
  | { status: 'absent' }
  | { status: 'failed'; code: string; message: string };

/** The transparency log's head, as certified. */
export interface VerifiedCheckpoint {
  size: number;
  rootHex: string;
  /** The certificate's time (ms since the epoch). */
  certifiedAt: number;
  /** How many proposals the registry confirmed, as certified (null: it does not certify it). */
  proposalCount?: number | null;
}

export type Consistency =
  | { status: 'consistent'; head: VerifiedCheckpoint }
  /** The log this browser saw is not a prefix of today's: the registry rewrote history. */
  | { status: 'inconsistent'; code: string; message: string; head: VerifiedCheckpoint };

export interface CertifiedApi {
  summaries(ids: readonly bigint[]): Promise<Map<bigint, CertifiedSummary>>;
  /**
   * The summaries counted over a trust list's builders, each with its proof
   * (`scoped/<list>/<id>`). A witness that does not match is read again a few times
   * (certification follows an update), then reported as failed.
   */
  scopedSummaries(
    trustList: bigint,
    ids: readonly bigint[],
  ): Promise<Map<bigint, CertifiedSummary>>;
  /** Throws an ApiError `verification_failed` when the checkpoint does not verify. */
  checkpoint(): Promise<VerifiedCheckpoint>;
  /** Whether the log with `saved` (size ≥ 1) is a prefix of the certified log now. */
  consistency(saved: { size: number; rootHex: string }): Promise<Consistency>;
}

/** Largest batch the registry answers (`get_certified_summaries`). */
const BATCH = 100;

export function createCertifiedApi(args: {
  client: () => Promise<RegistryClient>;
  callError: (cause: unknown) => ApiError;
}): CertifiedApi {
  async function run<T>(work: (c: RegistryClient, v: typeof Verify) => Promise<T>): Promise<T> {
    const [c, v] = await Promise.all([args.client(), import('./certified-verify')]);
    try {
      return await work(c, v);
    } catch (cause) {
      throw args.callError(cause);
    }
  }
  return {
    summaries: (ids) =>
      run(async (c, v) => {
        const out = new Map<bigint, CertifiedSummary>();
        for (let i = 0; i < ids.length; i += BATCH) {
          const asked = ids.slice(i, i + BATCH);
          const reply = await c.actor.get_certified_summaries(BigUint64Array.from(asked));
          for (const [id, outcome] of await v.checkSummaries(c, asked, reply)) out.set(id, outcome);
        }
        return out;
      }),
    scopedSummaries: (trustList, ids) => run((c, v) => v.checkScopedSummaries(c, trustList, ids)),
    checkpoint: () => run(async (c, v) => v.checkCheckpoint(c, await c.actor.get_checkpoint())),
    consistency: (saved) =>
      run(async (c, v) => {
        const reply = await c.actor.get_consistency_proof({
          old_size: BigInt(saved.size),
          new_size: [],
        });
        if ('Err' in reply) {
          // The log is shorter than the one this browser saw: it cannot be a prefix.
          const head = v.checkCheckpoint(c, await c.actor.get_checkpoint());
          return {
            status: 'inconsistent',
            code: reply.Err.code,
            message: `the registry's log has fewer entries than the ${saved.size} this browser saw (${reply.Err.message})`,
            head: await head,
          };
        }
        return v.checkConsistency(c, saved, reply.Ok);
      }),
  };
}
