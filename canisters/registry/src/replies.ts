/**
 * The registry's Candid replies: its views as the contract's values, and attestations copied
 * from their stored renderings with the envelope spliced in. Also turns Candid values into the
 * JSON of the HTTP API (u64 as decimal strings, `opt` as value-or-null, blobs as base64,
 * principals as text).
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { base64Decode, base64Encode, overallVerdict } from '@repro-registry/attestation';
import type * as C from '@repro-registry/registry-api';
import { Attestation as AttestationType } from '@repro-registry/registry-api';

import { PreEncoded, encodeValue, type Encodable } from './reply-encoder';
import { candidDeployed, candidFamilies } from './replies-families';
import type { Consensus, VerdictCounts } from './core/consensus';
import type { RegistryError } from './core/errors';
import type { BuilderRecordJson, OnChainProposalJson, U64String } from './core/records';
import { concatBytes } from '@noble/hashes/utils.js';
import { lebEncode } from '@dfinity/candid';
import type {
  AttestationView,
  ConsensusScope,
  Page,
  ProposalSummaryView,
  Registry,
  RenderedAttestation,
  SubmitReceipt,
  TrustListView,
} from './core/registry';

const opt = <T>(v: T | null | undefined): [] | [T] => (v === null || v === undefined ? [] : [v]);
const optU64 = (v: U64String | null): [] | [bigint] => (v === null ? [] : [BigInt(v)]);
const counts = (c: VerdictCounts): C.VerdictCounts => ({
  match: BigInt(c.match),
  mismatch: BigInt(c.mismatch),
  build_failed: BigInt(c.build_failed),
  not_built: BigInt(c.not_built),
});

export type Result<T> = { Ok: T } | { Err: C.RegistryError };

export function candidError(error: RegistryError): { Err: C.RegistryError } {
  return { Err: { code: error.code, message: error.message } };
}

export function candidReceipt(r: SubmitReceipt): C.SubmitReceipt {
  return {
    attestation_id: r.attestationId,
    proposal_id: r.proposalId,
    builder: Principal.fromText(r.builder),
    duplicate: r.duplicate,
    supersedes: opt(r.supersedes),
  };
}

function candidOnChain(p: OnChainProposalJson): C.OnChainProposal {
  return {
    kind: p.kind,
    title: opt(p.title),
    os: opt(p.os),
    payload_type: opt(p.payloadType),
    nns_function: opt(p.nnsFunction),
    elected_commit: opt(p.electedCommit),
    release_package_sha256_hex: opt(p.releasePackageSha256Hex),
    release_package_urls: p.releasePackageUrls,
    launch_measurements: p.launchMeasurementsHex,
    status: p.status,
    proposed_at: optU64(p.proposedAt),
    deadline_at: optU64(p.deadlineAt),
    decided_at: optU64(p.decidedAt),
    executed_at: optU64(p.executedAt),
    failed_at: optU64(p.failedAt),
    ...candidFamilies(p),
  };
}

function candidConsensus(
  c: Consensus,
): Pick<C.ProposalSummary, 'artifacts' | 'totals' | 'other_commit_count'> {
  return {
    totals: counts(c.totals),
    // Attestations for another commit are refused, or rejected when held (`rejected_count`).
    other_commit_count: 0n,
    artifacts: c.artifacts.map((a) => ({
      kind: a.kind,
      expected_sha256: opt(a.expectedSha256),
      expected_source: a.expectedSource,
      hash_groups: a.hashGroups.map((g) => ({
        sha256: g.sha256,
        builder_count: BigInt(g.builderCount),
        matches_expected: opt(g.matchesExpected),
        environment_classes: BigInt(g.environmentClasses),
      })),
      verdicts: counts(a.verdicts),
      expected_claim_mismatches: BigInt(a.expectedClaimMismatches),
      untracked_builder_count: BigInt(a.untrackedBuilders),
    })),
  };
}

function candidScope(scope: ConsensusScope): C.ConsensusScope {
  const list = scope.trustList;
  return {
    trust_list:
      list === null
        ? []
        : [
            {
              id: BigInt(list.id),
              name: list.name,
              version: list.version,
              owner: Principal.fromText(list.owner),
            },
          ],
    builders_in_all: BigInt(scope.buildersInAll),
    matching_in_all: BigInt(scope.matchingInAll),
    up_to_date: scope.upToDate,
  };
}

export function candidSummary(v: ProposalSummaryView): C.ProposalSummary {
  const r = v.record;
  return {
    proposal_id: BigInt(r.id),
    commit: opt(v.commit),
    attestation_count: BigInt(r.attestationCount),
    builder_count: BigInt(v.builderCount),
    superseded_count: BigInt(r.supersededCount),
    hidden_count: BigInt(r.hiddenCount),
    first_attestation_at: optU64(r.firstAttestationAt),
    last_attestation_at: optU64(r.lastAttestationAt),
    ...candidConsensus(v.consensus),
    on_chain: r.onChain === null ? [] : [candidOnChain(r.onChain)],
    sync: {
      state: r.sync.state,
      last_attempt_at: optU64(r.sync.lastAttemptAt),
      last_success_at: optU64(r.sync.lastSuccessAt),
      error: opt(r.sync.error),
      final: r.sync.final,
    },
    scope: candidScope(v.scope),
    rejected_count: BigInt(r.rejectedCount ?? 0),
    deployed: candidDeployed(r, v.consensus),
  };
}

export function candidAttestation(v: AttestationView): C.Attestation {
  const r = v.record;
  const e = r.environment;
  const effective = v.effective.map((x) => x.verdict);
  return {
    id: BigInt(r.id),
    proposal_id: BigInt(r.proposalId),
    commit: r.commit,
    builder: Principal.fromText(r.builder),
    submitted_at: BigInt(r.submittedAt),
    verdict: r.verdict,
    effective_verdict: overallVerdict(effective),
    artifacts: r.artifacts.map((a, i) => ({
      kind: a.kind,
      name: a.name,
      sha256: opt(a.sha256),
      expected_sha256: opt(a.expectedSha256),
      verdict: a.verdict,
      effective_verdict: v.effective[i]?.verdict ?? a.verdict,
      expected_differs_from_proposal: v.effective[i]?.expectedDiffersFromProposal ?? false,
      member_count: a.memberCount,
      counted: v.effective[i]?.counted ?? false,
      later_attempt_failed: v.effective[i]?.laterAttemptFailed ?? false,
    })),
    environment: {
      os_name: opt(e.osName),
      os_version: opt(e.osVersion),
      kernel: opt(e.kernel),
      arch: opt(e.arch),
      virtualization: e.virtualization,
      cpu_model: opt(e.cpuModel),
      cpu_count: opt(e.cpuCount),
      memory_bytes: optU64(e.memoryBytes),
      swap_bytes: optU64(e.swapBytes),
      disk_free_bytes: optU64(e.diskFreeBytes),
      container_runtime_name: opt(e.containerRuntimeName),
      container_runtime_version: opt(e.containerRuntimeVersion),
      git_version: opt(e.gitVersion),
    },
    tool: { name: r.tool.name, version: r.tool.version, script_sha256: opt(r.tool.scriptSha256) },
    build: {
      started_on: r.build.startedOn,
      finished_on: r.build.finishedOn,
      clean_cache: opt(r.build.cleanCache),
    },
    note: r.note,
    supersedes: optU64(r.supersedes),
    superseded_by: optU64(r.supersededBy),
    hidden:
      r.hidden === null
        ? []
        : [
            {
              reason: r.hidden.reason,
              at: BigInt(r.hidden.at),
              by: Principal.fromText(r.hidden.by),
            },
          ],
    commit_differs_from_proposal: v.commitDiffersFromProposal,
    held: v.held,
    rejection: opt(v.rejection),
    environment_class: v.environmentClass,
    envelope: v.envelope === null ? [] : [v.envelope],
  };
}

/** The registry's `AttestationRenderer`: an attestation's Candid bytes, envelope absent. */
export function renderAttestation(view: AttestationView): RenderedAttestation {
  let envelopeOffset = -1;
  const { bytes } = encodeValue<C.Attestation>(
    AttestationType,
    candidAttestation({ ...view, envelope: null }),
    (name, offset) => {
      if (name === 'envelope') envelopeOffset = offset;
    },
  );
  return { bytes, envelopeOffset };
}

/**
 * One attestation for a Candid reply, copied from its stored rendering, with its envelope
 * spliced in when asked for: an `opt blob` absent is one 0x00 byte; present, it is 0x01, the
 * LEB128 length and the bytes.
 */
export function attestationReply(
  registry: Registry,
  idKey: Uint8Array,
  withEnvelope: boolean,
): PreEncoded<C.Attestation> {
  const stored = registry.tables.attestationReplies.get(idKey);
  if (stored === undefined)
    throw new Error('rendered attestation missing: the registry was built without a renderer');
  const bytes = stored.subarray(4);
  if (!withEnvelope) return new PreEncoded<C.Attestation>(bytes);
  const offset = new DataView(stored.buffer, stored.byteOffset, 4).getUint32(0);
  const envelope = registry.tables.envelopes.get(idKey) as Uint8Array;
  const length = lebEncode(envelope.length);
  return new PreEncoded<C.Attestation>(
    concatBytes(bytes.subarray(0, offset), ONE, length, envelope, bytes.subarray(offset + 1)),
  );
}

const ONE = new Uint8Array([1]);

/** A page of attestations for a Candid reply, copied from their stored renderings. */
export function renderedAttestationPage(
  registry: Registry,
  page: Page<Uint8Array>,
  withEnvelopes: boolean,
): Encodable<C.AttestationPage> {
  return {
    attestations: page.items.map((id) => attestationReply(registry, id, withEnvelopes)),
    next_cursor: opt(page.next),
    total: page.total,
  };
}

export function candidAttestationPage(p: Page<AttestationView>): C.AttestationPage {
  return { attestations: p.items.map(candidAttestation), next_cursor: opt(p.next), total: p.total };
}

export function candidBuilder(b: BuilderRecordJson): C.BuilderProfile {
  return {
    id: Principal.fromText(b.principal),
    public_key: base64Decode(b.publicKey),
    display_name: opt(b.displayName),
    url: opt(b.url),
    first_seen: BigInt(b.firstSeen),
    last_seen: BigInt(b.lastSeen),
    attestation_count: BigInt(b.attestationCount),
  };
}

export function candidTrustList(v: TrustListView): C.TrustList {
  const { list, version } = v;
  return {
    id: BigInt(list.id),
    owner: Principal.fromText(list.owner),
    version: version.version,
    latest_version: list.version,
    counted_version: list.readyVersion,
    counting: list.job !== null,
    name: version.name,
    description: version.description,
    members: version.members.map((m) => Principal.fromText(m)),
    published_at: BigInt(version.publishedAt),
    created_at: BigInt(list.createdAt),
  };
}

export function candidTrustListPage(page: ReturnType<Registry['listTrustLists']>): C.TrustListPage {
  return {
    trust_lists: page.items.map((l) => ({
      id: BigInt(l.id),
      owner: Principal.fromText(l.owner),
      version: l.version,
      counted_version: l.readyVersion,
      counting: l.job !== null,
      name: l.name,
      description: l.description,
      member_count: l.memberCount,
      published_at: BigInt(l.publishedAt),
      created_at: BigInt(l.createdAt),
    })),
    next_cursor: opt(page.next),
    total: page.total,
  };
}

export function candidProposalPage(page: Page<ProposalSummaryView>): C.ProposalPage {
  return {
    proposals: page.items.map(candidSummary),
    next_cursor: opt(page.next),
    total: page.total,
  };
}

/** A Candid value as JSON, guided by its type. */
export function toJson(type: IDL.Type, value: unknown): unknown {
  if (type instanceof IDL.RecClass) return toJson(type.getType() as IDL.Type, value);
  if (type instanceof IDL.OptClass) {
    const v = value as unknown[];
    return v.length === 0 ? null : toJson(type._type, v[0]);
  }
  if (type instanceof IDL.VecClass) {
    if (value instanceof Uint8Array) return base64Encode(value);
    return (value as unknown[]).map((x) => toJson(type._type, x));
  }
  // Tuples are records with fields _0_, _1_… but their values are arrays: check them first.
  if (type instanceof IDL.TupleClass) {
    return (value as unknown[]).map((x, i) => toJson(type._fields[i]?.[1], x));
  }
  if (type instanceof IDL.RecordClass) {
    const out: Record<string, unknown> = {};
    for (const [name, fieldType] of type._fields)
      out[name] = toJson(fieldType, (value as Record<string, unknown>)[name]);
    return out;
  }
  if (type instanceof IDL.VariantClass) {
    const [tag, inner] = Object.entries(value as Record<string, unknown>)[0];
    const fieldType = type._fields.find(([n]) => n === tag)?.[1] as IDL.Type;
    return { [tag]: toJson(fieldType, inner) };
  }
  if (type instanceof IDL.PrincipalClass) return (value as Principal).toText();
  if (typeof value === 'bigint') return value.toString();
  return value;
}
