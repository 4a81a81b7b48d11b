import * as ed from '@noble/ed25519';
import { sha512 } from './sha512';
import { isBytes } from './bytes';
import { FormatErrorCode } from './codes';
import { AttestationError } from './errors';
import { selfAuthenticatingPrincipalText } from './principal-text';

// noble's sync API needs a SHA-512 (there is no WebCrypto inside azle's engine); ours costs half
// of noble's in the canister's interpreter, see sha512.ts.
ed.hashes.sha512 = sha512;

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { AlgorithmIdentifier 1.3.101.112, BIT STRING }. */
const ED25519_SPKI_PREFIX = Uint8Array.of(
  0x30,
  0x2a,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x03,
  0x21,
  0x00,
);

function requireLength(
  bytes: Uint8Array,
  length: number,
  what: string,
  code: FormatErrorCode,
): void {
  if (!isBytes(bytes) || bytes.length !== length) {
    throw new AttestationError({ code, message: `${what} must be ${length} bytes` });
  }
}

/** The 44-byte DER SubjectPublicKeyInfo of a raw Ed25519 public key (what openssl and the IC use). */
export function ed25519SpkiDer(publicKey: Uint8Array): Uint8Array {
  requireLength(publicKey, 32, 'an Ed25519 public key', FormatErrorCode.PUBLIC_KEY_INVALID);
  const der = new Uint8Array(44);
  der.set(ED25519_SPKI_PREFIX, 0);
  der.set(publicKey, 12);
  return der;
}

/** Self-authenticating principal (SHA-224 of the DER key, then 0x02), text form. */
export function principalFromEd25519PublicKey(publicKey: Uint8Array): string {
  return selfAuthenticatingPrincipalText(ed25519SpkiDer(publicKey));
}

export function ed25519PublicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  requireLength(secretKey, 32, 'an Ed25519 secret key', FormatErrorCode.INVALID_ARGUMENT);
  return ed.getPublicKey(secretKey);
}

/**
 * True for a canonical encoding (y < p, no "negative zero" x) of a curve point that is not of
 * small order. A small-order key would let one signature verify for many messages.
 */
export function isStrictEd25519PublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false;
  try {
    return !ed.Point.fromBytes(publicKey, false).isSmallOrder();
  } catch {
    return false;
  }
}

/** Strict RFC 8032 verification: canonical R, A and S < L, small-order keys refused. */
export function verifyEd25519(args: {
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
}): boolean {
  try {
    return ed.verify(args.signature, args.message, args.publicKey, { zip215: false });
  } catch {
    return false;
  }
}

export function signEd25519(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  requireLength(secretKey, 32, 'an Ed25519 secret key', FormatErrorCode.INVALID_ARGUMENT);
  return ed.sign(message, secretKey);
}

/**
 * Builds noble's table of base-point multiples once. The first verification otherwise pays for
 * it (about 2 B instructions in the canister, 10x a warm verify). `multiply(1n)` returns before
 * touching the table, hence 2n.
 */
export function warmUpEd25519(): void {
  ed.Point.BASE.multiply(2n);
}

/** The group order L = 2^252 + 27742317777372353535851937790883648493. */
const ED25519_L = (1n << 252n) + 27742317777372353535851937790883648493n;

/** Whether the S half of an Ed25519 signature is a canonical scalar (S < L), as RFC 8032 requires. */
export function isCanonicalScalar(signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i]);
  return s < ED25519_L;
}

/**
 * Encodings of the eight points of small order, and the two with a set sign bit on x = 0 that
 * lenient decoders accept (RFC 8032 §5.1.3 forbids them).
 */
const SMALL_ORDER_ENCODINGS = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000080',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
];

/**
 * A cheap, byte-level part of `isStrictEd25519PublicKey` (no point decoding): the y coordinate
 * is canonical (< 2^255 - 19) and the encoding is not one of a small-order point. A key that
 * passes and decodes at all is strict; one that fails is not. It lets a native verifier, which
 * decodes keys leniently, be used without paying for noble's decoding first.
 */
export function passesCheapKeyChecks(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false;
  // y ≥ p: 0xed..0xff, then thirty 0xff, then 0x7f (sign bit aside).
  let yAtLeastP = publicKey[0] >= 0xed && (publicKey[31] & 0x7f) === 0x7f;
  for (let i = 1; yAtLeastP && i < 31; i++) yAtLeastP = publicKey[i] === 0xff;
  if (yAtLeastP) return false;
  let hex = '';
  for (const b of publicKey) hex += b.toString(16).padStart(2, '0');
  return !SMALL_ORDER_ENCODINGS.includes(hex);
}
