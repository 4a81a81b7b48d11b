// @repro-registry/transparency-log: the registry's append-only Merkle log in the style of
// RFC 9162 — hashing, a log kept in a node store (stable memory in the canister), inclusion and
// consistency proofs with their verifiers, the leaf format of registry events and checkpoints
// as C2SP tlog-checkpoint text. Pure: runs in the canister, in Node and in browsers.
export { LogError, LogErrorCode, refuse } from './codes';
export type { Checked, ReaderErrorCode } from './codes';
export { EMPTY_ROOT, leafHash, nodeHash } from './hashing';
export { TransparencyLog } from './log';
export type { AppendedLeaf } from './log';
export { verifyConsistency, verifyInclusion } from './proofs';
export { LEAF_VERSION, decodeLeaf, encodeLeaf } from './leaves';
export type { LogEvent, LogEventName } from './leaves';
export {
  SIGNATURE_TYPE,
  checkpointText,
  keyId,
  originOf,
  parseCheckpoint,
  signedCheckpoint,
  signedCheckpointBytes,
} from './checkpoint';
export type { CheckpointBody, CheckpointSignature, ParsedCheckpoint } from './checkpoint';
export {
  LABELS,
  POSITIONS_PER_CHUNK,
  attestationRecordBytes,
  u64FromLabel,
  u64Label,
} from './certified';
export type { CertifiedAttestation } from './certified';
export {
  trustListMembersBytes,
  trustListStatusBytes,
  trustListVersionBytes,
} from './trust-list-records';
export type { CertifiedTrustListVersion } from './trust-list-records';
