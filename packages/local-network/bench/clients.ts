/**
 * A worker thread of benchmark clients: each client is its own agent (own identity) calling
 * `put` on the probe canister in a loop until the deadline; reports completed calls.
 */
import { Actor, HttpAgent } from '@dfinity/agent';
import type { IDL } from '@dfinity/candid';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { createHash, randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

import { signAttestation, type UnsignedPredicate } from '@repro-registry/attestation';
import { idlFactory as registryIdl } from '@repro-registry/client';

const { url, canisterId, clients, durationMs, worker, skipBlsCheck, mode } = workerData as {
  /** Capacity runs only: the agent's `blsVerify` hook accepts every certificate signature. */
  skipBlsCheck?: boolean;
  /** `put` on the probe canister, or `submit` of signed attestations to the registry. */
  mode?: 'put' | 'submit';
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
  const secretKey = new Uint8Array(randomBytes(32));
  const agent = await HttpAgent.create({
    host: url,
    identity: Ed25519KeyIdentity.fromSecretKey(secretKey),
    shouldFetchRootKey: true,
  });
  const options = { agent, canisterId, ...(skipBlsCheck ? { blsVerify: () => true } : {}) };
  const call: (n: number) => Promise<unknown> =
    mode === 'submit'
      ? (() => {
          const registry = Actor.createActor<{
            submit(r: { envelope: Uint8Array }): Promise<{ Ok?: unknown; Err?: { code: string } }>;
          }>(registryIdl, options);
          return async (n: number) => {
            // A new proposal per submission: no builder supersedes itself, every one is stored.
            const { envelopeBytes } = signAttestation({
              predicate: benchPredicate(100_000 + worker * 10_000_000 + i * 100_000 + n),
              secretKey,
            });
            const result = await registry.submit({ envelope: envelopeBytes });
            if (result.Err) throw new Error(result.Err.code);
          };
        })()
      : (() => {
          const probe = Actor.createActor<{ put(k: string, v: string): Promise<bigint> }>(
            idl,
            options,
          );
          return (n: number) => probe.put(`w${worker}-c${i}-${n}`, 'x'.repeat(64));
        })();
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

/** A realistic attestation: GuestOS + HostOS with member hashes, about 3.4 KB signed. */
function benchPredicate(proposal: number): UnsignedPredicate {
  const hash = (s: string) => createHash('sha256').update(s).digest('hex');
  const members = ['boot.img', 'root.img', 'VERSION.TXT', 'partitions.tar'].map((path, m) => ({
    path,
    sha256: hash(`member-${m}`),
    size: String(1_000_000 * (m + 1)),
  }));
  const artifact = (kind: 'guestos' | 'hostos', m: typeof members) => ({
    kind,
    name: 'update-img.tar.zst',
    sha256: hash(kind),
    expectedSha256: hash(kind),
    verdict: 'match' as const,
    members: m,
  });
  return {
    proposal: { id: String(proposal), commit: 'ec35ebd252d4ffb151d2cfceba3a86c4fb87c6d6' },
    artifacts: [artifact('guestos', members), artifact('hostos', members.slice(0, 2))],
    tool: { name: 'repro-check', version: 'bench', scriptSha256: hash('script') },
    environment: {
      osName: 'Ubuntu',
      osVersion: '22.04.4 LTS',
      kernel: '6.5.0-35-generic',
      arch: 'x86_64',
      virtualization: 'kvm',
      cpuModel: 'AMD EPYC',
      cpuCount: 16,
      memoryBytes: '34359738368',
      swapBytes: '8589934592',
      diskFreeBytes: '200000000000',
      containerRuntimeName: 'podman',
      containerRuntimeVersion: '4.9.3',
      gitVersion: '2.43.0',
    },
    build: {
      startedOn: '2026-11-20T09:00:00Z',
      finishedOn: '2026-11-20T10:30:00Z',
      cleanCache: true,
    },
  };
}

const deadline = performance.now() + durationMs;
const results = await Promise.all(Array.from({ length: clients }, (_, i) => client(i, deadline)));
parentPort!.postMessage({
  done: results.reduce((n, r) => n + r.done, 0),
  failed: results.reduce((n, r) => n + r.failed, 0),
  latencies: results.flatMap((r) => r.latencies),
});
