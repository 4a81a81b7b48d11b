/**
 * The network's keys and certificates: a BLS12-381 root key (min-sig: 48-byte G1 signatures,
 * 96-byte G2 public key) that signs state-tree root hashes, and an Ed25519 node key that signs
 * query responses. Without an NNS delegation the subnet id is the self-authenticating principal
 * of the root key's DER, which is what clients derive.
 */
import { bls12_381 as bls } from '@noble/curves/bls12-381';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as nodeSign,
  type KeyObject,
} from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCbor, encodeCbor, isCborMap, type CborValue } from './cbor';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import { bytesEqual, sha256 } from './encoding';
import {
  hashTreeFromCbor,
  lookupPath,
  reconstruct,
  type HashTree,
} from '@repro-registry/certification';
import { selfAuthenticatingPrincipal } from './keys';

export const BLS_DER_PREFIX = hexToBytes(
  '308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100',
);
const STATE_ROOT_SEPARATOR = concatBytes(Uint8Array.of(13), utf8ToBytes('ic-state-root'));
const G1_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
interface G1Point {
  multiplyUnsafe(scalar: bigint): { toRawBytes(compressed: boolean): Uint8Array };
}

export class RootKey {
  readonly publicKey: Uint8Array;
  readonly der: Uint8Array;

  private readonly scalar: bigint;

  constructor(private readonly secret: Uint8Array) {
    this.publicKey = bls.getPublicKeyForShortSignatures(secret);
    this.scalar = BigInt('0x' + bytesToHex(secret)) % bls.params.r;
    this.der = concatBytes(BLS_DER_PREFIX, this.publicKey);
  }

  static generate(): RootKey {
    return new RootKey(bls.utils.randomSecretKey());
  }

  get secretHex(): string {
    return bytesToHex(this.secret);
  }

  /**
   * Signs a state-tree root hash: BLS over "\x0Dic-state-root" · root (hash-to-curve with the
   * standard G1 DST, then times the secret). The variable-time multiplication is about twice as
   * fast; timing side channels do not matter for a development network's throwaway key.
   */
  signRoot(rootHash: Uint8Array): Uint8Array {
    const point = bls.G1.hashToCurve(concatBytes(STATE_ROOT_SEPARATOR, rootHash), { DST: G1_DST });
    return (point as unknown as G1Point).multiplyUnsafe(this.scalar).toRawBytes(true);
  }
}

export class NodeKey {
  readonly der: Uint8Array;
  readonly nodeId: Uint8Array;
  private readonly privateKey: KeyObject;

  constructor(pkcs8: Uint8Array) {
    this.privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
    this.der = new Uint8Array(
      createPublicKey(this.privateKey).export({ format: 'der', type: 'spki' }),
    );
    this.nodeId = selfAuthenticatingPrincipal(this.der);
  }

  static generate(): NodeKey {
    const { privateKey } = generateKeyPairSync('ed25519');
    return new NodeKey(new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })));
  }

  get pkcs8Hex(): string {
    return bytesToHex(new Uint8Array(this.privateKey.export({ format: 'der', type: 'pkcs8' })));
  }

  sign(message: Uint8Array): Uint8Array {
    return new Uint8Array(nodeSign(null, message, this.privateKey));
  }
}

/** Loads the keys of a state directory, creating them on first use (file mode 0600). */
export async function loadOrCreateKeys(
  stateDir: string,
): Promise<{ root: RootKey; node: NodeKey }> {
  const file = join(stateDir, 'network-keys.json');
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as { root: string; node: string };
    return { root: new RootKey(hexToBytes(json.root)), node: new NodeKey(hexToBytes(json.node)) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`cannot read network keys from ${file}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }
  const root = RootKey.generate();
  const node = NodeKey.generate();
  await mkdir(stateDir, { recursive: true });
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify({ root: root.secretHex, node: node.pkcs8Hex }) + '\n', {
    mode: 0o600,
  });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
  return { root, node };
}

export function encodeCertificate(tree: HashTree, signature: Uint8Array): Uint8Array {
  return encodeCbor({ tree: tree as unknown as CborValue, signature });
}

/**
 * Verifies a certificate signed by `rootKeyDer` (no delegation: this network is the root
 * subnet) and returns its tree.
 */
export function verifyCertificate(certificate: Uint8Array, rootKeyDer: Uint8Array): HashTree {
  const cert = decodeCbor(certificate);
  if (!isCborMap(cert) || !(cert.signature instanceof Uint8Array)) {
    throw new Error('malformed certificate');
  }
  if (cert.delegation !== undefined)
    throw new Error('certificates with delegation are not accepted');
  const tree = hashTreeFromCbor(cert.tree);
  const pk = rootKeyDer.subarray(BLS_DER_PREFIX.length);
  if (!bytesEqual(rootKeyDer.subarray(0, BLS_DER_PREFIX.length), BLS_DER_PREFIX)) {
    throw new Error('root key is not a DER BLS key');
  }
  const msg = concatBytes(STATE_ROOT_SEPARATOR, reconstruct(tree));
  if (!bls.verifyShortSignature(cert.signature, msg, pk)) {
    throw new Error('certificate signature does not verify');
  }
  return tree;
}

/**
 * Canister signatures (the scheme Internet Identity uses): the canister certified
 * `sig/<sha256(seed)>/<sha256(message)>` in a tree whose root is its certified data.
 */
export function verifyCanisterSignature(args: {
  rootKeyDer: Uint8Array;
  canisterId: Uint8Array;
  seed: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}): boolean {
  try {
    const sig = decodeCbor(args.signature);
    if (!isCborMap(sig) || !(sig.certificate instanceof Uint8Array)) return false;
    const sigTree = hashTreeFromCbor(sig.tree);
    const certTree = verifyCertificate(sig.certificate, args.rootKeyDer);
    const certified = lookupPath(certTree, ['canister', args.canisterId, 'certified_data']);
    if (certified.status !== 'found' || !bytesEqual(certified.value, reconstruct(sigTree))) {
      return false;
    }
    const entry = lookupPath(sigTree, ['sig', sha256(args.seed), sha256(args.message)]);
    return entry.status === 'found' && entry.value.length === 0;
  } catch {
    return false;
  }
}
