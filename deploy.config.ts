/**
 * Init arguments and local seeding for `npm run deploy` / `npm start` (see `@repro-registry/deploy`).
 *
 * - governance: on a local network, the stand-in is seeded with real IC-OS elections and canister
 *   upgrades, and with a local proposal whose module is the stand-in itself
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

import {
  RecordedProposalWithAction,
  deployedModuleProposal,
  seedProposals,
} from './canisters/governance/seed';
import { moduleHash, type DeployConfig } from '@repro-registry/deploy';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** The governance stand-in takes no init argument: `()`, whose hash its local proposal states. */
const GOVERNANCE_INIT_ARG = new Uint8Array(IDL.encode([], []));

export default {
  canisters: {
    governance: {
      initArg: () => GOVERNANCE_INIT_ARG,
      // The seeds are recorded once, when the stand-in is installed: later starts keep what it
      // holds. The local proposal that installed the stand-in itself (900004) is recorded after
      // every deploy, with the module hash the network reports, so it matches after upgrades.
      afterDeploy: async ({ agent, canisterId, network, mode }) => {
        if (network === 'ic') return;
        const governance = Actor.createActor<{ put_proposal: (p: unknown) => Promise<void> }>(
          ({ IDL: idl }) =>
            idl.Service({ put_proposal: idl.Func([RecordedProposalWithAction], [], []) }),
          { agent, canisterId },
        );
        const now = BigInt(Math.floor(Date.now() / 1000));
        if (mode !== 'upgrade')
          for (const proposal of seedProposals(now)) await governance.put_proposal(proposal);
        const deployed = await moduleHash(agent, canisterId);
        if (deployed.hash === null) throw new Error('governance: no module after deploying it');
        await governance.put_proposal(
          deployedModuleProposal({
            canisterId: canisterId.toText(),
            moduleHashHex: deployed.hash,
            argHashHex: bytesToHex(sha256(GOVERNANCE_INIT_ARG)),
            nowSeconds: now,
          }),
        );
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
      initArg: ({ canisterIds, network, rootKey }) => {
        const registry = canisterIds.registry;
        if (registry === undefined) {
          throw new Error('frontend: the registry must be deployed first (the page reads it)');
        }
        return encodeFrontendInitArgs({
          registry_canister_id: Principal.fromText(registry),
          // dfx's network names; a network given as a URL is a local one.
          network: /^[a-z0-9][a-z0-9_-]{0,31}$/.test(network) ? network : 'local',
          // A local network's key, so the page need not fetch it (null on mainnet).
          root_key: rootKey === null ? [] : [rootKey],
        });
      },
    },
  },
} satisfies DeployConfig;
