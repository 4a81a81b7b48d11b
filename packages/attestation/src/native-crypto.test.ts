// The WebCrypto verifier against Node's WebCrypto (OpenSSL underneath): its answers, and that it
// imports each key once while it is among the last IMPORTED_KEYS used.
import { webcrypto } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { ed25519PublicKeyFromSecret, signEd25519 } from './keys';
import { IMPORTED_KEYS, probeNativeEd25519 } from './native-crypto';

/** Node's SubtleCrypto, counting the keys it imports. */
function countingSubtle(): { subtle: SubtleCrypto; imports: () => number } {
  let imports = 0;
  const subtle = webcrypto.subtle as unknown as SubtleCrypto;
  const counting = Object.create(subtle) as SubtleCrypto;
  counting.importKey = ((...args: Parameters<SubtleCrypto['importKey']>) => {
    imports++;
    return subtle.importKey(...args);
  }) as SubtleCrypto['importKey'];
  counting.verify = subtle.verify.bind(subtle);
  return { subtle: counting, imports: () => imports };
}

function signer(seed: number) {
  const secretKey = new Uint8Array(32).fill(seed & 255);
  secretKey[0] = seed >> 8; // distinct keys for seeds beyond 255
  const message = Uint8Array.of(seed & 255, 1, 2, 3);
  return {
    publicKey: ed25519PublicKeyFromSecret(secretKey),
    message,
    signature: signEd25519(message, secretKey),
  };
}

describe('the WebCrypto Ed25519 verifier', () => {
  it('imports a key once while it is in use, and still refuses a bad signature', async () => {
    const { subtle, imports } = countingSubtle();
    const verify = await probeNativeEd25519(subtle);
    if (verify === null) throw new Error('Node 20 has Ed25519 in WebCrypto');
    const before = imports();
    const a = signer(1);
    expect(await verify(a)).toBe(true);
    expect(await verify(a)).toBe(true);
    const bad = a.signature.slice();
    bad[5] ^= 1;
    expect(await verify({ ...a, signature: bad })).toBe(false);
    expect(await verify({ ...a, message: Uint8Array.of(9) })).toBe(false);
    expect(imports() - before).toBe(1);
    // Another key's signature does not verify under this one's key.
    const b = signer(2);
    expect(await verify({ ...b, publicKey: a.publicKey })).toBe(false);
    expect(await verify(b)).toBe(true);
    expect(imports() - before).toBe(2);
  });

  it('keeps at most IMPORTED_KEYS keys, dropping the oldest first', async () => {
    const { subtle, imports } = countingSubtle();
    const verify = await probeNativeEd25519(subtle);
    if (verify === null) throw new Error('Node 20 has Ed25519 in WebCrypto');
    const signers = Array.from({ length: IMPORTED_KEYS + 1 }, (_, i) => signer(i + 3));
    for (const s of signers) expect(await verify(s)).toBe(true);
    const before = imports();
    expect(await verify(signers[IMPORTED_KEYS])).toBe(true); // the newest is kept
    expect(imports()).toBe(before);
    expect(await verify(signers[0])).toBe(true); // the oldest was dropped: imported again
    expect(imports()).toBe(before + 1);
  });

  it('does not keep a key WebCrypto refused', async () => {
    const { subtle, imports } = countingSubtle();
    const verify = await probeNativeEd25519(subtle);
    if (verify === null) throw new Error('Node 20 has Ed25519 in WebCrypto');
    const a = signer(7);
    const short = { ...a, publicKey: a.publicKey.subarray(0, 31) };
    const before = imports();
    await expect(verify(short)).rejects.toThrow();
    await expect(verify(short)).rejects.toThrow();
    expect(imports() - before).toBe(2);
  });
});
