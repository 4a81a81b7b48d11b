/**
 * Verification of the registry's certified reads: nothing a node answers is believed unless
 * the IC certificate verifies under the root key, is fresh (within 5 minutes), certifies the
 * canister's data, and the witness leads to that data and holds what the reply claims. Every
 * refusal has its own code (`LogErrorCode`); none is a silent pass.
 */
import {
  AgentError,
  Certificate,
  CertificateTimeErrorCode,
  LookupPathStatus,
} from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import { bytesToHex, sha256 } from '@repro-registry/attestation';
import {
  decodeHashTree,
  lookupPath,
  reconstruct,
  type HashTree,
  type Label,
} from '@repro-registry/certification';
import {
  LABELS,
  LogErrorCode,
  decodeLeaf,
  leafHash,
  refuse,
  u64Label,
  verifyConsistency,
  verifyInclusion,
  type Checked,
  type LogEvent,
} from '@repro-registry/transparency-log';

import { ProposalSummary } from '@repro-registry/registry-api';
import type * as T from '@repro-registry/registry-api';

export interface VerifyContext {
  canisterId: Principal;
  /** The IC root key (DER), e.g. `agent.rootKey`. */
  rootKey: Uint8Array;
  /** Allowed distance between the certificate's time and now (default 5 minutes). */
  maxAgeMinutes?: number;
}

export interface VerifiedHead {
  size: number;
  root: Uint8Array;
  /** The certificate's time (ns since the epoch). */
  certifiedAt: bigint;
  /**
   * How many proposals the registry confirmed (its proposal list's total), as certified; null
   * when the witness does not show it (a registry from before the count was certified).
   */
  proposalCount: bigint | null;
}

const equal = (a: Uint8Array, b: Uint8Array) => bytesToHex(a) === bytesToHex(b);

/**
 * The certificate and witness of a certified reply: checked, with the log head every witness
 * carries. Returns the witness tree for looking up what else the reply certifies.
 */
export async function verifyCertified(
  context: VerifyContext,
  reply: { certificate: [] | [Uint8Array]; witness: Uint8Array },
): Promise<Checked<{ tree: HashTree; head: VerifiedHead }>> {
  const bytes = reply.certificate[0];
  if (bytes === undefined) {
    return refuse(LogErrorCode.CERTIFICATE_INVALID, 'the reply carries no certificate');
  }
  let certificate: Certificate;
  try {
    certificate = await Certificate.create({
      certificate: bytes,
      rootKey: context.rootKey,
      canisterId: context.canisterId,
      maxAgeInMinutes: context.maxAgeMinutes ?? 5,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // By the agent's error type, not its wording (a signature error's text can name a
    // "threshold", which a pattern for "old" would call stale).
    const stale = e instanceof AgentError && e.code instanceof CertificateTimeErrorCode;
    return refuse(
      stale ? LogErrorCode.CERTIFICATE_STALE : LogErrorCode.CERTIFICATE_INVALID,
      `the certificate does not verify: ${message}`,
    );
  }
  const data = certificate.lookup_path([
    'canister',
    context.canisterId.toUint8Array(),
    'certified_data',
  ]);
  const time = certificate.lookup_path(['time']);
  if (data.status !== LookupPathStatus.Found || time.status !== LookupPathStatus.Found) {
    return refuse(
      LogErrorCode.CERTIFICATE_INVALID,
      'the certificate holds no data of this canister',
    );
  }
  let tree: HashTree;
  try {
    tree = decodeHashTree(reply.witness);
  } catch (e) {
    return refuse(LogErrorCode.WITNESS_MISMATCH, `the witness is not a hash tree: ${String(e)}`);
  }
  if (!equal(reconstruct(tree), data.value)) {
    return refuse(LogErrorCode.WITNESS_MISMATCH, 'the witness does not lead to the certified data');
  }
  const size = found(tree, [LABELS.log, LABELS.size]);
  const root = found(tree, [LABELS.log, LABELS.root]);
  if (size === undefined || size.length !== 8 || root === undefined || root.length !== 32) {
    return refuse(LogErrorCode.WITNESS_MISMATCH, 'the witness does not show the log head');
  }
  const count = found(tree, [LABELS.proposalCount]);
  if (count !== undefined && count.length !== 8) {
    return refuse(LogErrorCode.WITNESS_MISMATCH, 'the certified proposal count is not a u64');
  }
  return {
    ok: true,
    value: {
      tree,
      head: {
        size: Number(u64(size)),
        root,
        certifiedAt: leb128(time.value),
        proposalCount: count === undefined ? null : u64(count),
      },
    },
  };
}

const u64 = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);

function found(tree: HashTree, path: Label[]): Uint8Array | undefined {
  const r = lookupPath(tree, path);
  return r.status === 'found' ? r.value : undefined;
}

function leb128(bytes: Uint8Array): bigint {
  let value = 0n;
  let shift = 0n;
  for (const b of bytes) {
    value |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  }
  return value;
}

/** A checkpoint whose size and root are the certified ones. */
export async function verifyCheckpoint(
  context: VerifyContext,
  checkpoint: T.Checkpoint,
): Promise<Checked<VerifiedHead>> {
  const checked = await verifyCertified(context, checkpoint);
  if (!checked.ok) return checked;
  const { head } = checked.value;
  if (BigInt(head.size) !== checkpoint.size) {
    return refuse(LogErrorCode.CHECKPOINT_SIZE_MISMATCH, 'the size is not the certified one');
  }
  if (!equal(head.root, checkpoint.root)) {
    return refuse(LogErrorCode.CHECKPOINT_ROOT_MISMATCH, 'the root is not the certified one');
  }
  return { ok: true, value: head };
}

/** The proposal summary a certified reply holds, if its hash is the certified one. */
export async function verifyCertifiedSummary(
  context: VerifyContext,
  reply: T.CertifiedSummary,
): Promise<Checked<{ summary: T.ProposalSummary; head: VerifiedHead }>> {
  const checked = await verifyCertified(context, reply);
  if (!checked.ok) return checked;
  const certified = found(checked.value.tree, [LABELS.proposal, u64Label(reply.proposal_id)]);
  if (certified === undefined || !equal(certified, sha256(reply.summary))) {
    return refuse(LogErrorCode.WITNESS_MISMATCH, 'the summary is not the certified one');
  }
  const [summary] = IDL.decode([ProposalSummary], reply.summary.slice()) as unknown as [
    T.ProposalSummary,
  ];
  if (summary.proposal_id !== reply.proposal_id) {
    return refuse(LogErrorCode.WITNESS_MISMATCH, 'the summary is of another proposal');
  }
  return { ok: true, value: { summary, head: checked.value.head } };
}

/** The certified record of an attestation and its envelope, checked against each other. */
export async function verifyCertifiedAttestation(
  context: VerifyContext,
  reply: T.CertifiedAttestation,
): Promise<Checked<{ record: Record<string, unknown>; envelope: Uint8Array; head: VerifiedHead }>> {
  const checked = await verifyCertified(context, reply);
  if (!checked.ok) return checked;
  const certified = found(checked.value.tree, [LABELS.attestation, u64Label(reply.attestation_id)]);
  if (certified === undefined || !equal(certified, sha256(reply.certified_record))) {
    return refuse(LogErrorCode.WITNESS_MISMATCH, 'the attestation record is not the certified one');
  }
  const record = JSON.parse(new TextDecoder().decode(reply.certified_record)) as Record<
    string,
    unknown
  >;
  if (record.id !== reply.attestation_id.toString()) {
    return refuse(LogErrorCode.WITNESS_MISMATCH, 'the record is of another attestation');
  }
  if (record.envelope_sha256 !== bytesToHex(sha256(reply.envelope))) {
    return refuse(LogErrorCode.WITNESS_MISMATCH, 'the envelope is not the certified one');
  }
  return { ok: true, value: { record, envelope: reply.envelope, head: checked.value.head } };
}

/** An attestation's acceptance leaf, proven in the certified log (at the certified size). */
export async function verifyInclusionProof(
  context: VerifyContext,
  reply: T.InclusionProof,
): Promise<Checked<{ event: LogEvent; head: VerifiedHead }>> {
  const head = await verifyCheckpoint(context, reply.checkpoint);
  if (!head.ok) return head;
  if (reply.tree_size !== BigInt(head.value.size)) {
    return refuse(
      LogErrorCode.TREE_SIZE_OUT_OF_RANGE,
      'the proof is for another size than the certified one: check it against a saved checkpoint',
    );
  }
  const proven = verifyInclusion({
    leafHash: leafHash(reply.leaf),
    index: Number(reply.leaf_index),
    treeSize: Number(reply.tree_size),
    proof: reply.proof,
    root: head.value.root,
  });
  if (!proven.ok) return proven;
  const event = decodeLeaf(reply.leaf);
  if (!event.ok) return event;
  if (
    event.value.event !== 'attestation_accepted' ||
    event.value.attestation !== reply.attestation_id.toString()
  ) {
    return refuse(LogErrorCode.LEAF_MALFORMED, 'the leaf is not this attestation’s acceptance');
  }
  return { ok: true, value: { event: event.value, head: head.value } };
}

/** That the log with `saved` (size, root) is a prefix of the certified one in `reply`. */
export async function verifyConsistencyProof(
  context: VerifyContext,
  saved: { size: number; root: Uint8Array },
  reply: T.ConsistencyProof,
): Promise<Checked<VerifiedHead>> {
  const head = await verifyCheckpoint(context, reply.checkpoint);
  if (!head.ok) return head;
  if (reply.old_size !== BigInt(saved.size) || reply.new_size !== BigInt(head.value.size)) {
    return refuse(LogErrorCode.TREE_SIZE_OUT_OF_RANGE, 'the proof is for other sizes');
  }
  const consistent = verifyConsistency({
    oldSize: saved.size,
    newSize: head.value.size,
    oldRoot: saved.root,
    newRoot: head.value.root,
    proof: reply.proof,
  });
  return consistent.ok ? { ok: true, value: head.value } : consistent;
}
