/**
 * Ed25519 and SHA-256 from WebCrypto, where the runtime has them (browsers, Node ≥ 20): native,
 * far faster than JS (Chromium verifies an Ed25519 signature in ~0.1 ms, noble in several ms).
 * Ed25519 in WebCrypto is recent, so its presence is probed with a real verification, never
 * assumed. Not part of the package's pure core (index.ts): the canister never imports it.
 */
import type { Ed25519Verifier } from './attestation';
import { hexToBytes } from './bytes';

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
 * Imported keys kept per verifier. A client checks every query's node signature against the same
 * few subnet node keys, and a builder's page verifies many envelopes of one key; a proposal page's
 * thousand builders must not be kept forever, so the oldest import makes room.
 */
export const IMPORTED_KEYS = 256;

/** WebCrypto's Ed25519 check over `subtle` (raw 32-byte public keys). */
function webCryptoEd25519(subtle: SubtleCrypto): Ed25519Verifier {
  const imported = new Map<string, Promise<CryptoKey>>();
  const importKey = (publicKey: Uint8Array): Promise<CryptoKey> => {
    const id = String.fromCharCode.apply(null, publicKey as unknown as number[]);
    let key = imported.get(id);
    if (key === undefined) {
      key = subtle.importKey('raw', publicKey as BufferSource, { name: 'Ed25519' }, false, [
        'verify',
      ]);
      const pending = key;
      // A refused import is not kept: the next call asks again.
      void pending.catch(() => {
        if (imported.get(id) === pending) imported.delete(id);
      });
      if (imported.size >= IMPORTED_KEYS) imported.delete(imported.keys().next().value as string);
      imported.set(id, key);
    }
    return key;
  };
  return async ({ signature, message, publicKey }) =>
    subtle.verify(
      { name: 'Ed25519' },
      await importKey(publicKey),
      signature as BufferSource,
      message as BufferSource,
    );
}

/**
 * The native Ed25519 check, or null when `subtle` has none or it fails the probe: a known-good
 * signature must verify and a bad one must not.
 */
export async function probeNativeEd25519(
  subtle: SubtleCrypto | null = globalThis.crypto?.subtle ?? null,
): Promise<Ed25519Verifier | null> {
  if (subtle === null) return null;
  const ed25519 = webCryptoEd25519(subtle);
  const bad = PROBE.signature.slice();
  bad[0] = bad[0] ^ 1;
  try {
    if ((await ed25519(PROBE)) && !(await ed25519({ ...PROBE, signature: bad }))) return ed25519;
  } catch {
    // no Ed25519 in this runtime's WebCrypto
  }
  return null;
}

/** WebCrypto's SHA-256, or null when `subtle` has none (probed with a real digest). */
export async function probeNativeSha256(
  subtle: SubtleCrypto | null = globalThis.crypto?.subtle ?? null,
): Promise<((bytes: Uint8Array) => Promise<Uint8Array>) | null> {
  if (subtle === null) return null;
  try {
    await subtle.digest('SHA-256', new Uint8Array(1));
  } catch {
    return null;
  }
  return async (bytes) => new Uint8Array(await subtle.digest('SHA-256', bytes as BufferSource));
}
