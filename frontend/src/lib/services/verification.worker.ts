/// Verifies batches of attestations off the main thread (Ed25519 in JS is ~1 ms each).
import { warmUpEd25519 } from '@repro-registry/attestation';

import { detectNativeCrypto } from '../verification/native';
import { verifyStoredAttestationAsync } from '../verification/verify';
import type { WorkerReply, WorkerRequest } from './verification.service';

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply): void;
}
const scope = self as unknown as WorkerScope;

// noble builds its base-point table on first use; pay for it while the page is still fetching.
warmUpEd25519();

const native = detectNativeCrypto();

scope.onmessage = (event) => {
  const { batch, jobs } = event.data;
  const started = performance.now();
  void (async () => {
    const crypto = await native;
    const results = await Promise.all(
      jobs.map(async (job) => ({
        key: job.key,
        outcome: await verifyStoredAttestationAsync(job.expected, job.envelope, crypto),
      })),
    );
    scope.postMessage({ batch, results, ms: performance.now() - started });
  })();
};
