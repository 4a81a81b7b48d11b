import type { Principal } from '@dfinity/principal';
import type { Verdict, VerifiedAttestation } from '@repro-registry/attestation';
import {
  ErrorCode,
  LIMITS,
  VERDICTS,
  base64Encode,
  utf8ByteLength,
  verifyAttestation,
} from '@repro-registry/attestation';

import type { Consensus } from './consensus';
import {
  applyToCells,
  computeConsensus,
  consensusCommit,
  effectiveVerdict,
  expectedClaimDiffers,
  overallVerdict,
} from './consensus';
import type { Result } from './errors';
import { err, ok } from './errors';
import type {
  AttestationRecordJson,
  BuilderRecordJson,
  MetaJson,
  OnChainProposalJson,
  ProposalRecordJson,
  ProposalSyncJson,
} from './records';
import { DEFAULT_RATE_LIMIT, takeToken, tokensAvailable, type RateLimit } from './rate_limit';
import type { RegistryTables } from './tables';
import { compositeKey, u64FromKey, u64Key } from './tables';
import { checkPlainText } from './text';

/** Who is calling, as the canister established it. */
export interface Caller {
  principal: Principal;
  isController: boolean;
}

export const PAGE_LIMIT = { default: 50, max: 100 } as const;
export const PROFILE_LIMITS = { displayNameBytes: 64, urlBytes: 256 } as const;
export const HIDE_REASON_BYTES = 500;

export interface SubmitReceipt {
  attestationId: bigint;
  proposalId: bigint;
  builder: string;
  duplicate: boolean;
  supersedes: bigint | null;
}

/** An attestation as the registry shows it: stored fields plus what follows from the proposal. */
export interface AttestationView {
  record: AttestationRecordJson;
  /** Per artifact, the verdict that counts for consensus and whether the builder's expected
   *  hash contradicts the proposal's. */
  effective: { verdict: Verdict; expectedDiffersFromProposal: boolean }[];
  /** The attestation's commit is not the one the proposal elects. */
  commitDiffersFromProposal: boolean;
  envelope: Uint8Array | null;
}

export interface ProposalSummaryView {
  record: ProposalRecordJson;
  consensus: Consensus;
  commit: string | null;
}

/**
 * The Candid bytes of one attestation as the canister replies with it (`envelope` absent), and
 * where in them the `envelope` field sits. Stored per attestation and updated whenever what it
 * shows changes, so a page of attestations is copied from stable memory instead of rebuilt
 * field by field in the interpreter.
 */
export interface RenderedAttestation {
  bytes: Uint8Array;
  envelopeOffset: number;
}

export type AttestationRenderer = (view: AttestationView) => RenderedAttestation;

export interface Page<T> {
  items: T[];
  next: bigint | null;
  total: bigint;
}

/**
 * Renderings redone per message when a proposal's data arrives (each costs about 8 M
 * instructions: 2,000 stay far below an update's 40 B limit).
 */
export const RERENDER_PER_MESSAGE = 2_000;

/** Seconds between refreshes of open proposals unless init arguments say otherwise. */
export const DEFAULT_REFRESH_SECONDS = 600;

const VERDICT_INDEX: Record<Verdict, number> = {
  match: 0,
  mismatch: 1,
  build_failed: 2,
  not_built: 3,
};
const META_KEY = new Uint8Array([0x6d]); // "m"

export function emptySync(): ProposalSyncJson {
  return { state: 'never', lastAttemptAt: null, lastSuccessAt: null, error: null, final: false };
}

function newProposal(id: bigint): ProposalRecordJson {
  return {
    id: id.toString(),
    attestationCount: 0,
    verdictCounts: { match: 0, mismatch: 0, build_failed: 0, not_built: 0 },
    firstAttestationAt: null,
    lastAttestationAt: null,
    currentBuilders: 0,
    supersededCount: 0,
    hiddenCount: 0,
    cells: [],
    commits: {},
    onChain: null,
    sync: emptySync(),
    renderCursor: null,
  };
}

/**
 * The registry's logic over its tables. No azle, no I/O: the canister class passes in the
 * caller and the time, so every rule here is unit-tested without a canister and the same code
 * runs in the real wasm.
 */
export class Registry {
  private readonly rerenderPerMessage: number;

  constructor(
    readonly tables: RegistryTables,
    private readonly renderer?: AttestationRenderer,
    options: { rerenderPerMessage?: number } = {},
  ) {
    this.rerenderPerMessage = options.rerenderPerMessage ?? RERENDER_PER_MESSAGE;
  }

  // ---------------------------------------------------------------- meta

  meta(): MetaJson {
    return {
      ...{
        nextAttestationId: '1',
        governanceCanisterId: null,
        builderCount: 0,
        refreshCursor: '0',
        rateLimit: null,
        refreshSeconds: null,
        staleRenderings: [],
      },
      // Fields added later get their defaults when older state is read.
      ...this.tables.meta.get(META_KEY),
    };
  }

  saveMeta(meta: MetaJson): void {
    this.tables.meta.insert(META_KEY, meta);
  }

  // ---------------------------------------------------------------- submission

  /**
   * The cheap checks that run before a submission is executed (canister_inspect_message) and
   * again at its start: anonymous callers, oversized messages and exhausted rate limits never
   * reach signature verification.
   */
  precheckSubmit(args: { caller: Principal; argBytes: number; now: bigint }): Result<void> {
    if (args.caller.isAnonymous()) {
      return err(
        ErrorCode.ANONYMOUS_CALLER,
        'anonymous callers cannot submit: sign in with your builder key',
      );
    }
    // Candid framing of `record { envelope : blob }` adds a few dozen bytes to the envelope.
    if (args.argBytes > LIMITS.envelopeBytes + 1024) {
      return err(
        ErrorCode.MESSAGE_TOO_LARGE,
        `the submission is ${args.argBytes} bytes; envelopes may have at most ${LIMITS.envelopeBytes} bytes`,
      );
    }
    const bucket = this.tables.rateBuckets.get(args.caller.toUint8Array());
    const limit = rateLimitOf(this.meta());
    if (tokensAvailable(bucket, limit, args.now) < 1) {
      return err(ErrorCode.RATE_LIMITED, rateLimitMessage(limit));
    }
    return ok(undefined);
  }

  /**
   * Verifies an envelope for `caller` (signature, format, key = caller). An envelope whose
   * signature is stored already is a resubmission: it answers with the stored receipt.
   */
  verifySubmission(args: {
    caller: Principal;
    envelope: Uint8Array;
    now: bigint;
  }): Result<{ duplicate: SubmitReceipt } | { verified: VerifiedAttestation; proposalId: bigint }> {
    const pre = this.precheckSubmit({
      caller: args.caller,
      argBytes: args.envelope.length,
      now: args.now,
    });
    if (!pre.ok) return pre;
    const verified = verifyAttestation(args.envelope);
    if (!verified.ok) return err(verified.error.code, verified.error.message);
    if (verified.value.builderId !== args.caller.toText()) {
      return err(
        ErrorCode.CALLER_NOT_SIGNER,
        `the attestation is signed by ${verified.value.builderId} but the caller is ${args.caller.toText()}: submit with the key that signed it`,
      );
    }
    const existing = this.storedBySignature(verified.value.signature);
    if (existing !== undefined) return ok({ duplicate: receiptOf(existing, true) });
    return ok({
      verified: verified.value,
      proposalId: BigInt(verified.value.predicate.proposal.id),
    });
  }

  private storedBySignature(signature: Uint8Array): AttestationRecordJson | undefined {
    const id = this.tables.signatureIndex.get(signature);
    return id === undefined ? undefined : this.tables.attestations.get(id);
  }

  /** Whether the proposal's on-chain data should be read before recording an attestation. */
  proposalNeedsRead(proposalId: bigint): boolean {
    const p = this.tables.proposals.get(u64Key(proposalId));
    return p === undefined || (p.sync.state !== 'ok' && !p.sync.final);
  }

  /** Stores a verified attestation; checks it against the proposal when its data is known. */
  recordSubmission(args: {
    caller: Principal;
    verified: VerifiedAttestation;
    now: bigint;
  }): Result<SubmitReceipt> {
    const { verified, now, caller } = args;
    const predicate = verified.predicate;
    const proposalId = BigInt(predicate.proposal.id);

    // A concurrent call may have stored the same attestation while this one awaited governance.
    const existing = this.storedBySignature(verified.signature);
    if (existing !== undefined) return ok(receiptOf(existing, true));

    const proposalKey = u64Key(proposalId);
    const proposal = this.tables.proposals.get(proposalKey) ?? newProposal(proposalId);
    const onChain = proposal.onChain;
    if (onChain !== null && onChain.kind !== 'icos_election') {
      return err(
        ErrorCode.PROPOSAL_NOT_ICOS_ELECTION,
        `proposal ${proposalId} does not elect an IC-OS version${onChain.title ? ` ("${onChain.title}")` : ''}: there is nothing to reproduce`,
      );
    }
    if (onChain?.electedCommit && onChain.electedCommit !== predicate.proposal.commit) {
      return err(
        ErrorCode.COMMIT_MISMATCH,
        `proposal ${proposalId} elects commit ${onChain.electedCommit}, the attestation is for ${predicate.proposal.commit}`,
      );
    }

    const callerKey = caller.toUint8Array();
    const meta = this.meta();
    const limit = rateLimitOf(meta);
    const bucket = takeToken(this.tables.rateBuckets.get(callerKey), limit, now);
    if (bucket === null) return err(ErrorCode.RATE_LIMITED, rateLimitMessage(limit));

    const id = BigInt(meta.nextAttestationId);
    const artifacts = predicate.artifacts.map((a) => ({
      kind: a.kind,
      name: a.name,
      sha256: a.sha256,
      expectedSha256: a.expectedSha256,
      verdict: a.verdict,
      memberCount: a.members?.length ?? 0,
    }));
    const verdict = overallVerdict(artifacts.map((a) => a.verdict));
    const record: AttestationRecordJson = {
      id: id.toString(),
      proposalId: proposalId.toString(),
      commit: predicate.proposal.commit,
      builder: verified.builderId,
      submittedAt: now.toString(),
      verdict,
      seq: proposal.attestationCount,
      verdictSeq: proposal.verdictCounts[verdict],
      artifacts,
      environment: predicate.environment,
      tool: predicate.tool,
      build: predicate.build,
      note: predicate.note ?? '',
      supersedes: null,
      supersededBy: null,
      hidden: null,
    };

    // A builder's newer attestation for the proposal replaces the older one in the consensus;
    // the older one stays, marked, in the history.
    const currentKey = compositeKey(proposalKey, callerKey);
    const previousId = this.tables.currentAttestation.get(currentKey);
    if (previousId !== undefined) {
      const previous = this.tables.attestations.get(previousId) as AttestationRecordJson;
      previous.supersededBy = record.id;
      if (previous.hidden === null) applyToCells(proposal, previous, -1);
      proposal.supersededCount += 1;
      record.supersedes = previous.id;
      this.saveAttestation(previousId, previous, proposal);
    }
    applyToCells(proposal, record, 1);

    const idKey = u64Key(id);
    this.tables.proposalAttestations.insert(compositeKey(proposalKey, record.seq), idKey);
    this.tables.proposalVerdictAttestations.insert(
      compositeKey(proposalKey, new Uint8Array([VERDICT_INDEX[verdict]]), record.verdictSeq),
      idKey,
    );
    proposal.attestationCount += 1;
    proposal.verdictCounts[verdict] += 1;
    proposal.firstAttestationAt ??= record.submittedAt;
    proposal.lastAttestationAt = record.submittedAt;
    this.tables.currentAttestation.insert(currentKey, idKey);

    const builder = this.tables.builders.get(callerKey);
    const builderRecord: BuilderRecordJson = builder ?? {
      principal: verified.builderId,
      publicKey: base64Encode(verified.publicKey),
      displayName: null,
      url: null,
      firstSeen: record.submittedAt,
      lastSeen: record.submittedAt,
      attestationCount: 0,
    };
    this.tables.builderAttestations.insert(
      compositeKey(callerKey, builderRecord.attestationCount),
      idKey,
    );
    builderRecord.attestationCount += 1;
    builderRecord.lastSeen = record.submittedAt;
    this.tables.builders.insert(callerKey, builderRecord);
    if (builder === undefined) meta.builderCount += 1;

    this.tables.envelopes.insert(idKey, verified.envelopeBytes);
    this.tables.signatureIndex.insert(verified.signature, idKey);
    this.saveAttestation(idKey, record, proposal);
    this.tables.proposals.insert(proposalKey, proposal);
    this.tables.rateBuckets.insert(callerKey, bucket);
    meta.nextAttestationId = (id + 1n).toString();
    this.saveMeta(meta);
    return ok(receiptOf(record, false));
  }

  /** Stores a changed attestation record, and its rendering when the registry renders. */
  private saveAttestation(
    idKey: Uint8Array,
    record: AttestationRecordJson,
    proposal: ProposalRecordJson,
  ): void {
    this.tables.attestations.insert(idKey, record);
    if (this.renderer === undefined) return;
    const { bytes, envelopeOffset } = this.renderer(this.viewFrom(record, proposal, null));
    const stored = new Uint8Array(4 + bytes.length);
    new DataView(stored.buffer).setUint32(0, envelopeOffset);
    stored.set(bytes, 4);
    this.tables.attestationReplies.insert(idKey, stored);
  }

  /** The rendered attestation, with its envelope spliced in when asked for. */
  renderedAttestation(idKey: Uint8Array, withEnvelope: boolean): Uint8Array {
    const stored = this.tables.attestationReplies.get(idKey);
    if (stored === undefined)
      throw new Error('rendered attestation missing: the registry was built without a renderer');
    const bytes = stored.subarray(4);
    if (!withEnvelope) return bytes;
    const offset = new DataView(stored.buffer, stored.byteOffset, 4).getUint32(0);
    const envelope = this.tables.envelopes.get(idKey) as Uint8Array;
    // `opt blob` absent is one 0x00 byte; present is 0x01, the LEB128 length, the bytes.
    const length: number[] = [];
    let n = envelope.length;
    do {
      length.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    const out = new Uint8Array(bytes.length + length.length + envelope.length);
    out.set(bytes.subarray(0, offset), 0);
    out[offset] = 1;
    out.set(length, offset + 1);
    out.set(envelope, offset + 1 + length.length);
    out.set(bytes.subarray(offset + 1), offset + 1 + length.length + envelope.length);
    return out;
  }

  // ---------------------------------------------------------------- proposal data (governance)

  proposal(proposalId: bigint): ProposalRecordJson | undefined {
    return this.tables.proposals.get(u64Key(proposalId));
  }

  /** Records the outcome of reading a proposal from governance. */
  recordProposalRead(args: {
    proposalId: bigint;
    now: bigint;
    outcome:
      { ok: true; onChain: OnChainProposalJson } | { ok: false; error: string; final: boolean };
  }): ProposalRecordJson {
    const key = u64Key(args.proposalId);
    const proposal = this.tables.proposals.get(key) ?? newProposal(args.proposalId);
    const now = args.now.toString();
    proposal.sync.lastAttemptAt = now;
    if (args.outcome.ok) {
      const before = proposal.onChain;
      proposal.onChain = args.outcome.onChain;
      const after = args.outcome.onChain;
      // Effective verdicts and the commit check follow the elected commit and hash: when those
      // become known (they never change afterwards), every stored rendering is redone — a
      // bounded number now, the rest by the refresh timer (`renderStale`).
      if (
        before?.electedCommit !== after.electedCommit ||
        before?.releasePackageSha256Hex !== after.releasePackageSha256Hex ||
        before?.os !== after.os
      ) {
        proposal.renderCursor = 0;
        this.renderSome(proposal, this.rerenderPerMessage);
      }
      proposal.sync.state = 'ok';
      proposal.sync.lastSuccessAt = now;
      proposal.sync.error = null;
      const status = args.outcome.onChain.status;
      proposal.sync.final =
        args.outcome.onChain.kind !== 'icos_election' ||
        (status !== 'open' && status !== 'unknown');
    } else {
      proposal.sync.state = 'error';
      proposal.sync.error = args.outcome.error;
      proposal.sync.final = args.outcome.final;
    }
    this.tables.proposals.insert(key, proposal);
    return proposal;
  }

  /**
   * Redoes up to `max` stored renderings of the proposal from its `renderCursor` on. Returns
   * how many it did. The caller saves the proposal.
   */
  private renderSome(proposal: ProposalRecordJson, max: number): number {
    if (this.renderer === undefined || proposal.renderCursor === null) {
      proposal.renderCursor = null;
      return 0;
    }
    const key = u64Key(BigInt(proposal.id));
    const end = Math.min(proposal.attestationCount, proposal.renderCursor + max);
    for (let seq = proposal.renderCursor; seq < end; seq++) {
      const idKey = this.tables.proposalAttestations.get(compositeKey(key, seq)) as Uint8Array;
      this.saveAttestation(
        idKey,
        this.tables.attestations.get(idKey) as AttestationRecordJson,
        proposal,
      );
    }
    const done = end - proposal.renderCursor;
    proposal.renderCursor = end >= proposal.attestationCount ? null : end;
    const meta = this.meta();
    const queued = meta.staleRenderings.includes(proposal.id);
    if (proposal.renderCursor !== null && !queued) meta.staleRenderings.push(proposal.id);
    if (proposal.renderCursor === null && queued)
      meta.staleRenderings = meta.staleRenderings.filter((id) => id !== proposal.id);
    if (queued !== meta.staleRenderings.includes(proposal.id)) this.saveMeta(meta);
    return done;
  }

  /** Continues redoing stale renderings, at most `max` per call (the refresh timer calls it). */
  renderStale(max: number): number {
    let done = 0;
    for (const id of [...this.meta().staleRenderings]) {
      if (done >= max) break;
      const key = u64Key(BigInt(id));
      const proposal = this.tables.proposals.get(key) as ProposalRecordJson;
      done += this.renderSome(proposal, max - done);
      this.tables.proposals.insert(key, proposal);
    }
    return done;
  }

  /**
   * Up to `max` proposals whose on-chain status may still change, visited round robin from
   * the cursor in `meta`, so each timer tick does bounded work however many proposals exist.
   */
  proposalsToRefresh(max: number): bigint[] {
    const meta = this.meta();
    const total = this.tables.proposals.len();
    if (total === 0 || max <= 0) return [];
    const due: bigint[] = [];
    let index = Number(BigInt(meta.refreshCursor) % BigInt(total));
    // Visit at most `4 * max` records per tick: the check per record is one stable read.
    for (let visited = 0; visited < Math.min(total, 4 * max) && due.length < max; visited++) {
      const [key] = this.tables.proposals.keys(index, 1);
      index = (index + 1) % total;
      if (key === undefined) continue;
      const p = this.tables.proposals.get(key) as ProposalRecordJson;
      if (!p.sync.final) due.push(u64FromKey(key));
    }
    meta.refreshCursor = index.toString();
    this.saveMeta(meta);
    return due;
  }

  // ---------------------------------------------------------------- queries

  summary(proposalId: bigint): Result<ProposalSummaryView> {
    const record = this.tables.proposals.get(u64Key(proposalId));
    if (record === undefined) {
      return err(
        ErrorCode.PROPOSAL_NOT_FOUND,
        `the registry knows nothing about proposal ${proposalId} yet`,
      );
    }
    return ok(this.summaryOf(record));
  }

  private summaryOf(record: ProposalRecordJson): ProposalSummaryView {
    return { record, consensus: computeConsensus(record), commit: consensusCommit(record) };
  }

  /** Proposals newest (highest id) first. `cursor` is the number of proposals already seen. */
  listProposals(args: { cursor?: bigint; limit?: number }): Page<ProposalSummaryView> {
    const total = this.tables.proposals.len();
    const limit = clampLimit(args.limit);
    const offset = Math.min(Number(args.cursor ?? 0n), total);
    const end = total - offset;
    const start = Math.max(0, end - limit);
    const keys = this.tables.proposals.keys(start, end - start).reverse();
    const items = keys.map((k) =>
      this.summaryOf(this.tables.proposals.get(k) as ProposalRecordJson),
    );
    return { items, next: start > 0 ? BigInt(offset + items.length) : null, total: BigInt(total) };
  }

  /**
   * A proposal's attestations newest first, optionally only those with a given verdict.
   * `cursor` is an exclusive upper bound on the arrival position, so pages stay stable while
   * new attestations arrive.
   */
  listAttestationIds(args: {
    proposalId: bigint;
    verdict?: string;
    cursor?: bigint;
    limit?: number;
    includeEnvelopes?: boolean;
  }): Result<Page<Uint8Array>> {
    const proposalKey = u64Key(args.proposalId);
    const proposal = this.tables.proposals.get(proposalKey);
    if (proposal === undefined) {
      return err(
        ErrorCode.PROPOSAL_NOT_FOUND,
        `the registry knows nothing about proposal ${args.proposalId} yet`,
      );
    }
    let total: number;
    let keyOf: (seq: number) => Uint8Array;
    let table = this.tables.proposalAttestations;
    if (args.verdict !== undefined) {
      if (!(VERDICTS as readonly string[]).includes(args.verdict)) {
        return err(
          ErrorCode.INVALID_ARGUMENT,
          `verdict must be one of ${VERDICTS.join(', ')}, not "${args.verdict}"`,
        );
      }
      const verdict = args.verdict as Verdict;
      total = proposal.verdictCounts[verdict];
      const tag = new Uint8Array([VERDICT_INDEX[verdict]]);
      keyOf = (seq) => compositeKey(proposalKey, tag, seq);
      table = this.tables.proposalVerdictAttestations;
    } else {
      total = proposal.attestationCount;
      keyOf = (seq) => compositeKey(proposalKey, seq);
    }
    const limit = clampLimit(args.limit);
    const end = Math.min(Number(args.cursor ?? BigInt(total)), total);
    const start = Math.max(0, end - limit);
    const items: Uint8Array[] = [];
    for (let seq = end - 1; seq >= start; seq--) items.push(table.get(keyOf(seq)) as Uint8Array);
    return ok({ items, next: start > 0 ? BigInt(start) : null, total: BigInt(total) });
  }

  /** `listAttestationIds` with each attestation as a view (the JSON API and tests use it). */
  listAttestations(
    args: Parameters<Registry['listAttestationIds']>[0],
  ): Result<Page<AttestationView>> {
    const page = this.listAttestationIds(args);
    if (!page.ok) return page;
    const proposal = this.tables.proposals.get(u64Key(args.proposalId));
    return ok({
      ...page.value,
      items: page.value.items.map((id) =>
        this.viewOf(id, proposal, args.includeEnvelopes === true),
      ),
    });
  }

  attestationKey(id: bigint): Result<Uint8Array> {
    const key = u64Key(id);
    if (!this.tables.attestations.containsKey(key)) {
      return err(ErrorCode.ATTESTATION_NOT_FOUND, `there is no attestation ${id}`);
    }
    return ok(key);
  }

  attestation(id: bigint): Result<AttestationView> {
    const key = this.attestationKey(id);
    return key.ok ? ok(this.viewOf(key.value, undefined, true)) : key;
  }

  private viewOf(
    idKey: Uint8Array,
    proposal: ProposalRecordJson | undefined,
    withEnvelope: boolean,
  ): AttestationView {
    const record = this.tables.attestations.get(idKey) as AttestationRecordJson;
    const p = proposal ?? this.tables.proposals.get(u64Key(BigInt(record.proposalId)));
    // Every attestation belongs to a stored proposal (they are written in one message).
    if (p === undefined) throw new Error(`attestation ${record.id} has no proposal record`);
    return this.viewFrom(
      record,
      p,
      withEnvelope ? (this.tables.envelopes.get(idKey) ?? null) : null,
    );
  }

  private viewFrom(
    record: AttestationRecordJson,
    proposal: ProposalRecordJson,
    envelope: Uint8Array | null,
  ): AttestationView {
    const onChain = proposal.onChain;
    return {
      record,
      effective: record.artifacts.map((a) => ({
        verdict: effectiveVerdict(a, onChain),
        expectedDiffersFromProposal: expectedClaimDiffers(a, onChain),
      })),
      commitDiffersFromProposal:
        onChain?.electedCommit != null && onChain.electedCommit !== record.commit,
      envelope,
    };
  }

  builderAttestationIds(args: {
    builder: Principal;
    cursor?: bigint;
    limit?: number;
  }): Result<{ profile: BuilderRecordJson; attestations: Page<Uint8Array> }> {
    const key = args.builder.toUint8Array();
    const profile = this.tables.builders.get(key);
    if (profile === undefined) {
      return err(
        ErrorCode.BUILDER_NOT_FOUND,
        `${args.builder.toText()} has not submitted any attestation`,
      );
    }
    const total = profile.attestationCount;
    const limit = clampLimit(args.limit);
    const end = Math.min(Number(args.cursor ?? BigInt(total)), total);
    const start = Math.max(0, end - limit);
    const items: Uint8Array[] = [];
    for (let seq = end - 1; seq >= start; seq--) {
      items.push(this.tables.builderAttestations.get(compositeKey(key, seq)) as Uint8Array);
    }
    return ok({
      profile,
      attestations: { items, next: start > 0 ? BigInt(start) : null, total: BigInt(total) },
    });
  }

  /** `builderAttestationIds` with each attestation as a view. */
  builder(args: Parameters<Registry['builderAttestationIds']>[0]): Result<{
    profile: BuilderRecordJson;
    attestations: Page<AttestationView>;
  }> {
    const page = this.builderAttestationIds(args);
    if (!page.ok) return page;
    const { profile, attestations } = page.value;
    return ok({
      profile,
      attestations: {
        ...attestations,
        items: attestations.items.map((id) => this.viewOf(id, undefined, false)),
      },
    });
  }

  stats(): { attestations: bigint; proposals: bigint; builders: bigint } {
    const meta = this.meta();
    return {
      attestations: BigInt(meta.nextAttestationId) - 1n,
      proposals: BigInt(this.tables.proposals.len()),
      builders: BigInt(meta.builderCount),
    };
  }

  // ---------------------------------------------------------------- builders and moderation

  setBuilderProfile(args: {
    caller: Principal;
    displayName: string;
    url: string | null;
    now: bigint;
  }): Result<BuilderRecordJson> {
    if (args.caller.isAnonymous())
      return err(ErrorCode.ANONYMOUS_CALLER, 'sign in with your builder key to set your profile');
    const key = args.caller.toUint8Array();
    const profile = this.tables.builders.get(key);
    if (profile === undefined) {
      return err(
        ErrorCode.BUILDER_NOT_FOUND,
        'submit an attestation first: profiles belong to builders',
      );
    }
    const name = args.displayName.trim();
    const nameProblem =
      name === ''
        ? null
        : checkPlainText(name, { maxBytes: PROFILE_LIMITS.displayNameBytes, allowNewlines: false });
    if (nameProblem !== null) return err(ErrorCode.PROFILE_INVALID, `display name: ${nameProblem}`);
    if (args.url !== null) {
      const urlProblem = checkUrl(args.url);
      if (urlProblem !== null) return err(ErrorCode.PROFILE_INVALID, `url: ${urlProblem}`);
    }
    profile.displayName = name === '' ? null : name;
    profile.url = args.url;
    this.tables.builders.insert(key, profile);
    return ok(profile);
  }

  hide(args: {
    caller: Caller;
    attestationId: bigint;
    reason: string;
    now: bigint;
  }): Result<AttestationView> {
    if (!args.caller.isController)
      return err(
        ErrorCode.NOT_CONTROLLER,
        'only a controller of the registry can hide attestations',
      );
    const reason = args.reason.trim();
    const problem = checkPlainText(reason, { maxBytes: HIDE_REASON_BYTES, allowNewlines: true });
    if (problem !== null || reason === '') {
      return err(
        ErrorCode.HIDE_REASON_INVALID,
        `reason: ${problem ?? 'give a reason (it is shown with the hidden attestation)'}`,
      );
    }
    const key = u64Key(args.attestationId);
    const record = this.tables.attestations.get(key);
    if (record === undefined)
      return err(ErrorCode.ATTESTATION_NOT_FOUND, `there is no attestation ${args.attestationId}`);
    if (record.hidden !== null)
      return err(ErrorCode.ALREADY_HIDDEN, `attestation ${args.attestationId} is already hidden`);
    const proposalKey = u64Key(BigInt(record.proposalId));
    const proposal = this.tables.proposals.get(proposalKey) as ProposalRecordJson;
    record.hidden = { reason, at: args.now.toString(), by: args.caller.principal.toText() };
    if (record.supersededBy === null) applyToCells(proposal, record, -1);
    proposal.hiddenCount += 1;
    this.saveAttestation(key, record, proposal);
    this.tables.proposals.insert(proposalKey, proposal);
    return ok(this.viewOf(key, proposal, false));
  }

  unhide(args: { caller: Caller; attestationId: bigint }): Result<AttestationView> {
    if (!args.caller.isController)
      return err(
        ErrorCode.NOT_CONTROLLER,
        'only a controller of the registry can unhide attestations',
      );
    const key = u64Key(args.attestationId);
    const record = this.tables.attestations.get(key);
    if (record === undefined)
      return err(ErrorCode.ATTESTATION_NOT_FOUND, `there is no attestation ${args.attestationId}`);
    if (record.hidden === null)
      return err(ErrorCode.NOT_HIDDEN, `attestation ${args.attestationId} is not hidden`);
    const proposalKey = u64Key(BigInt(record.proposalId));
    const proposal = this.tables.proposals.get(proposalKey) as ProposalRecordJson;
    record.hidden = null;
    if (record.supersededBy === null) applyToCells(proposal, record, 1);
    proposal.hiddenCount -= 1;
    this.saveAttestation(key, record, proposal);
    this.tables.proposals.insert(proposalKey, proposal);
    return ok(this.viewOf(key, proposal, false));
  }
}

function receiptOf(record: AttestationRecordJson, duplicate: boolean): SubmitReceipt {
  return {
    attestationId: BigInt(record.id),
    proposalId: BigInt(record.proposalId),
    builder: record.builder,
    duplicate,
    supersedes: record.supersedes === null ? null : BigInt(record.supersedes),
  };
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || limit <= 0) return PAGE_LIMIT.default;
  return Math.min(limit, PAGE_LIMIT.max);
}

/** The rate limit `meta` sets, or the default. */
export function rateLimitOf(meta: MetaJson): RateLimit {
  return meta.rateLimit === null
    ? DEFAULT_RATE_LIMIT
    : {
        capacity: meta.rateLimit.capacity,
        refillIntervalNs: BigInt(meta.rateLimit.refillSeconds) * 1_000_000_000n,
      };
}

function rateLimitMessage(limit: RateLimit): string {
  const minutes = Number(limit.refillIntervalNs / 60_000_000_000n);
  return `too many submissions: a builder may submit ${limit.capacity} attestations at once, then one every ${minutes} minutes`;
}

function checkUrl(url: string): string | null {
  if (utf8ByteLength(url) > PROFILE_LIMITS.urlBytes)
    return `at most ${PROFILE_LIMITS.urlBytes} bytes`;
  // Only web links: a profile URL is rendered as a link, and javascript:/data: links are attacks.
  if (!/^https?:\/\/[^\s/?#]+[^\s]*$/.test(url))
    return 'must be an http:// or https:// address without spaces';
  return checkPlainText(url, { maxBytes: PROFILE_LIMITS.urlBytes, allowNewlines: false });
}
