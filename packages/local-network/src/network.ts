/**
 * The local Internet Computer: the IC HTTP interface, certification, the HTTP gateway and a
 * durable state directory around the in-process host `@repro-registry/ic-host`.
 */
import { Principal } from '@dfinity/principal';
import {
  IcHost,
  type CanisterMetadata,
  applyChangeSet,
  emptyState,
  type ChangeSet,
  type StoredState,
} from '@repro-registry/ic-host';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadOrCreateKeys } from './certification';
import { hexToBytes } from '@noble/hashes/utils';
import { NetworkError, NetworkErrorCode } from './errors';
import { gatewayTarget, serveGatewayRequest, type GatewayTarget } from './gateway';
import { IcHttpApi, type ApiResponse, type RequestLogEntry } from './http-api';
import { CertifiedState } from './state-tree';
import { DurableStore } from './store';

export interface LocalNetworkOptions {
  /** TCP port; 0 (the default) picks a free one. dfx's default is 4943. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Where keys, canister state and request statuses live. */
  stateDir: string;
  /** Start from an empty state (removes `<stateDir>/network`). */
  clean?: boolean;
  /** One line per request: `true` prints to stdout, a function receives the lines. */
  log?: boolean | ((line: string) => void);
  /** Canister `debug_print` output; default: stderr. */
  canisterLog?: (line: { canisterId: string; message: string }) => void;
  /** Count instructions with the IC's cost model (about 3x slower). */
  instrumented?: boolean;
  /** How long a synchronous call waits before answering 202 (default 10 s). */
  syncCallTimeoutMs?: number;
  /** Serves requests that address no canister (e.g. a frontend); return false for 404. */
  fallback?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  /** Log size that triggers a snapshot (default 64 MiB). */
  compactAfterBytes?: number;
}

export interface LocalNetwork {
  /** Base URL, e.g. `http://127.0.0.1:4943`. */
  url: string;
  port: number;
  /** DER-encoded BLS root key (133 bytes), as `/api/v2/status` reports it. */
  rootKey: Uint8Array;
  subnetId: Principal;
  nodeId: Principal;
  host: IcHost;
  stateDir: string;
  /** Milliseconds from the call to ready (state loaded, canisters restored, listening). */
  readyMs: number;
  stats(): NetworkStats;
  /** Stops serving, waits for running work, writes a snapshot and closes the state. */
  stop(): Promise<void>;
}

export interface NetworkStats {
  blocksSigned: number;
  requestStatuses: number;
  updatesExecuted: bigint;
  logBytes: number;
  recoveredRecords: number;
}

/**
 * The single subnet's canister ranges, as on a dfx local network: the system range (where
 * well-known ids such as the ledger's `ryjl3-tyaaa-aaaaa-aaaba-cai` live, which clients use to
 * sync time) and the application range the host allocates from (`bkyz2-fmaaa-aaaaa-qaaaq-cai`
 * first). Other principals are not routable (404), as on the IC.
 */
const RANGES: readonly (readonly [Uint8Array, Uint8Array])[] = [
  [hexToBytes('00000000000000000101'), hexToBytes('00000000000fffff0101')],
  [hexToBytes('80000000001000000101'), hexToBytes('80000000001fffff0101')],
];

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const IC_API_PATH = /^\/api\/(v2\/status|v\d\/(canister|subnet)\/[^/]+\/(call|query|read_state))$/;
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET',
  'access-control-allow-headers': 'Accept, Authorization, Content-Type',
  'access-control-max-age': '600',
};

export function formatLogLine(e: RequestLogEntry, at = new Date()): string {
  return `${at.toISOString()} ${e.kind.padEnd(10)} ${e.canister.padEnd(27)} ${e.method.padEnd(24)} ${e.outcome.padEnd(22)} ${e.ms.toFixed(1).padStart(7)} ms`;
}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(
          new NetworkError(
            NetworkErrorCode.PayloadTooLarge,
            `Request is too large: more than ${limit} bytes`,
          ),
        );
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, r: ApiResponse, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...CORS_HEADERS, ...extra };
  if (r.contentType) headers['content-type'] = r.contentType;
  else if (typeof r.body === 'string' && r.body.length > 0)
    headers['content-type'] = 'text/plain; charset=utf-8';
  res.writeHead(r.status, headers);
  res.end(
    typeof r.body === 'string'
      ? r.body
      : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength),
  );
}

export async function startLocalNetwork(options: LocalNetworkOptions): Promise<LocalNetwork> {
  const started = performance.now();
  const networkDir = join(options.stateDir, 'network');
  if (options.clean) await rm(networkDir, { recursive: true, force: true });
  await mkdir(networkDir, { recursive: true });

  const logLine =
    options.log === true
      ? (l: string) => process.stdout.write(l + '\n')
      : typeof options.log === 'function'
        ? options.log
        : undefined;
  const log = (e: RequestLogEntry): void => logLine?.(formatLogLine(e));

  const keys = await loadOrCreateKeys(networkDir);
  const store = await DurableStore.open<StoredState, ChangeSet>({
    dir: join(networkDir, 'ledger'),
    fold: (state, changes) => applyChangeSet(state ?? emptyState(), changes),
    compactAfterBytes: options.compactAfterBytes,
  });

  let lastTime = 0n;
  const clock = (): bigint => {
    const now = BigInt(Date.now()) * 1_000_000n;
    lastTime = now > lastTime ? now : lastTime + 1n;
    return lastTime;
  };

  const host = await IcHost.create({
    clock,
    instrumented: options.instrumented ?? false,
    store,
    log: options.canisterLog,
  });

  const metadataOf = (canisterId: Uint8Array): CanisterMetadata | undefined =>
    host.canister(Principal.fromUint8Array(canisterId))?.metadata;

  let updatesExecuted = 0n;
  const state: CertifiedState = new CertifiedState({
    rootKey: keys.root,
    nodeKey: keys.node,
    ranges: RANGES,
    subnetType: 'application',
    clock,
    canisters: () =>
      host.canisterIds().map((id) => {
        const v = host.canister(id)!;
        return {
          id: id.toUint8Array(),
          moduleHash: v.moduleHash,
          controllers: v.controllers.map((c) => c.toUint8Array()),
          certifiedData: v.certifiedData,
          metadata: metadataOf(id.toUint8Array()),
        };
      }),
    metrics: () => {
      const ids = host.canisterIds();
      let bytes = 0n;
      for (const id of ids) {
        const v = host.canister(id)!;
        bytes += (v.stableMemoryPages ?? 0n) * 65536n + BigInt(v.wasmMemoryBytes ?? 0);
      }
      return {
        numCanisters: ids.length,
        canisterStateBytes: bytes,
        updateTransactionsTotal: updatesExecuted,
      };
    },
    // `api` is made below; rounds only ask once requests arrive.
    callsInFlight: (): number => api.callsInFlight,
  });
  store.onCommit = () => state.invalidate();
  const now0 = clock();
  for (const r of store.requestStatuses()) {
    if (r.pruneAfter >= now0) state.setRequestStatus({ ...r });
  }

  const api: IcHttpApi = new IcHttpApi({
    host,
    state,
    store,
    rootKey: keys.root,
    nodeKey: keys.node,
    ranges: RANGES,
    clock,
    syncCallTimeoutMs: options.syncCallTimeoutMs ?? 10_000,
    metadata: metadataOf,
    log,
    onUpdateExecuted: () => {
      updatesExecuted++;
    },
  });

  let inflight = 0;
  let idleResolve: (() => void) | undefined;
  const track = async (work: () => Promise<void>): Promise<void> => {
    inflight++;
    try {
      await work();
    } finally {
      inflight--;
      if (inflight === 0) idleResolve?.();
    }
  };

  const handleApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<void> => {
    const started = performance.now();
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    try {
      if (path === '/api/v2/status') {
        if (req.method !== 'GET')
          throw new NetworkError(NetworkErrorCode.MethodNotAllowed, 'Use GET');
        return send(res, api.status());
      }
      const m = /^\/api\/v(\d)\/(canister|subnet)\/([^/]+)\/(call|query|read_state)$/.exec(path);
      if (!m) throw new NetworkError(NetworkErrorCode.NotFound, `Not found: ${path}`);
      const version = Number(m[1]);
      const [kind, id, endpoint] = [m[2], decodeURIComponent(m[3]), m[4]];
      if (req.method !== 'POST')
        throw new NetworkError(NetworkErrorCode.MethodNotAllowed, 'Use POST');
      const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (contentType !== 'application/cbor') {
        throw new NetworkError(
          NetworkErrorCode.UnsupportedContentType,
          'Unexpected content-type, expected application/cbor.',
        );
      }
      const body = await readBody(req, MAX_BODY_BYTES);
      let r: ApiResponse;
      if (
        endpoint === 'call' &&
        kind === 'canister' &&
        (version === 2 || version === 3 || version === 4)
      ) {
        r = await api.call(version, id, body);
      } else if (endpoint === 'query' && kind === 'canister' && (version === 2 || version === 3)) {
        r = await api.query(id, body);
      } else if (endpoint === 'read_state' && (version === 2 || version === 3)) {
        r = await api.readState(version, { kind: kind as 'canister' | 'subnet', text: id }, body);
      } else if (kind === 'subnet' && endpoint === 'call' && version === 4) {
        r = await api.call(4, id, body, { subnet: true });
      } else if (kind === 'subnet' && endpoint === 'query' && version === 3) {
        r = await api.query(id, body, { subnet: true });
      } else {
        throw new NetworkError(NetworkErrorCode.NotFound, `Not found: ${path}`);
      }
      send(res, r);
    } catch (e) {
      const err =
        e instanceof NetworkError
          ? e
          : new NetworkError(NetworkErrorCode.Internal, `Internal error: ${(e as Error).message}`, {
              cause: e,
            });
      const kind = path.includes('/query')
        ? 'query'
        : path.includes('/read_state')
          ? 'read_state'
          : path.includes('/call')
            ? 'call'
            : 'status';
      log({
        kind,
        canister: path.split('/')[4] ?? '-',
        method: '-',
        outcome: `http ${err.httpStatus} ${err.code}`,
        ms: performance.now() - started,
      });
      if (!res.headersSent) send(res, { status: err.httpStatus, body: err.message });
    }
  };

  const handleGateway = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    target: GatewayTarget,
  ): Promise<void> => {
    const { canisterId } = target;
    const started = performance.now();
    let status = 500;
    let outcome = 'error';
    try {
      const body = await readBody(req, MAX_BODY_BYTES);
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
      }
      const r = await serveGatewayRequest({
        host,
        request: { ...target, method: req.method ?? 'GET', url, headers, body },
        verification: { rootKey: keys.root.der, now: clock },
        dataCertificate: (id) => {
          const v = host.canister(id);
          return v ? state.dataCertificate(id.toUint8Array(), v.certifiedData) : undefined;
        },
        update: async (call) => {
          // The IC's gateways send the upgrade as an ingress message: inspect_message runs first.
          const inspected = await host.inspectMessage({ ...call, sender: Principal.anonymous() });
          if (!inspected.accepted) {
            const { rejectCode, rejectMessage, errorCode } = inspected;
            return { status: 'rejected', rejectCode, rejectMessage, errorCode };
          }
          const result = await host.update({ ...call, sender: Principal.anonymous() });
          await store.flush();
          updatesExecuted++;
          return result;
        },
      });
      status = r.status;
      outcome = `${r.status} ${r.outcome}`;
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of r.headers) {
        const key = k.toLowerCase();
        const prev = out[key];
        out[key] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      res.writeHead(r.status, out);
      res.end(Buffer.from(r.body));
    } catch (e) {
      outcome = `500 ${(e as Error).message}`;
      if (!res.headersSent) {
        res.writeHead(e instanceof NetworkError ? e.httpStatus : 500, {
          'content-type': 'text/plain; charset=utf-8',
        });
        res.end(`${(e as Error).message}\n`);
      }
    } finally {
      log({
        kind: 'http',
        canister: canisterId.toText(),
        method: `${req.method} ${url.pathname}`.slice(0, 24),
        outcome: outcome.slice(0, 22),
        ms: performance.now() - started,
      });
      void status;
    }
  };

  const server: Server = createServer((req, res) => {
    const failed = (e: unknown): void => {
      logLine?.(`${new Date().toISOString()} internal error: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Internal error: ${(e as Error).message}\n`);
    };
    track(async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      // The IC's API paths win on every host (as on the IC's canister domains); any other path
      // on a canister's host, `/api/v1/...` included, is the canister's own.
      if (IC_API_PATH.test(url.pathname)) return handleApi(req, res, url.pathname);
      const target = gatewayTarget(req.headers.host, url);
      if (target) return handleGateway(req, res, url, target);
      if (url.pathname.startsWith('/api/')) return handleApi(req, res, url.pathname);
      if (options.fallback && (await options.fallback(req, res))) return;
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        'Not found. This is a local Internet Computer: the IC HTTP interface is under /api/, canisters are served at http://<canister-id>.localhost:<port>/ or with ?canisterId=<id>.\n',
      );
    }).catch(failed);
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostName = options.host ?? '127.0.0.1';

  // Global timers fire only when the host is ticked; prune old request statuses now and then.
  let ticking = false;
  const timerDue = (): boolean => {
    const now = host.now();
    return host.canisterIds().some((id) => {
      const t = host.canister(id)?.globalTimer ?? 0n;
      return t !== 0n && t <= now;
    });
  };
  const ticker = setInterval(() => {
    // Ticking only when a timer is due keeps an idle network idle.
    if (ticking || !timerDue()) return;
    ticking = true;
    host
      .tick()
      .catch((e: unknown) =>
        logLine?.(`${new Date().toISOString()} tick failed: ${(e as Error).message}`),
      )
      .finally(() => {
        ticking = false;
      });
  }, 100);
  const pruner = setInterval(() => {
    const now = clock();
    if (state.prune(now) > 0) store.forgetRequestStatuses(now);
  }, 10_000);
  ticker.unref();
  pruner.unref();

  let stopping: Promise<void> | undefined;
  const readyMs = performance.now() - started;
  return {
    url: `http://${hostName.includes(':') ? `[${hostName}]` : hostName}:${port}`,
    port,
    rootKey: keys.root.der,
    subnetId: Principal.fromUint8Array(state.subnetId),
    nodeId: Principal.fromUint8Array(keys.node.nodeId),
    host,
    stateDir: options.stateDir,
    readyMs,
    stats: () => ({
      blocksSigned: state.blocksSigned,
      requestStatuses: state.requestStatusCount,
      updatesExecuted,
      logBytes: store.logBytes,
      recoveredRecords: store.stats.recoveredRecords,
    }),
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(ticker);
        clearInterval(pruner);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (inflight > 0) {
          await Promise.race([
            new Promise<void>((resolve) => (idleResolve = resolve)),
            new Promise((resolve) => setTimeout(resolve, 5_000)),
          ]);
        }
        server.closeAllConnections();
        await closed;
        await host.idle?.();
        await store.close({ snapshot: true });
      })()),
  };
}
