/**
 * Stable codes of everything the log and its readers refuse. Clients switch on them; tests
 * assert them, never the wording of a message.
 */
export const LogErrorCode = {
  /** A proof was asked for a tree size beyond the log, or consistency from a larger size. */
  TREE_SIZE_OUT_OF_RANGE: 'TREE_SIZE_OUT_OF_RANGE',
  /** A leaf index at or past the tree size. */
  LEAF_INDEX_OUT_OF_RANGE: 'LEAF_INDEX_OUT_OF_RANGE',
  /** A hash in a proof (or a root) that is not 32 bytes. */
  PROOF_MALFORMED: 'PROOF_MALFORMED',
  /** A proof with more or fewer hashes than its sizes call for. */
  PROOF_LENGTH: 'PROOF_LENGTH',
  /** The inclusion proof leads to another root. */
  ROOT_MISMATCH: 'ROOT_MISMATCH',
  /** The consistency proof does not lead to the older root. */
  OLD_ROOT_MISMATCH: 'OLD_ROOT_MISMATCH',
  /** The consistency proof does not lead to the newer root. */
  NEW_ROOT_MISMATCH: 'NEW_ROOT_MISMATCH',
  /** A leaf that is not one of the event encodings (not JSON, unknown event or field). */
  LEAF_MALFORMED: 'LEAF_MALFORMED',
  /** A leaf that decodes but is not the one encoding of its event (order, spacing, escapes). */
  LEAF_NOT_CANONICAL: 'LEAF_NOT_CANONICAL',
  /** A leaf of a version this reader does not know. */
  LEAF_VERSION: 'LEAF_VERSION',
  /** A second leaf appended under a key that already names one; nothing appended. */
  LEAF_KEY_TAKEN: 'LEAF_KEY_TAKEN',
  /** An event field out of its domain (e.g. not a u64, not lowercase hex); nothing appended. */
  EVENT_FIELD_INVALID: 'EVENT_FIELD_INVALID',
  /** Checkpoint text not in the tlog-checkpoint / signed-note layout. */
  CHECKPOINT_MALFORMED: 'CHECKPOINT_MALFORMED',
  /** The checkpoint's origin is not the one of the canister it is checked for. */
  CHECKPOINT_ORIGIN_MISMATCH: 'CHECKPOINT_ORIGIN_MISMATCH',
  /** No IC certificate line (under the origin's name and key ID) in the checkpoint. */
  CHECKPOINT_UNSIGNED: 'CHECKPOINT_UNSIGNED',
  /** The certified `log/size` differs from the checkpoint's size. */
  CHECKPOINT_SIZE_MISMATCH: 'CHECKPOINT_SIZE_MISMATCH',
  /** The certified `log/root` differs from the checkpoint's root. */
  CHECKPOINT_ROOT_MISMATCH: 'CHECKPOINT_ROOT_MISMATCH',
  /** The IC certificate does not verify (signature, delegation, canister range, CBOR). */
  CERTIFICATE_INVALID: 'CERTIFICATE_INVALID',
  /** The certificate's time is more than the allowed skew away from now. */
  CERTIFICATE_STALE: 'CERTIFICATE_STALE',
  /** The witness does not lead to the certified data, or lacks what it must show. */
  WITNESS_MISMATCH: 'WITNESS_MISMATCH',
} as const;
export type LogErrorCode = (typeof LogErrorCode)[keyof typeof LogErrorCode];

/** Every code a reader of the log can meet. */
export type ReaderErrorCode = LogErrorCode;

export type Checked<T> =
  { ok: true; value: T } | { ok: false; code: ReaderErrorCode; message: string };

/** A refusal by the log itself (bad arguments); the log is unchanged. */
export class LogError extends Error {
  override readonly name = 'LogError';
  constructor(
    readonly code: LogErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const refuse = <T>(code: ReaderErrorCode, message: string): Checked<T> => ({
  ok: false,
  code,
  message,
});
