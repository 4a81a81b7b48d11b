/**
 * Public keys and signatures of the interface specification: DER-encoded Ed25519, ECDSA
 * (secp256k1 and P-256, SHA-256, r‖s signatures), canister signatures, and the
 * self-authenticating principals derived from them. Malleable (high-S) ECDSA signatures are
 * accepted for both curves, as the replica does (WebCrypto produces high-S for P-256).
 */
import { createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { bytesToHex, concatBytes } from '@noble/hashes/utils';
import { sha224 } from './encoding';
import { NetworkError, NetworkErrorCode } from './errors';

export type PublicKeyKind = 'ed25519' | 'ecdsa-secp256k1' | 'ecdsa-p256' | 'canister-signature';

export interface ParsedPublicKey {
  kind: PublicKeyKind;
  der: Uint8Array;
  /** For canister signatures: the signing canister and the seed. */
  canister?: { id: Uint8Array; seed: Uint8Array };
}

const ED25519_PREFIX = Uint8Array.from(Buffer.from('302a300506032b6570032100', 'hex'));
const SECP256K1_PREFIX = Uint8Array.from(
  Buffer.from('3056301006072a8648ce3d020106052b8104000a034200', 'hex'),
);
const P256_PREFIX = Uint8Array.from(
  Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'),
);
const CANISTER_SIG_OID = Uint8Array.from(Buffer.from('2b0601040183b8430102', 'hex'));
const COSE_OID = Uint8Array.from(Buffer.from('2b0601040183b8430101', 'hex'));

function startsWith(b: Uint8Array, prefix: Uint8Array): boolean {
  if (b.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[i] !== prefix[i]) return false;
  return true;
}

/** Minimal DER TLV reader, enough for SubjectPublicKeyInfo. */
function readTlv(b: Uint8Array, pos: number): { tag: number; start: number; end: number } {
  if (pos + 2 > b.length) throw new Error('truncated DER');
  const tag = b[pos];
  let len = b[pos + 1];
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || start + n > b.length) throw new Error('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | b[start + i];
    start += n;
  }
  if (start + len > b.length) throw new Error('truncated DER');
  return { tag, start, end: start + len };
}

function unsupported(message: string): NetworkError {
  return new NetworkError(NetworkErrorCode.UnsupportedKey, message);
}

export function parsePublicKey(der: Uint8Array): ParsedPublicKey {
  if (der.length === ED25519_PREFIX.length + 32 && startsWith(der, ED25519_PREFIX)) {
    return { kind: 'ed25519', der };
  }
  const ecdsa = (prefix: Uint8Array): boolean =>
    der.length === prefix.length + 65 && startsWith(der, prefix) && der[prefix.length] === 0x04;
  if (ecdsa(SECP256K1_PREFIX)) return { kind: 'ecdsa-secp256k1', der };
  if (ecdsa(P256_PREFIX)) return { kind: 'ecdsa-p256', der };
  try {
    const outer = readTlv(der, 0);
    if (outer.tag !== 0x30 || outer.end !== der.length) throw new Error('not a sequence');
    const algo = readTlv(der, outer.start);
    const oid = readTlv(der, algo.start);
    const oidBytes = der.subarray(oid.start, oid.end);
    const bits = readTlv(der, algo.end);
    if (bits.tag !== 0x03 || bits.end !== der.length || der[bits.start] !== 0) {
      throw new Error('bad bit string');
    }
    const payload = der.subarray(bits.start + 1, bits.end);
    if (oid.tag === 0x06 && bytesToHex(oidBytes) === bytesToHex(CANISTER_SIG_OID)) {
      const idLen = payload[0];
      if (idLen === undefined || idLen > 29 || payload.length < 1 + idLen) {
        throw new Error('bad canister signature key');
      }
      return {
        kind: 'canister-signature',
        der,
        canister: { id: payload.slice(1, 1 + idLen), seed: payload.slice(1 + idLen) },
      };
    }
    if (oid.tag === 0x06 && bytesToHex(oidBytes) === bytesToHex(COSE_OID)) {
      throw unsupported('WebAuthn (COSE) sender keys are not supported by this local network');
    }
  } catch (e) {
    if (e instanceof NetworkError) throw e;
  }
  throw unsupported(
    'Unsupported or malformed public key: expected DER Ed25519, ECDSA secp256k1/P-256 (uncompressed) or a canister signature key',
  );
}

export function selfAuthenticatingPrincipal(der: Uint8Array): Uint8Array {
  return concatBytes(sha224(der), Uint8Array.of(0x02));
}

const keyObjects = new Map<string, KeyObject>();

function keyObject(der: Uint8Array): KeyObject {
  const hex = bytesToHex(der);
  let k = keyObjects.get(hex);
  if (!k) {
    try {
      k = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
    } catch (e) {
      throw unsupported(`Malformed public key: ${(e as Error).message}`);
    }
    if (keyObjects.size > 4096) keyObjects.clear();
    keyObjects.set(hex, k);
  }
  return k;
}

export type CanisterSignatureVerifier = (args: {
  canisterId: Uint8Array;
  seed: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}) => boolean;

/** Verifies `signature` over `message` (domain separator included) with a DER public key. */
export function verifySignature(args: {
  key: ParsedPublicKey;
  message: Uint8Array;
  signature: Uint8Array;
  canisterSignatures?: CanisterSignatureVerifier;
}): boolean {
  const { key, message, signature } = args;
  switch (key.kind) {
    case 'ed25519':
      if (signature.length !== 64) return false;
      return nodeVerify(null, message, keyObject(key.der), signature);
    case 'ecdsa-secp256k1':
    case 'ecdsa-p256':
      if (signature.length !== 64) return false;
      return nodeVerify(
        'sha256',
        message,
        { key: keyObject(key.der), dsaEncoding: 'ieee-p1363' },
        signature,
      );
    case 'canister-signature':
      if (!args.canisterSignatures) return false;
      return args.canisterSignatures({
        canisterId: key.canister!.id,
        seed: key.canister!.seed,
        message,
        signature,
      });
  }
}
