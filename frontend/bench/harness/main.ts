/**
 * Verification alone, in the browser: the page's own worker pool verifying the envelopes of a
 * proposal that `render.ts` read from the registry beforehand (attestations.json), with no
 * registry traffic competing for the CPU.
 */
import { base64Decode } from '@repro-registry/attestation';

import { createVerifier, type VerificationJob } from '../../src/lib/services/verification.service';

interface Stored {
  key: string;
  expected: VerificationJob['expected'];
  envelope: string;
}

const data = (await (await fetch('./attestations.json')).json()) as Stored[];
const jobs: VerificationJob[] = data.map((d) => ({
  key: d.key,
  expected: d.expected,
  envelope: base64Decode(d.envelope),
}));
const verifier = createVerifier();
// Let the workers load and build their tables first, as they do while the page fetches.
await verifier.verify(jobs.slice(0, 2), () => {});
let ok = 0;
let cpu = 0;
const start = performance.now();
await verifier.verify(jobs, (results, ms) => {
  cpu += ms;
  ok += results.filter((r) => r.outcome.ok).length;
});
const wallMs = performance.now() - start;
performance.mark('repro:bench-verified', {
  detail: { wallMs, cpuMs: cpu, ok, total: jobs.length, workers: verifier.parallelism },
});
(document.getElementById('status') as HTMLElement).textContent =
  `${ok} of ${jobs.length} verified in ${wallMs.toFixed(0)} ms`;
