/**
 * Init arguments and local seeding for `npm run deploy` / `npm start` (see `@repro-registry/deploy`).
 *
 * - governance: on a local network, the stand-in is seeded with real IC-OS election proposals
 *   (canisters/governance/seed.ts). On mainnet it is NNS governance itself (dfx.json `remote`).
 * - registry: reads proposals from that governance canister.
 * - consumer (examples/consumer): asks that registry; one builder suffices locally.
 * - frontend: serves the web page; its init argument names the registry and the network (the
 *   page reads them from the canister's certified /config.json).
 */
import { Actor } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createRegistryClient, encodeInitArgs } from '@repro-registry/client';

import { encodeInitArgs as encodeFrontendInitArgs } from './canisters/frontend/src/candid';

import { RecordedProposal, seedProposals } from './canisters/governance/seed';
import type { DeployConfig } from '@repro-registry/deploy';

export default {
  canisters: {
    governance: {
      // Seeded once, when the stand-in is installed: later starts keep what it holds.
      afterDeploy: async ({ agent, canisterId, network, mode }) => {
        if (network === 'ic' || mode === 'upgrade') return;
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
      // On a new local registry, have it read the seeded proposals, so its list shows them
      // before anyone attests. (Later starts keep what it read; its timer refreshes them.)
      afterDeploy: async ({ agent, canisterId, network, mode }) => {
        if (network === 'ic' || mode === 'upgrade') return;
        const registry = await createRegistryClient({ host: '', canisterId, agent });
        for (const { id } of seedProposals(0n)) await registry.actor.sync_proposal(id);
      },
    },
    consumer: {
      initArg: ({ canisterIds }) => {
        if (!canisterIds.registry) throw new Error('deploy the registry before the consumer');
        const args = IDL.Record({ registry: IDL.Principal, threshold: IDL.Nat32 });
        const registry = Principal.fromText(canisterIds.registry);
        return new Uint8Array(IDL.encode([args], [{ registry, threshold: 1 }]));
      },
    },
    frontend: {
      initArg: ({ canisterIds, network }) => {
        const registry = canisterIds.registry;
        if (registry === undefined) {
          throw new Error('frontend: the registry must be deployed first (the page reads it)');
        }
        return encodeFrontendInitArgs({
          registry_canister_id: Principal.fromText(registry),
          // dfx's network names; a network given as a URL is a local one.
          network: /^[a-z0-9][a-z0-9_-]{0,31}$/.test(network) ? network : 'local',
        });
      },
    },
  },
} satisfies DeployConfig;
