/**
 * The browser's own Ed25519 and SHA-256 (WebCrypto), when it has them. Chromium verifies 1,000
 * Ed25519 signatures in about 0.1 s natively against about 1 s in JS. Ed25519 in WebCrypto is
 * recent: its presence is probed with a real verification, not assumed.
 */
import { bytesToHex, sha256Hex } from '@repro-registry/attestation';
import { probeNativeEd25519 } from '@repro-registry/attestation/native';

import type { NativeCrypto } from './verify';

/**
 * SHA-256 of some bytes (hex), natively where WebCrypto is (it is not on a page served over plain
 * HTTP from another host than localhost).
 */
export async function sha256HexOf(
  bytes: Uint8Array,
  subtle: SubtleCrypto | null = globalThis.crypto?.subtle ?? null,
): Promise<string> {
  if (subtle === null) return sha256Hex(bytes);
  return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes as BufferSource)));
}

/** Probes once; resolves to the primitives that work here (possibly none). */
export async function detectNativeCrypto(
  subtle: SubtleCrypto | null = globalThis.crypto?.subtle ?? null,
): Promise<NativeCrypto> {
  const ed25519 = await probeNativeEd25519(subtle);
  return ed25519 === null ? {} : { ed25519 };
}
