// RFC 8032 section 7.1 test vectors through the package's own key, sign and verify paths, plus
// the strictness cases RFC 8032 requires and ZIP-215 / lenient verifiers accept.
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex, ed25519PublicKeyFromSecret, ed25519SpkiDer, hexToBytes } from '../src/index';
import { isStrictEd25519PublicKey, signEd25519, verifyEd25519 } from '../src/keys';

const RFC8032 = [
  {
    name: 'TEST 1 (empty message)',
    secretKey: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2 (one byte)',
    secretKey: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3 (two bytes)',
    secretKey: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
  {
    name: 'TEST SHA(abc)',
    secretKey: '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
    publicKey: 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
    message:
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    signature:
      'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704',
  },
];

describe.each(RFC8032)('RFC 8032 $name', (v) => {
  const secretKey = hexToBytes(v.secretKey);
  const publicKey = hexToBytes(v.publicKey);
  const message = hexToBytes(v.message);
  const signature = hexToBytes(v.signature);

  it('derives the public key', () => {
    expect(bytesToHex(ed25519PublicKeyFromSecret(secretKey))).toBe(v.publicKey);
  });

  it('signs to the published signature', () => {
    expect(bytesToHex(signEd25519(message, secretKey))).toBe(v.signature);
  });

  it('verifies, and Node agrees', () => {
    expect(verifyEd25519({ signature, message, publicKey })).toBe(true);
    const key = createPublicKey({
      key: Buffer.from(ed25519SpkiDer(publicKey)),
      format: 'der',
      type: 'spki',
    });
    expect(nodeVerify(null, message, key, signature)).toBe(true);
  });

  it('rejects any single flipped bit of the signature', { timeout: 60_000 }, () => {
    for (let i = 0; i < 64 * 8; i++) {
      const forged = signature.slice();
      forged[i >> 3] ^= 1 << (i & 7);
      expect(verifyEd25519({ signature: forged, message, publicKey })).toBe(false);
    }
  });
});

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const toLE = (n: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 255n);
  return out;
};
const fromLE = (b: Uint8Array): bigint => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);

describe('strict verification', () => {
  const v = RFC8032[1];
  const publicKey = hexToBytes(v.publicKey);
  const message = hexToBytes(v.message);
  const signature = hexToBytes(v.signature);

  it('rejects S + L (malleated signature), which OpenSSL also rejects', () => {
    const malleated = signature.slice();
    malleated.set(toLE(fromLE(signature.subarray(32)) + L), 32);
    expect(fromLE(malleated.subarray(32)) - L).toBe(fromLE(signature.subarray(32)));
    expect(verifyEd25519({ signature: malleated, message, publicKey })).toBe(false);
    const key = createPublicKey({
      key: Buffer.from(ed25519SpkiDer(publicKey)),
      format: 'der',
      type: 'spki',
    });
    expect(nodeVerify(null, message, key, malleated)).toBe(false);
  });

  // The eight points of small order (one of them, x = 0 with the sign bit set, has no
  // canonical encoding at all).
  const smallOrder = [
    '0100000000000000000000000000000000000000000000000000000000000000',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0000000000000000000000000000000000000000000000000000000000000080',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  ];

  it('refuses small-order public keys, even with a signature every message satisfies', () => {
    const identitySignature = new Uint8Array(64);
    identitySignature[0] = 1; // R = identity, S = 0
    for (const hex of smallOrder) {
      const key = hexToBytes(hex);
      expect(isStrictEd25519PublicKey(key)).toBe(false);
      expect(verifyEd25519({ signature: identitySignature, message, publicKey: key })).toBe(false);
    }
  });

  it('refuses non-canonical encodings (y ≥ p)', () => {
    const key = new Uint8Array(32).fill(0xff);
    key[0] = 0xee;
    key[31] = 0x7f;
    expect(isStrictEd25519PublicKey(key)).toBe(false);
  });

  it('accepts real keys', () => {
    for (const v of RFC8032) expect(isStrictEd25519PublicKey(hexToBytes(v.publicKey))).toBe(true);
  });

  it('never throws on malformed lengths', () => {
    expect(verifyEd25519({ signature: new Uint8Array(63), message, publicKey })).toBe(false);
    expect(verifyEd25519({ signature, message, publicKey: new Uint8Array(31) })).toBe(false);
  });
});
