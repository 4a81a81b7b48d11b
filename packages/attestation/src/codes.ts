// Stable error codes shared by the canister, the CLI, the frontend and the tests. The string
// values are part of the public contract (they travel in `RegistryError.code`): never change
// or reuse one; append new codes instead.

/** Rejections of the attestation format itself: `verifyAttestation` and `validatePredicate`. */
export const FormatErrorCode = {
  /** The envelope is larger than `LIMITS.envelopeBytes`. */
  ENVELOPE_TOO_LARGE: 'ENVELOPE_TOO_LARGE',
  /** Bytes that should be UTF-8 text are not well-formed UTF-8 (RFC 3629). */
  INVALID_UTF8: 'INVALID_UTF8',
  /** The bytes are not one JSON value (RFC 8259), or carry a byte-order mark. */
  NOT_JSON: 'NOT_JSON',
  /** A JSON object repeats a key. */
  DUPLICATE_KEY: 'DUPLICATE_KEY',
  /** A JSON string escapes half of a surrogate pair (`\ud800` alone). */
  LONE_SURROGATE: 'LONE_SURROGATE',
  /** JSON nests deeper than `LIMITS.jsonDepth`. */
  NESTING_TOO_DEEP: 'NESTING_TOO_DEEP',
  /** An object has a field the format does not define. */
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
  /** A required field is absent. */
  MISSING_FIELD: 'MISSING_FIELD',
  /** A field has the wrong JSON type (string for number, object for array, null where not allowed…). */
  WRONG_TYPE: 'WRONG_TYPE',
  /** `payloadType` is not `PAYLOAD_TYPE`. */
  PAYLOAD_TYPE_UNSUPPORTED: 'PAYLOAD_TYPE_UNSUPPORTED',
  /** Base64 that is not canonical RFC 4648 (alphabet, padding, non-zero trailing bits). */
  BASE64_INVALID: 'BASE64_INVALID',
  /** The envelope does not carry exactly one signature. */
  SIGNATURE_COUNT: 'SIGNATURE_COUNT',
  /** A signature is not 64 bytes. */
  SIGNATURE_LENGTH: 'SIGNATURE_LENGTH',
  /** The Ed25519 signature does not verify (strict RFC 8032, canonical R and S). */
  SIGNATURE_INVALID: 'SIGNATURE_INVALID',
  /** The signature's `keyid` is not the predicate's `builder.id`. */
  KEYID_MISMATCH: 'KEYID_MISMATCH',
  /** The statement's `_type` is not `STATEMENT_TYPE`. */
  STATEMENT_TYPE_UNSUPPORTED: 'STATEMENT_TYPE_UNSUPPORTED',
  /** The statement's `predicateType` is not `PREDICATE_TYPE`. */
  PREDICATE_TYPE_UNSUPPORTED: 'PREDICATE_TYPE_UNSUPPORTED',
  /** `proposal.id` is not a decimal u64 in 1..2^64-1 without leading zeros. */
  PROPOSAL_ID_INVALID: 'PROPOSAL_ID_INVALID',
  /** `proposal.commit` is not 40 lowercase hex digits. */
  COMMIT_INVALID: 'COMMIT_INVALID',
  /** A SHA-256 field is not 64 lowercase hex digits. */
  HEX_INVALID: 'HEX_INVALID',
  /** `builder.publicKey` is not a canonical, non-small-order Ed25519 point of 32 bytes. */
  PUBLIC_KEY_INVALID: 'PUBLIC_KEY_INVALID',
  /** `builder.id` is not the self-authenticating principal of `builder.publicKey`. */
  BUILDER_ID_MISMATCH: 'BUILDER_ID_MISMATCH',
  /** An artifact `kind` is not one of `ARTIFACT_KINDS`. */
  ARTIFACT_KIND_UNKNOWN: 'ARTIFACT_KIND_UNKNOWN',
  /** Two artifacts have the same `kind`. */
  ARTIFACT_DUPLICATE: 'ARTIFACT_DUPLICATE',
  /** Not 1..`LIMITS.artifacts` artifacts. */
  ARTIFACT_COUNT: 'ARTIFACT_COUNT',
  /** An artifact `name` is not a plain file name (slash, `.`, `..`). */
  NAME_INVALID: 'NAME_INVALID',
  /** A `verdict` is not one of `VERDICTS`. */
  VERDICT_UNKNOWN: 'VERDICT_UNKNOWN',
  /** The verdict contradicts `sha256` / `expectedSha256` / `members`. */
  VERDICT_INCONSISTENT: 'VERDICT_INCONSISTENT',
  /** The statement's `subject` is not exactly the built artifacts, in order. */
  SUBJECT_MISMATCH: 'SUBJECT_MISMATCH',
  /** A member path is not a clean relative path. */
  MEMBER_INVALID: 'MEMBER_INVALID',
  /** Two members of one artifact have the same path. */
  MEMBER_DUPLICATE: 'MEMBER_DUPLICATE',
  /** An artifact has more than `LIMITS.membersPerArtifact` members. */
  MEMBER_COUNT: 'MEMBER_COUNT',
  /** A time is not RFC 3339 UTC (`YYYY-MM-DDTHH:MM:SS[.fraction]Z`) or not a calendar date. */
  TIME_INVALID: 'TIME_INVALID',
  /** `build.finishedOn` is before `build.startedOn`. */
  TIME_ORDER: 'TIME_ORDER',
  /** A text field is longer than its limit in UTF-8 bytes. */
  TEXT_TOO_LONG: 'TEXT_TOO_LONG',
  /** A text field is empty (use `null` or omit the field for "unknown"). */
  TEXT_EMPTY: 'TEXT_EMPTY',
  /** Text holds a control, bidi-override or invisible formatting character. */
  CONTROL_CHARACTER: 'CONTROL_CHARACTER',
  /** `environment.virtualization` is not one of `VIRTUALIZATIONS`. */
  VIRTUALIZATION_UNKNOWN: 'VIRTUALIZATION_UNKNOWN',
  /** A number or decimal-string count is malformed or out of range (fraction, exponent, leading zero, > u64). */
  NUMBER_INVALID: 'NUMBER_INVALID',
  /** Version 2: `environment.container` is not one of `CONTAINERS`. */
  CONTAINER_UNKNOWN: 'CONTAINER_UNKNOWN',
  /** Version 2: `build.failure.category` is not one of `FAILURE_CATEGORIES`. */
  FAILURE_CATEGORY_UNKNOWN: 'FAILURE_CATEGORY_UNKNOWN',
} as const;

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
  /** An argument is malformed (wrong type, out of range). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
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

export const ErrorCode = { ...FormatErrorCode, ...RegistryErrorCode } as const;

export type FormatErrorCode = (typeof FormatErrorCode)[keyof typeof FormatErrorCode];
export type RegistryErrorCode = (typeof RegistryErrorCode)[keyof typeof RegistryErrorCode];
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const allCodes: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** Narrows a code received over the wire (e.g. `RegistryError.code`) to a known `ErrorCode`. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && allCodes.has(value);
}
