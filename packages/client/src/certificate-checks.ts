/**
 * Faster first certificate checks, with the same answers. Every certificate's BLS check (the
 * agent's `utils/bls.js`, and the frontend's certificate worker, both noble's
 * `verifyShortSignature`) pairs with G2's generator, and noble first confirms that the generator
 * lies in the prime-order subgroup: a multiplication which, for the generator alone, starts by
 * building an 8-bit window table (about 4,000 additions in Fp2). That table is 0.3–0.4 s of the
 * first check in each process or worker and serves nothing else there; with a window of 1 noble
 * computes the same multiple by a ladder in milliseconds.
 *
 * A process-wide setting of the one noble module the agent and this package share (npm hoists a
 * single @noble/curves; the CLI's bundle holds one copy). Measured: the first check 400–480 ms →
 * 75–90 ms in Node; a CLI read's first verified query 1.3–1.9 s → 0.4–0.8 s on a loaded machine.
 * Called where a process starts: the CLI's entry and the frontend's certificate worker.
 */
import { bls12_381 } from '@noble/curves/bls12-381';

export function checkCertificatesWithoutGeneratorTable(): void {
  bls12_381.G2.Point.BASE.precompute(1);
}
