/**
 * A worker thread of benchmark clients: each client is its own agent (own identity) calling
 * `put` on the probe canister in a loop until the deadline; reports completed calls.
 */
import { Actor, HttpAgent } from '@dfinity/agent';
import type { IDL } from '@dfinity/candid';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { parentPort, workerData } from 'node:worker_threads';

const { url, canisterId, clients, durationMs, worker, skipBlsCheck } = workerData as {
  /** Capacity runs only: the agent's `blsVerify` hook accepts every certificate signature. */
  skipBlsCheck?: boolean;
  url: string;
  canisterId: string;
  clients: number;
  durationMs: number;
  worker: number;
};

const idl: IDL.InterfaceFactory = ({ IDL }) =>
  IDL.Service({ put: IDL.Func([IDL.Text, IDL.Text], [IDL.Nat64], []) });

async function client(
  i: number,
  deadline: number,
): Promise<{ done: number; failed: number; latencies: number[] }> {
  const agent = await HttpAgent.create({
    host: url,
    identity: Ed25519KeyIdentity.generate(),
    shouldFetchRootKey: true,
  });
  const actor = Actor.createActor<{ put(k: string, v: string): Promise<bigint> }>(idl, {
    agent,
    canisterId,
    ...(skipBlsCheck ? { blsVerify: () => true } : {}),
  });
  let done = 0;
  let failed = 0;
  const latencies: number[] = [];
  for (let n = 0; performance.now() < deadline; n++) {
    const t = performance.now();
    try {
      await actor.put(`w${worker}-c${i}-${n}`, 'x'.repeat(64));
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
