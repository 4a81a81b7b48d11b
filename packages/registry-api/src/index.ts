/**
 * @repro-registry/registry-api: the registry canister's public contract in one place. The
 * Candid interface is written once, in `canisters/registry/registry.did`; its IDL values and
 * TypeScript types are generated from it (`src/declarations`, by DFINITY's bindgen) and imported
 * by the canister, the client, the CLI and the frontend. The stable error codes a
 * `RegistryError` carries live here too.
 */
export * from './declarations/registry.did';
export { ErrorCode, RegistryErrorCode, isErrorCode, isRegistryErrorCode } from './codes';
export { methodNames, methodType } from './methods';
export type { MethodArgs, MethodName, MethodReply } from './methods';
export { registryErrorOfReject, type CodedRejection } from './rejects';
export { EVENT_TYPES } from './events';
export type { EventType, RegistryEvent, RegistryEventPage } from './events';
export {
  AttestationWithoutProof,
  CERTIFIED_FIELD,
  CertifiedSummaryShape,
  certifiedSummaryMessage,
} from './certified-shapes';
