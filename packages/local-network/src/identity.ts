/**
 * Identities from PEM files, as dfx keeps them: Ed25519 (PKCS#8 "PRIVATE KEY") and ECDSA
 * secp256k1 ("EC PRIVATE KEY", dfx's default). `@dfinity/identity` has no secp256k1 identity,
 * so `Secp256k1KeyIdentity` signs with `@noble/curves` (SHA-256, r‖s, low-S).
 */
import {
  SignIdentity,
  type DerEncodedPublicKey,
  type PublicKey,
  type Signature,
} from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { secp256k1 } from '@noble/curves/secp256k1';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { concatBytes, fromHex, sha256 } from './encoding';

const SECP256K1_DER_PREFIX = fromHex('3056301006072a8648ce3d020106052b8104000a034200');

export class Secp256k1KeyIdentity extends SignIdentity {
  private readonly publicKey: PublicKey;

  constructor(private readonly secret: Uint8Array) {
    super();
    const raw = secp256k1.getPublicKey(secret, false);
    const der = concatBytes(SECP256K1_DER_PREFIX, raw) as DerEncodedPublicKey;
    this.publicKey = { toDer: () => der, rawKey: raw, derKey: der };
  }

  static generate(): Secp256k1KeyIdentity {
    return new Secp256k1KeyIdentity(secp256k1.utils.randomPrivateKey());
  }

  getPublicKey(): PublicKey {
    return this.publicKey;
  }

  async sign(blob: Uint8Array): Promise<Signature> {
    const sig = secp256k1.sign(sha256(blob), this.secret, { lowS: true });
    return sig.toCompactRawBytes() as Signature;
  }
}

function b64url(s: string | undefined): Uint8Array {
  if (!s) throw new Error('PEM key has no private scalar');
  return new Uint8Array(Buffer.from(s, 'base64url'));
}

/** An identity from a PEM private key (Ed25519 or secp256k1). */
export function identityFromPem(pem: string): SignIdentity {
  let jwk: { crv?: string; d?: string; kty?: string };
  try {
    jwk = createPrivateKey(pem).export({ format: 'jwk' });
  } catch (e) {
    throw new Error(`not a PEM private key: ${(e as Error).message}`, { cause: e });
  }
  if (jwk.crv === 'Ed25519') return Ed25519KeyIdentity.fromSecretKey(b64url(jwk.d));
  if (jwk.crv === 'secp256k1') return new Secp256k1KeyIdentity(b64url(jwk.d));
  throw new Error(`unsupported identity key type ${jwk.kty}/${jwk.crv}: use Ed25519 or secp256k1`);
}

/** Reads the PEM at `path`, creating an Ed25519 key there (mode 0600) when it does not exist. */
export async function loadOrCreateIdentity(path: string): Promise<SignIdentity> {
  try {
    return identityFromPem(await readFile(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, pem, { mode: 0o600 });
  await chmod(path, 0o600);
  return identityFromPem(pem);
}
