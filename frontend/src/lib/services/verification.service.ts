/**
 * Verifies many attestations without freezing the page: a pool of Web Workers (one per core,
 * at most four) takes batches as they come; results are handed back batch by batch so the
 * table fills in while the rest is still being checked. Where workers are unavailable the same
 * code runs on the main thread in short slices.
 */
import type { Attestation, ListedAttestation } from '../model/types';
import type { ExpectedSigner, VerificationOutcome } from '../verification/verify';

export interface VerificationJob {
  /** The caller's name for the job (the attestation id, as text). */
  key: string;
  expected: ExpectedSigner;
  envelope: Uint8Array;
}

export interface VerificationResult {
  key: string;
  outcome: VerificationOutcome;
}

export interface WorkerRequest {
  batch: number;
  jobs: VerificationJob[];
}

export interface WorkerReply {
  batch: number;
  results: VerificationResult[];
  /** Time the batch took inside the worker. */
  ms: number;
}

/** Called once per finished batch with its results and the time verifying them took. */
export type OnResults = (results: VerificationResult[], ms: number) => void;

export interface Verifier {
  /** Verifies `jobs`; `onResults` is called once per finished batch; resolves when all are done. */
  verify(jobs: VerificationJob[], onResults: OnResults): Promise<void>;
  /** Where the work runs, for the page's "verified in N workers" line. */
  readonly mode: 'workers' | 'main-thread';
  readonly parallelism: number;
  dispose(): void;
}

/** Strips a job to what verification reads, so posting it to a worker copies little. */
export function jobOf(attestation: ListedAttestation | Attestation): VerificationJob {
  const artifactCount =
    'standings' in attestation ? attestation.standings.length : attestation.artifacts.length;
  return {
    key: attestation.id.toString(),
    expected: { builder: attestation.builder, artifactCount },
    envelope: attestation.envelope,
  };
}

/**
 * The main-thread verifier, loaded on first use: it brings its own Ed25519 and SHA-512, which a
 * page whose workers are fine never needs (and the first load's JavaScript has a budget).
 */
function loadMainThreadVerifier(): Promise<Verifier> {
  return import('./main-thread-verifier').then((m) => m.createMainThreadVerifier());
}

/** A main-thread verifier that is loaded when it is first asked to verify. */
function lazyMainThreadVerifier(): Verifier {
  let loaded: Promise<Verifier> | null = null;
  return {
    mode: 'main-thread',
    parallelism: 1,
    async verify(jobs, onResults) {
      return (await (loaded ??= loadMainThreadVerifier())).verify(jobs, onResults);
    },
    dispose() {},
  };
}

interface PendingBatch {
  request: WorkerRequest;
  deliver: OnResults;
  done: () => void;
}

/**
 * A pool of verification workers. `createWorker` makes one (Vite bundles the worker module
 * named in `defaultWorkerFactory`). Batches go to whichever worker has the fewest in flight.
 */
export function createWorkerVerifier(options: {
  createWorker: () => Worker;
  workers: number;
  batchSize?: number;
}): Verifier {
  const batchSize = options.batchSize ?? 25;
  let nextBatch = 0;
  // Made only when a worker fails: it probes the native crypto on the main thread, which costs
  // the page's start (Ed25519 key tables) for nothing while the workers are fine.
  let mainThread: Verifier | null = null;
  const fallback = () => (mainThread ??= lazyMainThreadVerifier());
  const slots = Array.from({ length: options.workers }, () => {
    const slot = {
      worker: options.createWorker(),
      inFlight: new Map<number, PendingBatch>(),
      broken: false,
    };
    slot.worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const pending = slot.inFlight.get(event.data.batch);
      if (pending === undefined) return;
      slot.inFlight.delete(event.data.batch);
      pending.deliver(event.data.results, event.data.ms);
      pending.done();
    };
    // A worker that cannot load (blocked, out of memory) hands its batches to the main thread.
    slot.worker.onerror = (event) => {
      event.preventDefault();
      slot.broken = true;
      const orphans = [...slot.inFlight.values()];
      slot.inFlight.clear();
      for (const p of orphans) void fallback().verify(p.request.jobs, p.deliver).then(p.done);
    };
    return slot;
  });

  function dispatch(pending: PendingBatch): void {
    const healthy = slots.filter((s) => !s.broken);
    if (healthy.length === 0) {
      void fallback().verify(pending.request.jobs, pending.deliver).then(pending.done);
      return;
    }
    const slot = healthy.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
    slot.inFlight.set(pending.request.batch, pending);
    slot.worker.postMessage(pending.request);
  }

  return {
    mode: 'workers',
    parallelism: options.workers,
    verify(jobs, onResults) {
      const batches: VerificationJob[][] = [];
      for (let i = 0; i < jobs.length; i += batchSize) batches.push(jobs.slice(i, i + batchSize));
      return Promise.all(
        batches.map(
          (batch) =>
            new Promise<void>((resolve) =>
              dispatch({
                request: { batch: nextBatch++, jobs: batch },
                deliver: onResults,
                done: resolve,
              }),
            ),
        ),
      ).then(() => undefined);
    },
    dispose() {
      for (const s of slots) s.worker.terminate();
    },
  };
}

/** Workers where the browser has them (one per core, 1–4), else the main thread. */
export function createVerifier(): Verifier {
  if (typeof Worker !== 'function') return lazyMainThreadVerifier();
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
  return createWorkerVerifier({
    createWorker: () =>
      new Worker(new URL('./verification.worker.ts', import.meta.url), { type: 'module' }),
    workers: Math.max(1, Math.min(4, cores)),
  });
}
