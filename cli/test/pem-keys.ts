/**
 * PKCS#8 Ed25519 keys as PEM, for the tests of `repro key import`. openssl and dfx write the v1
 * form (RFC 8410), which `formatEd25519Pem` writes too; no tool here writes the v2 form of
 * RFC 5958 (which adds the public key), so it is assembled from its DER here, once.
 */
import { hexToBytes } from '@repro-registry/attestation';

/** `-----BEGIN PRIVATE KEY-----` around the base64 of `der`. */
export function privateKeyPem(der: Uint8Array): string {
  return `-----BEGIN PRIVATE KEY-----\n${Buffer.from(der).toString('base64')}\n-----END PRIVATE KEY-----\n`;
}

/** SEQUENCE { version, AlgorithmIdentifier <oid>, OCTET STRING { OCTET STRING seed } }. */
const PRIVATE_KEY_HEADER = (version: '00' | '01', length: string, oidLastByte: string) =>
  `30${length}0201${version}300506032b65${oidLastByte}04220420`;

/** The v2 form: version 1, the seed, then `[1] BIT STRING publicKey`. */
export function pkcs8V2Der(seed: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const header = hexToBytes(PRIVATE_KEY_HEADER('01', '53', '70'));
  return Uint8Array.from([...header, ...seed, ...hexToBytes('a123032100'), ...publicKey]);
}

/** A v1 key of Ed448 (OID 1.3.101.113) instead of Ed25519. */
export function pkcs8Ed448Der(seed: Uint8Array): Uint8Array {
  return Uint8Array.from([...hexToBytes(PRIVATE_KEY_HEADER('00', '2e', '71')), ...seed]);
}
