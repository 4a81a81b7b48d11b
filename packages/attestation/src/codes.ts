// Stable error codes of the attestation format, shared by the canister, the CLI, the frontend
// and the tests. The string values are part of the public contract (the registry answers them
// in `RegistryError.code`, beside its own codes in @repro-registry/registry-api): never change
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
  /** Version 2: an artifact's `sources` is empty or lists more than `LIMITS.sourcesPerArtifact`. */
  SOURCE_COUNT: 'SOURCE_COUNT',
  /** Version 2: a source's `kind` is not one of `SOURCE_KINDS`. */
  SOURCE_KIND_UNKNOWN: 'SOURCE_KIND_UNKNOWN',
  /** Version 2: a source's `url` is not an http(s) URL of printable ASCII within its limit. */
  SOURCE_URL_INVALID: 'SOURCE_URL_INVALID',
  /** Version 2: two sources of one artifact have the same kind and URL. */
  SOURCE_DUPLICATE: 'SOURCE_DUPLICATE',
  /**
   * An argument of this package's API is not what it takes (an envelope that is not bytes, a
   * secret key of the wrong length). The registry answers it for malformed arguments too.
   */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
} as const;

export type FormatErrorCode = (typeof FormatErrorCode)[keyof typeof FormatErrorCode];

const formatCodes: ReadonlySet<string> = new Set(Object.values(FormatErrorCode));

/** Narrows a code received over the wire to one of the format's codes. */
export function isFormatErrorCode(value: unknown): value is FormatErrorCode {
  return typeof value === 'string' && formatCodes.has(value);
}
