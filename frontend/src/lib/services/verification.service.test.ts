import { describe, expect, it } from 'vitest';

import { attestation, testBuilder } from '../test-support/fixtures';
import { verifyStoredAttestation } from '../verification/verify';
import { createMainThreadVerifier } from './main-thread-verifier';
import {
  createWorkerVerifier,
  jobOf,
  type VerificationResult,
  type WorkerReply,
  type WorkerRequest,
} from './verification.service';

const builders = Array.from({ length: 3 }, (_, i) => testBuilder(`v${i}`));
const attestations = Array.from({ length: 12 }, (_, i) =>
  attestation({ id: BigInt(i + 1), builder: builders[i % 3] }),
);
// One of them shown by the registry as another builder's.
attestations[4] = { ...attestations[4], builder: builders[2].principal };

/**
 * Runs the worker's message protocol in this thread (the browser's Worker runs the same
 * verification in `verification.worker.ts`; the end-to-end tests cover that file).
 */
class InThreadWorker {
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  received = 0;
  constructor(private readonly broken = false) {}
  postMessage(request: WorkerRequest): void {
    this.received++;
    setTimeout(() => {
      if (this.broken) {
        this.onerror?.({ preventDefault() {} } as ErrorEvent);
        return;
      }
      const results = request.jobs.map((j) => ({
        key: j.key,
        outcome: verifyStoredAttestation(j.expected, j.envelope),
      }));
      this.onmessage?.({
        data: { batch: request.batch, results, ms: 1 },
      } as MessageEvent<WorkerReply>);
    }, 0);
  }
  terminate(): void {}
}

async function collect(verifier: ReturnType<typeof createMainThreadVerifier>) {
  const batches: VerificationResult[][] = [];
  await verifier.verify(attestations.map(jobOf), (r) => batches.push(r));
  const byKey = new Map(batches.flat().map((r) => [r.key, r.outcome.ok]));
  return { batches, byKey };
}

describe('verifiers', () => {
  it('verify every job once on the main thread, in slices', async () => {
    const { batches, byKey } = await collect(createMainThreadVerifier({ sliceMs: 0 }));
    expect(batches.length).toBe(12);
    expect(byKey.size).toBe(12);
    expect([...byKey].filter(([, ok]) => !ok).map(([k]) => k)).toEqual(['5']);
  });

  it('spread batches over the pool and deliver each result once', async () => {
    const workers: InThreadWorker[] = [];
    const verifier = createWorkerVerifier({
      createWorker: () => {
        const w = new InThreadWorker();
        workers.push(w);
        return w as unknown as Worker;
      },
      workers: 2,
      batchSize: 3,
    });
    const { batches, byKey } = await collect(verifier);
    expect(batches.length).toBe(4);
    expect(workers.map((w) => w.received)).toEqual([2, 2]);
    expect(byKey.size).toBe(12);
    expect(byKey.get('5')).toBe(false);
  });

  it('finish on the main thread when a worker cannot run', async () => {
    let n = 0;
    const verifier = createWorkerVerifier({
      createWorker: () => new InThreadWorker(n++ === 0) as unknown as Worker,
      workers: 2,
      batchSize: 4,
    });
    const { byKey } = await collect(verifier);
    expect(byKey.size).toBe(12);
    expect([...byKey.values()].filter((ok) => ok).length).toBe(11);
  });
});
