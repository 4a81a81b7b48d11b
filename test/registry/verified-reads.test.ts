/**
 * The client's verified reads through the real agent against the local network: answers are
 * checked against their certificate and witness by default, and a node that alters a
 * `list_attestations` answer (signed with its node key, so the agent accepts it) is refused
 * with the certification code — never a silent pass.
 */
import { readFile } from 'node:fs/promises';

import { HttpAgent } from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { testArtifact, testPredicate } from '@repro-registry/attestation/testing';
import {
  RegistryCallError,
  createRegistryClient,
  idlFactory,
  type RegistryClient,
} from '@repro-registry/client';
import type * as T from '@repro-registry/client';
import { identityFromPem } from '@repro-registry/local-network';
import { beforeAll, describe, expect, it } from 'vitest';

import { nodeKeyOf, queryContent, repliedArg, resignedAnswer } from '../support/lying-node';
import { localNetwork } from '../support/network-context';
import { confirmProposals, submitAsNewBuilder } from '../support/proposals';

const COMMIT = '5b3c9e2a7d1f4e6b8a0c2d4f6e8a0b2c4d6e8f0a';
const HASH = 'c1'.repeat(32);
// Far from the seeds and from other test files.
const PROPOSAL = 7_400_000n + BigInt(Math.floor(Math.random() * 1000)) * 10n;

const methods = new Map(idlFactory({ IDL })._fields);

/** Marks the first attestation of a `list_attestations` answer hidden (made to vanish). */
function hideFirst(result: { Ok?: T.AttestationPage } | undefined): boolean {
  const first = result?.Ok?.attestations[0];
  if (first === undefined) return false;
  first.hidden = [{ reason: 'spam', at: first.submitted_at, by: Principal.anonymous() }];
  return true;
}

/**
 * An agent `fetch` that forwards to the network and, as a lying node, alters the answers of one
 * query method (`alter`: in place, returns whether it did) and signs the result with the node's
 * key.
 */
async function lyingFetch<R>(
  method = 'list_attestations',
  alter: (result: R | undefined) => boolean = hideFirst as (result: R | undefined) => boolean,
): Promise<{ fetch: typeof fetch; altered: () => number }> {
  const func = methods.get(method)!;
  const nodeKey = await nodeKeyOf(localNetwork().stateDir);
  let altered = 0;
  const lying: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const body = init?.body;
    if (
      !/\/canister\/[^/]+\/query$/.test(url) ||
      !(body instanceof Uint8Array || body instanceof ArrayBuffer)
    )
      return response;
    const content = queryContent(new Uint8Array(body));
    if (content['method_name'] !== method) return response;
    const answerBody = new Uint8Array(await response.arrayBuffer());
    const reply = repliedArg(answerBody);
    const [result] =
      reply === null ? [undefined] : (IDL.decode(func.retTypes, reply) as unknown as [R]);
    if (!alter(result)) {
      return new Response(answerBody, { status: response.status, headers: response.headers });
    }
    altered++;
    const arg = new Uint8Array(IDL.encode(func.retTypes, [result]));
    return new Response(new Uint8Array(resignedAnswer({ nodeKey, content, answerBody, arg })), {
      status: 200,
      headers: response.headers,
    });
  };
  return { fetch: lying, altered: () => altered };
}

/** A client whose agent asks through `node` (it checks the node's signature, as always). */
async function clientThrough(node: { fetch: typeof fetch }): Promise<RegistryClient> {
  const { url, canisterIds, rootKeyHex } = localNetwork();
  const agent = await HttpAgent.create({
    host: url,
    fetch: node.fetch,
    rootKey: Uint8Array.from(Buffer.from(rootKeyHex, 'hex')),
    retryTimes: 0,
  });
  return createRegistryClient({ host: url, canisterId: canisterIds['registry'], agent });
}

describe('verified reads (real agent, local network)', () => {
  let honest: RegistryClient;

  beforeAll(async () => {
    const { url, canisterIds, deployerPemPath } = localNetwork();
    await confirmProposals({
      url,
      governanceId: canisterIds['governance'],
      registryId: canisterIds['registry'],
      controller: identityFromPem(await readFile(deployerPemPath, 'utf8')),
      proposals: [{ id: PROPOSAL, commit: COMMIT, sha256: HASH }],
    });
    for (let i = 0; i < 2; i++) {
      await submitAsNewBuilder({
        url,
        registryId: canisterIds['registry'],
        predicate: testPredicate({
          proposalId: PROPOSAL.toString(),
          commit: COMMIT,
          artifacts: [testArtifact({ kind: 'guestos', sha256: HASH, expectedSha256: HASH })],
        }),
      });
    }
    honest = await createRegistryClient({
      host: url,
      canisterId: canisterIds['registry'],
      fetchRootKey: true,
      retryTimes: 0,
    });
  }, 120_000);

  it('verifies answers by default and exposes their proofs', { timeout: 60_000 }, async () => {
    // Read right after the submissions: a read that finds certification one message behind is
    // read again by the client until its witness matches.
    const page = await honest.listAttestations({ proposalId: PROPOSAL });
    if (!page.ok) throw new Error(page.error.code);
    expect(page.value.attestations).toHaveLength(2);
    expect(page.verified?.head.size).toBeGreaterThan(0);
    expect(page.verified?.certificate.length).toBeGreaterThan(0);
    const summary = await honest.getProposalSummary(PROPOSAL);
    if (!summary.ok) throw new Error(summary.error.code);
    expect(summary.value.builder_count).toBe(2n);
    expect(summary.verified).toBeDefined();
    const one = await honest.getAttestation(page.value.attestations[0].id);
    expect(one.ok && one.verified !== undefined).toBe(true);
    const proposals = await honest.listProposals({ limit: 5 });
    expect(proposals.verified).toBeDefined();
  });

  it(
    'refuses a page from which a node left an attestation out and lowered the total',
    { timeout: 60_000 },
    async () => {
      const { url, canisterIds, rootKeyHex } = localNetwork();
      // The honest page (read first: certification may lag the submissions by a message).
      const whole = await honest.listAttestations({ proposalId: PROPOSAL });
      if (!whole.ok) throw new Error(whole.error.code);
      expect(whole.value.total).toBe(2n);
      const node = await lyingFetch<{ Ok?: T.AttestationPage }>('list_attestations', (result) => {
        const page = result?.Ok;
        if (page === undefined || page.attestations.length < 2) return false;
        page.attestations.splice(1, 1);
        page.total -= 1n;
        return true;
      });
      const client = await createRegistryClient({
        host: url,
        canisterId: canisterIds['registry'],
        agent: await HttpAgent.create({
          host: url,
          fetch: node.fetch,
          rootKey: Uint8Array.from(Buffer.from(rootKeyHex, 'hex')),
          retryTimes: 0,
        }),
      });
      const failure = await client.listAttestations({ proposalId: PROPOSAL }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(RegistryCallError);
      expect((failure as RegistryCallError).verification?.code).toBe('WITNESS_MISMATCH');
      expect((failure as RegistryCallError).message).toMatch(/total|left out|certified count/);
      expect(node.altered()).toBeGreaterThan(0);
      // Every record on the forged page is genuine: only the page's completeness gives it away.
      const unverified = await client.listAttestations({ proposalId: PROPOSAL, verify: false });
      if (!unverified.ok) throw new Error(unverified.error.code);
      expect(unverified.value.attestations.map((a) => a.id)).toEqual([
        whole.value.attestations[0].id,
      ]);
    },
  );

  it(
    'refuses a list_attestations answer a node altered, unless told not to verify',
    { timeout: 60_000 },
    async () => {
      const node = await lyingFetch();
      const client = await clientThrough(node);

      const failure = await client.listAttestations({ proposalId: PROPOSAL }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(RegistryCallError);
      const refused = failure as RegistryCallError;
      expect(refused.kind).toBe('untrusted');
      expect(refused.verification?.code).toBe('WITNESS_MISMATCH');
      expect(refused.message).toMatch(/failed verification/);
      expect(node.altered()).toBeGreaterThan(0);

      // The altered answer did pass the agent's node-signature check: read unverified, the
      // forged mark is there.
      const unverified = await client.listAttestations({ proposalId: PROPOSAL, verify: false });
      if (!unverified.ok) throw new Error(unverified.error.code);
      expect(unverified.value.attestations[0].hidden).toHaveLength(1);
      expect(unverified.verified).toBeUndefined();
    },
  );

  it(
    "refuses a trust list's summary a node inflated; the honest one verifies",
    { timeout: 90_000 },
    async () => {
      const { url, canisterIds } = localNetwork();
      const owner = await createRegistryClient({
        host: url,
        canisterId: canisterIds['registry'],
        identity: Ed25519KeyIdentity.generate(),
        fetchRootKey: true,
        retryTimes: 0,
      });
      const page = await honest.listAttestations({ proposalId: PROPOSAL });
      if (!page.ok) throw new Error(page.error.code);
      const published = await owner.publishTrustList({
        name: `Verified reads ${PROPOSAL}`,
        description: 'the first builder',
        members: [page.value.attestations[0].builder],
      });
      if (!published.ok) throw new Error(published.error.code);
      const list = published.value.id;
      // Verified, while the list is counted and once it is (`scoped/<list>/<id>`).
      let scoped: T.ProposalSummary | null = null;
      for (let i = 0; i < 50 && scoped?.scope.up_to_date !== true; i++) {
        const read = await honest.getProposalSummary(PROPOSAL, { trustList: list });
        if (!read.ok) throw new Error(read.error.code);
        expect(read.verified).toBeDefined();
        scoped = read.value;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(scoped?.builder_count).toBe(1n);
      const lists = await honest.listTrustLists({ limit: 100 });
      expect(lists.verified).toBeDefined();
      const got = await honest.getTrustList({ id: list });
      expect(got.ok && got.verified !== undefined).toBe(true);

      const node = await lyingFetch<{ Ok?: T.ProposalSummary }>('get_consensus', (result) => {
        const summary = result?.Ok;
        if (summary === undefined || summary.scope.trust_list.length === 0) return false;
        summary.builder_count = 12n;
        return true;
      });
      const client = await clientThrough(node);
      const failure = await client.getProposalSummary(PROPOSAL, { trustList: list }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(RegistryCallError);
      expect((failure as RegistryCallError).kind).toBe('untrusted');
      expect((failure as RegistryCallError).verification?.code).toBe('WITNESS_MISMATCH');
      expect(node.altered()).toBeGreaterThan(0);
      // The agent passed the forged count (node signature valid): only the proof catches it.
      const unverified = await client.getProposalSummary(PROPOSAL, {
        trustList: list,
        verify: false,
      });
      expect(unverified.ok && unverified.value.builder_count).toBe(12n);
    },
  );
});
