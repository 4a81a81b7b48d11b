/**
 * Raw calls to the registry canister: the only module that touches the agent. Every answer is
 * turned into the frontend's model (`model/types.ts`) and every failure into an `ApiError`.
 */
import { CanisterStatus, HttpAgent } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import {
  VERDICTS,
  hexToBytes,
  overallVerdict,
  parseAttestation,
  type Verdict,
} from '@repro-registry/attestation';
import {
  RegistryCallError,
  createRegistryClient,
  type RegistryClient,
  type Result,
} from '@repro-registry/client';
import type * as W from '@repro-registry/client';

import { attestationOf, contentOf, unreadableContent } from '../model/signed';
import type * as M from '../model/types';
import { createCertifiedApi, type CertifiedApi } from './certified.api';
import { ApiError } from './errors';

export interface RegistryConnection {
  canisterId: string;
  /** Where the IC HTTP interface is. */
  host: string;
  /** Local networks only: mainnet's root key is built into the agent. */
  fetchRootKey: boolean;
  /** A local network's root key (DER, hex) from the configuration: nothing to fetch. */
  rootKey?: string;
  /** The canister serving this page, when its configuration names it. */
  frontendCanisterId?: string;
}

/** The registry's read API, in the frontend's model. */
export interface RegistryApi {
  readonly connection: RegistryConnection;
  /** `trustList`: count only that list's builders (null or absent: everyone). */
  listProposals(args: {
    cursor?: bigint;
    limit?: number;
    trustList?: bigint | null;
  }): Promise<M.ProposalPage>;
  getProposalSummary(proposalId: bigint, trustList?: bigint | null): Promise<M.ProposalSummary>;
  /** The registry's trust lists (the first hundred). */
  listTrustLists(): Promise<M.TrustList[]>;
  /** The members (principal text) of a trust list's counted version. */
  getTrustListMembers(id: bigint, version: number): Promise<string[]>;
  /** A page of a proposal's attestations as sent: envelopes and what the registry derives. */
  listAttestations(args: {
    proposalId: bigint;
    cursor?: bigint;
    limit?: number;
  }): Promise<M.ListedAttestationPage>;
  /**
   * How many attestations the proposal has, as one node says without its signature checked:
   * answered before the subnet's node keys are read and checked, and used only to plan which
   * pages to ask for at once. Never shown and never trusted: what the page shows and checks for
   * completeness comes from checked answers. Null when the node cannot be asked.
   */
  attestationCountHint?(proposalId: bigint): Promise<number | null>;
  /** One attestation with its envelope (its permalink page). */
  getAttestation(id: bigint): Promise<M.Attestation>;
  getBuilder(args: { builder: string; cursor?: bigint; limit?: number }): Promise<M.BuilderPage>;
  getRegistryInfo(): Promise<M.RegistryInfo>;
  /**
   * SHA-256 of the wasm installed in the registry (or in `canisterId`), from the certified state
   * tree; null when the canister is empty.
   */
  getModuleHash(canisterId?: string): Promise<string | null>;
  /** Certified reads, verified in this browser (issue 10): list badges, checkpoint. */
  readonly certified: CertifiedApi;
  /**
   * Starts connecting (the root key on a local network, the subnet's node keys) while the page
   * is still being built, so its first queries do not wait for that.
   */
  connect?(): void;
}

const opt = <T>(v: [] | [T]): T | null => (v.length === 0 ? null : v[0]);
const nsToMs = (ns: bigint): number => Number(ns / 1_000_000n);
const optTime = (v: [] | [bigint]): number | null => (v.length === 0 ? null : nsToMs(v[0]));

function verdictOf(value: string, field: string): Verdict {
  if ((VERDICTS as readonly string[]).includes(value)) return value as Verdict;
  throw new ApiError('malformed', `${field} is "${value}", not one of ${VERDICTS.join(', ')}`);
}

const PROPOSAL_STATUSES: readonly M.ProposalStatus[] = [
  'open',
  'rejected',
  'adopted',
  'executed',
  'failed',
  'unknown',
];
const EXPECTED_SOURCES: readonly M.ExpectedSource[] = ['proposal', 'builders', 'none'];
const SYNC_STATES: readonly M.SyncState[] = ['never', 'ok', 'error'];

function oneOf<T extends string>(allowed: readonly T[], value: string, fallback: T): T {
  // Values the registry may add later (it promises only to add) read as the neutral fallback.
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function counts(c: W.VerdictCounts): M.VerdictCounts {
  return {
    match: Number(c.match),
    mismatch: Number(c.mismatch),
    build_failed: Number(c.build_failed),
    not_built: Number(c.not_built),
  };
}

function canisterTargetOf(install: W.CanisterInstall | null): string | null {
  if (install === null) return null;
  return opt(install.target_name) ?? opt(install.target_canister_id)?.toText() ?? null;
}

function toDeployed(d: W.DeployedCheck | null): M.DeployedCheck | null {
  if (d === null) return null;
  return {
    canisterId: d.canister_id.toText(),
    state: d.state,
    proposedSha256: d.proposed_sha256,
    deployedSha256: opt(d.deployed_sha256),
    reproducedSha256: opt(d.reproduced_sha256),
    reproducedBuilders: Number(d.reproduced_builder_count),
    agreement: d.agreement,
    checkedAt: optTime(d.checked_at),
    error: opt(d.error),
  };
}

export function toProposalSummary(s: W.ProposalSummary): M.ProposalSummary {
  const onChain = opt(s.on_chain);
  return {
    proposalId: s.proposal_id,
    commit: opt(s.commit),
    attestationCount: Number(s.attestation_count),
    builderCount: Number(s.builder_count),
    supersededCount: Number(s.superseded_count),
    hiddenCount: Number(s.hidden_count),
    otherCommitCount: Number(s.other_commit_count),
    firstAttestationAt: optTime(s.first_attestation_at),
    lastAttestationAt: optTime(s.last_attestation_at),
    totals: counts(s.totals),
    artifacts: s.artifacts.map((a) => ({
      kind: a.kind,
      expectedSha256: opt(a.expected_sha256),
      expectedSource: oneOf(EXPECTED_SOURCES, a.expected_source, 'none'),
      hashGroups: a.hash_groups.map((g) => ({
        sha256: g.sha256,
        builderCount: Number(g.builder_count),
        matchesExpected: opt(g.matches_expected),
        environmentClasses: Number(g.environment_classes),
      })),
      verdicts: counts(a.verdicts),
      expectedClaimMismatches: Number(a.expected_claim_mismatches),
      untrackedBuilders: Number(a.untracked_builder_count),
    })),
    onChain:
      onChain === null
        ? null
        : {
            kind: onChain.kind,
            title: opt(onChain.title),
            os: opt(onChain.os),
            payloadType: opt(onChain.payload_type),
            electedCommit: opt(onChain.elected_commit),
            releasePackageSha256: opt(onChain.release_package_sha256_hex),
            releasePackageUrls: onChain.release_package_urls,
            launchMeasurements: onChain.launch_measurements,
            status: oneOf(PROPOSAL_STATUSES, onChain.status, 'unknown'),
            proposedAt: optTime(onChain.proposed_at),
            deadlineAt: optTime(onChain.deadline_at),
            decidedAt: optTime(onChain.decided_at),
            executedAt: optTime(onChain.executed_at),
            failedAt: optTime(onChain.failed_at),
            expected: onChain.expected.map((e) => ({ kind: e.kind, sha256: e.sha256 })),
            canisterTarget: canisterTargetOf(opt(onChain.canister_install)),
          },
    sync: {
      state: oneOf(SYNC_STATES, s.sync.state, 'never'),
      lastAttemptAt: optTime(s.sync.last_attempt_at),
      lastSuccessAt: optTime(s.sync.last_success_at),
      error: opt(s.sync.error),
      final: s.sync.final,
    },
    scope: toScope(s.scope),
    rejectedCount: Number(s.rejected_count),
    deployed: toDeployed(opt(s.deployed)),
    releaseSources: s.release_sources.map((r) => ({
      kind: r.kind,
      source: r.source,
      url: r.url,
      sha256: opt(r.sha256),
      builderCount: Number(r.builder_count),
      agrees: opt(r.agrees),
    })),
    sourcesDisagree: s.sources_disagree,
  };
}

function toScope(s: W.ConsensusScope): M.ConsensusScope {
  const list = opt(s.trust_list);
  return {
    trustList:
      list === null
        ? null
        : { id: list.id, name: list.name, version: list.version, owner: list.owner.toText() },
    buildersInAll: Number(s.builders_in_all),
    matchingInAll: Number(s.matching_in_all),
    upToDate: s.up_to_date,
  };
}

/** The registry's answer for one attestation: its envelope and what the registry derives. */
export function toListedAttestation(a: W.Attestation): M.ListedAttestation {
  const hidden = opt(a.hidden);
  const standings = a.artifacts.map((s, i) => ({
    effectiveVerdict: verdictOf(s.effective_verdict, `artifacts[${i}].effective_verdict`),
    expectedDiffersFromProposal: s.expected_differs_from_proposal,
    counted: s.counted,
    laterAttemptFailed: s.later_attempt_failed,
  }));
  return {
    id: a.id,
    builder: a.builder.toText(),
    submittedAt: nsToMs(a.submitted_at),
    effectiveVerdict: overallVerdict(standings.map((s) => s.effectiveVerdict)),
    standings,
    supersedes: opt(a.supersedes),
    supersededBy: opt(a.superseded_by),
    hidden:
      hidden === null
        ? null
        : { reason: hidden.reason, at: nsToMs(hidden.at), by: hidden.by.toText() },
    commitDiffersFromProposal: a.commit_differs_from_proposal,
    held: a.held,
    rejection: opt(a.rejection),
    // A fresh copy: the decoder's array may be a view into a larger buffer, and the envelope
    // is transferred to a worker for verification.
    envelope: new Uint8Array(a.envelope),
  };
}

/**
 * An attestation with its content read from its envelope here, on the calling thread (for a
 * few: a permalink, a builder's page). Its signature is checked apart (`verification/`); an
 * envelope that cannot be read shows nothing the builder said.
 */
export function readListed(listed: M.ListedAttestation, proposalId = 0n): M.Attestation {
  const parsed = parseAttestation(listed.envelope);
  return attestationOf(
    listed,
    parsed.ok ? contentOf(parsed.value) : unreadableContent(listed, proposalId),
  );
}

export function toAttestation(a: W.Attestation): M.Attestation {
  return readListed(toListedAttestation(a));
}

function toListedPage(p: W.AttestationPage): M.ListedAttestationPage {
  return {
    attestations: p.attestations.map(toListedAttestation),
    nextCursor: opt(p.next_cursor),
    total: Number(p.total),
  };
}

function toAttestationPage(p: W.AttestationPage): M.AttestationPage {
  return {
    attestations: p.attestations.map(toAttestation),
    nextCursor: opt(p.next_cursor),
    total: Number(p.total),
  };
}

function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw ApiError.registry(result.error);
}

/** The client classifies agent failures (one rule); the page names them in its own words. */
function callError(cause: unknown): ApiError {
  if (cause instanceof ApiError) return cause;
  const failure = RegistryCallError.of(cause);
  const kinds = {
    network: 'unreachable',
    rejected: 'rejected',
    untrusted: 'verification_failed',
  } as const;
  return new ApiError(kinds[failure.kind], failure.message, failure.code, { cause });
}

/**
 * The agent checks every query's node signature against the subnet's node keys, which it reads
 * (a `read_state` whose certificate costs a BLS check) when it has none — once per query that
 * starts before the first read has finished, so a page opening with six queries read them six
 * times. Here the queries waiting for the same subnet's keys share one read. The keys are still
 * read from a certified answer and every query's signature is still checked against them.
 */
export function shareSubnetKeyReads(agent: HttpAgent): void {
  const inFlight = new Map<string, ReturnType<HttpAgent['fetchSubnetKeys']>>();
  const read = agent.fetchSubnetKeys.bind(agent);
  agent.fetchSubnetKeys = (canisterId) => {
    const key = Principal.from(canisterId).toText();
    let keys = inFlight.get(key);
    if (keys === undefined) {
      keys = read(canisterId).finally(() => inFlight.delete(key));
      inFlight.set(key, keys);
    }
    return keys;
  };
}

/**
 * A registry API over `@repro-registry/client`. The agent is created on first use and again
 * after a failure to create it, so "retry" after the network comes back works without reload.
 */
export function createRegistryApi(connection: RegistryConnection): RegistryApi {
  let client: Promise<RegistryClient> | null = null;

  function getClient(): Promise<RegistryClient> {
    client ??= createRegistryClient({
      host: connection.host,
      canisterId: connection.canisterId,
      fetchRootKey: connection.fetchRootKey,
      ...(connection.rootKey === undefined ? {} : { rootKey: hexToBytes(connection.rootKey) }),
      // The agent's default of 3 retries with backoff keeps an unreachable registry looking
      // like a slow one for seconds; the page has its own retry and polling backoff.
      retryTimes: 1,
    }).then(
      (c) => {
        shareSubnetKeyReads(c.agent);
        // Every query's answer waits for the subnet's node keys: read them now, before the
        // page's first queries, which then share this read instead of queueing it behind them.
        c.agent.fetchSubnetKeys(c.canisterId).catch(() => {});
        return c;
      },
      (cause: unknown) => {
        client = null;
        throw callError(cause);
      },
    );
    return client;
  }

  let hintClient: Promise<RegistryClient> | null = null;
  /** A client whose agent does not check node signatures: for `attestationCountHint` only. */
  function getHintClient(): Promise<RegistryClient> {
    hintClient ??= createRegistryClient({
      host: connection.host,
      canisterId: connection.canisterId,
      agent: HttpAgent.createSync({
        host: connection.host,
        verifyQuerySignatures: false,
        retryTimes: 0,
      }),
    });
    return hintClient;
  }

  /**
   * The page verifies what it shows item by item — envelopes by their builders' signatures,
   * summaries through `certified` (get_certified_summaries), the headline recounted from verified
   * attestations — so that one forged item is flagged while the rest still shows. The client's
   * whole-answer verification (which refuses a page for one forged item) is skipped, said here.
   */
  const unverified = { verify: false } as const;

  async function call<T>(run: (c: RegistryClient) => Promise<T>): Promise<T> {
    const c = await getClient();
    try {
      return await run(c);
    } catch (cause) {
      throw callError(cause);
    }
  }

  return {
    connection,
    certified: createCertifiedApi({ client: getClient, callError }),
    connect: () => void getClient().catch(() => {}),
    listProposals: (args) =>
      call(async (c) => {
        const page = await c.listProposals({ ...args, ...unverified });
        return {
          proposals: page.proposals.map(toProposalSummary),
          nextCursor: opt(page.next_cursor),
          total: Number(page.total),
        };
      }),
    getProposalSummary: (proposalId, trustList) =>
      call(async (c) =>
        toProposalSummary(
          unwrap(await c.getProposalSummary(proposalId, { trustList, ...unverified })),
        ),
      ),
    listTrustLists: () =>
      call(async (c) => {
        const page = await c.listTrustLists({ limit: 100 });
        return page.trust_lists.map((l) => ({
          id: l.id,
          name: l.name,
          description: l.description,
          owner: l.owner.toText(),
          version: l.version,
          countedVersion: l.counted_version,
          memberCount: l.member_count,
        }));
      }),
    getTrustListMembers: (id, version) =>
      call(async (c) =>
        unwrap(await c.getTrustList({ id, version })).members.map((m) => m.toText()),
      ),
    listAttestations: (args) =>
      call(async (c) => toListedPage(unwrap(await c.listAttestations({ ...args, ...unverified })))),
    attestationCountHint: async (proposalId) => {
      try {
        const c = await getHintClient();
        const page = await c.listAttestations({ proposalId, limit: 1, ...unverified });
        return page.ok ? Number(page.value.total) : null;
      } catch {
        return null;
      }
    },
    getAttestation: (id) =>
      call(async (c) => toAttestation(unwrap(await c.getAttestation(id, unverified)))),
    getBuilder: (args) =>
      call(async (c) => {
        const page = unwrap(await c.getBuilder({ ...args, ...unverified }));
        const p = page.profile;
        return {
          profile: {
            id: p.id.toText(),
            publicKey: new Uint8Array(p.public_key),
            displayName: opt(p.display_name),
            url: opt(p.url),
            firstSeen: nsToMs(p.first_seen),
            lastSeen: nsToMs(p.last_seen),
            attestationCount: Number(p.attestation_count),
          },
          attestations: toAttestationPage(page.attestations),
        };
      }),
    getRegistryInfo: () =>
      call(async (c) => {
        const info = await c.getRegistryInfo();
        return {
          version: info.version,
          attestationCount: Number(info.attestation_count),
          proposalCount: Number(info.proposal_count),
          builderCount: Number(info.builder_count),
          maxPageSize: info.max_page_size,
        };
      }),
    getModuleHash: (canisterId) =>
      call(async (c) => {
        const status = await CanisterStatus.request({
          canisterId: canisterId === undefined ? c.canisterId : Principal.fromText(canisterId),
          agent: c.agent,
          paths: ['module_hash'],
        });
        const hash = status.get('module_hash');
        return typeof hash === 'string' ? hash : null;
      }),
  };
}
