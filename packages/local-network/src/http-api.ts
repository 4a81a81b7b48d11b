/**
 * The IC HTTP interface (status, call v2/v3/v4, query v2/v3, read_state v2/v3 for canisters
 * and subnets) over a host that executes canisters. Request checks, status codes and response
 * shapes follow the interface specification and the replica's HTTP endpoints.
 */
import { Principal } from '@dfinity/principal';
import { encodeCbor, type CborValue } from './cbor';
import {
  authenticate,
  parseRequest,
  targetsAllow,
  type Authentication,
  type CanisterRequestContent,
  type ParsedRequest,
} from './auth';
import { verifyCanisterSignature, type NodeKey, type RootKey } from './certification';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import { bytesEqual, hashOfMap } from './encoding';
import { ErrorCode, RejectCode, rejects, type SystemReject } from '@repro-registry/ic-host';
import { NetworkError, NetworkErrorCode } from './errors';
import type { CallResult, ExecutionHost } from './host-types';
import type { CanisterSignatureVerifier } from './keys';
import {
  QUERY_MANAGEMENT_METHODS,
  ingressRefusal,
  isCreateMethod,
  managementEffectiveCanisterId,
} from './management';
import { inRanges, type CertifiedState, type RequestStatusEntry } from './state-tree';
import type { RequestStatusRecord } from './store';
import type { CanisterMetadata } from '@repro-registry/ic-host';

const RESPONSE_SEPARATOR = concatBytes(Uint8Array.of(11), utf8ToBytes('ic-response'));
/** How long a request status stays after the call finished (the specification's 5 minutes). */
const STATUS_RETENTION_NS = 300_000_000_000n;

export interface ApiResponse {
  status: number;
  body: Uint8Array | string;
  contentType?: string;
}

export interface RequestLogEntry {
  kind: 'call' | 'query' | 'read_state' | 'status' | 'http';
  canister: string;
  method: string;
  outcome: string;
  ms: number;
}

export interface ApiContext {
  host: ExecutionHost;
  state: CertifiedState;
  store: {
    recordRequestStatus(record: RequestStatusRecord): void;
    flush(): Promise<void>;
  };
  rootKey: RootKey;
  nodeKey: NodeKey;
  ranges: readonly (readonly [Uint8Array, Uint8Array])[];
  clock: () => bigint;
  syncCallTimeoutMs: number;
  metadata: (canisterId: Uint8Array) => CanisterMetadata | undefined;
  log: (entry: RequestLogEntry) => void;
  onUpdateExecuted: () => void;
}

type Reject = SystemReject;

/** Reject code 1: the network itself failed (not the canister, not the request). */
const HOST_FAILURE = ErrorCode.SubnetOversubscribed;

function cbor(value: CborValue): ApiResponse {
  return { status: 200, body: encodeCbor(value), contentType: 'application/cbor' };
}

function principalText(b: Uint8Array): string {
  return Principal.fromUint8Array(b).toText();
}

export function parsePrincipalText(text: string, what: string): Uint8Array {
  try {
    return Principal.fromText(text).toUint8Array();
  } catch {
    throw new NetworkError(NetworkErrorCode.MalformedRequest, `Invalid ${what} in URL: ${text}`);
  }
}

function outcomeOf(r: CallResult | Reject): string {
  if ('status' in r && r.status === 'replied') return 'replied';
  const j = r;
  return `rejected ${j.rejectCode} ${j.errorCode}`;
}

export class IcHttpApi {
  private readonly inflight = new Map<string, Promise<void>>();

  /** Synchronous calls accepted whose certificate is not made yet. */
  get callsInFlight(): number {
    return this.inflight.size;
  }
  private readonly canisterSignatures: CanisterSignatureVerifier;

  constructor(private readonly ctx: ApiContext) {
    this.canisterSignatures = (a) => verifyCanisterSignature({ ...a, rootKeyDer: ctx.rootKey.der });
  }

  status(): ApiResponse {
    return cbor({
      ic_api_version: '0.18.0',
      impl_version: 'repro-registry local-network 0.1.0',
      root_key: this.ctx.rootKey.der,
      replica_health_status: 'healthy',
      certified_height: this.ctx.state.blocksSigned,
    });
  }

  private authenticate(
    request: ParsedRequest<CanisterRequestContent>,
    now: bigint,
  ): Authentication {
    const auth = authenticate({ request, now, canisterSignatures: this.canisterSignatures });
    if (!targetsAllow(auth, request.content.canister_id)) {
      throw new NetworkError(
        NetworkErrorCode.InvalidDelegation,
        `Invalid delegation: canister ${principalText(request.content.canister_id)} is not one of the delegation targets`,
      );
    }
    return auth;
  }

  /** The canister a call or query is routed by; enforces the specification's rules. */
  private route(content: CanisterRequestContent, ecid: Uint8Array): void {
    const management = content.canister_id.length === 0;
    const query = content.request_type === 'query';
    const derived = !management
      ? content.canister_id
      : query
        ? content.method_name === 'list_canisters' ||
          !QUERY_MANAGEMENT_METHODS.has(content.method_name)
          ? 'any'
          : managementEffectiveCanisterId('canister_status', content.arg)
        : managementEffectiveCanisterId(content.method_name, content.arg);
    // Routing comes first, as a boundary node routes by the URL before a replica looks inside;
    // `aaaaa-aa` itself routes to this subnet too (its methods that need no canister).
    const routable = ecid.length === 0 ? derived === 'any' : inRanges(this.ctx.ranges, ecid);
    if (!routable && !(management && isCreateMethod(content.method_name))) {
      throw new NetworkError(
        NetworkErrorCode.CanisterNotInRange,
        `canister_not_found: ${principalText(ecid)} does not belong to any subnet of this network`,
      );
    }
    if (derived === 'any') return;
    if (derived === null) {
      throw new NetworkError(
        NetworkErrorCode.MalformedRequest,
        `Failed to determine the effective canister id of management canister method ${content.method_name}: its argument has no canister_id`,
      );
    }
    if (!bytesEqual(derived, ecid)) {
      throw new NetworkError(
        NetworkErrorCode.CanisterIdMismatch,
        management
          ? `Effective canister id in URL ${principalText(ecid)} does not match the canister ${principalText(derived)} of the management canister call`
          : `Specified CanisterId ${principalText(content.canister_id)} does not match effective canister id in URL ${principalText(ecid)}`,
      );
    }
  }

  /** Subnet-addressed requests: only the management canister's create / list methods. */
  private routeToSubnet(
    content: CanisterRequestContent,
    subnet: Uint8Array,
    kind: 'call' | 'query',
  ): void {
    if (!bytesEqual(subnet, this.ctx.state.subnetId)) {
      throw new NetworkError(
        NetworkErrorCode.NotFound,
        `subnet_not_found: ${principalText(subnet)}`,
      );
    }
    const allowed =
      content.canister_id.length === 0 &&
      (kind === 'call'
        ? isCreateMethod(content.method_name)
        : content.method_name === 'list_canisters');
    if (!allowed) {
      throw new NetworkError(
        NetworkErrorCode.MalformedRequest,
        kind === 'call'
          ? 'Subnet-addressed calls may only create canisters (management canister create_canister or provisional_create_canister_with_cycles)'
          : 'Subnet-addressed queries may only call the management canister method list_canisters',
      );
    }
  }

  /** The checks a replica makes before accepting a call (its "ingress filter"). */
  private async ingressFilter(content: CanisterRequestContent): Promise<Reject | undefined> {
    const { host } = this.ctx;
    const sender = Principal.fromUint8Array(content.sender);
    if (content.canister_id.length === 0) {
      const refused = ingressRefusal(content.method_name);
      if (refused) return refused;
      if (isCreateMethod(content.method_name)) return undefined;
      const target = managementEffectiveCanisterId(content.method_name, content.arg) as Uint8Array;
      const view = host.canister(Principal.fromUint8Array(target));
      if (!view) return rejects.canisterNotFound(principalText(target));
      if (!view.controllers.some((c) => bytesEqual(c.toUint8Array(), content.sender))) {
        return rejects.notController({
          canisterId: principalText(target),
          method: content.method_name,
          sender: sender.toText(),
          controllers: view.controllers.map((c) => c.toText()),
        });
      }
      return undefined;
    }
    const id = Principal.fromUint8Array(content.canister_id);
    const view = host.canister(id);
    if (!view) return rejects.canisterNotFound(id.toText());
    if (view.status === 'stopped') return rejects.canisterStopped(id.toText());
    if (view.status === 'stopping') return rejects.canisterStopping(id.toText());
    if (!view.moduleHash) return rejects.wasmModuleNotFound(id.toText());
    const inspected = await host.inspectMessage({
      canisterId: id,
      method: content.method_name,
      arg: content.arg,
      sender,
    });
    if (!inspected.accepted) {
      return {
        rejectCode: inspected.rejectCode,
        rejectMessage: inspected.rejectMessage,
        errorCode: inspected.errorCode,
      };
    }
    return undefined;
  }

  /**
   * A call at `/api/v{2,3,4}/canister/<ecid>/call`, or with `subnet` at
   * `/api/v4/subnet/<subnet id>/call` (only canister creation, as the specification allows).
   */
  async call(
    version: 2 | 3 | 4,
    ecidText: string,
    body: Uint8Array,
    options: { subnet?: boolean } = {},
  ): Promise<ApiResponse> {
    const started = performance.now();
    const ecid = parsePrincipalText(
      ecidText,
      options.subnet ? 'effective subnet id' : 'effective canister id',
    );
    const request = parseRequest(body, 'call');
    const { content, requestId } = request;
    const now = this.ctx.clock();
    this.authenticate(request, now);
    if (options.subnet) this.routeToSubnet(content, ecid, 'call');
    else this.route(content, ecid);

    const key = bytesToHex(requestId);
    const known =
      this.inflight.get(key) ??
      (this.ctx.state.requestStatus(requestId) ? Promise.resolve() : undefined);
    if (known) {
      // A replayed request is not executed again; the caller learns its status.
      if (version === 2) return { status: 202, body: '' };
      return this.certifiedStatus(requestId, known);
    }

    const rejected = await this.ingressFilter(content);
    if (rejected) {
      this.ctx.log({
        kind: 'call',
        canister: principalText(content.canister_id),
        method: content.method_name,
        outcome: `${outcomeOf(rejected)} (not accepted)`,
        ms: performance.now() - started,
      });
      const fields = {
        reject_code: rejected.rejectCode,
        reject_message: rejected.rejectMessage,
        error_code: rejected.errorCode,
      };
      return cbor(version === 2 ? fields : { status: 'non_replicated_rejection', ...fields });
    }

    const done = this.execute(request, ecid, started);
    this.inflight.set(key, done);
    // Nobody awaits an asynchronous call's execution: its failure (the store) is logged there.
    done.then(
      () => this.inflight.delete(key),
      () => this.inflight.delete(key),
    );
    if (version === 2) return { status: 202, body: '' };
    return this.certifiedStatus(requestId, done);
  }

  private async certifiedStatus(requestId: Uint8Array, done: Promise<void>): Promise<ApiResponse> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      done.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), this.ctx.syncCallTimeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    // The specification's answer when the call takes longer than the implementation waits.
    if (timedOut) return { status: 202, body: '' };
    const certificate = await this.ctx.state.certifyInRound([
      [utf8ToBytes('request_status'), requestId],
    ]);
    return cbor({ status: 'replied', certificate });
  }

  private async execute(
    request: ParsedRequest<CanisterRequestContent>,
    ecid: Uint8Array,
    started: number,
  ): Promise<void> {
    const { content, requestId } = request;
    const { state, host, store } = this.ctx;
    const base = {
      requestId,
      sender: content.sender,
      receiver: content.canister_id,
      effectiveCanisterId: ecid,
      method: content.method_name,
    };
    state.setRequestStatus({ ...base, status: 'processing', pruneAfter: content.ingress_expiry });
    let result: CallResult;
    try {
      result = await host.update({
        canisterId: Principal.fromUint8Array(content.canister_id),
        method: content.method_name,
        arg: content.arg,
        sender: Principal.fromUint8Array(content.sender),
      });
    } catch (e) {
      result = {
        status: 'rejected',
        rejectCode: RejectCode.SysFatal,
        rejectMessage: `The local network failed to execute the call: ${(e as Error).message}`,
        errorCode: HOST_FAILURE,
      };
    }
    const finished = this.ctx.clock();
    const pruneAfter =
      content.ingress_expiry > finished + STATUS_RETENTION_NS
        ? content.ingress_expiry
        : finished + STATUS_RETENTION_NS;
    const entry: RequestStatusEntry =
      result.status === 'replied'
        ? { ...base, status: 'replied', reply: result.reply, pruneAfter }
        : {
            ...base,
            status: 'rejected',
            rejectCode: result.rejectCode,
            rejectMessage: result.rejectMessage,
            errorCode: result.errorCode,
            pruneAfter,
          };
    store.recordRequestStatus(toRecord(entry));
    try {
      // The reply is released only once the call's effects and its status are on disk.
      await store.flush();
    } catch (e) {
      this.ctx.log({
        kind: 'call',
        canister: principalText(content.canister_id),
        method: content.method_name,
        outcome: `store failure: ${(e as Error).message}`,
        ms: performance.now() - started,
      });
      throw e;
    }
    state.setRequestStatus(entry);
    this.ctx.onUpdateExecuted();
    this.ctx.log({
      kind: 'call',
      canister: principalText(content.canister_id),
      method: content.method_name,
      outcome: outcomeOf(result),
      ms: performance.now() - started,
    });
  }

  /** A query; with `subnet` at `/api/v3/subnet/<subnet id>/query` (only `list_canisters`). */
  async query(
    ecidText: string,
    body: Uint8Array,
    options: { subnet?: boolean } = {},
  ): Promise<ApiResponse> {
    const started = performance.now();
    const ecid = parsePrincipalText(
      ecidText,
      options.subnet ? 'effective subnet id' : 'effective canister id',
    );
    const request = parseRequest(body, 'query');
    const { content, requestId } = request;
    this.authenticate(request, this.ctx.clock());
    if (options.subnet) this.routeToSubnet(content, ecid, 'query');
    else this.route(content, ecid);

    const { host, state } = this.ctx;
    const canisterId = Principal.fromUint8Array(content.canister_id);
    let result: CallResult | Reject;
    const view = content.canister_id.length === 0 ? undefined : host.canister(canisterId);
    if (content.canister_id.length !== 0 && !view) {
      result = rejects.canisterNotFound(principalText(content.canister_id));
    } else {
      try {
        result = await host.query({
          canisterId,
          method: content.method_name,
          arg: content.arg,
          sender: Principal.fromUint8Array(content.sender),
          dataCertificate: view
            ? state.dataCertificate(content.canister_id, view.certifiedData)
            : undefined,
        });
      } catch (e) {
        result = {
          rejectCode: RejectCode.SysFatal,
          rejectMessage: `The local network failed to execute the query: ${(e as Error).message}`,
          errorCode: HOST_FAILURE,
        };
      }
    }
    const timestamp = this.ctx.clock();
    const replied = 'status' in result && result.status === 'replied';
    const signed: Record<string, CborValue> = replied
      ? { status: 'replied', reply: { arg: (result as { reply: Uint8Array }).reply } }
      : {
          status: 'rejected',
          reject_code: (result as Reject).rejectCode,
          reject_message: (result as Reject).rejectMessage,
          error_code: (result as Reject).errorCode,
        };
    const hash = hashOfMap({ ...signed, timestamp, request_id: requestId });
    const signature = this.ctx.nodeKey.sign(concatBytes(RESPONSE_SEPARATOR, hash));
    this.ctx.log({
      kind: 'query',
      canister: canisterId.toText(),
      method: content.method_name,
      outcome: outcomeOf(result),
      ms: performance.now() - started,
    });
    return cbor({
      ...signed,
      signatures: [{ timestamp, signature, identity: this.ctx.nodeKey.nodeId }],
    });
  }

  async readState(
    version: 2 | 3,
    effective: { kind: 'canister' | 'subnet'; text: string },
    body: Uint8Array,
  ): Promise<ApiResponse> {
    const started = performance.now();
    const id = parsePrincipalText(effective.text, `effective ${effective.kind} id`);
    const request = parseRequest(body, 'read_state');
    const { content } = request;
    const { state } = this.ctx;
    // `aaaaa-aa` is where clients poll for calls that create canisters (routed by any id).
    if (effective.kind === 'canister' && id.length > 0 && !inRanges(this.ctx.ranges, id)) {
      throw new NetworkError(
        NetworkErrorCode.CanisterNotInRange,
        `canister_not_found: ${effective.text} does not belong to any subnet of this network`,
      );
    }
    if (effective.kind === 'subnet' && !bytesEqual(id, state.subnetId)) {
      throw new NetworkError(NetworkErrorCode.NotFound, `subnet_not_found: ${effective.text}`);
    }
    const auth = authenticate({
      request,
      now: this.ctx.clock(),
      canisterSignatures: this.canisterSignatures,
    });
    state.checkReadStatePaths({
      paths: content.paths,
      sender: content.sender,
      effective: { kind: effective.kind, id },
      version,
      targetsAllow: (c) => targetsAllow(auth, c),
      isController: (c, p) =>
        this.ctx.host
          .canister(Principal.fromUint8Array(c))
          ?.controllers.some((x) => bytesEqual(x.toUint8Array(), p)) ?? false,
      metadataVisibility: (c, name) => this.ctx.metadata(c)?.get(name)?.visibility,
    });
    const certificate = state.certificate(content.paths);
    this.ctx.log({
      kind: 'read_state',
      canister: effective.text,
      method: describePaths(content.paths),
      outcome: 'certified',
      ms: performance.now() - started,
    });
    return cbor({ certificate });
  }
}

function toRecord(e: RequestStatusEntry): RequestStatusRecord {
  return {
    requestId: e.requestId,
    status: e.status as RequestStatusRecord['status'],
    reply: e.reply,
    rejectCode: e.rejectCode,
    rejectMessage: e.rejectMessage,
    errorCode: e.errorCode,
    sender: e.sender,
    receiver: e.receiver,
    effectiveCanisterId: e.effectiveCanisterId,
    method: e.method,
    pruneAfter: e.pruneAfter,
  };
}

function describePaths(paths: readonly (readonly Uint8Array[])[]): string {
  if (paths.length === 0) return '-';
  return paths
    .map((p) => {
      const head = p[0] ? Buffer.from(p[0]).toString('latin1') : '';
      if (head === 'request_status') return 'request_status';
      if (head === 'canister' && p[2]) return `canister/${Buffer.from(p[2]).toString('latin1')}`;
      return head;
    })
    .filter((x, i, a) => a.indexOf(x) === i)
    .join(',');
}
