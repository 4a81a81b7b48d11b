/**
 * Expected hashes come from the proposal on chain — through the local network, as deployed by
 * `npm start`: the registry reads the governance stand-in, the client talks to both with the
 * real agent and full verification.
 */
import { readFile } from 'node:fs/promises';

import { Actor, QueryResponseStatus, type HttpAgent } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { signAttestation, type UnsignedPredicate } from '@repro-registry/attestation';
import { testArtifact, testPredicate } from '@repro-registry/attestation/testing';
import { ErrorCode } from '@repro-registry/registry-api';
import { createRegistryClient, type RegistryClient } from '@repro-registry/client';
import { identityFromPem } from '@repro-registry/local-network';
import {
  decodeGetProposalInfoReply,
  encodeGuestosElectionPayload,
  summarizeProposalInfo,
} from '@repro-registry/proposals';
import { beforeAll, describe, expect, it } from 'vitest';

import { RecordedProposal } from '../../canisters/governance/seed';
import { createAgent, localNetwork } from '../support/network-context';

const COMMIT = 'ec35ebd252d4ffb151d2cfceba3a86c4fb87c6d6';
const HASH = 'b0a0f2c57a6bd3ad1bb4b8ed04cd5c3ec1a56f1e4c3b4a8e5e1a53f0b1e3c0d2';
const FailureMode = IDL.Variant({ none: IDL.Null, trap: IDL.Null, reject: IDL.Null });

interface Governance {
  put_proposal(p: unknown): Promise<void>;
  set_failure_mode(m: unknown): Promise<void>;
}

function proposal(id: bigint) {
  const now = BigInt(Math.floor(Date.now() / 1000));
  return {
    id,
    title: 'Elect a GuestOS version (integration test)',
    summary: 'test',
    url: 'https://example.org',
    topic: 13,
    status: 1,
    execute_nns_function: [
      {
        nns_function: 38,
        payload: new Uint8Array(
          encodeGuestosElectionPayload({
            electedCommit: COMMIT,
            releasePackageSha256Hex: HASH,
            releasePackageUrls: [],
          }),
        ),
      },
    ],
    proposal_timestamp_seconds: now,
    deadline_timestamp_seconds: [now + 86_400n],
    decided_timestamp_seconds: 0n,
    executed_timestamp_seconds: 0n,
    failed_timestamp_seconds: 0n,
  };
}

function predicate(
  proposalId: bigint,
  over: { sha256?: string; expected?: string; commit?: string } = {},
): UnsignedPredicate {
  const sha256 = over.sha256 ?? HASH;
  const expected = over.expected ?? HASH;
  return testPredicate({
    proposalId: proposalId.toString(),
    commit: over.commit ?? COMMIT,
    artifacts: [testArtifact({ kind: 'guestos', sha256, expectedSha256: expected })],
  });
}

describe('the registry reads NNS governance (local network)', () => {
  let governance: Governance;
  let controllerRegistry: RegistryClient;
  // Ids far from the seeds and from other test files.
  let nextId = 7_000_000n + BigInt(Math.floor(Math.random() * 1000)) * 100n;

  const builder = async () => {
    const identity = Ed25519KeyIdentity.generate();
    const secretKey = new Uint8Array(identity.getKeyPair().secretKey).slice(0, 32);
    const client = await createRegistryClient({
      host: localNetwork().url,
      canisterId: localNetwork().canisterIds.registry,
      identity,
      fetchRootKey: true,
      retryTimes: 0,
    });
    return {
      client,
      submit: (p: UnsignedPredicate) =>
        client.submit(signAttestation({ predicate: p, secretKey }).envelopeBytes),
    };
  };
  const summaryOf = async (id: bigint) => {
    const s = await controllerRegistry.getProposalSummary(id);
    if (!s.ok) throw new Error(s.error.message);
    return s.value;
  };
  type Summary = Awaited<ReturnType<RegistryClient['getProposalSummary']>>;
  /**
   * A proposal read runs in a message of its own after a submission: wait until the summary
   * answers other than "still pending" (or until `until` holds).
   */
  const settled = async (
    id: bigint,
    until: (s: Summary) => boolean = (s) => s.ok || s.error.code !== 'PROPOSAL_PENDING',
  ) => {
    for (let i = 0; i < 100; i++) {
      const s = await controllerRegistry.getProposalSummary(id);
      if (until(s)) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`proposal ${id} was not read as expected`);
  };
  const confirmed = async (id: bigint) => {
    const s = await settled(id);
    if (!s.ok) throw new Error(`${s.error.code}: ${s.error.message}`);
    return s.value;
  };

  beforeAll(async () => {
    const { canisterIds, deployerPemPath } = localNetwork();
    const deployer = identityFromPem(await readFile(deployerPemPath, 'utf8'));
    const agent: HttpAgent = await createAgent(deployer);
    governance = Actor.createActor<Governance>(
      ({ IDL: idl }) =>
        idl.Service({
          put_proposal: idl.Func([RecordedProposal], [], []),
          set_failure_mode: idl.Func([FailureMode], [], []),
        }),
      { agent, canisterId: canisterIds.governance },
    );
    controllerRegistry = await createRegistryClient({
      host: localNetwork().url,
      canisterId: canisterIds.registry,
      agent,
    });
  });

  it('judges against the proposal’s hash, flags a wrong expectation, refuses another commit', async () => {
    const id = nextId++;
    await governance.put_proposal(proposal(id));
    const honest = await builder();
    expect((await honest.submit(predicate(id))).ok).toBe(true);
    const s = await confirmed(id);
    expect(s.sync.state).toBe('ok');
    expect(s.artifacts[0]).toMatchObject({ expected_sha256: [HASH], expected_source: 'proposal' });

    const stale = await builder();
    const flagged = await stale.submit(predicate(id, { expected: 'f'.repeat(64) }));
    if (!flagged.ok) throw new Error(flagged.error.message);
    const stored = await controllerRegistry.getAttestation(flagged.value.attestation_id);
    expect(stored.ok && stored.value.artifacts[0]).toMatchObject({
      effective_verdict: 'match',
      expected_differs_from_proposal: true,
    });
    expect((await summaryOf(id)).artifacts[0]?.expected_claim_mismatches).toBe(1n);

    const wrong = await builder();
    const refused = await wrong.submit(predicate(id, { commit: 'c'.repeat(40) }));
    expect(refused.ok || refused.error.code).toBe(ErrorCode.COMMIT_MISMATCH);
  });

  it('holds an attestation for a proposal governance does not know, then rejects it and refuses more', async () => {
    const id = nextId++;
    const early = await builder();
    const held = await early.submit(predicate(id));
    if (!held.ok) throw new Error(held.error.message);
    const answer = await settled(id);
    expect(answer.ok || answer.error.code).toBe(ErrorCode.PROPOSAL_NOT_ON_CHAIN);
    const stored = await controllerRegistry.getAttestation(held.value.attestation_id);
    expect(stored.ok && stored.value.rejection).toEqual([`governance has no proposal ${id}`]);
    const later = await builder();
    const refused = await later.submit(predicate(id));
    expect(refused.ok || refused.error.code).toBe(ErrorCode.PROPOSAL_NOT_ON_CHAIN);
    const page = await controllerRegistry.listProposals({ limit: 100 });
    expect(page.proposals.map((p) => p.proposal_id)).not.toContain(id);
  });

  it('keeps attestations while governance is down, says why, and recovers', async () => {
    const id = nextId++;
    await governance.put_proposal(proposal(id));
    await governance.set_failure_mode({ trap: null });
    try {
      const patient = await builder();
      expect((await patient.submit(predicate(id))).ok).toBe(true);
      // Held, not counted, and the reason is given: governance could not be read.
      const down = await settled(id, (s) => !s.ok && /could not read/.test(s.error.message));
      expect(!down.ok && down.error.code).toBe(ErrorCode.PROPOSAL_PENDING);
    } finally {
      await governance.set_failure_mode({ none: null });
    }
    const next = await builder();
    expect((await next.submit(predicate(id))).ok).toBe(true);
    const recovered = await confirmed(id);
    expect(recovered.sync.error).toEqual([]);
    expect(recovered.builder_count).toBe(2n);
  });

  it('agrees with governance read directly (as the CLI reads it) on every seeded proposal', async () => {
    const agent = await createAgent();
    for (const id of [130083n, 900001n, 900002n, 900003n]) {
      const synced = await controllerRegistry.actor.sync_proposal(id);
      // Another test may have had it read moments ago; then the stored reading is current.
      const summary = 'Ok' in synced ? synced.Ok : await summaryOf(id);
      const reply = await agent.query(localNetwork().canisterIds.governance, {
        methodName: 'get_proposal_info',
        arg: IDL.encode([IDL.Nat64], [id]),
      });
      if (reply.status !== QueryResponseStatus.Replied)
        throw new Error(`governance did not answer for ${id}`);
      const info = decodeGetProposalInfoReply(new Uint8Array(reply.reply.arg));
      if (info === null) throw new Error(`governance has no proposal ${id}`);
      const direct = summarizeProposalInfo(info);
      if (!direct.icOsElection.ok) throw new Error(direct.icOsElection.message);
      const onChain = summary.on_chain[0];
      expect(onChain).toBeDefined();
      expect(onChain?.elected_commit).toEqual([direct.icOsElection.value.electedCommit]);
      expect(onChain?.release_package_sha256_hex).toEqual(
        direct.icOsElection.value.releasePackageSha256Hex === null
          ? []
          : [direct.icOsElection.value.releasePackageSha256Hex],
      );
      expect(onChain?.release_package_urls).toEqual(direct.icOsElection.value.releasePackageUrls);
      expect(onChain?.status).toBe(direct.status);
      expect(onChain?.deadline_at).toEqual(
        direct.deadlineTimestampNs === null ? [] : [direct.deadlineTimestampNs],
      );
    }
  });
});
