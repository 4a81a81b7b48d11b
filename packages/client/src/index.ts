/**
 * A typed client of the registry canister for the CLI, the frontend and other apps.
 * Built on `@dfinity/agent` with the contract's bindings (@repro-registry/registry-api, generated
 * from `registry.did`): the interface is written down once, in the .did file.
 */
import type { HttpAgent } from '@dfinity/agent';
import {
  Actor,
  AgentError,
  CertifiedRejectErrorCode,
  ErrorKindEnum,
  MalformedPublicKeyErrorCode,
  MalformedSignatureErrorCode,
  ProtocolError,
  RejectError,
  TrustError,
  UncertifiedRejectErrorCode,
  UncertifiedRejectUpdateErrorCode,
  type ActorSubclass,
  type Identity,
} from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import {
  idlFactory,
  idlInitArgs,
  registryErrorOfReject,
  type CodedRejection,
  type ErrorCode,
  type _SERVICE,
} from '@repro-registry/registry-api';
import type * as T from '@repro-registry/registry-api';
import { LogErrorCode, type Checked } from '@repro-registry/transparency-log';

import { createQueryCheckingAgent } from './native-query-agent';
import type { VerifyContext } from './verify';
import { verifyAttestations, verifySummaries, type VerifiedRead } from './verify-reads';
import { verifyTrustLists } from './verify-trust-lists';
import { verifyAttestationPage } from './verify-page';

export type * from '@repro-registry/registry-api';
export {
  ErrorCode,
  RegistryErrorCode,
  idlFactory,
  idlInitArgs,
  isErrorCode,
  isRegistryErrorCode,
  methodType,
} from '@repro-registry/registry-api';

const opt = <V>(v: V | undefined | null): [] | [V] => (v === undefined || v === null ? [] : [v]);

/** Storage, holding and trust-list limits of the registry (absent: keep the current value). */
export interface LimitSettings {
  attestationsPerBuilder?: number;
  attestationsTotal?: bigint;
  pendingProposalsPerBuilder?: number;
  pendingProposalsTotal?: number;
  heldPerProposal?: number;
  trustListsPerOwner?: number;
  trustListsTotal?: number;
  trustListMembers?: number;
  minCycles?: bigint;
}

/** The registry's init and upgrade argument (`opt InitArgs`), Candid-encoded. */
export function encodeInitArgs(args: {
  governanceCanisterId?: Principal | string | null;
  rateLimit?: { capacity: number; refillIntervalSeconds: number } | null;
  proposalRefreshSeconds?: number | null;
  limits?: LimitSettings | null;
}): Uint8Array {
  const l = args.limits;
  const governance = args.governanceCanisterId;
  return new Uint8Array(
    IDL.encode(idlInitArgs, [
      [
        {
          governance_canister_id:
            governance === undefined || governance === null
              ? []
              : [typeof governance === 'string' ? Principal.fromText(governance) : governance],
          rate_limit: args.rateLimit
            ? [
                {
                  capacity: args.rateLimit.capacity,
                  refill_interval_seconds: args.rateLimit.refillIntervalSeconds,
                },
              ]
            : [],
          proposal_refresh_seconds:
            args.proposalRefreshSeconds === undefined || args.proposalRefreshSeconds === null
              ? []
              : [args.proposalRefreshSeconds],
          limits:
            l === undefined || l === null
              ? []
              : [
                  {
                    attestations_per_builder: opt(l.attestationsPerBuilder),
                    attestations_total: opt(l.attestationsTotal),
                    pending_proposals_per_builder: opt(l.pendingProposalsPerBuilder),
                    pending_proposals_total: opt(l.pendingProposalsTotal),
                    held_per_proposal: opt(l.heldPerProposal),
                    trust_lists_per_owner: opt(l.trustListsPerOwner),
                    trust_lists_total: opt(l.trustListsTotal),
                    trust_list_members: opt(l.trustListMembers),
                    min_cycles: opt(l.minCycles),
                  },
                ],
        },
      ],
    ]),
  );
}

export const MAINNET_HOST = 'https://icp-api.io';
const MAINNET_DOMAINS = ['icp0.io', 'ic0.app', 'icp.io', 'icp-api.io'];

/** Whether `host` (a URL or a host name) is mainnet's, whose root key the agent has built in. */
export function isMainnetHost(host: string): boolean {
  let hostname = host;
  try {
    hostname = new URL(host).hostname;
  } catch {
    // a bare host name
  }
  return MAINNET_DOMAINS.some((d) => hostname === d || hostname.endsWith(`.${d}`));
}

export interface RegistryClientOptions {
  /** Where the IC HTTP interface is: `http://127.0.0.1:4943` locally, `https://icp-api.io` on mainnet. */
  host: string;
  canisterId: string | Principal;
  /** Who calls; anonymous when absent. Submitting needs the builder's Ed25519 identity. */
  identity?: Identity;
  /** Fetch the root key from the network instead of trusting mainnet's (local networks only). */
  fetchRootKey?: boolean;
  /**
   * A local network's root key (DER), known beforehand: no round trip to fetch it. Refused with
   * mainnet's host, whose key is built into the agent.
   */
  rootKey?: Uint8Array;
  /** Times the agent retries failed HTTP requests (default 3, like the agent). */
  retryTimes?: number;
  /** An agent to reuse instead of creating one (the other options but canisterId are ignored). */
  agent?: HttpAgent;
}

export interface RegistryError {
  /** One of `ErrorCode` (narrow it with `isErrorCode`); a newer registry may send new ones. */
  code: string;
  message: string;
}

/**
 * `verified`: the proof a verified read checked (absent when the caller skipped verification, or
 * the method is not certified).
 */
export type Result<T> =
  { ok: true; value: T; verified?: VerifiedRead } | { ok: false; error: RegistryError };

/**
 * How a read is checked. Reads are verified by default (certificate under the root key, fresh
 * within 5 minutes, the witness holding exactly what the answer returns); `verify: false` is the
 * caller saying it must do without (e.g. talking to a registry from before these proofs).
 */
export interface ReadOptions {
  verify?: boolean;
}

/** Why a verified read failed its check: one of the certification codes. */
export interface VerificationFailure {
  code: LogErrorCode;
  message: string;
}

/** What the IC said when it refused a call (a reject, in the agent's typed error). */
export interface Rejection {
  /** The IC's reject code (4: the canister rejected it, 5: it trapped or failed, ...). */
  rejectCode: number;
  rejectMessage: string;
  /** The replica's error code (`IC0503`, ...), when it sent one. */
  errorCode: string | null;
  /** The reject is in a certificate the agent verified (an update's outcome). */
  certified: boolean;
}

/**
 * The registry could not be asked, or refused before answering:
 * - `network`: no usable answer (unreachable, an HTTP error, a timeout, an undecodable reply);
 * - `rejected`: the IC answered with a reject — refused before execution (e.g. by
 *   `canister_inspect_message`), trapped, or no such canister;
 * - `untrusted`: an answer came that does not verify (certificate or node signature).
 * Classified by the agent's error types, never by message text. `registryError` carries the
 * registry's own code and words when the reject names one ("RATE_LIMITED: ...").
 */
export class RegistryCallError extends Error {
  override readonly name = 'RegistryCallError';
  constructor(
    message: string,
    readonly kind: 'network' | 'rejected' | 'untrusted',
    readonly rejection: Rejection | null,
    readonly registryError: CodedRejection | null,
    options?: { cause?: unknown; verification?: VerificationFailure },
  ) {
    super(message, options);
    this.verification = options?.verification ?? null;
  }

  /** Set when an answer came but failed its certification check (kind `untrusted`). */
  readonly verification: VerificationFailure | null;

  /** A verified read whose answer does not verify. */
  static unverified(what: string, failure: VerificationFailure): RegistryCallError {
    return new RegistryCallError(
      `${what}: failed verification: ${failure.code}: ${failure.message}`,
      'untrusted',
      null,
      null,
      { verification: failure },
    );
  }

  /** The registry's error code, when the reject named one. */
  get code(): ErrorCode | null {
    return this.registryError?.code ?? null;
  }

  /** Classifies a failure of an agent call by the agent's error types. */
  static of(cause: unknown): RegistryCallError {
    if (cause instanceof RegistryCallError) return cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    const code = cause instanceof RejectError ? cause.code : null;
    if (
      code instanceof CertifiedRejectErrorCode ||
      code instanceof UncertifiedRejectErrorCode ||
      code instanceof UncertifiedRejectUpdateErrorCode
    ) {
      const rejection: Rejection = {
        rejectCode: code.rejectCode,
        rejectMessage: code.rejectMessage,
        errorCode: code.rejectErrorCode ?? null,
        certified: code.isCertified,
      };
      return new RegistryCallError(
        message,
        'rejected',
        rejection,
        registryErrorOfReject(rejection),
        { cause },
      );
    }
    const kind = failedVerification(cause) ? 'untrusted' : 'network';
    return new RegistryCallError(message, kind, null, null, { cause });
  }
}

/**
 * The agent refused an answer it could not check (a node signature or certificate that does not
 * verify), possibly wrapped by the code that asked: someone answered, but not provably the
 * network — never to be read as "unreachable".
 */
function failedVerification(cause: unknown): boolean {
  for (let e = cause, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof TrustError || (e instanceof AgentError && e.kind === ErrorKindEnum.Trust)) {
      return true;
    }
    // The agent refuses an answer signed by no node of the subnet, or with no signature, as a
    // protocol error; only a query's node-signature check throws these codes.
    if (
      e instanceof ProtocolError &&
      (e.code instanceof MalformedPublicKeyErrorCode ||
        e.code instanceof MalformedSignatureErrorCode)
    ) {
      return true;
    }
  }
  return false;
}

function unwrap<V>(result: { Ok: V } | { Err: T.RegistryError }): Result<V> {
  return 'Ok' in result ? { ok: true, value: result.Ok } : { ok: false, error: result.Err };
}

function withProof<V>(result: Result<V>, verified: VerifiedRead | undefined): Result<V> {
  return result.ok && verified !== undefined ? { ...result, verified } : result;
}

/** Re-reads when the witness does not match yet: certification follows an update by one message. */
const LAG_RETRIES = 4;
const LAG_RETRY_MS = 500;

/**
 * Reads and checks an answer (`check` answers null when there is nothing certified to check: an
 * `Err`). A witness mismatch is read again a few times — certification runs in the message after
 * an update — and then refused like every other failure: never a silent pass.
 */
function verifiedReads(deps: {
  call: <R>(run: () => Promise<R>) => Promise<R>;
  context: () => VerifyContext;
}) {
  return {
    async verified<R>(
      what: string,
      read: () => Promise<R>,
      check: (answer: R, context: VerifyContext) => Promise<Checked<VerifiedRead>> | null,
    ): Promise<{ answer: R; verified: VerifiedRead | undefined }> {
      for (let attempt = 0; ; attempt++) {
        const answer = await deps.call(read);
        const checked = await check(answer, deps.context());
        if (checked === null) return { answer, verified: undefined };
        if (checked.ok) return { answer, verified: checked.value };
        if (checked.code !== LogErrorCode.WITNESS_MISMATCH || attempt >= LAG_RETRIES) {
          throw RegistryCallError.unverified(what, checked);
        }
        await new Promise((resolve) => setTimeout(resolve, LAG_RETRY_MS));
      }
    },
  };
}

export interface RegistryClient {
  readonly canisterId: Principal;
  readonly agent: HttpAgent;
  readonly actor: ActorSubclass<_SERVICE>;
  submit(envelope: Uint8Array): Promise<Result<T.SubmitReceipt>>;
  /**
   * Consensus over everyone, or over one trust list's builders when `trustList` is given.
   * Verified (see `ReadOptions`), the scope included: an answer that fails verification, or
   * counts another scope, throws `RegistryCallError` (`untrusted`, with `verification`).
   */
  getProposalSummary(
    proposalId: bigint,
    options?: { trustList?: bigint | null } & ReadOptions,
  ): Promise<Result<T.ProposalSummary>>;
  /**
   * Confirmed proposals newest first, every summary verified (over everyone or the trust list
   * asked for); throws `RegistryCallError` (TRUST_LIST_NOT_FOUND) for an unknown list.
   */
  listProposals(
    args?: {
      cursor?: bigint;
      limit?: number;
      trustList?: bigint | null;
    } & ReadOptions,
  ): Promise<T.ProposalPage & { verified?: VerifiedRead }>;
  /**
   * Every attestation on the page verified; without `verdict`, the page is also proven complete
   * (`total`, the items' positions and `next_cursor`: nothing left out).
   */
  listAttestations(
    args: {
      proposalId: bigint;
      verdict?: string;
      cursor?: bigint;
      limit?: number;
    } & ReadOptions,
  ): Promise<Result<T.AttestationPage>>;
  /** Its certified record verified (the derived standings are not certified). */
  getAttestation(id: bigint, options?: ReadOptions): Promise<Result<T.Attestation>>;
  /** The page's attestations verified (the profile is not certified). */
  getBuilder(
    args: {
      builder: Principal | string;
      cursor?: bigint;
      limit?: number;
    } & ReadOptions,
  ): Promise<Result<T.BuilderPage>>;
  setBuilderProfile(args: {
    displayName: string;
    url?: string | null;
  }): Promise<Result<T.BuilderProfile>>;
  hideAttestation(args: { attestationId: bigint; reason: string }): Promise<Result<T.Attestation>>;
  unhideAttestation(attestationId: bigint): Promise<Result<T.Attestation>>;
  getRegistryInfo(): Promise<T.RegistryInfo>;
  /** Publishes a new trust list (no `id`) or a new version of the caller's list. */
  publishTrustList(args: {
    id?: bigint | null;
    name: string;
    description: string;
    members: (Principal | string)[];
  }): Promise<Result<T.TrustList>>;
  /** A list's version (the newest by default) with its members, status and newest verified. */
  getTrustList(args: { id: bigint; version?: number } & ReadOptions): Promise<Result<T.TrustList>>;
  /** Every list on the page verified (`total`, `next_cursor` are not certified). */
  listTrustLists(
    args?: { cursor?: bigint; limit?: number } & ReadOptions,
  ): Promise<T.TrustListPage & { verified?: VerifiedRead }>;
}

export async function createRegistryClient(
  options: RegistryClientOptions,
): Promise<RegistryClient> {
  const canisterId =
    typeof options.canisterId === 'string'
      ? Principal.fromText(options.canisterId)
      : options.canisterId;
  if (options.rootKey !== undefined && isMainnetHost(options.host)) {
    throw new Error('a root key is given for mainnet, whose key is built into the agent');
  }
  const agent =
    options.agent ??
    (await createQueryCheckingAgent({
      host: options.host,
      identity: options.identity,
      ...(options.rootKey === undefined
        ? { shouldFetchRootKey: options.fetchRootKey ?? false }
        : { rootKey: options.rootKey }),
      retryTimes: options.retryTimes,
    }));
  const actor = Actor.createActor<_SERVICE>(idlFactory, { agent, canisterId });

  // Every call goes through here so that transport failures and rejections become one error
  // type with the registry's code when there is one.
  async function call<R>(run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (cause) {
      throw RegistryCallError.of(cause);
    }
  }

  const reads = verifiedReads({
    call,
    context: () => {
      const rootKey = agent.rootKey;
      if (rootKey === null || rootKey === undefined) {
        throw RegistryCallError.unverified('read', {
          code: LogErrorCode.CERTIFICATE_INVALID,
          message: 'the agent has no root key to check certificates with',
        });
      }
      return { canisterId, rootKey: new Uint8Array(rootKey) };
    },
  });

  return {
    canisterId,
    agent,
    actor,
    submit: (envelope) => call(async () => unwrap(await actor.submit({ envelope }))),
    getProposalSummary: async (id, options = {}) => {
      const trustList = options.trustList ?? null;
      const read = () =>
        trustList === null
          ? actor.get_proposal_summary(id)
          : actor.get_consensus({ proposal_id: id, trust_list: [trustList] });
      if (options.verify === false) return call(async () => unwrap(await read()));
      const { answer, verified } = await reads.verified(`proposal ${id}`, read, (r, context) =>
        'Ok' in r ? verifySummaries(context, [r.Ok], r.Ok.certified, trustList) : null,
      );
      return withProof(unwrap(answer), verified);
    },
    listProposals: async (args = {}) => {
      const read = () =>
        actor.list_proposals({
          cursor: opt(args.cursor),
          limit: opt(args.limit),
          trust_list: opt(args.trustList),
        });
      if (args.verify === false) return call(read);
      const { answer, verified } = await reads.verified('proposal list', read, (page, context) =>
        verifySummaries(context, page.proposals, page.certified, args.trustList ?? null),
      );
      return { ...answer, verified };
    },
    listAttestations: async (args) => {
      const read = () =>
        actor.list_attestations({
          proposal_id: args.proposalId,
          verdict: opt(args.verdict),
          cursor: opt(args.cursor),
          limit: opt(args.limit),
          // A reader that does not verify the page does not make the registry prove it.
          proof: args.verify === false ? [false] : [],
        });
      if (args.verify === false) return call(async () => unwrap(await read()));
      const { answer, verified } = await reads.verified(
        `attestations of proposal ${args.proposalId}`,
        read,
        (r, context) =>
          'Ok' in r
            ? args.verdict === undefined
              ? // Every attestation of the proposal: the page is also proven complete.
                verifyAttestationPage(context, r.Ok, args)
              : verifyAttestations(context, r.Ok.attestations, r.Ok.certified, args.proposalId)
            : null,
      );
      return withProof(unwrap(answer), verified);
    },
    getAttestation: async (id, options = {}) => {
      const read = () => actor.get_attestation(id);
      if (options.verify === false) return call(async () => unwrap(await read()));
      const { answer, verified } = await reads.verified(`attestation ${id}`, read, (r, context) =>
        'Ok' in r ? verifyAttestations(context, [r.Ok], r.Ok.certified) : null,
      );
      return withProof(unwrap(answer), verified);
    },
    getBuilder: async (args) => {
      const read = () =>
        actor.get_builder({
          builder:
            typeof args.builder === 'string' ? Principal.fromText(args.builder) : args.builder,
          cursor: opt(args.cursor),
          limit: opt(args.limit),
        });
      if (args.verify === false) return call(async () => unwrap(await read()));
      const { answer, verified } = await reads.verified(
        `builder ${args.builder.toString()}`,
        read,
        (r, context) =>
          'Ok' in r
            ? verifyAttestations(
                context,
                r.Ok.attestations.attestations,
                r.Ok.attestations.certified,
              )
            : null,
      );
      return withProof(unwrap(answer), verified);
    },
    setBuilderProfile: (args) =>
      call(async () =>
        unwrap(
          await actor.set_builder_profile({ display_name: args.displayName, url: opt(args.url) }),
        ),
      ),
    hideAttestation: (args) =>
      call(async () =>
        unwrap(
          await actor.hide_attestation({ attestation_id: args.attestationId, reason: args.reason }),
        ),
      ),
    unhideAttestation: (id) => call(async () => unwrap(await actor.unhide_attestation(id))),
    getRegistryInfo: () => call(() => actor.get_registry_info()),
    publishTrustList: (args) =>
      call(async () =>
        unwrap(
          await actor.publish_trust_list({
            id: opt(args.id),
            name: args.name,
            description: args.description,
            members: args.members.map((m) => (typeof m === 'string' ? Principal.fromText(m) : m)),
          }),
        ),
      ),
    getTrustList: async (args) => {
      const read = () => actor.get_trust_list({ id: args.id, version: opt(args.version) });
      if (args.verify === false) return call(async () => unwrap(await read()));
      const { answer, verified } = await reads.verified(`trust list ${args.id}`, read, (r, c) =>
        'Ok' in r ? verifyTrustLists(c, [r.Ok], r.Ok.certified) : null,
      );
      return withProof(unwrap(answer), verified);
    },
    listTrustLists: async (args = {}) => {
      const read = () =>
        actor.list_trust_lists({ cursor: opt(args.cursor), limit: opt(args.limit) });
      if (args.verify === false) return call(read);
      const { answer, verified } = await reads.verified('trust lists', read, (page, c) =>
        verifyTrustLists(c, page.trust_lists, page.certified),
      );
      return { ...answer, verified };
    },
  };
}

export {
  verifyCertified,
  verifyCertifiedAttestation,
  verifyCertifiedSummary,
  verifyCheckpoint,
  verifyConsistencyProof,
  verifyInclusionProof,
} from './verify';
export type { VerifiedHead, VerifyContext } from './verify';
export {
  NativeQueryAgent,
  createQueryCheckingAgent,
  nativeQueryCrypto,
  type NativeQueryAgentOptions,
  type QueryCrypto,
} from './native-query-agent';
export { hashOfMapAsync, type Sha256 } from './response-hash';
export { verifyCertifiedSummaries } from './verify-batch';
export {
  attestationRecordOf,
  verifyAttestations,
  verifyAttestationsEach,
  verifySummaries,
  verifySummariesEach,
} from './verify-reads';
export type { AttestationOutcome, SummaryOutcome, VerifiedRead } from './verify-reads';
export { verifyTrustLists } from './verify-trust-lists';
export { verifyAttestationPage } from './verify-page';
export type { CertifiedSummaryOutcome } from './verify-batch';
export {
  describeReadFailure,
  joinAttestation,
  readAttestation,
  readAttestationAsync,
} from './attestation';
export type { AttestationRead, AttestationReadFailure, ReadAttestation } from './attestation';
