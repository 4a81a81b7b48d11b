/**
 * Proposals for tests on the local network: recorded in the governance stand-in like real IC-OS
 * elections, and read by the registry (as its controller, which pays no rate-limit token), so
 * what tests then submit counts at once. The registry counts only proposals it has confirmed.
 */
import { Actor, HttpAgent, type Identity } from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { signAttestation, type UnsignedPredicate } from '@repro-registry/attestation';
import { createRegistryClient } from '@repro-registry/client';
import {
  NnsFunction,
  encodeGuestosElectionPayload,
  encodeHostosElectionPayload,
} from '@repro-registry/proposals';

import { RecordedProposal } from '../../canisters/governance/seed';

export interface ElectionSpec {
  id: bigint;
  os?: 'guestos' | 'hostos';
  commit: string;
  /** The release package hash the proposal states (null: none). */
  sha256: string | null;
  /** The proposal's title (default: "Elect GuestOS <commit> (test)"). */
  title?: string;
  /** The proposal's `release_package_urls` (default none). */
  urls?: string[];
}

export async function confirmProposals(args: {
  url: string;
  governanceId: string;
  registryId: string;
  /** A controller of both canisters (the deploy identity). */
  controller: Identity;
  proposals: ElectionSpec[];
}): Promise<void> {
  const agent = await HttpAgent.create({
    host: args.url,
    identity: args.controller,
    shouldFetchRootKey: true,
    retryTimes: 0,
  });
  const governance = Actor.createActor<{ put_proposal: (p: unknown) => Promise<void> }>(
    ({ IDL }) => IDL.Service({ put_proposal: IDL.Func([RecordedProposal], [], []) }),
    { agent, canisterId: args.governanceId },
  );
  const registry = await createRegistryClient({
    host: args.url,
    canisterId: args.registryId,
    agent,
  });
  const now = BigInt(Math.floor(Date.now() / 1000));
  for (const p of args.proposals) {
    const hostos = p.os === 'hostos';
    const election = {
      electedCommit: p.commit,
      releasePackageSha256Hex: p.sha256,
      releasePackageUrls: p.urls ?? [],
    };
    await governance.put_proposal({
      id: p.id,
      title: p.title ?? `Elect ${hostos ? 'HostOS' : 'GuestOS'} ${p.commit.slice(0, 7)} (test)`,
      summary: 'recorded by a test',
      url: 'https://example.org/proposal',
      topic: 13,
      status: 1,
      execute_nns_function: [
        {
          nns_function: hostos
            ? NnsFunction.ReviseElectedHostosVersions
            : NnsFunction.ReviseElectedGuestosVersions,
          payload: new Uint8Array(
            hostos ? encodeHostosElectionPayload(election) : encodeGuestosElectionPayload(election),
          ),
        },
      ],
      proposal_timestamp_seconds: now,
      deadline_timestamp_seconds: [now + 4n * 86_400n],
      decided_timestamp_seconds: 0n,
      executed_timestamp_seconds: 0n,
      failed_timestamp_seconds: 0n,
    });
    const read = await registry.actor.sync_proposal(p.id);
    // Read moments ago (another test file): then it is confirmed already.
    if ('Err' in read && read.Err.code !== 'RATE_LIMITED')
      throw new Error(
        `the registry did not confirm proposal ${p.id}: ${read.Err.code} ${read.Err.message}`,
      );
  }
}

/** Signs `predicate` with a new builder key and submits it to the local network's registry. */
export async function submitAsNewBuilder(args: {
  url: string;
  registryId: string;
  predicate: UnsignedPredicate;
}): Promise<void> {
  const identity = Ed25519KeyIdentity.generate();
  const client = await createRegistryClient({
    host: args.url,
    canisterId: args.registryId,
    identity,
    fetchRootKey: true,
    retryTimes: 0,
  });
  const envelope = signAttestation({
    secretKey: new Uint8Array(identity.getKeyPair().secretKey).slice(0, 32),
    predicate: args.predicate,
  });
  const receipt = await client.submit(envelope.envelopeBytes);
  if (!receipt.ok) throw new Error(`${receipt.error.code}: ${receipt.error.message}`);
}
