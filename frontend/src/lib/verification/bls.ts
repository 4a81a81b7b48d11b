/**
 * Certificates' BLS signature checks in a worker. The agent checks one for the subnet's node keys
 * (without which no query answer can be trusted) and one per certified read, each ~0.1–0.3 s of
 * pairing arithmetic in JS, and noble's curve tables cost more when its module loads. On the main
 * thread they held up the first page's requests and its drawing; in a worker they run while the
 * page decodes and draws, and the module stays out of the first load's JavaScript.
 *
 * The app's build puts `blsVerify` in place of `@dfinity/agent`'s own (vite/bls-off-main-thread.ts);
 * the agent awaits it. Where a worker cannot run, the same check runs on the main thread.
 */
import { hexToBytes } from '@repro-registry/attestation';

import type { BlsReply, BlsRequest } from './bls-check';

type Bytes = Uint8Array | string;

interface Pending {
  resolve: (valid: boolean) => void;
  reject: (error: Error) => void;
  request: BlsRequest;
}

let worker: Worker | null = null;
let broken = false;
let nextId = 0;
const pending = new Map<number, Pending>();

let firstAsked = () => {};
/** Resolves once a first certificate check has been handed over (to the worker, or run here). */
export const firstCheckAsked = new Promise<void>((resolve) => (firstAsked = resolve));

// The agent passes bytes; hex text (any case, as noble takes it) is accepted like the agent's.
const bytesOf = (value: Bytes): Uint8Array =>
  typeof value === 'string' ? hexToBytes(value.toLowerCase()) : value;

async function onMainThread(request: BlsRequest): Promise<boolean> {
  const { blsVerifyHere } = await import('./bls-check');
  return blsVerifyHere(request.publicKey, request.signature, request.message);
}

function settle(p: Pending, run: Promise<boolean>): void {
  run.then(p.resolve, (e: unknown) => p.reject(e instanceof Error ? e : new Error(String(e))));
}

/** Starts the worker (and its module's download and set-up) before the first certificate. */
export function startBlsWorker(): void {
  if (worker !== null || broken || typeof Worker !== 'function') return;
  try {
    worker = new Worker(new URL('./bls.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    broken = true;
    return;
  }
  worker.onmessage = (event: MessageEvent<BlsReply>) => {
    const p = pending.get(event.data.id);
    if (p === undefined) return;
    pending.delete(event.data.id);
    if ('error' in event.data) p.reject(new Error(event.data.error));
    else p.resolve(event.data.valid);
  };
  // A worker that cannot load hands its checks to the main thread.
  worker.onerror = (event) => {
    event.preventDefault();
    broken = true;
    worker = null;
    const orphans = [...pending.values()];
    pending.clear();
    for (const p of orphans) settle(p, onMainThread(p.request));
  };
}

/** `@dfinity/agent`'s `blsVerify(publicKey, signature, message)`, answered by the worker. */
export function blsVerify(publicKey: Bytes, signature: Bytes, message: Bytes): Promise<boolean> {
  const request: BlsRequest = {
    id: nextId++,
    publicKey: bytesOf(publicKey),
    signature: bytesOf(signature),
    message: bytesOf(message),
  };
  startBlsWorker();
  firstAsked();
  const asked = performance.now();
  // On the page's timeline (the bench lists them beside the requests): asked → answered.
  const answered = () =>
    performance.measure('repro:certificate-check', { start: asked, end: performance.now() });
  return new Promise<boolean>((resolve, reject) => {
    const p = {
      resolve: (valid: boolean) => {
        answered();
        resolve(valid);
      },
      reject: (error: Error) => {
        answered();
        reject(error);
      },
      request,
    };
    if (worker === null) {
      settle(p, onMainThread(request));
      return;
    }
    pending.set(request.id, p);
    worker.postMessage(request);
  });
}
