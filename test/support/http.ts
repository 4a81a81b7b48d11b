/**
 * Plain HTTP to the local network with node:http, because fetch neither lets a client choose the
 * Host header (`<id>.localhost`, `<id>.raw.localhost`) nor leaves content encodings undecoded.
 */
import { request } from 'node:http';

import { HttpAgent, QueryResponseStatus } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { serveGatewayRequest, type GatewayResponse } from '@repro-registry/local-network';

import { localNetwork, rootKey } from './network-context';

type ExecutionHost = Parameters<typeof serveGatewayRequest>[0]['host'];

export interface HttpReply {
  status: number;
  /** Header pairs as sent, in order. */
  headers: [string, string][];
  body: Buffer;
  /** The first value of a header (any case), or undefined. */
  header(name: string): string | undefined;
}

export function httpRequest(args: {
  port: number | string;
  path: string;
  /** The Host header; default 127.0.0.1:<port>. */
  host?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: args.port,
        path: args.path,
        method: args.method ?? 'GET',
        headers: { ...(args.host ? { host: args.host } : {}), ...args.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const pairs: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: pairs,
            body: Buffer.concat(chunks),
            header: (name) => pairs.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1],
          });
        });
      },
    );
    req.on('error', reject);
    req.end(args.body);
  });
}

/**
 * The network's HTTP gateway (its real code, `serveGatewayRequest`) with someone in between:
 * the canister's `http_request` reply is fetched from the real network (through the agent) and
 * handed to `alter` before the gateway checks it, as a malicious node or proxy could.
 */
export async function throughAlteringGateway(args: {
  canisterId: string;
  path: string;
  /** Changes the reply's body (any change must make the gateway refuse it). */
  alter: (body: Uint8Array) => Uint8Array;
  /**
   * Answer with the canister's reply (certificate and witness included) for this other path,
   * as a node that swaps answers would.
   */
  answerFrom?: string;
}): Promise<GatewayResponse> {
  const { url, port } = localNetwork();
  const agent = await HttpAgent.create({ host: url, shouldFetchRootKey: true, retryTimes: 0 });
  const canisterId = Principal.fromText(args.canisterId);
  const query: Pick<ExecutionHost, 'query'>['query'] = async ({ method, arg }) => {
    if (args.answerFrom !== undefined) {
      const [request] = IDL.decode([HttpRequest], arg) as unknown as [{ url: string }];
      arg = new Uint8Array(IDL.encode([HttpRequest], [{ ...request, url: args.answerFrom }]));
    }
    const r = await agent.query(canisterId, { methodName: method, arg });
    if (r.status !== QueryResponseStatus.Replied) throw new Error(`${method}: rejected`);
    const [reply] = IDL.decode([HttpResponse], r.reply.arg) as unknown as [
      { status_code: number; headers: [string, string][]; body: Uint8Array; upgrade: [] },
    ];
    const body = args.alter(Uint8Array.from(reply.body));
    return {
      status: 'replied',
      reply: new Uint8Array(IDL.encode([HttpResponse], [{ ...reply, body }])),
    };
  };
  return serveGatewayRequest({
    host: { query, canister: () => true } as unknown as ExecutionHost,
    request: {
      canisterId,
      verify: true,
      method: 'GET',
      url: new URL(`http://${args.canisterId}.localhost:${port}${args.path}`),
      headers: [],
      body: new Uint8Array(),
    },
    dataCertificate: () => undefined,
    update: () => Promise.reject(new Error('no updates here')),
    verification: { rootKey: rootKey(), now: () => BigInt(Date.now()) * 1_000_000n },
  });
}

const HttpRequest = IDL.Record({
  method: IDL.Text,
  url: IDL.Text,
  headers: IDL.Vec(IDL.Tuple(IDL.Text, IDL.Text)),
  body: IDL.Vec(IDL.Nat8),
  certificate_version: IDL.Opt(IDL.Nat16),
});

const HttpResponse = IDL.Record({
  status_code: IDL.Nat16,
  headers: IDL.Vec(IDL.Tuple(IDL.Text, IDL.Text)),
  body: IDL.Vec(IDL.Nat8),
  upgrade: IDL.Opt(IDL.Bool),
});
