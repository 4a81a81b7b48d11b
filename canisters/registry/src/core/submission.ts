/**
 * Accepting a submission. Order matters: cheap checks first (cycles, caller, size), then the
 * duplicate check (a stored envelope is answered even at the rate limit), then a rate-limit
 * token (taken by every submission that reaches verification, valid or not), storage limits,
 * verification, and the rules that need the proposal and the clock.
 */
import type { Principal } from '@dfinity/principal';
import type { VerifiedAttestation } from '@repro-registry/attestation';
import { ErrorCode } from '@repro-registry/registry-api';
import {
  LIMITS,
  base64Decode,
  base64Encode,
  overallVerdict,
  verifyAttestation,
} from '@repro-registry/attestation';

import { countAttestation, saveStanding, standingOf } from './counting';
import type { Result } from './errors';
import { err, ok } from './errors';
import { commitOf, foreignArtifact } from './families';
import { buildTimeProblem } from './plausibility';
import { noteSources, storedSources } from './release-sources';
import { rateLimitMessage, rateLimitOf, takeToken, tokensAvailable } from './rate-limit';
import type {
  AttestationRecordJson,
  BuilderRecordJson,
  MetaJson,
  ProposalRecordJson,
} from './records';
import type { RegistryStore } from './store';
import { RecordCache, newProposal, proposalState } from './store';
import { compositeKey, u64FromKey, u64Key } from './tables';

export interface SubmitReceipt {
  attestationId: bigint;
  proposalId: bigint;
  builder: string;
  duplicate: boolean;
  supersedes: bigint | null;
}

const VERDICT_INDEX = { match: 0, mismatch: 1, build_failed: 2, not_built: 3 } as const;

/** Updates are refused below the minimum cycle balance; queries keep working. */
export function checkCycles(
  store: RegistryStore,
  cycles: bigint,
  meta: MetaJson = store.meta(),
): Result<void> {
  const min = store.limits(meta).minCycles;
  if (cycles < min) {
    return err(
      ErrorCode.LOW_CYCLES,
      `the registry has ${cycles} cycles, below the ${min} it keeps for answering queries: updates are refused until a controller tops it up`,
    );
  }
  return ok(undefined);
}

function precheck(args: { caller: Principal; argBytes: number }): Result<void> {
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
  return ok(undefined);
}

/**
 * canister_inspect_message for `submit`: everything cheap that the update would refuse, in the
 * update's order. `envelope` is null when the argument is not Candid (the update answers that).
 */
export function inspectSubmit(
  store: RegistryStore,
  args: {
    caller: Principal;
    envelope: Uint8Array | null;
    argBytes: number;
    now: bigint;
    cycles: bigint;
  },
): Result<void> {
  const cycles = checkCycles(store, args.cycles);
  if (!cycles.ok) return cycles;
  const pre = precheck(args);
  if (!pre.ok) return pre;
  if (args.envelope !== null && storedDuplicate(store, args.caller, args.envelope) !== null)
    return ok(undefined);
  const limit = rateLimitOf(store.meta());
  const bucket = store.tables.rateBuckets.get(args.caller.toUint8Array());
  if (tokensAvailable(bucket, limit, args.now) < 1)
    return err(ErrorCode.RATE_LIMITED, rateLimitMessage(limit));
  return ok(undefined);
}

/** Takes one of the caller's rate-limit tokens and stores the bucket (kept even if the request then fails). */
export function takeCallerToken(
  store: RegistryStore,
  caller: Principal,
  now: bigint,
  meta: MetaJson = store.meta(),
): Result<void> {
  const key = caller.toUint8Array();
  const limit = rateLimitOf(meta);
  const bucket = takeToken(store.tables.rateBuckets.get(key), limit, now);
  if (bucket === null) return err(ErrorCode.RATE_LIMITED, rateLimitMessage(limit));
  store.tables.rateBuckets.insert(key, bucket);
  return ok(undefined);
}

/**
 * The envelope's signature, found without parsing: the base64 after its last `"sig"` key. Only
 * a hint — a duplicate is an envelope whose bytes equal the stored one's.
 */
function signatureHint(envelope: Uint8Array): Uint8Array | null {
  for (let i = envelope.length - 5; i >= 0; i--) {
    if (
      envelope[i] !== 0x22 ||
      envelope[i + 1] !== 0x73 ||
      envelope[i + 2] !== 0x69 ||
      envelope[i + 3] !== 0x67 ||
      envelope[i + 4] !== 0x22
    )
      continue;
    let at = i + 5;
    while (at < envelope.length && envelope[at] !== 0x22) at++;
    const start = at + 1;
    const end = start + 88; // 64 bytes in padded base64
    if (end >= envelope.length || envelope[end] !== 0x22) return null;
    try {
      return base64Decode(String.fromCharCode(...envelope.subarray(start, end)));
    } catch {
      return null;
    }
  }
  return null;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * What the signature index says of the envelope's signature (by its hint): the stored
 * attestation's key if any, and the receipt when the caller resends exactly the envelope the
 * registry stored for them.
 */
function lookUpSignature(
  store: RegistryStore,
  caller: Principal,
  envelope: Uint8Array,
): {
  signature: Uint8Array | null;
  stored: Uint8Array | undefined;
  duplicate: SubmitReceipt | null;
} {
  const signature = signatureHint(envelope);
  if (signature === null) return { signature, stored: undefined, duplicate: null };
  const idKey = store.tables.signatureIndex.get(signature);
  if (idKey === undefined) return { signature, stored: idKey, duplicate: null };
  const storedEnvelope = store.tables.envelopes.get(idKey);
  const record = store.tables.attestations.get(idKey);
  const same =
    storedEnvelope !== undefined &&
    sameBytes(storedEnvelope, envelope) &&
    record !== undefined &&
    record.builder === caller.toText();
  return { signature, stored: idKey, duplicate: same ? receiptOf(record, true) : null };
}

function storedDuplicate(
  store: RegistryStore,
  caller: Principal,
  envelope: Uint8Array,
): SubmitReceipt | null {
  return lookUpSignature(store, caller, envelope).duplicate;
}

function legacyLatest(idKey: Uint8Array | undefined): string | undefined {
  return idKey === undefined ? undefined : u64FromKey(idKey).toString();
}

export function receiptOf(record: AttestationRecordJson, duplicate: boolean): SubmitReceipt {
  return {
    attestationId: BigInt(record.id),
    proposalId: BigInt(record.proposalId),
    builder: record.builder,
    duplicate,
    supersedes: record.supersedes === null ? null : BigInt(record.supersedes),
  };
}

/**
 * A submission, checked and stored. `readProposal`: the proposal is not confirmed yet, so the
 * canister should have governance read it.
 */
export function submit(
  store: RegistryStore,
  args: { caller: Principal; envelope: Uint8Array; now: bigint; cycles: bigint },
): Result<{ receipt: SubmitReceipt; readProposal: boolean }> {
  const { caller, envelope, now } = args;
  const meta = store.meta();
  const cycles = checkCycles(store, args.cycles, meta);
  if (!cycles.ok) return cycles;
  const pre = precheck({ caller, argBytes: envelope.length });
  if (!pre.ok) return pre;
  const known = lookUpSignature(store, caller, envelope);
  if (known.duplicate !== null) return ok({ receipt: known.duplicate, readProposal: false });

  const token = takeCallerToken(store, caller, now, meta);
  if (!token.ok) return token;

  const limits = store.limits(meta);
  if (BigInt(meta.nextAttestationId) - 1n >= BigInt(limits.attestationsTotal)) {
    return err(
      ErrorCode.STORAGE_FULL,
      `the registry stores at most ${limits.attestationsTotal} attestations and is full`,
    );
  }
  const callerKey = caller.toUint8Array();
  const builder = store.tables.builders.get(callerKey);
  if (builder !== undefined && builder.attestationCount >= limits.attestationsPerBuilder) {
    return err(
      ErrorCode.BUILDER_STORAGE_LIMIT,
      `a builder may store at most ${limits.attestationsPerBuilder} attestations; ${caller.toText()} has`,
    );
  }

  const verified = verifyAttestation(envelope);
  if (!verified.ok) return err(verified.error.code, verified.error.message);
  if (verified.value.builderId !== caller.toText()) {
    return err(
      ErrorCode.CALLER_NOT_SIGNER,
      `the attestation is signed by ${verified.value.builderId} but the caller is ${caller.toText()}: submit with the key that signed it`,
    );
  }
  // The same signature over a differently formatted envelope: the statement is stored already.
  // (The hint found the signature that verified in all but crafted envelopes: no second lookup.)
  const bySignature =
    known.signature !== null && sameBytes(known.signature, verified.value.signature)
      ? known.stored
      : store.tables.signatureIndex.get(verified.value.signature);
  if (bySignature !== undefined) {
    const record = store.tables.attestations.get(bySignature) as AttestationRecordJson;
    return ok({ receipt: receiptOf(record, true), readProposal: false });
  }
  const timeProblem = buildTimeProblem(verified.value.predicate.build, now);
  if (timeProblem !== null) return err(ErrorCode.BUILD_TIME_IMPLAUSIBLE, timeProblem);

  const proposalId = BigInt(verified.value.predicate.proposal.id);
  const proposal = store.proposalRecord(proposalId);
  const accepted = acceptForProposal(store, {
    proposalId,
    proposal,
    verified: verified.value,
    builder,
    meta,
  });
  if (!accepted.ok) return accepted;
  const receipt = record(store, {
    caller,
    callerKey,
    verified: verified.value,
    proposal: proposal ?? newProposal(proposalId),
    builder,
    meta,
    now,
  });
  return ok({ receipt, readProposal: accepted.value === 'pending' });
}

/** The rules that depend on what the registry knows of the proposal. */
function acceptForProposal(
  store: RegistryStore,
  args: {
    proposalId: bigint;
    proposal: ProposalRecordJson | undefined;
    verified: VerifiedAttestation;
    builder: BuilderRecordJson | undefined;
    meta: MetaJson;
  },
): Result<'confirmed' | 'pending'> {
  const { proposalId, proposal, verified } = args;
  const state = proposal === undefined ? 'pending' : proposalState(proposal);
  if (state === 'rejected') {
    const rejection = proposal?.rejection;
    return err(
      rejection?.code === 'PROPOSAL_NOT_ON_CHAIN'
        ? ErrorCode.PROPOSAL_NOT_ON_CHAIN
        : ErrorCode.PROPOSAL_NOT_ICOS_ELECTION,
      rejection?.reason ?? `proposal ${proposalId} is not one to reproduce`,
    );
  }
  const predicate = verified.predicate;
  if (state === 'confirmed') {
    const onChain = proposal?.onChain ?? null;
    const commit = commitOf(onChain);
    if (commit !== null && commit !== predicate.proposal.commit) {
      return err(
        ErrorCode.COMMIT_MISMATCH,
        onChain?.electedCommit
          ? `proposal ${proposalId} elects commit ${commit}, the attestation is for ${predicate.proposal.commit}`
          : `proposal ${proposalId}'s summary says the module is built from commit ${commit}, the attestation is for ${predicate.proposal.commit}`,
      );
    }
    // IC-OS and canister reproductions: each family accepts its own kinds (`families.ts`).
    const foreign =
      onChain === null
        ? null
        : foreignArtifact(
            onChain,
            predicate.artifacts.map((a) => a.kind),
          );
    if (foreign !== null) {
      return err(
        ErrorCode.ARTIFACT_NOT_FOR_PROPOSAL,
        `proposal ${proposalId} ${foreign.proposalDoes}: it accepts ${foreign.allowed.join(', ')}, not ${foreign.kind}`,
      );
    }
    return ok('confirmed');
  }

  // Unconfirmed: held until governance answers, within limits that free keys cannot exhaust.
  const limits = store.limits(args.meta);
  if ((proposal?.attestationCount ?? 0) >= limits.heldPerProposal) {
    return err(
      ErrorCode.PENDING_LIMIT,
      `proposal ${proposalId} is not confirmed on chain yet and already holds ${limits.heldPerProposal} attestations: submit again once it is`,
    );
  }
  const id = proposalId.toString();
  const pending = args.meta.pendingProposals ?? [];
  if (!pending.includes(id) && pending.length >= limits.pendingProposalsTotal) {
    return err(
      ErrorCode.PENDING_LIMIT,
      `the registry already holds attestations for ${pending.length} proposals it has not confirmed on chain: submit again once proposal ${proposalId} is confirmed`,
    );
  }
  const mine = stillPending(store, args.builder?.pending ?? []);
  if (!mine.includes(id) && mine.length >= limits.pendingProposalsPerBuilder) {
    return err(
      ErrorCode.BUILDER_PENDING_LIMIT,
      `your attestations for ${mine.length} unconfirmed proposals (${mine.join(', ')}) wait for governance: a builder may have ${limits.pendingProposalsPerBuilder} waiting`,
    );
  }
  return ok('pending');
}

function stillPending(store: RegistryStore, ids: string[]): string[] {
  return ids.filter((id) => {
    const p = store.proposalRecord(BigInt(id));
    return p !== undefined && proposalState(p) === 'pending';
  });
}

/** Stores an accepted attestation; counts it when its proposal is confirmed. */
function record(
  store: RegistryStore,
  args: {
    caller: Principal;
    callerKey: Uint8Array;
    verified: VerifiedAttestation;
    proposal: ProposalRecordJson;
    builder: BuilderRecordJson | undefined;
    meta: MetaJson;
    now: bigint;
  },
): SubmitReceipt {
  const { verified, proposal, meta, callerKey } = args;
  const predicate = verified.predicate;
  const proposalKey = u64Key(BigInt(proposal.id));
  const state = proposalState(proposal);
  const id = BigInt(meta.nextAttestationId);
  const artifacts = predicate.artifacts.map((a) => ({
    kind: a.kind,
    name: a.name,
    sha256: a.sha256,
    expectedSha256: a.expectedSha256,
    verdict: a.verdict,
    memberCount: a.members?.length ?? 0,
    current: false,
    ...storedSources(a),
  }));
  const verdict = overallVerdict(artifacts.map((a) => a.verdict));
  const submittedAt = args.now.toString();
  const attestation: AttestationRecordJson = {
    id: id.toString(),
    proposalId: proposal.id,
    commit: predicate.proposal.commit,
    builder: verified.builderId,
    submittedAt,
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
    rejection: null,
  };
  const records = new RecordCache(store);
  const builder: BuilderRecordJson = args.builder ?? {
    principal: verified.builderId,
    publicKey: base64Encode(verified.publicKey),
    displayName: null,
    url: null,
    firstSeen: submittedAt,
    lastSeen: submittedAt,
    attestationCount: 0,
  };
  const at = standingOf(store, {
    proposalId: BigInt(proposal.id),
    builderKey: callerKey,
    builder,
  });

  // The newest attestation of a builder supersedes the older one in the history; what counts
  // is decided per artifact (`countAttestation`).
  const previousId =
    at.standing.latest ?? legacyLatest(store.tables.currentAttestation.get(at.key));
  if (previousId !== undefined) {
    const previous = records.touch(previousId);
    previous.supersededBy = attestation.id;
    attestation.supersedes = previous.id;
    proposal.supersededCount += 1;
  }
  at.standing.latest = attestation.id;

  const idKey = u64Key(id);
  store.tables.proposalAttestations.insert(compositeKey(proposalKey, attestation.seq), idKey);
  store.tables.proposalVerdictAttestations.insert(
    compositeKey(proposalKey, new Uint8Array([VERDICT_INDEX[verdict]]), attestation.verdictSeq),
    idKey,
  );
  proposal.attestationCount += 1;
  proposal.verdictCounts[verdict] += 1;
  noteSources(proposal, { attestationId: attestation.id, builder: verified.builderId, artifacts });
  proposal.firstAttestationAt ??= submittedAt;
  proposal.lastAttestationAt = submittedAt;

  store.tables.builderAttestations.insert(compositeKey(callerKey, builder.attestationCount), idKey);
  builder.attestationCount += 1;
  builder.lastSeen = submittedAt;
  if (state === 'pending') {
    const pending = (builder.pending ?? []).filter((p) => {
      const r = p === proposal.id ? proposal : store.proposalRecord(BigInt(p));
      return r !== undefined && proposalState(r) === 'pending';
    });
    if (!pending.includes(proposal.id)) pending.push(proposal.id);
    builder.pending = pending;
    const all = meta.pendingProposals ?? [];
    if (!all.includes(proposal.id)) meta.pendingProposals = [...all, proposal.id];
  }
  store.tables.builders.insert(callerKey, builder);
  if (args.builder === undefined) meta.builderCount += 1;

  store.tables.envelopes.insert(idKey, verified.envelopeBytes);
  store.tables.signatureIndex.insert(verified.signature, idKey);
  meta.nextAttestationId = (id + 1n).toString();
  store.saveMeta(meta);

  records.put(attestation);
  // While a walk recounts the proposal, attestations past its cursor are left to it.
  const walking = proposal.recounting === true && proposal.renderCursor !== null;
  if (state === 'confirmed' && !walking)
    countAttestation({ store, proposal, records }, attestation, { ...at, builderKey: callerKey });
  else saveStanding(store, at.key, at.standing, callerKey);
  records.saveAll(proposal);
  store.saveProposal(proposal);
  return receiptOf(attestation, false);
}
