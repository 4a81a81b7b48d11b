/**
 * The HTTP gateway: browsers and other HTTP clients reach a canister's `http_request` query at
 * `http://<canister-id>.localhost:<port>/…` (also `<id>.raw.localhost`) or
 * `http://127.0.0.1:<port>/…?canisterId=<id>`. A response that asks for `upgrade` is answered
 * by the `http_request_update` update call instead, released only once durable.
 *
 * Like a local development gateway it does not verify response certification (as for the
 * `raw` domains of the IC); streaming callbacks are not followed (the first chunk is served).
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import type { CallResult, ExecutionHost } from './host-types';

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

/** The canister a gateway request addresses, from the Host header or `?canisterId=`. */
export function gatewayTarget(hostHeader: string | undefined, url: URL): Principal | undefined {
  const hostname = (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
  const m = /^([a-z0-9-]+)(\.raw)?\.localhost$/.exec(hostname);
  const candidate = m?.[1] ?? url.searchParams.get('canisterId') ?? undefined;
  if (!candidate) return undefined;
  try {
    return Principal.fromText(candidate);
  } catch {
    return undefined;
  }
}

export interface GatewayRequest {
  canisterId: Principal;
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
  return {
    status: r.status_code,
    headers: r.headers.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())),
    body: r.body instanceof Uint8Array ? r.body : Uint8Array.from(r.body),
    outcome: upgraded ? 'replied (upgraded)' : 'replied',
  };
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
