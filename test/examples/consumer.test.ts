/**
 * examples/consumer on the local network: another canister asks the registry over an
 * inter-canister call (and a composite query) whether a proposal is reproduced, including while
 * the registry is stopped or upgraded.
 */
import { Actor, type ActorSubclass, type HttpAgent } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { signAttestation, type UnsignedPredicate } from '@repro-registry/attestation';
import { testArtifact, testPredicate } from '@repro-registry/attestation/testing';
import { createRegistryClient } from '@repro-registry/client';
import { PROJECT_ROOT, installWasm, type DeployConfig } from '@repro-registry/deploy';
import { identityFromPem, managementCanister } from '@repro-registry/local-network';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, localNetwork } from '../support/network-context';

interface Decision {
  proposal_id: bigint;
  approve: boolean;
  reason: string;
}
interface Consumer {
  decide(id: bigint): Promise<Decision>;
  decide_now(id: bigint): Promise<Decision>;
}
const DecisionIdl = IDL.Record({ proposal_id: IDL.Nat64, approve: IDL.Bool, reason: IDL.Text });
const consumerIdl: IDL.InterfaceFactory = () =>
  IDL.Service({
    decide: IDL.Func([IDL.Nat64], [DecisionIdl], []),
    decide_now: IDL.Func([IDL.Nat64], [DecisionIdl], ['composite_query']),
  });

/** A seeded proposal no other test file attests. */
const PROPOSAL = 900002n;

describe('examples/consumer asks the registry', () => {
  let consumer: ActorSubclass<Consumer>;
  let controller: HttpAgent;
  let registry: string;

  beforeAll(async () => {
    const { canisterIds, deployerPemPath } = localNetwork();
    registry = canisterIds.registry!;
    controller = await createAgent(identityFromPem(await readFile(deployerPemPath, 'utf8')));
    consumer = Actor.createActor<Consumer>(consumerIdl, {
      agent: await createAgent(Ed25519KeyIdentity.generate()),
      canisterId: canisterIds.consumer,
    });
  });

  it('says no with the reason until a builder reproduces the proposal, then yes', async () => {
    const before = await consumer.decide(PROPOSAL);
    expect(before).toEqual({
      proposal_id: PROPOSAL,
      approve: false,
      reason: 'nobody has attested a reproduction yet',
    });

    // A builder reproduces the proposal's hash (threshold 1 on the local network).
    const identity = Ed25519KeyIdentity.generate();
    const client = await createRegistryClient({
      host: localNetwork().url,
      canisterId: registry,
      identity,
      fetchRootKey: true,
      retryTimes: 0,
    });
    const summary = await client.getProposalSummary(PROPOSAL);
    if (!summary.ok) throw new Error(summary.error.message);
    const onChain = summary.value.on_chain[0]!;
    const hash = onChain.release_package_sha256_hex[0]!;
    const submitted = await client.submit(
      signAttestation({
        predicate: predicate({
          proposal: PROPOSAL,
          commit: onChain.elected_commit[0]!,
          kind: onChain.os[0] as 'guestos' | 'hostos',
          hash,
        }),
        secretKey: new Uint8Array(identity.getKeyPair().secretKey).slice(0, 32),
      }).envelopeBytes,
    );
    expect(submitted.ok).toBe(true);

    const after = await consumer.decide(PROPOSAL);
    expect(after.approve).toBe(true);
    expect(after.reason).toMatch(/reproduced by at least 1 builder, no other hash/);
    // The same answer as a composite query.
    expect(await consumer.decide_now(PROPOSAL)).toEqual(after);
  });

  /**
   * A registry and a consumer of their own (the shared registry must keep running for the other
   * test files): the registry installed like `npm run deploy` installs it.
   */
  async function privatePair(): Promise<{
    registry: Principal;
    consumer: ActorSubclass<Consumer>;
  }> {
    const mgmt = managementCanister(controller);
    const create = async () =>
      (
        await mgmt.provisional_create_canister_with_cycles({
          amount: [],
          settings: [],
          specified_id: [],
          sender_canister_version: [],
        })
      ).canister_id;
    const [registryId, consumerId] = [await create(), await create()];
    const wasm = (name: string) => readFile(join(PROJECT_ROOT, '.azle', name, `${name}.wasm`));
    await installWasm({
      agent: controller,
      canisterId: registryId,
      wasm: new Uint8Array(await wasm('registry')),
      arg: await registryInitArg(),
      mode: { install: null },
    });
    const ConsumerInit = IDL.Record({ registry: IDL.Principal, threshold: IDL.Nat32 });
    await installWasm({
      agent: controller,
      canisterId: consumerId,
      wasm: new Uint8Array(await wasm('consumer')),
      arg: new Uint8Array(IDL.encode([ConsumerInit], [{ registry: registryId, threshold: 1 }])),
      mode: { install: null },
    });
    return {
      registry: registryId,
      consumer: Actor.createActor<Consumer>(consumerIdl, {
        agent: controller,
        canisterId: consumerId,
      }),
    };
  }

  it('says no, with the reject, while its registry is stopped (also mid-call), and recovers', async () => {
    const pair = await privatePair();
    const mgmt = managementCanister(controller);
    const before = await pair.consumer.decide(PROPOSAL);
    expect(before.approve).toBe(false);
    // Stop while the consumer's call may be in flight: either order gives a decision, no trap.
    const [during] = await Promise.all([
      pair.consumer.decide(PROPOSAL),
      mgmt.stop_canister({ canister_id: pair.registry }),
    ]);
    expect(during.approve).toBe(false);
    const stopped = await pair.consumer.decide(PROPOSAL);
    expect(stopped.reason).toMatch(/^the registry could not be asked \(reject 5\): .*is stopped/);
    expect((await pair.consumer.decide_now(PROPOSAL)).reason).toMatch(/is stopped/);
    await mgmt.start_canister({ canister_id: pair.registry });
    expect(await pair.consumer.decide(PROPOSAL)).toEqual(before);
  });

  it('gets a decision while its registry is upgraded, and the same one after', async () => {
    const pair = await privatePair();
    const before = await pair.consumer.decide(PROPOSAL);
    const wasm = new Uint8Array(await readFile(join(PROJECT_ROOT, '.azle/registry/registry.wasm')));
    const [during] = await Promise.all([
      pair.consumer.decide(PROPOSAL),
      installWasm({
        agent: controller,
        canisterId: pair.registry,
        wasm,
        arg: await registryInitArg(),
        mode: { upgrade: [] },
      }),
    ]);
    expect(during).toEqual(before);
    expect(await pair.consumer.decide(PROPOSAL)).toEqual(before);
  });
});

/** The registry's init argument as deploy.config.ts gives it on the local network. */
async function registryInitArg(): Promise<Uint8Array> {
  const config = (await import(join(PROJECT_ROOT, 'deploy.config.ts'))) as {
    default: DeployConfig;
  };
  const initArg = config.default.canisters!.registry.initArg!;
  return initArg({
    canister: 'registry',
    network: 'local',
    mode: 'install',
    canisterIds: localNetwork().canisterIds,
    deployer: Principal.fromText(localNetwork().deployer),
    rootKey: null, // the registry's argument does not use it
  });
}

function predicate(args: {
  proposal: bigint;
  commit: string;
  kind: 'guestos' | 'hostos';
  hash: string;
}): UnsignedPredicate {
  return testPredicate({
    proposalId: args.proposal.toString(),
    commit: args.commit,
    artifacts: [testArtifact({ kind: args.kind, sha256: args.hash, expectedSha256: args.hash })],
  });
}
