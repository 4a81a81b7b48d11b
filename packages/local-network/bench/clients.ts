/**
 * A worker thread of benchmark clients: each client is its own agent (own identity) making one
 * kind of update call in a loop until the deadline; reports completed calls and latencies. What
 * the call is comes from `callModule` (a module exporting `makeCall`, see `ClientCall`), so the
 * harness knows no canister: `probe-call.ts` here, the registry's submit in `scripts/bench/`.
 */
import { HttpAgent } from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

import type { ClientCall } from './harness';

const { url, canisterId, clients, durationMs, worker, skipBlsCheck, callModule } = workerData as {
  /** Capacity runs only: the agent's `blsVerify` hook accepts every certificate signature. */
  skipBlsCheck?: boolean;
  /** Absolute path of the module that makes the call. */
  callModule: string;
  url: string;
  canisterId: string;
  clients: number;
  durationMs: number;
  worker: number;
};

const { makeCall } = (await import(callModule)) as { makeCall: ClientCall };

async function client(
  i: number,
  deadline: number,
): Promise<{ done: number; failed: number; latencies: number[] }> {
  const secretKey = new Uint8Array(randomBytes(32));
  const agent = await HttpAgent.create({
    host: url,
    identity: Ed25519KeyIdentity.fromSecretKey(secretKey),
    shouldFetchRootKey: true,
  });
  const call = makeCall({
    actorOptions: { agent, canisterId, ...(skipBlsCheck ? { blsVerify: () => true } : {}) },
    secretKey,
    client: `w${worker}-c${i}`,
    uniqueBase: worker * 10_000_000 + i * 100_000,
  });
  let done = 0;
  let failed = 0;
  const latencies: number[] = [];
  for (let n = 0; performance.now() < deadline; n++) {
    const t = performance.now();
    try {
      await call(n);
      done++;
      latencies.push(performance.now() - t);
    } catch {
      failed++;
    }
  }
  return { done, failed, latencies };
}

const deadline = performance.now() + durationMs;
const results = await Promise.all(Array.from({ length: clients }, (_, i) => client(i, deadline)));
parentPort!.postMessage({
  done: results.reduce((n, r) => n + r.done, 0),
  failed: results.reduce((n, r) => n + r.failed, 0),
  latencies: results.flatMap((r) => r.latencies),
});
