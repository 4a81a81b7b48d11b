/**
 * The HTTP gateway: browsers and other HTTP clients reach a canister's `http_request` query at
 * `http://<canister-id>.localhost:<port>/…` or `http://127.0.0.1:<port>/…?canisterId=<id>`,
 * and without verification at `http://<canister-id>.raw.localhost:<port>/…`. A response that
 * asks for `upgrade` is answered by the `http_request_update` update call instead, released
 * only once durable.
 *
 * As the IC's gateways do on `<id>.icp0.io`, a query's response is served only when its
 * certification (HTTP certification v2, or v1's `IC-Certificate`) verifies under the network's
 * root key, with DFINITY's own verifier (the library the IC's gateways run); otherwise the
 * client gets 503. The raw domain skips the check, as `<id>.raw.icp0.io` does. Responses of
 * `http_request_update` went through consensus and are not checked. Streaming callbacks are not
 * followed (the first chunk is served).
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { verifyRequestResponsePair } from '@dfinity/response-verification';
import type { CallResult, ExecutionHost } from './host-types';

/** How far a certificate's time may lie from the gateway's clock (the IC's gateways: 5 min). */
const MAX_CERT_TIME_OFFSET_NS = 5n * 60n * 1_000_000_000n;
/** Version 2 is what the IC's gateways ask for; a v1-only response still verifies as v1. */
const REQUESTED_VERIFICATION_VERSION = 2;

const HeaderField = IDL.Tuple(IDL.Text, IDL.Text);
const HttpRequest = IDL.Record({
  method: IDL.Text,
  url: IDL.Text,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
  certificate_version: IDL.Opt(IDL.Nat16),
});
const HttpUpdateRequest = IDL.Record({
  method: IDL.Text,
  url: IDL.Text,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
});
const HttpResponse = IDL.Record({
  status_code: IDL.Nat16,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
  upgrade: IDL.Opt(IDL.Bool),
});
interface DecodedResponse {
  status_code: number;
  headers: [string, string][];
  body: Uint8Array | number[];
  upgrade: [] | [boolean];
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'upgrade',
  'proxy-connection',
]);

export interface GatewayTarget {
  canisterId: Principal;
  /** False on `<id>.raw.localhost`: the response is served without checking its certification. */
  verify: boolean;
}

/** The canister a gateway request addresses, from the Host header or `?canisterId=`. */
export function gatewayTarget(hostHeader: string | undefined, url: URL): GatewayTarget | undefined {
  const hostname = (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
  const m = /^([a-z0-9-]+)(\.raw)?\.localhost$/.exec(hostname);
  const candidate = m?.[1] ?? url.searchParams.get('canisterId') ?? undefined;
  if (!candidate) return undefined;
  try {
    return { canisterId: Principal.fromText(candidate), verify: m?.[2] === undefined };
  } catch {
    return undefined;
  }
}

export interface GatewayRequest extends GatewayTarget {
  method: string;
  url: URL;
  headers: [string, string][];
  body: Uint8Array;
}

export interface GatewayResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  outcome: string;
}

export async function serveGatewayRequest(args: {
  host: ExecutionHost;
  request: GatewayRequest;
  dataCertificate: (canisterId: Principal) => Uint8Array | undefined;
  update: (call: { canisterId: Principal; method: string; arg: Uint8Array }) => Promise<CallResult>;
  /** What certificates are checked against: the network's root key (DER) and clock (ns). */
  verification: { rootKey: Uint8Array; now: () => bigint };
}): Promise<GatewayResponse> {
  const { host, request } = args;
  const url = new URL(request.url.toString());
  url.searchParams.delete('canisterId');
  const path = url.pathname + (url.search || '');
  if (!host.canister(request.canisterId)) {
    return text(
      404,
      `canister_not_found: canister ${request.canisterId.toText()} does not exist`,
      'not found',
    );
  }
  const body = [...request.body];
  const query = await host.query({
    canisterId: request.canisterId,
    method: 'http_request',
    arg: new Uint8Array(
      IDL.encode(
        [HttpRequest],
        [
          {
            method: request.method,
            url: path,
            headers: request.headers,
            body,
            certificate_version: [2],
          },
        ],
      ),
    ),
    sender: Principal.anonymous(),
    dataCertificate: args.dataCertificate(request.canisterId),
  });
  let decoded = decodeResponse(query);
  if ('error' in decoded) return decoded.error;
  let upgraded = false;
  if (decoded.response.upgrade[0] === true) {
    upgraded = true;
    const updated = await args.update({
      canisterId: request.canisterId,
      method: 'http_request_update',
      arg: new Uint8Array(
        IDL.encode(
          [HttpUpdateRequest],
          [{ method: request.method, url: path, headers: request.headers, body }],
        ),
      ),
    });
    decoded = decodeResponse(updated);
    if ('error' in decoded) return decoded.error;
  }
  const r = decoded.response;
  const responseBody = r.body instanceof Uint8Array ? r.body : Uint8Array.from(r.body);
  if (request.verify && !upgraded) {
    const refused = verificationFailure({
      request: { method: request.method, url: path, headers: request.headers, body },
      response: { status_code: r.status_code, headers: r.headers, body: responseBody },
      canisterId: request.canisterId,
      ...args.verification,
    });
    if (refused !== undefined) return refused;
  }
  return {
    status: r.status_code,
    headers: r.headers.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())),
    body: responseBody,
    outcome: upgraded ? 'replied (upgraded)' : request.verify ? 'replied (verified)' : 'replied',
  };
}

/**
 * The check the IC's gateways run before serving a query's response: undefined when the
 * response is certified for this request, otherwise the 503 the client gets (with the
 * verifier's reason, so a canister developer sees what to fix).
 */
function verificationFailure(args: {
  request: { method: string; url: string; headers: [string, string][]; body: number[] };
  response: { status_code: number; headers: [string, string][]; body: Uint8Array };
  canisterId: Principal;
  rootKey: Uint8Array;
  now: () => bigint;
}): GatewayResponse | undefined {
  try {
    verifyRequestResponsePair(
      { ...args.request, certificate_version: [REQUESTED_VERIFICATION_VERSION] },
      args.response,
      args.canisterId.toUint8Array(),
      args.now(),
      MAX_CERT_TIME_OFFSET_NS,
      args.rootKey,
      REQUESTED_VERIFICATION_VERSION,
    );
    return undefined;
  } catch (e) {
    const reason =
      e instanceof Error ? e.message : String((e as { message?: unknown }).message ?? e);
    return text(
      503,
      `response_verification_error: the response from canister ${args.canisterId.toText()} failed verification and cannot be trusted (${reason}). ` +
        `Certify it (HTTP certification), or read it without verification at http://${args.canisterId.toText()}.raw.localhost:<port>/.`,
      'verification failed',
    );
  }
}

function text(status: number, message: string, outcome: string): GatewayResponse {
  return {
    status,
    headers: [['content-type', 'text/plain; charset=utf-8']],
    body: new TextEncoder().encode(message + '\n'),
    outcome,
  };
}

function decodeResponse(
  result: CallResult,
): { response: DecodedResponse } | { error: GatewayResponse } {
  if (result.status === 'rejected') {
    return {
      error: text(
        502,
        `Replica Error: reject code ${result.rejectCode}, error code ${result.errorCode}, message: ${result.rejectMessage}`,
        `rejected ${result.rejectCode} ${result.errorCode}`,
      ),
    };
  }
  try {
    const [response] = IDL.decode([HttpResponse], result.reply.slice()) as unknown as [
      DecodedResponse,
    ];
    return { response };
  } catch (e) {
    return {
      error: text(
        502,
        `The canister's http_request reply could not be decoded: ${(e as Error).message}`,
        'bad reply',
      ),
    };
  }
}
