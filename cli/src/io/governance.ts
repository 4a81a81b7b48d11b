import { networkError } from '../core/errors';
import type { Settings } from './config';
import type { ProposalInfoValue, ProposalSummary } from '@repro-registry/proposals';

/** Reads a proposal from NNS governance (`get_proposal_info`, a certified query). Null if there is none. */
export async function readProposal(args: {
  settings: Settings;
  proposalId: bigint;
}): Promise<ProposalSummary | null> {
  const { settings } = args;
  const [{ Actor, HttpAgent }, proposals] = await Promise.all([
    import('@dfinity/agent'),
    import('@repro-registry/proposals'),
  ]);
  const where = `NNS governance (${settings.governanceCanisterId}) at ${settings.host}`;
  try {
    const agent = await HttpAgent.create({
      host: settings.host,
      shouldFetchRootKey: settings.fetchRootKey,
      retryTimes: 1,
    });
    const governance = Actor.createActor(proposals.governanceIdlFactory, {
      agent,
      canisterId: settings.governanceCanisterId,
    });
    const reply = (await governance['get_proposal_info'](args.proposalId)) as
      [] | [ProposalInfoValue];
    return reply.length === 0 ? null : proposals.summarizeProposalInfo(reply[0]);
  } catch (error) {
    const text =
      (error instanceof Error ? error.message : String(error))
        .split('\n')
        .find((l) => l.trim() !== '') ?? 'unknown error';
    throw networkError(
      `cannot read proposal ${args.proposalId} from ${where}: ${text.trim().slice(0, 300)}`,
      `check --network ${settings.networkName} (and --governance-canister-id on a local network)`,
      error,
    );
  }
}
