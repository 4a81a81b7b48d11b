/**
 * An `HttpAgent` that checks every query's node signature with native WebCrypto (SHA-256 and
 * Ed25519), asynchronously, instead of the agent's synchronous JS check: the agent hashes the
 * whole reply in JS (~50 ms for a 2.9 MB page) and verifies Ed25519 in JS (several ms per query),
 * all on the browser's main thread. The checks are the agent's own (HttpAgent.query,
 * #requestAndRetryQuery and #verifyQueryResponse in @dfinity/agent 3.4.3), with its errors:
 * - the first signature's timestamp must be present (ProtocolError, MalformedSignatureErrorCode)
 *   and not older than the maximum ingress expiry, by the agent's clock (stale answers are asked
 *   again `retryTimes` times, then TrustError, CertificateOutdatedErrorCode);
 * - its node must be one of the subnet's nodes, whose keys come from a certified read_state
 *   (`fetchSubnetKeys`, kept 5 minutes) (ProtocolError, MalformedPublicKeyErrorCode);
 * - its Ed25519 signature must verify over "\x0Bic-response" ‖ the response's hash of map
 *   (TrustError, QuerySignatureVerificationFailedErrorCode);
 * - a failure is checked once more with freshly read subnet keys (nodes may have changed).
 * The agent underneath runs with `verifyQuerySignatures: false`, which skips only these checks.
 */
import type { CanisterStatus } from '@dfinity/agent';
import {
  CertificateOutdatedErrorCode,
  Ed25519PublicKey,
  HttpAgent,
  IC_RESPONSE_DOMAIN_SEPARATOR,
  MalformedPublicKeyErrorCode,
  MalformedSignatureErrorCode,
  MissingSignatureErrorCode,
  ProtocolError,
  QueryResponseStatus,
  QuerySignatureVerificationFailedErrorCode,
  TrustError,
  UnexpectedErrorCode,
  UnknownError,
  type ApiQueryResponse,
  type HttpAgentOptions,
  type Identity,
  type QueryFields,
} from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import { ed25519 } from '@noble/curves/ed25519';
import { concatBytes } from '@noble/hashes/utils';
import type { Ed25519Verifier } from '@repro-registry/attestation';
import { probeNativeEd25519, probeNativeSha256 } from '@repro-registry/attestation/native';

import { hashOfMapAsync, type Sha256 } from './response-hash';

/** The native primitives the check runs on (see `nativeQueryCrypto`). */
export interface QueryCrypto {
  sha256: Sha256;
  ed25519: Ed25519Verifier;
}

type SubnetStatus = CanisterStatus.SubnetStatus;

export type NativeQueryAgentOptions = HttpAgentOptions & { queryCrypto: QueryCrypto };

let probed: Promise<QueryCrypto | null> | undefined;

/** WebCrypto's SHA-256 and Ed25519 where both work here (probed once), else null. */
export function nativeQueryCrypto(): Promise<QueryCrypto | null> {
  probed ??= Promise.all([probeNativeSha256(), probeNativeEd25519()]).then(([sha256, ed25519]) =>
    sha256 !== null && ed25519 !== null ? { sha256, ed25519 } : null,
  );
  return probed;
}

/**
 * An agent that checks query signatures natively where this runtime can, else the agent's own
 * (which also serves an agent told not to check them).
 */
export async function createQueryCheckingAgent(options: HttpAgentOptions): Promise<HttpAgent> {
  const queryCrypto = options.verifyQuerySignatures === false ? null : await nativeQueryCrypto();
  return queryCrypto === null
    ? HttpAgent.create(options)
    : NativeQueryAgent.createNative({ ...options, queryCrypto });
}

/** How long subnet keys are trusted without reading them again (the agent's own figure). */
const SUBNET_KEYS_TTL_MS = 5 * 60_000;
const NANOS_PER_MS = 1_000_000n;

export class NativeQueryAgent extends HttpAgent {
  readonly #crypto: QueryCrypto;
  readonly #subnetKeys = new Map<string, { status: SubnetStatus; until: number }>();
  readonly #maxAgeMinutes: number;
  readonly #retryTimes: number;

  /** Use `NativeQueryAgent.createNative` (which also fetches the root key when asked to). */
  constructor(options: NativeQueryAgentOptions) {
    const { queryCrypto, ...agentOptions } = options;
    // Guards against `createSync` (inherited), which passes whatever options it is given.
    if (queryCrypto === undefined) throw new Error('NativeQueryAgent needs queryCrypto');
    super({ ...agentOptions, verifyQuerySignatures: false });
    // `HttpAgent.from(agent)` copies `config`: the copy verifies queries itself.
    this.config = agentOptions;
    this.#crypto = queryCrypto;
    this.#maxAgeMinutes = agentOptions.ingressExpiryInMinutes || 5;
    this.#retryTimes = agentOptions.retryTimes ?? 3;
  }

  /** Like `HttpAgent.create`: the root key fetched (and time synced) before first use. */
  static async createNative(options: NativeQueryAgentOptions): Promise<NativeQueryAgent> {
    const agent = new NativeQueryAgent(options);
    await Promise.all([
      agent.rootKey === null && options.shouldFetchRootKey ? agent.fetchRootKey() : null,
      options.shouldSyncTime ? agent.syncTime() : null,
    ]);
    return agent;
  }

  override async fetchSubnetKeys(
    canisterId: Principal | string,
  ): Promise<SubnetStatus | undefined> {
    const status = await super.fetchSubnetKeys(canisterId);
    if (status !== undefined) {
      const until = Date.now() + SUBNET_KEYS_TTL_MS;
      this.#subnetKeys.set(Principal.from(canisterId).toText(), { status, until });
    }
    return status;
  }

  override async query(
    canisterId: Principal | string,
    fields: QueryFields,
    identity?: Identity | Promise<Identity>,
  ): Promise<ApiQueryResponse> {
    const ecid = Principal.from(fields.effectiveCanisterId ?? canisterId).toText();
    // The answer and the keys in parallel, like the agent.
    const keys = this.#subnetStatus(ecid);
    keys.catch(() => {}); // awaited below; a failed query must not leave it unhandled
    const response = await this.#freshQuery(canisterId, fields, identity);
    const subnet = await keys;
    try {
      await verifyQuerySignature(response, subnet, this.#crypto);
    } catch {
      this.log.warn('Query response verification failed. Retrying with fresh subnet keys.');
      this.#subnetKeys.delete(ecid);
      await verifyQuerySignature(response, await this.#subnetStatus(ecid), this.#crypto);
    }
    return response;
  }

  /** The query's answer, asked again while its signature is older than the ingress expiry. */
  async #freshQuery(
    canisterId: Principal | string,
    fields: QueryFields,
    identity: Identity | Promise<Identity> | undefined,
  ): Promise<ApiQueryResponse> {
    for (let tries = 0; ; tries++) {
      const response = await super.query(canisterId, fields, identity);
      const timestamp = response.signatures?.[0]?.timestamp;
      if (!timestamp) {
        throw ProtocolError.fromCode(
          new MalformedSignatureErrorCode(
            'Timestamp not found in query response. This suggests a malformed or malicious response.',
          ),
        );
      }
      const signedAtMs = Number(BigInt(timestamp) / NANOS_PER_MS);
      const nowMs = Date.now() + this.getTimeDiffMsecs();
      // Signatures from the future are accepted, as by the agent.
      if (nowMs - signedAtMs <= this.#maxAgeMinutes * 60_000) return response;
      if (tries >= this.#retryTimes) {
        throw TrustError.fromCode(
          new CertificateOutdatedErrorCode(this.#maxAgeMinutes, response.requestId, tries),
        );
      }
      this.log.warn('Timestamp is older than the max ingress expiry. Retrying query.');
    }
  }

  async #subnetStatus(ecid: string): Promise<SubnetStatus> {
    const cached = this.#subnetKeys.get(ecid);
    if (cached !== undefined && cached.until > Date.now()) return cached.status;
    // Through the instance's own property: a caller may share one read among queries.
    const status = await this.fetchSubnetKeys(ecid);
    if (status === undefined) throw TrustError.fromCode(new MissingSignatureErrorCode());
    return status;
  }
}

/**
 * The first signature of a query answer (the agent decides by it alone) checked against the
 * subnet's node keys with `crypto`: what the agent's #verifyQueryResponse checks, with its errors.
 */
export async function verifyQuerySignature(
  response: ApiQueryResponse,
  subnet: SubnetStatus,
  crypto: QueryCrypto,
): Promise<void> {
  const signature = response.signatures?.[0];
  if (signature === undefined) {
    throw ProtocolError.fromCode(new MalformedSignatureErrorCode('no node signature'));
  }
  const timestamp = BigInt(signature.timestamp);
  let signed: Record<string, unknown>;
  if (response.status === QueryResponseStatus.Replied) {
    signed = { status: response.status, reply: response.reply };
  } else if (response.status === QueryResponseStatus.Rejected) {
    const { status, reject_code, reject_message, error_code } = response;
    signed = { status, reject_code, reject_message, error_code };
  } else {
    const status = (response as { status: unknown }).status;
    throw UnknownError.fromCode(new UnexpectedErrorCode(`Unknown status: ${String(status)}`));
  }
  const hash = hashOfMapAsync(
    { ...signed, timestamp, request_id: response.requestId },
    crypto.sha256,
  );
  hash.catch(() => {}); // awaited below, after the key lookup that may throw first
  const nodeId = Principal.fromUint8Array(signature.identity).toText();
  const derKey = subnet.nodeKeys.get(nodeId);
  if (derKey === undefined) throw ProtocolError.fromCode(new MalformedPublicKeyErrorCode());
  const publicKey = Ed25519PublicKey.fromDer(derKey).rawKey;
  const message = concatBytes(IC_RESPONSE_DOMAIN_SEPARATOR, await hash);
  const args = { signature: signature.signature, message, publicKey };
  // WebCrypto accepts a subset of what the agent's noble check (ZIP-215) accepts; what it
  // refuses is decided by noble, so that the outcome is exactly the agent's.
  const valid =
    (await crypto.ed25519(args).catch(() => false)) ||
    ed25519.verify(args.signature, message, publicKey);
  if (!valid) throw TrustError.fromCode(new QuerySignatureVerificationFailedErrorCode(nodeId));
}
