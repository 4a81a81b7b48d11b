import { AnonymousIdentity, type Identity } from '@dfinity/agent';
import {
  DelegationChain,
  DelegationIdentity,
  ECDSAKeyIdentity,
  Ed25519KeyIdentity,
} from '@dfinity/identity';
import { Principal } from '@dfinity/principal';
import { Secp256k1KeyIdentity } from '@dfinity/identity-secp256k1';
import { IDL } from '@dfinity/candid';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../support/network-context';
import { installProbe, probeActor } from '../support/probe';
import { callContent, envelope, post } from '../support/raw';

describe('sender authentication', () => {
  let probeId: Principal;

  beforeAll(async () => {
    probeId = await installProbe(await createAgent(Ed25519KeyIdentity.generate()));
  });

  async function callerSeenBy(identity: Identity): Promise<{ query: string; update: string }> {
    const probe = probeActor(await createAgent(identity), probeId);
    return {
      query: (await probe.whoami()).toText(),
      update: (await probe.whoamiUpdate()).toText(),
    };
  }

  it('accepts anonymous requests (no key, no signature)', async () => {
    expect(await callerSeenBy(new AnonymousIdentity())).toEqual({
      query: '2vxsx-fae',
      update: '2vxsx-fae',
    });
  });

  it.each([
    ['Ed25519', async () => Ed25519KeyIdentity.generate()],
    ['ECDSA secp256k1', async () => Secp256k1KeyIdentity.generate()],
    ['ECDSA P-256 (WebCrypto)', async () => ECDSAKeyIdentity.generate()],
  ])('authenticates %s senders as their self-authenticating principal', async (_name, make) => {
    const identity = await make();
    const me = identity.getPrincipal().toText();
    expect(await callerSeenBy(identity)).toEqual({ query: me, update: me });
  });

  it('accepts a delegation chain and sees the delegating principal as the caller', async () => {
    const root = Ed25519KeyIdentity.generate();
    const middle = await ECDSAKeyIdentity.generate();
    const session = Ed25519KeyIdentity.generate();
    const first = await DelegationChain.create(
      root,
      middle.getPublicKey(),
      new Date(Date.now() + 600_000),
    );
    const chain = await DelegationChain.create(
      middle,
      session.getPublicKey(),
      new Date(Date.now() + 600_000),
      {
        previous: first,
        targets: [probeId],
      },
    );
    const delegated = DelegationIdentity.fromDelegation(session, chain);
    const me = root.getPrincipal().toText();
    expect(await callerSeenBy(delegated)).toEqual({ query: me, update: me });
  });

  async function rawCall(
    identity: Identity,
    canisterId: Principal,
  ): Promise<{ status: number; text: string }> {
    const content = callContent({
      identity,
      canisterId,
      method: 'put',
      arg: new Uint8Array(IDL.encode([IDL.Text, IDL.Text], ['k', 'v'])),
    });
    const { body } = await envelope(identity, content);
    return post(`/api/v3/canister/${canisterId.toText()}/call`, body);
  }

  it('refuses a delegation used for a canister outside its targets (400)', async () => {
    const root = Ed25519KeyIdentity.generate();
    const session = Ed25519KeyIdentity.generate();
    const chain = await DelegationChain.create(
      root,
      session.getPublicKey(),
      new Date(Date.now() + 600_000),
      {
        targets: [Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai')],
      },
    );
    const r = await rawCall(DelegationIdentity.fromDelegation(session, chain), probeId);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/delegation targets/);
  });

  it('refuses an expired delegation (400)', async () => {
    const root = Ed25519KeyIdentity.generate();
    const session = Ed25519KeyIdentity.generate();
    const chain = await DelegationChain.create(
      root,
      session.getPublicKey(),
      new Date(Date.now() - 1_000),
    );
    const r = await rawCall(DelegationIdentity.fromDelegation(session, chain), probeId);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/Invalid delegation expiry/);
  });

  it('refuses a delegation not signed by the sender key (400)', async () => {
    const root = Ed25519KeyIdentity.generate();
    const impostor = Ed25519KeyIdentity.generate();
    const session = Ed25519KeyIdentity.generate();
    const forged = await DelegationChain.create(
      impostor,
      session.getPublicKey(),
      new Date(Date.now() + 600_000),
    );
    const chain = DelegationChain.fromDelegations(forged.delegations, root.getPublicKey().toDer());
    const r = await rawCall(DelegationIdentity.fromDelegation(session, chain), probeId);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/Invalid signature: delegation 0/);
  });
});
