/**
 * The browser's own Ed25519 and SHA-256 (WebCrypto), when it has them. Chromium verifies 1,000
 * Ed25519 signatures in about 0.1 s natively against about 1 s in JS. Ed25519 in WebCrypto is
 * recent: its presence is probed with a real verification, not assumed.
 */
import { bytesToHex } from '@repro-registry/attestation';
import { probeNativeEd25519, probeNativeSha256 } from '@repro-registry/attestation/native';

import type { NativeCrypto } from './verify';

/** Probes once; resolves to the primitives that work here (possibly none). */
export async function detectNativeCrypto(
  subtle: SubtleCrypto | null = globalThis.crypto?.subtle ?? null,
): Promise<NativeCrypto> {
  const [sha256, ed25519] = await Promise.all([
    probeNativeSha256(subtle),
    probeNativeEd25519(subtle),
  ]);
  const native: NativeCrypto = {};
  if (sha256 !== null) native.sha256Hex = async (bytes) => bytesToHex(await sha256(bytes));
  if (ed25519 !== null) native.ed25519 = ed25519;
  return native;
}
