/**
 * Identities from PEM files, as dfx keeps them: Ed25519 (PKCS#8 "PRIVATE KEY") and ECDSA
 * secp256k1 ("EC PRIVATE KEY", dfx's default), parsed with node:crypto and handed to the
 * identities of `@dfinity/identity` and `@dfinity/identity-secp256k1`.
 */
import type { SignIdentity } from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { Secp256k1KeyIdentity } from '@dfinity/identity-secp256k1';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

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
  if (jwk.crv === 'secp256k1') return Secp256k1KeyIdentity.fromSecretKey(b64url(jwk.d));
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
