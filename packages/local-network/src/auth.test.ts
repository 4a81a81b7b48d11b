import { AnonymousIdentity, Cbor, Expiry, type Identity } from '@dfinity/agent';
import {
  DelegationChain,
  DelegationIdentity,
  ECDSAKeyIdentity,
  Ed25519KeyIdentity,
} from '@dfinity/identity';
import { Principal } from '@dfinity/principal';
import { describe, expect, it } from 'vitest';
import { authenticate, parseRequest } from './auth';
import { NetworkError, NetworkErrorCode } from './errors';
import { Secp256k1KeyIdentity } from '@dfinity/identity-secp256k1';

const CANISTER = Principal.fromText('bkyz2-fmaaa-aaaaa-qaaaq-cai');
const NOW = BigInt(Date.now()) * 1_000_000n;

async function signedCall(
  identity: Identity,
  opts: { expiryDeltaMs?: number; canister?: Principal } = {},
) {
  const content = {
    request_type: 'call',
    canister_id: opts.canister ?? CANISTER,
    method_name: 'put',
    arg: Uint8Array.of(0x44, 0x49, 0x44, 0x4c, 0, 0),
    sender: identity.getPrincipal(),
    ingress_expiry: Expiry.fromDeltaInMilliseconds(opts.expiryDeltaMs ?? 120_000, 0),
    nonce: Uint8Array.of(1, 2, 3),
  };
  const { body } = (await identity.transformRequest({
    request: {},
    endpoint: 'call',
    body: content,
  } as never)) as {
    body: Record<string, unknown>;
  };
  return body;
}

function check(body: unknown, now = NOW) {
  const request = parseRequest(Cbor.encode(body as never), 'call');
  return authenticate({ request, now });
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof NetworkError ? e.code : `not a NetworkError: ${String(e)}`;
  }
  return undefined;
}

describe('authenticate', () => {
  it.each([
    ['anonymous', async () => new AnonymousIdentity()],
    ['Ed25519', async () => Ed25519KeyIdentity.generate()],
    ['secp256k1', async () => Secp256k1KeyIdentity.generate()],
    ['P-256', async () => ECDSAKeyIdentity.generate()],
  ])('accepts a request signed by a %s sender', async (_kind, make) => {
    expect(check(await signedCall(await make()))).toEqual({ targets: null });
  });

  it('computes the request id the agent signs', async () => {
    const id = Ed25519KeyIdentity.generate();
    const body = await signedCall(id);
    const parsed = parseRequest(Cbor.encode(body as never), 'call');
    expect(parsed.content.method_name).toBe('put');
    expect(parsed.requestId).toHaveLength(32);
  });

  it('refuses a signature by another key than sender_pubkey', async () => {
    const body = await signedCall(Ed25519KeyIdentity.generate());
    const other = await signedCall(Ed25519KeyIdentity.generate());
    expect(codeOf(() => check({ ...body, sender_sig: other.sender_sig }))).toBe(
      NetworkErrorCode.InvalidSignature,
    );
  });

  it('refuses a sender that is not the principal of sender_pubkey', async () => {
    const body = await signedCall(Ed25519KeyIdentity.generate());
    const other = await signedCall(Ed25519KeyIdentity.generate());
    expect(codeOf(() => check({ ...body, sender_pubkey: other.sender_pubkey }))).toBe(
      NetworkErrorCode.InvalidSender,
    );
  });

  it('refuses expired requests and requests too far in the future, with the replica’s wording', async () => {
    const id = Ed25519KeyIdentity.generate();
    const past = await signedCall(id, { expiryDeltaMs: -120_000 });
    const future = await signedCall(id, { expiryDeltaMs: 20 * 60_000 });
    expect(codeOf(() => check(past))).toBe(NetworkErrorCode.InvalidRequestExpiry);
    expect(codeOf(() => check(future))).toBe(NetworkErrorCode.InvalidRequestExpiry);
    expect(() => check(past)).toThrow(/^Invalid request expiry: /);
  });

  it('refuses an anonymous request that carries a signature', async () => {
    const body = await signedCall(new AnonymousIdentity());
    const signed = await signedCall(Ed25519KeyIdentity.generate());
    expect(codeOf(() => check({ ...body, sender_sig: signed.sender_sig }))).toBe(
      NetworkErrorCode.InvalidSignature,
    );
  });

  it('follows a delegation chain, intersecting targets and checking expiry', async () => {
    const root = Ed25519KeyIdentity.generate();
    const session = Ed25519KeyIdentity.generate();
    const other = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
    const chain = await DelegationChain.create(
      root,
      session.getPublicKey(),
      new Date(Date.now() + 60_000),
      {
        targets: [CANISTER, other],
      },
    );
    const auth = check(await signedCall(DelegationIdentity.fromDelegation(session, chain)));
    expect(auth.targets?.map((t) => Principal.fromUint8Array(t).toText())).toEqual([
      CANISTER.toText(),
      other.toText(),
    ]);

    const expired = await DelegationChain.create(
      root,
      session.getPublicKey(),
      new Date(Date.now() - 600_000),
    );
    const expiredBody = await signedCall(DelegationIdentity.fromDelegation(session, expired));
    expect(codeOf(() => check(expiredBody))).toBe(NetworkErrorCode.InvalidDelegation);
    expect(() => check(expiredBody)).toThrow(/Invalid delegation expiry/);
  });

  it('refuses a delegation chain with a cycle', async () => {
    const a = Ed25519KeyIdentity.generate();
    const b = Ed25519KeyIdentity.generate();
    const ab = await DelegationChain.create(a, b.getPublicKey(), new Date(Date.now() + 60_000));
    const ba = await DelegationChain.create(b, a.getPublicKey(), new Date(Date.now() + 60_000), {
      previous: ab,
    });
    const body = await signedCall(DelegationIdentity.fromDelegation(a, ba));
    expect(codeOf(() => check(body))).toBe(NetworkErrorCode.InvalidDelegation);
  });
});
