import { describe, expect, it } from 'vitest';
import { ed25519PublicKeyFromSecret } from '@repro-registry/attestation';
import { pkcs8Ed448Der, pkcs8V2Der, privateKeyPem as pem } from '../../test/pem-keys';
import { formatEd25519Pem, parseEd25519Pem } from './pem';

const seed = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

describe('Ed25519 PKCS#8 PEM', () => {
  it('round-trips the v1 form openssl and dfx write', () => {
    expect(parseEd25519Pem(formatEd25519Pem(seed))).toEqual({ seed, publicKey: null });
  });

  it('reads the v2 form (RFC 5958) with its public key', () => {
    const publicKey = ed25519PublicKeyFromSecret(seed);
    expect(parseEd25519Pem(pem(pkcs8V2Der(seed, publicKey)))).toEqual({ seed, publicKey });
  });

  it('names what is wrong with other keys', () => {
    expect(() => parseEd25519Pem('hello')).toThrow(/no "-----BEGIN PRIVATE KEY-----" block/);
    expect(() =>
      parseEd25519Pem('-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----'),
    ).toThrow(/secp256k1/);
    expect(() =>
      parseEd25519Pem(
        '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA==\n-----END ENCRYPTED PRIVATE KEY-----',
      ),
    ).toThrow(/encrypted/);
    // An Ed448 OID (1.3.101.113) instead of Ed25519.
    expect(() => parseEd25519Pem(pem(pkcs8Ed448Der(seed)))).toThrow(/not an Ed25519 key/);
    expect(() => parseEd25519Pem(pem(Uint8Array.of(0x30, 0x2e, 0x02, 0x01)))).toThrow(/truncated/);
  });
});
