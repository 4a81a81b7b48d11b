/**
 * Request envelopes: parsing, request ids and sender authentication as a replica does them
 * (interface specification, "Authentication"). Every failure is a `NetworkError` whose HTTP
 * status matches the replica's (400 for any validation failure).
 */
import { decodeCbor, isCborMap, type CborMap, type CborValue } from './cbor';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import { bytesEqual, hashOfMap } from './encoding';
import { NetworkError, NetworkErrorCode } from './errors';
import {
  parsePublicKey,
  selfAuthenticatingPrincipal,
  verifySignature,
  type CanisterSignatureVerifier,
} from './keys';

export const ANONYMOUS = Uint8Array.of(0x04);
export const REQUEST_SEPARATOR = concatBytes(Uint8Array.of(10), utf8ToBytes('ic-request'));
export const DELEGATION_SEPARATOR = concatBytes(
  Uint8Array.of(26),
  utf8ToBytes('ic-request-auth-delegation'),
);
/** How far a request's expiry may lie in the past (clock drift) and in the future. */
export const PERMITTED_DRIFT_NS = 60_000_000_000n;
export const MAX_INGRESS_TTL_NS = 300_000_000_000n;
const MAX_DELEGATIONS = 20;
const MAX_TARGETS = 1000;
const MAX_PATHS = 1000;
const MAX_PATH_LENGTH = 127;

export type RequestType = 'call' | 'query' | 'read_state';

export interface CanisterRequestContent {
  request_type: 'call' | 'query';
  canister_id: Uint8Array;
  method_name: string;
  arg: Uint8Array;
  sender: Uint8Array;
  ingress_expiry: bigint;
  nonce?: Uint8Array;
}

export interface ReadStateContent {
  request_type: 'read_state';
  paths: Uint8Array[][];
  sender: Uint8Array;
  ingress_expiry: bigint;
  nonce?: Uint8Array;
}

export interface ParsedRequest<C> {
  content: C;
  /** The content exactly as decoded: the request id is its hash. */
  rawContent: CborMap;
  requestId: Uint8Array;
  senderPubkey?: Uint8Array;
  senderSig?: Uint8Array;
  senderDelegation?: CborValue[];
}

function malformed(message: string): NetworkError {
  return new NetworkError(NetworkErrorCode.MalformedRequest, message);
}

function blob(map: CborMap, field: string, opts: { max?: number; optional?: boolean } = {}) {
  const v = map[field];
  if (v === undefined && opts.optional) return undefined;
  if (!(v instanceof Uint8Array)) throw malformed(`field "${field}" must be a byte string`);
  if (opts.max !== undefined && v.length > opts.max) {
    throw malformed(`field "${field}" is longer than ${opts.max} bytes`);
  }
  return v;
}

function nat(map: CborMap, field: string): bigint {
  const v = map[field];
  if ((typeof v !== 'number' && typeof v !== 'bigint') || BigInt(v) < 0n) {
    throw malformed(`field "${field}" must be a natural number`);
  }
  return BigInt(v);
}

function text(map: CborMap, field: string): string {
  const v = map[field];
  if (typeof v !== 'string') throw malformed(`field "${field}" must be a text string`);
  return v;
}

/** Decodes an envelope and checks the content's shape; computes the request id. */
export function parseRequest<T extends RequestType>(
  body: Uint8Array,
  expected: T,
): ParsedRequest<T extends 'read_state' ? ReadStateContent : CanisterRequestContent> {
  let envelope: CborValue;
  try {
    envelope = decodeCbor(body);
  } catch (e) {
    throw malformed(`Could not parse body as ${expected} message: ${(e as Error).message}`);
  }
  if (!isCborMap(envelope) || !isCborMap(envelope.content ?? null)) {
    throw malformed(`Could not parse body as ${expected} message: missing "content" map`);
  }
  const raw = envelope.content as CborMap;
  const requestType = text(raw, 'request_type');
  if (requestType !== expected) {
    throw malformed(`request_type is "${requestType}", this endpoint accepts "${expected}"`);
  }
  const sender = blob(raw, 'sender', { max: 29 })!;
  const ingressExpiry = nat(raw, 'ingress_expiry');
  const nonce = blob(raw, 'nonce', { max: 32, optional: true });
  let content: CanisterRequestContent | ReadStateContent;
  if (expected === 'read_state') {
    const paths = raw.paths;
    if (!Array.isArray(paths) || paths.length > MAX_PATHS) {
      throw malformed(`field "paths" must be an array of at most ${MAX_PATHS} paths`);
    }
    const parsed = paths.map((p) => {
      if (
        !Array.isArray(p) ||
        p.length > MAX_PATH_LENGTH ||
        !p.every((l) => l instanceof Uint8Array)
      ) {
        throw malformed(`every path must be an array of at most ${MAX_PATH_LENGTH} byte strings`);
      }
      return p;
    });
    content = {
      request_type: 'read_state',
      paths: parsed,
      sender,
      ingress_expiry: ingressExpiry,
      nonce,
    };
  } else {
    content = {
      request_type: expected,
      canister_id: blob(raw, 'canister_id', { max: 29 })!,
      method_name: text(raw, 'method_name'),
      arg: blob(raw, 'arg')!,
      sender,
      ingress_expiry: ingressExpiry,
      nonce,
    };
  }
  const delegation = envelope.sender_delegation;
  if (delegation !== undefined && !Array.isArray(delegation)) {
    throw malformed('"sender_delegation" must be an array');
  }
  return {
    content: content as T extends 'read_state' ? ReadStateContent : CanisterRequestContent,
    rawContent: raw,
    requestId: requestIdOfContent(raw),
    senderPubkey: blob(envelope, 'sender_pubkey', { optional: true }),
    senderSig: blob(envelope, 'sender_sig', { optional: true }),
    senderDelegation: delegation,
  };
}

/**
 * The request id (the specification's representation-independent hash, as agent-js computes
 * it). Content it cannot hash (negative numbers, booleans, null) is a malformed request.
 */
function requestIdOfContent(raw: CborMap): Uint8Array {
  try {
    return hashOfMap(raw);
  } catch (e) {
    throw malformed(`the request content cannot be hashed: ${(e as Error).message}`);
  }
}

function isoOf(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}

export function checkIngressExpiry(expiry: bigint, now: bigint): void {
  const min = now - PERMITTED_DRIFT_NS;
  const max = now + MAX_INGRESS_TTL_NS + PERMITTED_DRIFT_NS;
  if (expiry < min || expiry > max) {
    // Clients recognise this prefix and synchronise their clock with the network's time.
    throw new NetworkError(
      NetworkErrorCode.InvalidRequestExpiry,
      `Invalid request expiry: Specified ingress_expiry not within expected range: Minimum allowed expiry: ${isoOf(min)}, Maximum allowed expiry: ${isoOf(max)}, Provided expiry: ${isoOf(expiry)}, Local replica time: ${isoOf(now)}`,
    );
  }
}

export interface Authentication {
  /** Canisters the request may address; `null` means any (no delegation restricts it). */
  targets: Uint8Array[] | null;
}

export function isAnonymous(sender: Uint8Array): boolean {
  return bytesEqual(sender, ANONYMOUS);
}

/**
 * Authenticates the sender of a parsed request: expiry, sender principal, delegation chain and
 * signature. Anonymous queries and read_state requests may carry any expiry, as the
 * specification allows.
 */
export function authenticate(args: {
  request: ParsedRequest<CanisterRequestContent | ReadStateContent>;
  now: bigint;
  canisterSignatures?: CanisterSignatureVerifier;
}): Authentication {
  const { request, now } = args;
  const { content } = request;
  const anonymous = isAnonymous(content.sender);
  if (!anonymous || content.request_type === 'call')
    checkIngressExpiry(content.ingress_expiry, now);

  if (anonymous) {
    if (request.senderPubkey || request.senderSig || request.senderDelegation) {
      throw new NetworkError(
        NetworkErrorCode.InvalidSignature,
        'Anonymous requests must not carry sender_pubkey, sender_sig or sender_delegation',
      );
    }
    return { targets: null };
  }
  if (!request.senderPubkey || !request.senderSig) {
    throw new NetworkError(
      NetworkErrorCode.InvalidSignature,
      `Missing signature from sender ${bytesToHex(content.sender)}: non-anonymous requests need sender_pubkey and sender_sig`,
    );
  }
  if (!bytesEqual(selfAuthenticatingPrincipal(request.senderPubkey), content.sender)) {
    throw new NetworkError(
      NetworkErrorCode.InvalidSender,
      'Invalid sender: the sender is not the self-authenticating principal of sender_pubkey',
    );
  }

  let signingKey = parsePublicKey(request.senderPubkey);
  const seen = new Set<string>([bytesToHex(request.senderPubkey)]);
  let targets: Uint8Array[] | null = null;
  const delegations = request.senderDelegation ?? [];
  if (delegations.length > MAX_DELEGATIONS) {
    throw new NetworkError(
      NetworkErrorCode.InvalidDelegation,
      `Invalid delegation: the chain has ${delegations.length} delegations, at most ${MAX_DELEGATIONS} are accepted`,
    );
  }
  for (const [i, signed] of delegations.entries()) {
    const bad = (why: string): NetworkError =>
      new NetworkError(NetworkErrorCode.InvalidDelegation, `Invalid delegation ${i}: ${why}`);
    if (!isCborMap(signed) || !isCborMap(signed.delegation ?? null)) throw bad('malformed');
    const d = signed.delegation as CborMap;
    const sig = signed.signature;
    const pubkey = d.pubkey;
    const expiration = d.expiration;
    if (!(sig instanceof Uint8Array) || !(pubkey instanceof Uint8Array)) throw bad('malformed');
    if (typeof expiration !== 'number' && typeof expiration !== 'bigint') throw bad('malformed');
    const message = concatBytes(DELEGATION_SEPARATOR, requestIdOfContent(d));
    if (
      !verifySignature({
        key: signingKey,
        message,
        signature: sig,
        canisterSignatures: args.canisterSignatures,
      })
    ) {
      throw new NetworkError(
        NetworkErrorCode.InvalidSignature,
        `Invalid signature: delegation ${i} is not signed by the preceding key`,
      );
    }
    if (BigInt(expiration) < now) {
      throw new NetworkError(
        NetworkErrorCode.InvalidDelegation,
        `Invalid delegation expiry: delegation ${i} expired at ${isoOf(BigInt(expiration))}, local replica time ${isoOf(now)}`,
      );
    }
    if (d.targets !== undefined) {
      const t = d.targets;
      if (!Array.isArray(t) || t.length > MAX_TARGETS || !t.every((x) => x instanceof Uint8Array)) {
        throw bad(`targets must be at most ${MAX_TARGETS} principals`);
      }
      const list = t as Uint8Array[];
      targets = targets === null ? list : targets.filter((x) => list.some((y) => bytesEqual(x, y)));
    }
    const hex = bytesToHex(pubkey);
    if (seen.has(hex)) throw bad('the chain contains a cycle or a self-delegation');
    seen.add(hex);
    signingKey = parsePublicKey(pubkey);
  }

  const message = concatBytes(REQUEST_SEPARATOR, request.requestId);
  if (
    !verifySignature({
      key: signingKey,
      message,
      signature: request.senderSig,
      canisterSignatures: args.canisterSignatures,
    })
  ) {
    throw new NetworkError(
      NetworkErrorCode.InvalidSignature,
      `Invalid signature: the sender_sig of request 0x${bytesToHex(request.requestId)} does not verify`,
    );
  }
  return { targets };
}

export function targetsAllow(auth: Authentication, canisterId: Uint8Array): boolean {
  return auth.targets === null || auth.targets.some((t) => bytesEqual(t, canisterId));
}
