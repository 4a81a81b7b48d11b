import { bls12_381 as bls } from '@noble/curves/bls12-381';
import { blsVerify } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateKeys, RootKey, verifyCertificate, encodeCertificate } from './certification';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import { LabeledMap, Leaf } from '@repro-registry/certification';

describe('root key', () => {
  it('signs root hashes as the IC does (the agent’s BLS check accepts them)', () => {
    const key = RootKey.generate();
    const root = new Uint8Array(32).fill(3);
    const sig = key.signRoot(root);
    expect(sig).toHaveLength(48);
    const msg = concatBytes(Uint8Array.of(13), utf8ToBytes('ic-state-root'), root);
    expect(blsVerify(key.publicKey, sig, msg)).toBe(true);
    expect(bls.verifyShortSignature(sig, msg, key.publicKey)).toBe(true);
    expect(key.der).toHaveLength(133);
  });

  it('produces certificates verifyCertificate accepts and refuses altered ones', () => {
    const key = RootKey.generate();
    const tree = new LabeledMap([['time', new Leaf(Uint8Array.of(1))]]);
    const cert = encodeCertificate(tree.witness('all'), key.signRoot(tree.digest()));
    expect(verifyCertificate(cert, key.der)).toBeDefined();
    expect(() => verifyCertificate(cert, RootKey.generate().der)).toThrow(/does not verify/);
  });

  it('keeps the keys of a state directory (private file) and derives the subnet id', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keys-test-'));
    try {
      const a = await loadOrCreateKeys(dir);
      const b = await loadOrCreateKeys(dir);
      expect(bytesToHex(a.root.der)).toBe(bytesToHex(b.root.der));
      expect(bytesToHex(a.node.der)).toBe(bytesToHex(b.node.der));
      expect(a.node.der).toHaveLength(44);
      expect((await stat(join(dir, 'network-keys.json'))).mode & 0o777).toBe(0o600);
      expect(Principal.selfAuthenticating(a.root.der).toText()).toHaveLength(63);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
