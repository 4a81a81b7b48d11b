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

const native = detectNativeCrypto().then((crypto) => {
  // Without a native Ed25519 every signature goes to noble, which builds its base-point table on
  // first use: pay for it while the page is still fetching. With one, noble only decides the rare
  // refusal, and the table (~50 ms) would compete with the page's loading for nothing.
  if (crypto.ed25519 === undefined) warmUpEd25519();
  return crypto;
});

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
