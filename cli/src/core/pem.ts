/*
 * Ed25519 private keys as PKCS#8 PEM (RFC 5208 / RFC 8410), the format `dfx identity export`
 * and `openssl genpkey -algorithm ed25519` write. Both the plain form (v1, seed only) and the
 * OneAsymmetricKey form (v2, RFC 5958, seed plus public key) are read; v1 is written.
 */

const ED25519_OID = [0x06, 0x03, 0x2b, 0x65, 0x70];

export class PemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PemError';
  }
}

interface Der {
  tag: number;
  /** Content bytes. */
  value: Uint8Array;
  /** Bytes of the whole element (tag, length, content). */
  length: number;
}

function readDer(bytes: Uint8Array, offset: number): Der {
  if (offset + 2 > bytes.length) throw new PemError('the key is truncated');
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 2 || offset + 2 + count > bytes.length)
      throw new PemError('the key has a bad DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = (length << 8) | bytes[offset + 2 + i];
    header += count;
  }
  if (offset + header + length > bytes.length) throw new PemError('the key is truncated');
  return {
    tag,
    value: bytes.subarray(offset + header, offset + header + length),
    length: header + length,
  };
}

function children(value: Uint8Array): Der[] {
  const out: Der[] = [];
  for (let offset = 0; offset < value.length;) {
    const element = readDer(value, offset);
    out.push(element);
    offset += element.length;
  }
  return out;
}

function sameBytes(a: Uint8Array, b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function base64ToBytes(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
    throw new PemError('the PEM body is not base64');
  return Uint8Array.from(Buffer.from(text, 'base64'));
}

export interface Ed25519PrivateKey {
  /** The 32-byte seed (RFC 8032 private key). */
  seed: Uint8Array;
  /** The public key if the file carried one (v2); the caller checks it against the seed. */
  publicKey: Uint8Array | null;
}

/** Reads the first `PRIVATE KEY` block; explains what is wrong with anything else. */
export function parseEd25519Pem(text: string): Ed25519PrivateKey {
  if (/-----BEGIN EC PRIVATE KEY-----/.test(text)) {
    throw new PemError(
      'this is a secp256k1 (EC) key, not Ed25519; create an Ed25519 key with `repro key new`',
    );
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text)) {
    throw new PemError(
      'this key is encrypted; export it in plain form first (`dfx identity export <name>`)',
    );
  }
  const m = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(text);
  if (!m) throw new PemError('no "-----BEGIN PRIVATE KEY-----" block found: not a PKCS#8 PEM file');
  const der = base64ToBytes(m[1].replace(/\s+/g, ''));
  const outer = readDer(der, 0);
  if (outer.tag !== 0x30 || outer.length !== der.length)
    throw new PemError('the key is not one DER SEQUENCE');
  const parts = children(outer.value);
  const [version, algorithm, privateKey, ...rest] = parts;
  if (!version || version.tag !== 0x02 || version.value.length !== 1 || version.value[0] > 1) {
    throw new PemError('unsupported PKCS#8 version');
  }
  if (!algorithm || algorithm.tag !== 0x30 || !sameBytes(algorithm.value, ED25519_OID)) {
    throw new PemError('this is not an Ed25519 key (algorithm is not 1.3.101.112)');
  }
  if (!privateKey || privateKey.tag !== 0x04)
    throw new PemError('the key has no private key octets');
  const inner = readDer(privateKey.value, 0);
  if (inner.tag !== 0x04 || inner.value.length !== 32 || inner.length !== privateKey.value.length) {
    throw new PemError('the Ed25519 private key is not 32 bytes');
  }
  let publicKey: Uint8Array | null = null;
  for (const field of rest) {
    if (field.tag === 0xa0) continue; // [0] attributes
    let bitString: Uint8Array | null = null;
    if (field.tag === 0x81)
      bitString = field.value; // [1] IMPLICIT BIT STRING
    else if (field.tag === 0xa1) {
      const wrapped = readDer(field.value, 0); // [1] EXPLICIT BIT STRING
      if (wrapped.tag === 0x03) bitString = wrapped.value;
    }
    if (bitString === null || bitString.length !== 33 || bitString[0] !== 0)
      throw new PemError('the key has a malformed public key field');
    publicKey = Uint8Array.from(bitString.subarray(1));
  }
  return { seed: Uint8Array.from(inner.value), publicKey };
}

/** PKCS#8 v1 PEM of a 32-byte Ed25519 seed (what openssl writes). */
export function formatEd25519Pem(seed: Uint8Array): string {
  if (seed.length !== 32) throw new TypeError('an Ed25519 seed is 32 bytes');
  const der = Uint8Array.from([
    0x30,
    0x2e,
    0x02,
    0x01,
    0x00,
    0x30,
    0x05,
    ...ED25519_OID,
    0x04,
    0x22,
    0x04,
    0x20,
    ...seed,
  ]);
  const body = Buffer.from(der).toString('base64');
  return `-----BEGIN PRIVATE KEY-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
}
