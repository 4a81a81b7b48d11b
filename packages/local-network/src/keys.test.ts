import { Ed25519KeyIdentity } from '@dfinity/identity';
import { describe, expect, it } from 'vitest';
import { encodeCbor, type CborValue } from './cbor';
import { encodeCertificate, RootKey, verifyCanisterSignature } from './certification';
import { concatBytes, hexToBytes } from '@noble/hashes/utils';
import { sha256 } from './encoding';
import { NetworkError } from './errors';
import { LabeledMap, Leaf, pathRequestOf } from '@repro-registry/certification';
import {
  parsePublicKey,
  selfAuthenticatingPrincipal,
  verifySignature,
  type CanisterSignatureVerifier,
} from './keys';

const CANISTER = hexToBytes('80000000001000010101');

/** A canister signature key: DER(OID 1.3.6.1.4.1.56387.1.2, |id| · id · seed). */
function canisterSigDer(id: Uint8Array, seed: Uint8Array): Uint8Array {
  const payload = concatBytes(Uint8Array.of(id.length), id, seed);
  const bits = concatBytes(Uint8Array.of(0x03, payload.length + 1, 0x00), payload);
  const algo = hexToBytes('300c060a2b0601040183b8430102');
  return concatBytes(Uint8Array.of(0x30, algo.length + bits.length), algo, bits);
}

describe('public keys', () => {
  it('parses the DER keys the agent produces and derives their principal', () => {
    const id = Ed25519KeyIdentity.generate();
    const der = id.getPublicKey().toDer();
    expect(parsePublicKey(der).kind).toBe('ed25519');
    expect(selfAuthenticatingPrincipal(der)).toEqual(id.getPrincipal().toUint8Array());
  });

  it('refuses malformed keys with a stable code', () => {
    expect(() => parsePublicKey(Uint8Array.of(1, 2, 3))).toThrow(NetworkError);
    const der = Ed25519KeyIdentity.generate().getPublicKey().toDer();
    expect(() => parsePublicKey(der.subarray(0, 40))).toThrow(
      /Unsupported or malformed public key/,
    );
  });

  it('verifies canister signatures against a certificate of this network', () => {
    const root = RootKey.generate();
    const seed = Uint8Array.of(7, 7);
    const message = new TextEncoder().encode('payload');
    const sigTree = new LabeledMap([
      [
        'sig',
        new LabeledMap([
          [sha256(seed), new LabeledMap([[sha256(message), new Leaf(new Uint8Array())]])],
        ]),
      ],
    ]);
    const state = new LabeledMap([
      [
        'canister',
        new LabeledMap([
          [CANISTER, new LabeledMap([['certified_data', new Leaf(sigTree.digest())]])],
        ]),
      ],
      ['time', new Leaf(Uint8Array.of(1))],
    ]);
    const certificate = encodeCertificate(state.witness('all'), root.signRoot(state.digest()));
    const signature = encodeCbor({
      certificate,
      tree: sigTree.witness('all') as unknown as CborValue,
    });
    const key = parsePublicKey(canisterSigDer(CANISTER, seed));
    expect(key.kind).toBe('canister-signature');
    const verifier: CanisterSignatureVerifier = (a) =>
      verifyCanisterSignature({ ...a, rootKeyDer: root.der });
    expect(verifySignature({ key, message, signature, canisterSignatures: verifier })).toBe(true);
    expect(
      verifySignature({
        key,
        message: new TextEncoder().encode('other'),
        signature,
        canisterSignatures: verifier,
      }),
    ).toBe(false);
    const pruned = encodeCbor({
      certificate,
      tree: sigTree.witness(
        pathRequestOf([[new TextEncoder().encode('nothing')]]),
      ) as unknown as CborValue,
    });
    expect(verifySignature({ key, message, signature: pruned, canisterSignatures: verifier })).toBe(
      false,
    );
  });
});
