/**
 * The BLS check of a certificate's signature, exactly as `@dfinity/agent` 3.4.3 makes it
 * (`utils/bls.js`: noble's `verifyShortSignature` on hex of the three byte strings), so that
 * moving it into a worker changes where it runs and nothing else.
 */
import { bls12_381 } from '@noble/curves/bls12-381';
import { bytesToHex } from '@repro-registry/attestation';

// Every check pairs with G2's generator, and noble first confirms that the generator lies in the
// prime-order subgroup: a multiplication which, for the generator alone, starts by building an
// 8-bit window table (about 4,000 additions in Fp2). That table is 0.3–0.4 s of the first check
// and serves nothing else here; with a window of 1 noble computes the same multiple by a ladder
// in a few milliseconds. The check and its answer are unchanged (first check measured in Node:
// 400–480 ms → 75–90 ms).
bls12_381.G2.Point.BASE.precompute(1);

export interface BlsRequest {
  id: number;
  publicKey: Uint8Array;
  signature: Uint8Array;
  message: Uint8Array;
}

/** `valid`: the signature verifies; `error`: noble refused the bytes (not a point, bad length). */
export type BlsReply = { id: number; valid: boolean } | { id: number; error: string };

export function blsVerifyHere(
  publicKey: Uint8Array,
  signature: Uint8Array,
  message: Uint8Array,
): boolean {
  return bls12_381.verifyShortSignature(
    bytesToHex(signature),
    bytesToHex(message),
    bytesToHex(publicKey),
  );
}
