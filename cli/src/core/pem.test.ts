import { describe, expect, it } from 'vitest';
import { ed25519PublicKeyFromSecret } from '@repro-registry/attestation';
import { formatEd25519Pem, parseEd25519Pem } from './pem';

const seed = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const pem = (der: number[]) =>
  `-----BEGIN PRIVATE KEY-----\n${Buffer.from(der).toString('base64')}\n-----END PRIVATE KEY-----\n`;
const v2 = (publicKey: Uint8Array) => [
  0x30,
  0x53,
  0x02,
  0x01,
  0x01,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
  ...seed,
  0xa1,
  0x23,
  0x03,
  0x21,
  0x00,
  ...publicKey,
];

describe('Ed25519 PKCS#8 PEM', () => {
  it('round-trips the v1 form openssl and dfx write', () => {
    expect(parseEd25519Pem(formatEd25519Pem(seed))).toEqual({ seed, publicKey: null });
  });

  it('reads the v2 form (RFC 5958) with its public key', () => {
    const publicKey = ed25519PublicKeyFromSecret(seed);
    expect(parseEd25519Pem(pem(v2(publicKey)))).toEqual({ seed, publicKey });
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
    const ed448 = [
      0x30,
      0x2e,
      0x02,
      0x01,
      0x00,
      0x30,
      0x05,
      0x06,
      0x03,
      0x2b,
      0x65,
      0x71,
      0x04,
      0x22,
      0x04,
      0x20,
      ...seed,
    ];
    expect(() => parseEd25519Pem(pem(ed448))).toThrow(/not an Ed25519 key/);
    expect(() => parseEd25519Pem(pem([0x30, 0x2e, 0x02, 0x01]))).toThrow(/truncated/);
  });
});
