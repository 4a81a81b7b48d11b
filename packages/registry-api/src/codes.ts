/*
 * The registry's stable error codes: what `RegistryError.code` carries, and what a reject of a
 * method without an `Err` (or of `canister_inspect_message`) begins with ("RATE_LIMITED: ...").
 * The string values are part of the public contract: never change or reuse one; append new
 * codes instead. The attestation format's own codes (`FormatErrorCode`, answered when an
 * envelope breaks a rule of the format) live with the format in @repro-registry/attestation.
 */
import { FormatErrorCode } from '@repro-registry/attestation';

/** Rejections by the registry canister and its clients, beyond the format. */
export const RegistryErrorCode = {
  /** The anonymous principal may not submit or change anything. */
  ANONYMOUS_CALLER: 'ANONYMOUS_CALLER',
  /** The caller is not the builder who signed the attestation. */
  CALLER_NOT_SIGNER: 'CALLER_NOT_SIGNER',
  /** Too many requests from this caller in the current window. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** No attestation with that id. */
  ATTESTATION_NOT_FOUND: 'ATTESTATION_NOT_FOUND',
  /** The NNS has no proposal with that id. */
  PROPOSAL_NOT_FOUND: 'PROPOSAL_NOT_FOUND',
  /** No builder with that principal. */
  BUILDER_NOT_FOUND: 'BUILDER_NOT_FOUND',
  /** Only a controller of the canister may do this. */
  NOT_CONTROLLER: 'NOT_CONTROLLER',
  /** A builder profile field is invalid. */
  PROFILE_INVALID: 'PROFILE_INVALID',
  /** The reason given for hiding an attestation is empty or too long. */
  HIDE_REASON_INVALID: 'HIDE_REASON_INVALID',
  /** The attestation is already hidden. */
  ALREADY_HIDDEN: 'ALREADY_HIDDEN',
  /** The attestation is not hidden. */
  NOT_HIDDEN: 'NOT_HIDDEN',
  /** The proposal does not elect an IC-OS (GuestOS/HostOS) version. */
  PROPOSAL_NOT_ICOS_ELECTION: 'PROPOSAL_NOT_ICOS_ELECTION',
  /** The attestation's commit is not the commit the proposal elects. */
  COMMIT_MISMATCH: 'COMMIT_MISMATCH',
  /** The NNS governance canister could not be reached or answered with an error. */
  GOVERNANCE_UNAVAILABLE: 'GOVERNANCE_UNAVAILABLE',
  /** The request is larger than the registry accepts. */
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
  /** NNS governance says there is no proposal with that id: nothing to reproduce. */
  PROPOSAL_NOT_ON_CHAIN: 'PROPOSAL_NOT_ON_CHAIN',
  /** The registry has not confirmed the proposal on chain yet: its attestations are held, not counted. */
  PROPOSAL_PENDING: 'PROPOSAL_PENDING',
  /** The builder already waits on the most unconfirmed proposals a builder may. */
  BUILDER_PENDING_LIMIT: 'BUILDER_PENDING_LIMIT',
  /** The registry already holds the most unconfirmed proposals (or held attestations for one). */
  PENDING_LIMIT: 'PENDING_LIMIT',
  /** An artifact kind does not belong to the OS the proposal elects (`ARTIFACT_KINDS_BY_OS`). */
  ARTIFACT_NOT_FOR_PROPOSAL: 'ARTIFACT_NOT_FOR_PROPOSAL',
  /** Build times before the IC's genesis, after the registry's clock, or of an implausible length. */
  BUILD_TIME_IMPLAUSIBLE: 'BUILD_TIME_IMPLAUSIBLE',
  /** The builder has stored the most attestations a builder may. */
  BUILDER_STORAGE_LIMIT: 'BUILDER_STORAGE_LIMIT',
  /** The registry has stored the most attestations it may. */
  STORAGE_FULL: 'STORAGE_FULL',
  /** The registry's cycles run low: it answers queries but refuses updates until topped up. */
  LOW_CYCLES: 'LOW_CYCLES',
  /** Another builder or trust list already has that name (compared after NFKC, ignoring case). */
  NAME_TAKEN: 'NAME_TAKEN',
  /** A name mixes scripts in a way that can imitate another name (e.g. Latin with Cyrillic). */
  NAME_CONFUSABLE: 'NAME_CONFUSABLE',
  /** No trust list with that id (or version). */
  TRUST_LIST_NOT_FOUND: 'TRUST_LIST_NOT_FOUND',
  /** A trust list's name, description or members are invalid. */
  TRUST_LIST_INVALID: 'TRUST_LIST_INVALID',
  /** Only the principal who published a trust list may publish new versions of it. */
  NOT_LIST_OWNER: 'NOT_LIST_OWNER',
  /** The caller, or the registry, has published the most trust lists allowed. */
  TRUST_LIST_LIMIT: 'TRUST_LIST_LIMIT',
  /** The trust list's previous version is still being counted: publish again when it is ready. */
  TRUST_LIST_BUSY: 'TRUST_LIST_BUSY',
} as const;

export type RegistryErrorCode = (typeof RegistryErrorCode)[keyof typeof RegistryErrorCode];

/** Every code the registry answers: its own and the format's. */
export const ErrorCode = { ...FormatErrorCode, ...RegistryErrorCode } as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const allCodes: ReadonlySet<string> = new Set(Object.values(ErrorCode));
const registryCodes: ReadonlySet<string> = new Set(Object.values(RegistryErrorCode));

/** Narrows a code received over the wire (e.g. `RegistryError.code`) to a known `ErrorCode`. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && allCodes.has(value);
}

export function isRegistryErrorCode(value: unknown): value is RegistryErrorCode {
  return typeof value === 'string' && registryCodes.has(value);
}
