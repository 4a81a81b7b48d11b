/**
 * The BLS check of a certificate's signature, exactly as `@dfinity/agent` 3.4.3 makes it
 * (`utils/bls.js`: noble's `verifyShortSignature` on hex of the three byte strings), so that
 * moving it into a worker changes where it runs and nothing else.
 */
import { bls12_381 } from '@noble/curves/bls12-381';
import { bytesToHex } from '@repro-registry/attestation';
import { checkCertificatesWithoutGeneratorTable } from '@repro-registry/client/certificate-checks';

checkCertificatesWithoutGeneratorTable();

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
