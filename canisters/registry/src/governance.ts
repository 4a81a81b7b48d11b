/**
 * The registry's calls to NNS governance. Every failure becomes a `ReadOutcome` — the registry
 * never traps because governance is unavailable, and never loses an attestation over it.
 */
import { IDL } from '@dfinity/candid';
import { call } from 'azle';

import {
  outcomeOfFailedCall,
  outcomeOfProposalInfoReply,
  type ReadOutcome,
} from './core/governance';

export async function readProposal(governanceId: string, proposalId: bigint): Promise<ReadOutcome> {
  try {
    const reply = await call<Uint8Array, Uint8Array>(governanceId, 'get_proposal_info', {
      raw: true,
      args: new Uint8Array(IDL.encode([IDL.Nat64], [proposalId])),
    });
    return outcomeOfProposalInfoReply(proposalId, reply);
  } catch (error) {
    return outcomeOfFailedCall(describeCallError(error));
  }
}

/** azle throws `{ type: 'CallRejected', rejectCode, rejectMessage }` and similar objects. */
function describeCallError(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'type' in error) {
    const e = error as { type: string; rejectCode?: number; rejectMessage?: string };
    if (e.type === 'CallRejected')
      return `governance rejected the call (code ${e.rejectCode}): ${firstLine(e.rejectMessage ?? '')}`;
    return `the call to governance failed (${e.type})`;
  }
  return firstLine(error instanceof Error ? error.message : String(error));
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
