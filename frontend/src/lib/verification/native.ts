/**
 * The browser's own Ed25519 and SHA-256 (WebCrypto), when it has them. Chromium verifies 1,000
 * Ed25519 signatures in about 0.1 s natively against about 1 s in JS. Ed25519 in WebCrypto is
 * recent: its presence is probed with a real verification, not assumed.
 */
import {
  bytesToHex,
  hexToBytes,
  sha256Hex,
  type Ed25519Verifier,
} from '@repro-registry/attestation';

import type { NativeCrypto } from './verify';

/**
 * RFC 8032 section 7.1, TEST 2: a known-good signature. A fixed one, because signing one here
 * would build noble's base-point table (~50 ms in a fresh worker) that the native path never needs.
 */
const PROBE = {
  publicKey: hexToBytes('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c'),
  message: hexToBytes('72'),
  signature: hexToBytes(
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da' +
      '085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  ),
};

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
  if (subtle === null) return {};
  const native: NativeCrypto = {};
  const ed25519: Ed25519Verifier = async ({ signature, message, publicKey }) => {
    const key = await subtle.importKey(
      'raw',
      publicKey as BufferSource,
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
    return subtle.verify(
      { name: 'Ed25519' },
      key,
      signature as BufferSource,
      message as BufferSource,
    );
  };
  try {
    // A known-good signature must verify and a bad one must not, or the native check is unused.
    const bad = PROBE.signature.slice();
    bad[0] = bad[0] ^ 1;
    if ((await ed25519(PROBE)) && !(await ed25519({ ...PROBE, signature: bad }))) {
      native.ed25519 = ed25519;
    }
  } catch {
    // no Ed25519 in this browser's WebCrypto
  }
  return native;
}
