import { networkError } from '../core/errors';
import type { Settings } from './config';
import type * as Proposals from '@repro-registry/proposals';
import type {
  ListProposalInfoValue,
  ProposalInfoValue,
  ProposalSummary,
} from '@repro-registry/proposals';

interface GovernanceReader {
  getProposalInfo(id: bigint): Promise<ProposalInfoValue | null>;
  listProposals(request: ListProposalInfoValue): Promise<ProposalInfoValue[]>;
}

/** Runs `read` against NNS governance (certified queries); any failure is a network error (3). */
async function withGovernance<T>(args: {
  settings: Settings;
  what: string;
  read: (governance: GovernanceReader, proposals: typeof Proposals) => Promise<T>;
}): Promise<T> {
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
    const actor = Actor.createActor(proposals.governanceIdlFactory, {
      agent,
      canisterId: settings.governanceCanisterId,
    });
    const reader: GovernanceReader = {
      getProposalInfo: async (id) => {
        const reply = (await actor['get_proposal_info'](id)) as [] | [ProposalInfoValue];
        return reply[0] ?? null;
      },
      listProposals: async (request) =>
        ((await actor['list_proposals'](request)) as { proposal_info: ProposalInfoValue[] })
          .proposal_info,
    };
    return await args.read(reader, proposals);
  } catch (error) {
    const text =
      (error instanceof Error ? error.message : String(error))
        .split('\n')
        .find((l) => l.trim() !== '') ?? 'unknown error';
    throw networkError(
      `cannot read ${args.what} from ${where}: ${text.trim().slice(0, 300)}`,
      `check --network ${settings.networkName} (and --governance-canister-id on a local network)`,
      error,
    );
  }
}

/** Reads a proposal from NNS governance (`get_proposal_info`, a certified query). Null if there is none. */
export async function readProposal(args: {
  settings: Settings;
  proposalId: bigint;
}): Promise<ProposalSummary | null> {
  return withGovernance({
    settings: args.settings,
    what: `proposal ${args.proposalId}`,
    read: async (governance, proposals) => {
      const info = await governance.getProposalInfo(args.proposalId);
      return info === null ? null : proposals.summarizeProposalInfo(info);
    },
  });
}

/**
 * The proposals open for voting in the given topics, newest first: `list_proposals` page by
 * page. A listing empties ExecuteNnsFunction payloads over 1,000 bytes (an IC-OS election with
 * launch measurements, an older canister upgrade): those are read again whole.
 */
export async function readOpenProposals(args: {
  settings: Settings;
  topics: readonly number[];
}): Promise<ProposalSummary[]> {
  return withGovernance({
    settings: args.settings,
    what: 'the open proposals',
    read: async (governance, proposals) => {
      const open: ProposalSummary[] = [];
      let before: bigint | null = null;
      // Governance holds at most a few hundred open proposals; the bound guards a broken peer.
      for (let page = 0; page < 100; page++) {
        const request = proposals.openProposalsRequest({
          beforeProposal: before,
          topics: args.topics,
        });
        const infos = await governance.listProposals(request);
        for (const info of infos) {
          let summary = proposals.summarizeProposalInfo(info);
          if (proposals.payloadOmitted(summary) && summary.id !== null) {
            const whole = await governance.getProposalInfo(summary.id);
            if (whole !== null) summary = proposals.summarizeProposalInfo(whole);
          }
          open.push(summary);
        }
        before = proposals.nextPageBefore({ page: infos, limit: request.limit });
        if (before === null) break;
      }
      return open;
    },
  });
}
