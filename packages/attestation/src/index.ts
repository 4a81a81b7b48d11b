// @repro-registry/attestation: the signed attestation format shared by the registry canister,
// the `repro` CLI and the frontend. Pure: no I/O, no Node APIs, runs in azle's JS engine.
export { FormatErrorCode, isFormatErrorCode } from './codes';
export { AttestationError } from './errors';
export { overallVerdict } from './verdict';
export type { FormatError, Result } from './errors';
export {
  ARTIFACT_KINDS,
  ARTIFACT_KINDS_BY_OS,
  CONTAINERS,
  ELECTED_OS,
  FAILURE_CATEGORIES,
  LIMITS,
  PAYLOAD_TYPE,
  PREDICATE_TYPE,
  PREDICATE_TYPES,
  PREDICATE_TYPE_CANISTER_V1,
  PREDICATE_TYPE_V1,
  PREDICATE_TYPE_V2,
  SOURCE_KINDS,
  STATEMENT_TYPE,
  VERDICTS,
  VIRTUALIZATIONS,
} from './constants';
export { isSourceUrl, sourceDisagreements, type SourceDisagreement } from './sources';
export {
  CANISTER_ARTIFACT_KIND,
  SNS_WASM_ARTIFACT_KIND,
  isCanisterArtifactKind,
  type ArtifactKindFamily,
  type CanisterArtifactKind,
} from './canister-kinds';
export { ENVIRONMENT_FIELDS_V1, ENVIRONMENT_FIELDS_V2, UNKNOWN_ENVIRONMENT } from './environment';
export {
  canonicalLaunchMeasurements,
  launchMeasurementsSha256,
  type LaunchMeasurementValue,
} from './measurements';
export {
  archiveLayerDifference,
  describeLayerDifference,
  type ArchiveLayers,
  type LayerDifference,
} from './layers';
export type {
  Artifact,
  ArtifactKind,
  ArtifactMember,
  ArtifactSource,
  BuildFailure,
  BuildInfo,
  BuilderRef,
  Container,
  ElectedOs,
  Envelope,
  EnvelopeSignature,
  Environment,
  EnvironmentV2,
  FailureCategory,
  Predicate,
  PredicateType,
  ProposalRef,
  SourceKind,
  Statement,
  Subject,
  ToolInfo,
  UnsignedPredicate,
  Verdict,
  VerifiedAttestation,
  Virtualization,
} from './types';
export {
  createStatement,
  pae,
  parseAttestation,
  signAttestation,
  validatePredicate,
  verifyAttestation,
  verifyAttestationAsync,
} from './attestation';
export type { Ed25519Verifier, SignedAttestation } from './attestation';
export { plainTextProblem } from './validate';
export { sha256 } from './sha256';
export { environmentClass } from './environment-class';
export {
  ed25519PublicKeyFromSecret,
  ed25519SpkiDer,
  isCanonicalScalar,
  principalFromEd25519PublicKey,
  signEd25519,
  warmUpEd25519,
} from './keys';
export {
  base64Decode,
  base64Encode,
  bytesToHex,
  hexToBytes,
  sha256Hex,
  utf8ByteLength,
  utf8Decode,
  utf8Encode,
} from './bytes';
