/**
 * Verification on the page's own thread, for browsers whose workers fail or are missing. Loaded
 * on demand by `verification.service.ts`: it bundles Ed25519 and SHA-512 in JavaScript.
 */
import { detectNativeCrypto } from '../verification/native';
import { verifyStoredAttestationAsync } from '../verification/verify';
import type { VerificationResult, Verifier } from './verification.service';

/** Verifies on the calling thread, yielding to the page every few milliseconds. */
export function createMainThreadVerifier(options: { sliceMs?: number } = {}): Verifier {
  const sliceMs = options.sliceMs ?? 8;
  const native = detectNativeCrypto();
  return {
    mode: 'main-thread',
    parallelism: 1,
    async verify(jobs, onResults) {
      const crypto = await native;
      let i = 0;
      while (i < jobs.length) {
        const start = performance.now();
        const results: VerificationResult[] = [];
        while (i < jobs.length && (results.length === 0 || performance.now() - start < sliceMs)) {
          const job = jobs[i++];
          results.push({
            key: job.key,
            outcome: await verifyStoredAttestationAsync(job.expected, job.envelope, crypto),
          });
        }
        onResults(results, performance.now() - start);
        if (i < jobs.length) await new Promise((resolve) => setTimeout(resolve, 0));
      }
    },
    dispose() {},
  };
}
