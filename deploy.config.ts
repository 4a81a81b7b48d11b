/**
 * Init arguments and local seeding for `npm run deploy` / `npm start` (see scripts/deploy.ts).
 *
 * - governance: on a local network, the stand-in is seeded with real IC-OS election proposals
 *   (canisters/governance/seed.ts). On mainnet it is NNS governance itself (dfx.json `remote`).
 * - registry: reads proposals from that governance canister.
 */
import { Actor } from '@dfinity/agent';
import { encodeInitArgs } from '@repro-registry/client';

import { RecordedProposal, seedProposals } from './canisters/governance/seed';
import type { DeployConfig } from './scripts/deploy';

export default {
  canisters: {
    governance: {
      afterDeploy: async ({ agent, canisterId, network }) => {
        if (network === 'ic') return;
        const governance = Actor.createActor<{ put_proposal: (p: unknown) => Promise<void> }>(
          ({ IDL: idl }) => idl.Service({ put_proposal: idl.Func([RecordedProposal], [], []) }),
          { agent, canisterId },
        );
        const now = BigInt(Math.floor(Date.now() / 1000));
        for (const proposal of seedProposals(now)) await governance.put_proposal(proposal);
      },
    },
    registry: {
      initArg: ({ canisterIds, network }) =>
        encodeInitArgs({
          governanceCanisterId: canisterIds.governance ?? null,
          // Locally, proposal status changes show within a minute.
          proposalRefreshSeconds: network === 'ic' ? null : 60,
        }),
    },
  },
} satisfies DeployConfig;
