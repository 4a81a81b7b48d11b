/**
 * A registry held in memory behind the frontend's `RegistryApi`, with the registry's paging
 * rules (proposals newest first by offset; attestations newest first with an exclusive cursor
 * on arrival order). For state and component tests; the end-to-end tests use the real canister.
 */
import { base64Decode, utf8Decode } from '@repro-registry/attestation';

import { ApiError } from '../api/errors';
import type { RegistryApi, RegistryConnection } from '../api/registry.api';
import type * as M from '../model/types';
import { onChainProposal, summaryOf } from './fixtures';
import { MemoryCertified } from './memory-certified';

interface StoredProposal {
  onChain: M.OnChainProposal | null;
  /** Arrival order. */
  attestations: M.Attestation[];
}

export class MemoryRegistry implements RegistryApi {
  readonly connection: RegistryConnection = {
    canisterId: 'bkyz2-fmaaa-aaaaa-qaaaq-cai',
    host: 'http://127.0.0.1:4943',
    fetchRootKey: true,
  };
  readonly proposals = new Map<bigint, StoredProposal>();
  readonly trustLists = new Map<bigint, { list: M.TrustList; members: string[] }>();
  /** Builders' profiles as they set them (principal → name and URL). */
  readonly profiles = new Map<string, { displayName: string | null; url: string | null }>();
  /** When true every call fails as an unreachable network does. */
  down = false;
  /** Rewrites attestations on their way out (a registry that lies). */
  /** Changes what the registry sends (derived fields or envelope bytes) before it is sent. */
  tamper: ((a: M.Attestation) => M.Attestation) | null = null;
  /** Rewrites summaries on their way out (a registry that lies about its count). */
  tamperSummary: ((s: M.ProposalSummary) => M.ProposalSummary) | null = null;
  readonly calls: string[] = [];
  /** Certified reads (summaries everyone counts, the transparency log). */
  readonly certified = new MemoryCertified(
    (id, trustList) => (this.proposals.has(id) ? this.honestSummary(id, trustList) : null),
    (call) => this.check(call),
    () => this.proposals.size,
  );
  /** Added to `listProposals`' total: a node inflating the uncertified count. */
  inflateTotal = 0;

  add(attestation: M.Attestation, onChain: M.OnChainProposal | null = onChainProposal()): void {
    const p = this.proposals.get(attestation.proposalId) ?? { onChain, attestations: [] };
    const previous = p.attestations.find(
      (a) => a.builder === attestation.builder && a.supersededBy === null,
    );
    if (previous !== undefined) {
      previous.supersededBy = attestation.id;
      attestation.supersedes = previous.id;
      // Per artifact, as the registry counts: a newer hash replaces the older result; a later
      // failure leaves the older hash counted, marked.
      for (const r of previous.artifacts) {
        const newer = attestation.artifacts.find((x) => x.kind === r.kind);
        if (newer === undefined || !r.counted) continue;
        if (newer.sha256 !== null || r.sha256 === null) r.counted = false;
        else {
          r.laterAttemptFailed = true;
          newer.counted = false;
        }
      }
    }
    p.attestations.push(attestation);
    this.proposals.set(attestation.proposalId, p);
    this.certified.append(`accepted ${attestation.id}`);
  }

  private check(call: string): void {
    this.calls.push(call);
    if (this.down)
      throw new ApiError('unreachable', 'fetch failed: connect ECONNREFUSED 127.0.0.1:4943');
  }

  private proposal(id: bigint): StoredProposal {
    const p = this.proposals.get(id);
    if (p === undefined)
      throw ApiError.registry({
        code: 'PROPOSAL_NOT_FOUND',
        message: `the registry knows nothing about proposal ${id} yet`,
      });
    return p;
  }

  /** Publishes a trust list of these builders (counted at once). */
  addTrustList(name: string, members: string[]): M.TrustList {
    const list: M.TrustList = {
      id: BigInt(this.trustLists.size + 1),
      name,
      description: `${name}'s reviewers`,
      owner: 'rwlgt-iiaaa-aaaaa-aaaaa-cai',
      version: 1,
      countedVersion: 1,
      memberCount: members.length,
    };
    this.trustLists.set(list.id, { list, members });
    return list;
  }

  private summary(id: bigint, trustList?: bigint | null): M.ProposalSummary {
    const honest = this.honestSummary(id, trustList);
    return this.tamperSummary === null ? honest : this.tamperSummary(honest);
  }

  private honestSummary(id: bigint, trustList?: bigint | null): M.ProposalSummary {
    const p = this.proposal(id);
    const scope = trustList === undefined || trustList === null ? undefined : this.list(trustList);
    return summaryOf({
      proposalId: id,
      attestations: p.attestations,
      onChain: p.onChain,
      ...(scope === undefined
        ? {}
        : {
            trustList: {
              ref: {
                id: scope.list.id,
                name: scope.list.name,
                version: scope.list.countedVersion,
                owner: scope.list.owner,
              },
              members: new Set(scope.members),
            },
          }),
    });
  }

  private list(id: bigint): { list: M.TrustList; members: string[] } {
    const found = this.trustLists.get(id);
    if (found === undefined)
      throw ApiError.registry({
        code: 'TRUST_LIST_NOT_FOUND',
        message: `there is no trust list ${id}`,
      });
    return found;
  }

  async listTrustLists(): Promise<M.TrustList[]> {
    this.check('listTrustLists');
    return [...this.trustLists.values()].map((l) => l.list);
  }

  async getTrustListMembers(id: bigint): Promise<string[]> {
    this.check('getTrustListMembers');
    return this.list(id).members;
  }

  async listProposals(args: {
    cursor?: bigint;
    limit?: number;
    trustList?: bigint | null;
  }): Promise<M.ProposalPage> {
    this.check('listProposals');
    const ids = [...this.proposals.keys()].sort((a, b) => (a < b ? 1 : -1));
    const offset = Number(args.cursor ?? 0n);
    const limit = args.limit ?? 50;
    const page = ids.slice(offset, offset + limit);
    return {
      proposals: page.map((id) => this.summary(id, args.trustList)),
      nextCursor: offset + page.length < ids.length ? BigInt(offset + page.length) : null,
      total: ids.length + this.inflateTotal,
    };
  }

  async getProposalSummary(
    proposalId: bigint,
    trustList?: bigint | null,
  ): Promise<M.ProposalSummary> {
    this.check('getProposalSummary');
    return this.summary(proposalId, trustList);
  }

  async listAttestations(args: {
    proposalId: bigint;
    cursor?: bigint;
    limit?: number;
  }): Promise<M.ListedAttestationPage> {
    this.check('listAttestations');
    const all = this.proposal(args.proposalId).attestations;
    const limit = Math.min(args.limit ?? 50, 500);
    const end = Math.min(Number(args.cursor ?? BigInt(all.length)), all.length);
    const start = Math.max(0, end - limit);
    const page = all
      .slice(start, end)
      .reverse()
      .map((a) => listedOf(this.tamper === null ? a : this.tamper(a)));
    return { attestations: page, nextCursor: start > 0 ? BigInt(start) : null, total: all.length };
  }

  async getAttestation(id: bigint): Promise<M.Attestation> {
    this.check('getAttestation');
    for (const p of this.proposals.values()) {
      const found = p.attestations.find((a) => a.id === id);
      if (found !== undefined) return this.tamper === null ? { ...found } : this.tamper(found);
    }
    throw ApiError.registry({ code: 'ATTESTATION_NOT_FOUND', message: `no attestation ${id}` });
  }

  async getBuilder(args: {
    builder: string;
    cursor?: bigint;
    limit?: number;
  }): Promise<M.BuilderPage> {
    this.check('getBuilder');
    const mine = [...this.proposals.values()]
      .flatMap((p) => p.attestations)
      .filter((a) => a.builder === args.builder);
    if (mine.length === 0)
      throw ApiError.registry({
        code: 'BUILDER_NOT_FOUND',
        message: `${args.builder} has not submitted any attestation`,
      });
    mine.sort((a, b) => (a.id < b.id ? -1 : 1));
    const limit = args.limit ?? 50;
    const end = Math.min(Number(args.cursor ?? BigInt(mine.length)), mine.length);
    const start = Math.max(0, end - limit);
    const first = mine[0];
    const last = mine[mine.length - 1];
    return {
      profile: {
        id: args.builder,
        publicKey: publicKeyOf(first),
        displayName: this.profiles.get(args.builder)?.displayName ?? null,
        url: this.profiles.get(args.builder)?.url ?? null,
        firstSeen: first.submittedAt,
        lastSeen: last.submittedAt,
        attestationCount: mine.length,
      },
      attestations: {
        attestations: mine
          .slice(start, end)
          .reverse()
          .map((a) => ({ ...a })),
        nextCursor: start > 0 ? BigInt(start) : null,
        total: mine.length,
      },
    };
  }

  async getRegistryInfo(): Promise<M.RegistryInfo> {
    this.check('getRegistryInfo');
    const all = [...this.proposals.values()].flatMap((p) => p.attestations);
    return {
      version: '1',
      attestationCount: all.length,
      proposalCount: this.proposals.size,
      builderCount: new Set(all.map((a) => a.builder)).size,
      maxPageSize: 100,
    };
  }

  async getModuleHash(canisterId?: string): Promise<string | null> {
    this.check('getModuleHash');
    return (canisterId === undefined ? 'ab' : 'cd').repeat(32);
  }
}

/** The builder's key, read from the signed statement in the envelope. */
function publicKeyOf(a: M.Attestation): Uint8Array {
  if (a.envelope === null) return new Uint8Array(32);
  const envelope = JSON.parse(utf8Decode(a.envelope)) as { payload: string };
  const statement = JSON.parse(utf8Decode(base64Decode(envelope.payload))) as {
    predicate: { builder: { publicKey: string } };
  };
  return base64Decode(statement.predicate.builder.publicKey);
}

/** What the registry sends for an attestation: its envelope and the fields it derives. */
export function listedOf(a: M.Attestation): M.ListedAttestation {
  return {
    id: a.id,
    builder: a.builder,
    submittedAt: a.submittedAt,
    effectiveVerdict: a.effectiveVerdict,
    standings: a.artifacts.map((r) => ({
      effectiveVerdict: r.effectiveVerdict,
      expectedDiffersFromProposal: r.expectedDiffersFromProposal,
      counted: r.counted,
      laterAttemptFailed: r.laterAttemptFailed,
    })),
    supersedes: a.supersedes,
    supersededBy: a.supersededBy,
    hidden: a.hidden,
    commitDiffersFromProposal: a.commitDiffersFromProposal,
    held: a.held,
    rejection: a.rejection,
    envelope: a.envelope,
  };
}
