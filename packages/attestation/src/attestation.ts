import {
  base64Encode,
  concatBytes,
  decodeBase64OrNull,
  decodeUtf8OrNull,
  isBytes,
  utf8ByteLength,
  utf8Encode,
} from './bytes';
import { FormatErrorCode } from './codes';
import { ENVIRONMENT_FIELDS_V2 } from './environment';
import { LIMITS, PAYLOAD_TYPE, PREDICATE_TYPE, STATEMENT_TYPE } from './constants';
import { AttestationError, Rejection, reject } from './errors';
import type { Result } from './errors';
import { parseJson } from './json';
import { parseJsonBytes } from './json-bytes';
import { hasNativeJson, parseDecodedJson, parseJsonNative } from './json-native';
import {
  ed25519PublicKeyFromSecret,
  isCanonicalScalar,
  isStrictEd25519PublicKey,
  passesCheapKeyChecks,
  principalFromEd25519PublicKey,
  signEd25519,
  verifyEd25519,
} from './keys';
import type {
  Envelope,
  Predicate,
  PredicateType,
  Statement,
  UnsignedPredicate,
  VerifiedAttestation,
} from './types';
import {
  isPlainObject,
  readArray,
  readObject,
  readPredicate,
  readStatement,
  readString,
  subjectsOf,
  kindFamilyOf,
  versionOf,
} from './validate';

/**
 * DSSE pre-authentication encoding: `"DSSEv1" SP len(type) SP type SP len(body) SP body`,
 * lengths as ASCII decimal byte counts. This, not the payload, is what gets signed, so a
 * signature cannot be replayed under another payload type.
 */
export function pae(payloadType: string, body: Uint8Array): Uint8Array {
  const typeLength = utf8ByteLength(payloadType);
  const header = `DSSEv1 ${typeLength} ${payloadType} ${body.length} `;
  // Not ASCII (or a lone surrogate, which utf8Encode refuses): encode, then copy.
  if (typeLength !== payloadType.length) return concatBytes(utf8Encode(header), body);
  // ASCII (every payload type the format has): one array, written in place.
  const out = new Uint8Array(header.length + body.length);
  for (let i = 0; i < header.length; i++) out[i] = header.charCodeAt(i);
  out.set(body, header.length);
  return out;
}

function toResult<T>(run: () => T): Result<T> {
  try {
    return { ok: true, value: run() };
  } catch (e) {
    if (e instanceof Rejection) return { ok: false, error: e.error };
    throw e; // a bug, not bad input: do not disguise it as a format error
  }
}

function orThrow<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof Rejection) throw new AttestationError(e.error);
    throw e;
  }
}

/** Checks a predicate (with `builder`) against the format of `predicateType`; returns a clean copy. */
export function validatePredicate(
  value: unknown,
  predicateType: PredicateType = PREDICATE_TYPE,
): Result<Predicate> {
  return toResult(
    () =>
      readPredicate(value, 'predicate', versionOf(predicateType), {}, kindFamilyOf(predicateType))
        .predicate,
  );
}

/**
 * The in-toto Statement for a predicate, with `subject` derived from its artifacts. Validates
 * the predicate first; throws `AttestationError`.
 */
export function createStatement(
  predicate: Predicate,
  predicateType: PredicateType = PREDICATE_TYPE,
): Statement {
  const clean = orThrow(
    () =>
      readPredicate(
        predicate,
        'predicate',
        versionOf(predicateType),
        {},
        kindFamilyOf(predicateType),
      ).predicate,
  );
  return {
    _type: STATEMENT_TYPE,
    subject: subjectsOf(clean.artifacts),
    predicateType,
    predicate: clean,
  };
}

/**
 * A version 1-shaped predicate made version 2 by recording what it does not say as unknown:
 * `null`, and `unknown` for the container. Fields already given are kept as they are (and
 * validated as version 2, so `virtualization: "container"` is refused there).
 */
function withVersion2Unknowns(predicate: UnsignedPredicate): UnsignedPredicate {
  const environment: Record<string, unknown> = { ...predicate.environment };
  for (const field of ENVIRONMENT_FIELDS_V2)
    if (environment[field] === undefined)
      environment[field] = field === 'container' ? 'unknown' : null;
  return {
    ...predicate,
    tool: { ...predicate.tool, exitCode: predicate.tool.exitCode ?? null },
    environment: environment as unknown as UnsignedPredicate['environment'],
    build: { ...predicate.build, failure: predicate.build.failure ?? null },
  };
}

export interface SignedAttestation {
  /** What to submit: the envelope as UTF-8 JSON. */
  envelopeBytes: Uint8Array;
  envelope: Envelope;
  /** The signed statement bytes (the decoded `payload`). */
  statementBytes: Uint8Array;
  /** The builder's principal, text form. */
  builderId: string;
}

function serializeEnvelope(payload: string, keyid: string, sig: string): string {
  const envelope: Envelope = { payloadType: PAYLOAD_TYPE, payload, signatures: [{ keyid, sig }] };
  return JSON.stringify(envelope);
}

/**
 * Signs a predicate as the builder that owns `secretKey` (raw 32-byte Ed25519 seed). Fills
 * `builder` from the key, validates everything, and refuses (throws `AttestationError`) rather
 * than sign something `verifyAttestation` would reject.
 */
export function signAttestation(args: {
  predicate: UnsignedPredicate;
  secretKey: Uint8Array;
  /** Which version to sign (default: the current one, `PREDICATE_TYPE`). */
  predicateType?: PredicateType;
}): SignedAttestation {
  const { secretKey } = args;
  const predicateType = args.predicateType ?? PREDICATE_TYPE;
  const publicKey = ed25519PublicKeyFromSecret(secretKey);
  const builderId = principalFromEd25519PublicKey(publicKey);
  if (
    isPlainObject(args.predicate) &&
    (args.predicate as Record<string, unknown>)['builder'] !== undefined
  ) {
    throw new AttestationError({
      code: FormatErrorCode.UNKNOWN_FIELD,
      message: 'predicate.builder is filled in from the secret key: leave it out',
      field: 'predicate.builder',
    });
  }
  const unsigned = orThrow(() =>
    readObject({
      value: args.predicate,
      at: 'predicate',
      required: ['proposal', 'artifacts', 'tool', 'environment', 'build'],
      optional: ['note'],
    }),
  ) as unknown as UnsignedPredicate;
  const complete =
    versionOf(predicateType) === 2 &&
    isPlainObject(unsigned.environment) &&
    isPlainObject(unsigned.tool) &&
    isPlainObject(unsigned.build)
      ? withVersion2Unknowns(unsigned)
      : unsigned;
  const statement = createStatement(
    { ...complete, builder: { id: builderId, publicKey: base64Encode(publicKey) } },
    predicateType,
  );
  const statementBytes = utf8Encode(JSON.stringify(statement));
  // The verifier's own parser must accept exactly these bytes (it also catches JSON.stringify
  // spelling something our strict parser refuses).
  orThrow(() => readStatement(parseStatementBytes(statementBytes)));
  const payload = base64Encode(statementBytes);
  // A signature is always 88 base64 characters, so the size is known before signing.
  const placeholder = serializeEnvelope(payload, builderId, 'A'.repeat(86) + '==');
  if (utf8ByteLength(placeholder) > LIMITS.envelopeBytes) {
    throw new AttestationError({
      code: FormatErrorCode.ENVELOPE_TOO_LARGE,
      message: `the envelope would be ${utf8ByteLength(placeholder)} bytes, more than ${LIMITS.envelopeBytes}`,
    });
  }
  const signature = signEd25519(pae(PAYLOAD_TYPE, statementBytes), secretKey);
  const envelope: Envelope = {
    payloadType: PAYLOAD_TYPE,
    payload,
    signatures: [{ keyid: builderId, sig: base64Encode(signature) }],
  };
  return {
    envelopeBytes: utf8Encode(JSON.stringify(envelope)),
    envelope,
    statementBytes,
    builderId,
  };
}

/**
 * How to read the envelope's and the statement's JSON. Both give the same values and errors.
 * `bytes` first tries `parseJsonNative` (the engine's TextDecoder and JSON.parse, made as strict;
 * 3x faster than `parseJsonBytes` in a freshly started worker), or `parseJsonBytes` (5x faster
 * than `general` in a JIT engine) where there is no strict TextDecoder, and falls back to
 * `general` for anything it does not accept; `general` decodes the text with native
 * string functions and walks it, which costs fewer instructions in an interpreter (the
 * canister's QuickJS runs the byte parser ~20 % slower).
 */
type JsonReader = 'bytes' | 'general';

/**
 * Strict UTF-8, then strict JSON; a refusal carries the error's code and field (`rootField`:
 * the document, for errors).
 */
function parseDocument(
  bytes: Uint8Array,
  rootField: 'payload' | undefined,
  reader: JsonReader,
): unknown {
  // Where the engine has a strict UTF-8 decoder, the native parse accepts everything
  // parseJsonBytes does (it also gives up on `\u` escapes and on every error).
  const native = reader === 'bytes' && hasNativeJson();
  if (reader === 'bytes') {
    const value = native
      ? parseJsonNative(bytes, LIMITS.jsonDepth)
      : parseJsonBytes(bytes, LIMITS.jsonDepth);
    if (value !== undefined) return value;
  }
  const text = decodeUtf8OrNull(bytes);
  if (text === null) {
    return rootField === undefined
      ? reject(FormatErrorCode.INVALID_UTF8, 'envelope is not well-formed UTF-8')
      : reject(FormatErrorCode.INVALID_UTF8, 'payload is not well-formed UTF-8', 'payload');
  }
  // The engine's JSON.parse, made as strict as parseJson, on the text decodeUtf8OrNull decoded
  // (unless the native path above already refused these bytes): in the canister's interpreter it
  // costs a fraction of parsing in JavaScript. parseJson then parses only what that refuses, to
  // name the error.
  if (!native) {
    const value = parseDecodedJson(bytes, text, LIMITS.jsonDepth);
    if (value !== undefined) return value;
  }
  return parseJson(text, { rootField, maxDepth: LIMITS.jsonDepth });
}

function parseStatementBytes(statementBytes: Uint8Array, reader: JsonReader = 'general'): unknown {
  return parseDocument(statementBytes, 'payload', reader);
}

/** Every check but the signature's; the result carries what the signature check needs. */
function prepare(
  envelopeBytes: Uint8Array,
  reader: JsonReader = 'general',
): {
  attestation: VerifiedAttestation;
  message: Uint8Array;
} {
  if (envelopeBytes.length > LIMITS.envelopeBytes) {
    reject(
      FormatErrorCode.ENVELOPE_TOO_LARGE,
      `envelope is ${envelopeBytes.length} bytes, more than ${LIMITS.envelopeBytes}`,
    );
  }
  const root = parseDocument(envelopeBytes, undefined, reader);

  const env = readObject({
    value: root,
    at: '',
    required: ['payloadType', 'payload', 'signatures'],
  });
  if (readString(env['payloadType'], 'payloadType') !== PAYLOAD_TYPE) {
    reject(
      FormatErrorCode.PAYLOAD_TYPE_UNSUPPORTED,
      `payloadType must be ${PAYLOAD_TYPE}`,
      'payloadType',
    );
  }
  const payload = readString(env['payload'], 'payload');
  const statementBytes = decodeBase64OrNull(payload);
  if (statementBytes === null)
    return reject(FormatErrorCode.BASE64_INVALID, 'payload is not canonical base64', 'payload');
  const signatures = readArray(env['signatures'], 'signatures');
  if (signatures.length !== 1) {
    reject(
      FormatErrorCode.SIGNATURE_COUNT,
      `signatures must hold exactly one signature, got ${signatures.length}`,
      'signatures',
    );
  }
  const sig0 = readObject({
    value: signatures[0],
    at: 'signatures[0]',
    required: ['keyid', 'sig'],
  });
  const keyid = readString(sig0['keyid'], 'signatures[0].keyid');
  const sigText = readString(sig0['sig'], 'signatures[0].sig');
  const signature = decodeBase64OrNull(sigText);
  if (signature === null)
    return reject(
      FormatErrorCode.BASE64_INVALID,
      'signatures[0].sig is not canonical base64',
      'signatures[0].sig',
    );
  if (signature.length !== 64) {
    reject(
      FormatErrorCode.SIGNATURE_LENGTH,
      `signatures[0].sig must be 64 bytes, got ${signature.length}`,
      'signatures[0].sig',
    );
  }

  const { statement, publicKey } = readStatement(parseStatementBytes(statementBytes, reader), {
    deferCurveCheck: true,
  });
  const builderId = statement.predicate.builder.id;
  if (keyid !== builderId) {
    reject(
      FormatErrorCode.KEYID_MISMATCH,
      'signatures[0].keyid is not predicate.builder.id',
      'signatures[0].keyid',
    );
  }
  const attestation: VerifiedAttestation = {
    envelope: { payloadType: PAYLOAD_TYPE, payload, signatures: [{ keyid, sig: sigText }] },
    statement,
    predicate: statement.predicate,
    envelopeBytes,
    statementBytes,
    publicKey,
    builderId,
    signature,
  };
  return { attestation, message: pae(PAYLOAD_TYPE, statementBytes) };
}

/** The verdict of the signature check, as a rejection with the right code. */
function requireValidSignature(
  attestation: VerifiedAttestation,
  valid: boolean,
): VerifiedAttestation {
  if (valid) return attestation;
  // Strict verification refuses bad keys too; say which it was (see KeyCheck).
  if (!isStrictEd25519PublicKey(attestation.publicKey)) {
    reject(
      FormatErrorCode.PUBLIC_KEY_INVALID,
      'predicate.builder.publicKey is not a canonical Ed25519 point of large order',
      'predicate.builder.publicKey',
    );
  }
  return reject(
    FormatErrorCode.SIGNATURE_INVALID,
    'signatures[0].sig does not verify with predicate.builder.publicKey over the payload',
    'signatures[0].sig',
  );
}

function verify(envelopeBytes: Uint8Array): VerifiedAttestation {
  const { attestation, message } = prepare(envelopeBytes);
  const { signature, publicKey } = attestation;
  return requireValidSignature(attestation, verifyEd25519({ signature, message, publicKey }));
}

/**
 * Verifies an attestation envelope exactly as received: size, strict UTF-8 and JSON, schema,
 * key and principal, then the Ed25519 signature over the payload bytes as sent. Never throws
 * on bad input: the error result carries a stable code and the field at fault.
 */
export function verifyAttestation(envelopeBytes: Uint8Array): Result<VerifiedAttestation> {
  if (!isBytes(envelopeBytes)) {
    return {
      ok: false,
      error: {
        code: FormatErrorCode.INVALID_ARGUMENT,
        message: 'the envelope must be a Uint8Array',
      },
    };
  }
  return toResult(() => verify(envelopeBytes));
}

/**
 * Every check of `verifyAttestation` but the signature's: what an envelope says, for showing it
 * before (or while) its signature is checked. Never a substitute for verification.
 */
export function parseAttestation(envelopeBytes: Uint8Array): Result<VerifiedAttestation> {
  if (!isBytes(envelopeBytes)) return verifyAttestation(envelopeBytes);
  return toResult(() => prepare(envelopeBytes).attestation);
}

/** A native Ed25519 check (e.g. WebCrypto's): true when the signature verifies. */
export type Ed25519Verifier = (args: {
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
}) => Promise<boolean>;

/**
 * `verifyAttestation` with the Ed25519 equation checked by a faster native implementation
 * first (browsers have one in WebCrypto; 1,000 verifications take ~0.1 s instead of ~1 s).
 * The outcome is exactly `verifyAttestation`'s: every other check is this package's, the key's
 * strictness (canonical, not small-order) and S < L are checked before a signature counts as
 * valid, and a signature the native check refuses is decided by noble. A
 * native verifier that accepts only what satisfies the unbatched equation [S]B = R + [k]A
 * (as WebCrypto's does) accepts nothing noble refuses.
 */
export async function verifyAttestationAsync(
  envelopeBytes: Uint8Array,
  native?: Ed25519Verifier,
): Promise<Result<VerifiedAttestation>> {
  if (!isBytes(envelopeBytes)) return verifyAttestation(envelopeBytes);
  let prepared: { attestation: VerifiedAttestation; message: Uint8Array };
  try {
    // The async check runs where native crypto is: a JIT engine, where reading bytes pays.
    prepared = prepare(envelopeBytes, 'bytes');
  } catch (e) {
    if (e instanceof Rejection) return { ok: false, error: e.error };
    throw e;
  }
  const { attestation, message } = prepared;
  const { signature, publicKey } = attestation;
  let valid = false;
  // The key's strictness by cheap byte checks: a native verifier accepts only keys that decode,
  // and a decodable key passing them is strict (see passesCheapKeyChecks).
  if (native !== undefined && passesCheapKeyChecks(publicKey) && isCanonicalScalar(signature)) {
    valid = await native({ signature, message, publicKey }).catch(() => false);
  }
  if (!valid) valid = verifyEd25519({ signature, message, publicKey });
  return toResult(() => requireValidSignature(attestation, valid));
}
