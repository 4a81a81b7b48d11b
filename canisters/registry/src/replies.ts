/**
 * The registry's Candid replies: its views as the contract's values, and attestations copied
 * from their stored renderings with the envelope spliced in. Also turns Candid values into the
 * JSON of the HTTP API (u64 as decimal strings, `opt` as value-or-null, blobs as base64,
 * principals as text).
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { base64Decode, base64Encode } from '@repro-registry/attestation';
import type * as C from '@repro-registry/registry-api';
import {
  Attestation as AttestationType,
  CERTIFIED_FIELD,
  ReadCertification as ReadCertificationType,
  type ReadCertification,
} from '@repro-registry/registry-api';

import { PreEncoded, encodeValue, type Encodable } from './reply-encoder';
import { candidDeployed, candidFamilies } from './replies-families';
import { candidReleaseSources } from './replies-sources';
import { viewOf } from './core/queries';
import { readRendering } from './core/store';
import type { Consensus, VerdictCounts } from './core/consensus';
import type { RegistryError } from './core/errors';
import type { BuilderRecordJson, OnChainProposalJson, U64String } from './core/records';
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
    ...candidReleaseSources(r, v.consensus),
    certified: [],
  };
}

/**
 * An attestation as the contract carries it: the envelope plus what the registry derives. The
 * content (proposal, commit, artifacts, environment, tool, build, note) is the envelope's signed
 * statement and is not repeated beside it.
 */
export function candidAttestation(v: AttestationView): C.Attestation {
  const r = v.record;
  return {
    id: BigInt(r.id),
    builder: Principal.fromText(r.builder),
    submitted_at: BigInt(r.submittedAt),
    artifacts: r.artifacts.map((a, i) => ({
      effective_verdict: v.effective[i]?.verdict ?? a.verdict,
      expected_differs_from_proposal: v.effective[i]?.expectedDiffersFromProposal ?? false,
      counted: v.effective[i]?.counted ?? false,
      later_attempt_failed: v.effective[i]?.laterAttemptFailed ?? false,
    })),
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
    envelope: v.envelope ?? NO_BYTES,
    certified: [],
  };
}

const NO_BYTES = new Uint8Array();

/**
 * The registry's `AttestationRenderer`: an attestation's Candid bytes as a page replies with it
 * (envelope included, no proof), and where its `envelope` field starts.
 */
export function renderAttestation(view: AttestationView): RenderedAttestation {
  let envelopeOffset = -1;
  const { bytes } = encodeValue<C.Attestation>(
    AttestationType,
    candidAttestation(view),
    (name, offset) => {
      if (name === 'envelope') envelopeOffset = offset;
    },
  );
  return { bytes, envelopeOffset };
}

/**
 * Where an attestation's proof goes in its encoding: Candid orders a record's fields by hash,
 * which puts `certified` just before `submitted_at`, the last field and a fixed 8 bytes. Checked
 * here so that a change of the record cannot silently misplace it.
 */
const SUBMITTED_AT_BYTES = (() => {
  const fields = AttestationType._fields.map(([name]) => name);
  const at = fields.indexOf(CERTIFIED_FIELD);
  if (at !== fields.length - 2 || fields[at + 1] !== 'submitted_at')
    throw new Error('Attestation: `certified` is not right before `submitted_at` (nat64)');
  return 8;
})();

/** `certified` absent: the opt's 0x00. */
const NO_PROOF = Uint8Array.of(0);

/** An attestation's own proof (`get_attestation`), encoded as its `certified` field. */
export function encodedProof(certified: [] | [ReadCertification]): Uint8Array {
  return certified.length === 0 ? NO_PROOF : encodeValue(OptProof, certified).bytes;
}
const OptProof = IDL.Opt(ReadCertificationType);

/**
 * One attestation for a Candid reply: its stored rendering as is, or with `proof` (`encodedProof`)
 * in place of the absent `certified` (the 0x00 before `submitted_at`). A rendering stored for
 * an earlier shape (before an upgrade's walk redid it) is rendered now instead.
 */
export function attestationReply(
  registry: Registry,
  idKey: Uint8Array,
  proof: Uint8Array = NO_PROOF,
): PreEncoded<C.Attestation> {
  const { bytes } = renderingOf(registry, idKey);
  if (proof === NO_PROOF) return new PreEncoded<C.Attestation>(bytes);
  const end = bytes.length - SUBMITTED_AT_BYTES;
  return new PreEncoded<C.Attestation>([bytes.subarray(0, end - 1), proof, bytes.subarray(end)]);
}

function renderingOf(registry: Registry, idKey: Uint8Array): RenderedAttestation {
  const stored = registry.tables.attestationReplies.get(idKey);
  const current = stored === undefined ? null : readRendering(stored);
  if (current !== null) return current;
  if (!registry.renders)
    throw new Error('rendered attestation missing: the registry was built without a renderer');
  return renderAttestation(viewOf(registry, idKey, undefined, true));
}

/** The length of the envelope in a rendering (its `blob`'s LEB128 length). */
function envelopeLength({ bytes, envelopeOffset }: RenderedAttestation): number {
  let length = 0;
  for (let at = envelopeOffset, shift = 1; ; at++, shift *= 128) {
    const b = bytes[at];
    length += (b & 0x7f) * shift;
    if (b < 0x80) return length;
  }
}

/**
 * Envelope bytes per Candid page of attestations: a page ends early when the next envelope would
 * pass this (it holds at least one), so a reply stays well below the IC's 3 MiB for queries
 * whatever the envelopes' sizes (each at most `LIMITS.envelopeBytes`).
 */
export const ENVELOPE_BYTES_PER_PAGE = 1_500_000;

/**
 * A page of attestations for a Candid reply, copied from their stored renderings, cut where
 * its envelopes pass `budget` (it holds at least one); `next_cursor` then resumes there.
 */
export function renderedAttestationPage(
  registry: Registry,
  page: Page<Uint8Array>,
  budget = ENVELOPE_BYTES_PER_PAGE,
  /** The page's proof, of the attestations it holds (their id keys). */
  certify: (idKeys: Uint8Array[]) => [] | [ReadCertification] = () => [],
): Encodable<C.AttestationPage> {
  const included: Uint8Array[] = [];
  const attestations: PreEncoded<C.Attestation>[] = [];
  let bytes = 0;
  for (const id of page.items) {
    const rendering = renderingOf(registry, id);
    bytes += envelopeLength(rendering);
    if (attestations.length > 0 && bytes > budget) break;
    attestations.push(new PreEncoded<C.Attestation>(rendering.bytes));
    included.push(id);
  }
  // Items run from position `end - 1` down; the cursor is an exclusive upper bound.
  const left = BigInt(page.items.length - attestations.length);
  const next = left === 0n ? page.next : (page.next ?? 0n) + left;
  return { attestations, next_cursor: opt(next), total: page.total, certified: certify(included) };
}

/** A page of attestation views as Candid values (the reference the stored renderings equal). */
export function candidAttestationPage(p: Page<AttestationView>): C.AttestationPage {
  return {
    attestations: p.items.map(candidAttestation),
    next_cursor: opt(p.next),
    total: p.total,
    certified: [],
  };
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
    certified: [],
  };
}

export function candidTrustListPage(
  page: ReturnType<Registry['listTrustLists']>,
  certified: [] | [C.ReadCertification] = [],
): C.TrustListPage {
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
    certified,
  };
}

export function candidProposalPage(
  page: Page<ProposalSummaryView>,
  certified: [] | [ReadCertification] = [],
): C.ProposalPage {
  return {
    proposals: page.items.map(candidSummary),
    next_cursor: opt(page.next),
    total: page.total,
    certified,
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
    for (const [name, fieldType] of type._fields) {
      // A Candid read's proof is no part of the JSON API (HTTP certification proves its answers).
      if (name === CERTIFIED_FIELD) continue;
      out[name] = toJson(fieldType, (value as Record<string, unknown>)[name]);
    }
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
