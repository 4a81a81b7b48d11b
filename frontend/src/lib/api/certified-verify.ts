/**
 * The verifying half of `certified.api.ts`, loaded on first use: the client's verifiers (BLS
 * certificate, witness, transparency-log proofs) applied to the registry's replies, turned into
 * the page's model.
 */
import {
  RegistryCallError,
  verifyCertifiedSummaries,
  verifyCheckpoint,
  verifyConsistencyProof,
  type RegistryClient,
  type VerifiedHead,
  type VerifyContext,
} from '@repro-registry/client';
import type * as W from '@repro-registry/client';
import { bytesToHex, hexToBytes } from '@repro-registry/attestation';

import type { CertifiedSummary, Consistency, VerifiedCheckpoint } from './certified.api';
import { ApiError } from './errors';
import { toProposalSummary } from './registry.api';

function context(c: RegistryClient): VerifyContext {
  const rootKey = c.agent.rootKey;
  if (rootKey === null || rootKey === undefined) {
    throw new ApiError('verification_failed', 'the agent holds no root key to verify against');
  }
  return { canisterId: c.canisterId, rootKey: new Uint8Array(rootKey) };
}

const failed = (code: string, message: string) =>
  new ApiError('verification_failed', `${code}: ${message}`);

function checkpointOf(head: VerifiedHead): VerifiedCheckpoint {
  return {
    size: head.size,
    rootHex: bytesToHex(head.root),
    certifiedAt: Number(head.certifiedAt / 1_000_000n),
    proposalCount: head.proposalCount === null ? null : Number(head.proposalCount),
  };
}

export async function checkSummaries(
  c: RegistryClient,
  asked: readonly bigint[],
  reply: W.CertifiedSummaries,
): Promise<Map<bigint, CertifiedSummary>> {
  const checked = await verifyCertifiedSummaries(context(c), asked, reply);
  const out = new Map<bigint, CertifiedSummary>();
  for (const id of asked) {
    if (!checked.ok) {
      out.set(id, { status: 'failed', code: checked.code, message: checked.message });
      continue;
    }
    const outcome = checked.value.summaries.get(id)!;
    out.set(
      id,
      outcome.status === 'verified'
        ? { status: 'verified', summary: toProposalSummary(outcome.summary) }
        : outcome,
    );
  }
  return out;
}

/**
 * Summaries over a trust list, each read with its proof and verified by the client (which reads
 * a lagging witness again); an answer that fails is `failed` with the client's code, an `Err`
 * (a proposal the registry does not list) `absent`.
 */
export async function checkScopedSummaries(
  c: RegistryClient,
  trustList: bigint,
  ids: readonly bigint[],
): Promise<Map<bigint, CertifiedSummary>> {
  const outcomes = await Promise.all(
    ids.map(async (id): Promise<[bigint, CertifiedSummary]> => {
      try {
        const read = await c.getProposalSummary(id, { trustList });
        return [
          id,
          read.ok
            ? { status: 'verified', summary: toProposalSummary(read.value) }
            : { status: 'absent' },
        ];
      } catch (e) {
        if (e instanceof RegistryCallError && e.verification !== null) {
          return [id, { status: 'failed', ...e.verification }];
        }
        throw e;
      }
    }),
  );
  return new Map(outcomes);
}

export async function checkCheckpoint(
  c: RegistryClient,
  reply: W.Checkpoint,
): Promise<VerifiedCheckpoint> {
  const checked = await verifyCheckpoint(context(c), reply);
  if (!checked.ok) throw failed(checked.code, checked.message);
  return checkpointOf(checked.value);
}

export async function checkConsistency(
  c: RegistryClient,
  saved: { size: number; rootHex: string },
  reply: W.ConsistencyProof,
): Promise<Consistency> {
  const ctx = context(c);
  // The reply's checkpoint first: a certificate that fails is a failed answer, not a verdict on
  // the log.
  const head = await verifyCheckpoint(ctx, reply.checkpoint);
  if (!head.ok) throw failed(head.code, head.message);
  const current = checkpointOf(head.value);
  // Then the proof, with transparency-log's verifier (RFC 9162 §2.1.4.2).
  const proven = await verifyConsistencyProof(
    ctx,
    { size: saved.size, root: hexToBytes(saved.rootHex) },
    reply,
  );
  return proven.ok
    ? { status: 'consistent', head: current }
    : { status: 'inconsistent', code: proven.code, message: proven.message, head: current };
}
