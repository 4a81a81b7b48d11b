/**
 * Init arguments and local seeding for `npm run deploy` / `npm start` (see scripts/deploy.ts).
 *
 * - governance: on a local network, the stand-in is seeded with real IC-OS election proposals
 *   (canisters/governance/seed.ts). On mainnet it is NNS governance itself (dfx.json `remote`).
 * - registry: reads proposals from that governance canister.
 */
import { Actor } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';

import { RecordedProposal, seedProposals } from './canisters/governance/seed';
import type { DeployConfig } from './scripts/deploy';

const RegistryInitArgs = IDL.Record({
  governance_canister_id: IDL.Opt(IDL.Principal),
  rate_limit: IDL.Opt(IDL.Record({ capacity: IDL.Nat32, refill_interval_seconds: IDL.Nat32 })),
  proposal_refresh_seconds: IDL.Opt(IDL.Nat32),
});

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
      initArg: ({ canisterIds, network }) => {
        const governance = canisterIds.governance;
        return new Uint8Array(
          IDL.encode(
            [IDL.Opt(RegistryInitArgs)],
            [
              [
                {
                  governance_canister_id: governance ? [Principal.fromText(governance)] : [],
                  rate_limit: [],
                  // Locally, proposal status changes show within a minute.
                  proposal_refresh_seconds: network === 'ic' ? [] : [60],
                },
              ],
            ],
          ),
        );
      },
    },
  },
} satisfies DeployConfig;
