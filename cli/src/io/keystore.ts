import { chmod, lstat, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import {
  ed25519PublicKeyFromSecret,
  principalFromEd25519PublicKey,
} from '@repro-registry/attestation';
import { usageError } from '../core/errors';
import { formatEd25519Pem, parseEd25519Pem, PemError } from '../core/pem';

export interface BuilderKey {
  seed: Uint8Array;
  publicKey: Uint8Array;
  principal: string;
}

export function keyFromSeed(seed: Uint8Array): BuilderKey {
  const publicKey = ed25519PublicKeyFromSecret(seed);
  return { seed, publicKey, principal: principalFromEd25519PublicKey(publicKey) };
}

/** Parses PEM text into a key, checking a bundled public key against the seed. */
export function keyFromPem(text: string, source: string): BuilderKey {
  let parsed;
  try {
    parsed = parseEd25519Pem(text);
  } catch (error) {
    if (error instanceof PemError) throw usageError(`${source}: ${error.message}`);
    throw error;
  }
  const key = keyFromSeed(parsed.seed);
  if (parsed.publicKey !== null && !parsed.publicKey.every((b, i) => b === key.publicKey[i])) {
    throw usageError(
      `${source}: the public key in the file does not belong to its private key`,
      'the file is corrupt; use another copy',
    );
  }
  return key;
}

/** Loads the builder key, refusing a file others can read. */
export async function loadKey(keyPath: string): Promise<BuilderKey> {
  let info;
  try {
    info = await lstat(keyPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw usageError(
        `no builder key at ${keyPath}`,
        'create one with `repro key new` or import one with `repro key import <pem>`',
      );
    }
    throw usageError(`cannot read the builder key ${keyPath}: ${(error as Error).message}`);
  }
  if (!info.isFile()) throw usageError(`the builder key ${keyPath} is not a regular file`);
  if ((info.mode & 0o077) !== 0) {
    throw usageError(
      `the builder key ${keyPath} can be read by other users (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')})`,
      `restrict it with \`chmod 600 ${keyPath}\``,
    );
  }
  let text: string;
  try {
    text = await readFile(keyPath, 'utf8');
  } catch (error) {
    throw usageError(
      `cannot read the builder key ${keyPath}: ${(error as Error).message}`,
      `check that you own it: ls -l ${keyPath}`,
    );
  }
  return keyFromPem(text, keyPath);
}

/** Writes the key with mode 0600 (atomically: a crash leaves the old key or the new one). */
export async function saveKey(args: {
  keyPath: string;
  key: BuilderKey;
  force: boolean;
}): Promise<void> {
  const { keyPath, key, force } = args;
  await mkdir(path.dirname(keyPath), { recursive: true, mode: 0o700 });
  const exists = await lstat(keyPath).then(
    () => true,
    () => false,
  );
  if (exists && !force) {
    throw usageError(
      `a builder key already exists at ${keyPath}`,
      'keep it, or replace it with --force (export the old one first: it cannot be recovered)',
    );
  }
  const temporary = `${keyPath}.${process.pid}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(formatEd25519Pem(key.seed));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temporary, 0o600);
    await rename(temporary, keyPath);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
