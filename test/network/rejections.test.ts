import type { AgentError } from '@dfinity/agent';
import {
  Actor,
  Cbor,
  CertificateVerificationErrorCode,
  HttpAgent,
  TrustError,
  UncertifiedRejectUpdateErrorCode,
} from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { Principal } from '@dfinity/principal';
import { bls12_381 } from '@noble/curves/bls12-381';
import { BLS_DER_PREFIX, managementCanister } from '@repro-registry/local-network';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, localNetwork } from '../support/network-context';
import { installProbe, probeActor } from '../support/probe';
import { callContent, envelope, post, readStateContent } from '../support/raw';

const enc = new TextEncoder();

describe('requests a replica refuses', () => {
  const owner = Ed25519KeyIdentity.generate();
  let probeId: Principal;

  beforeAll(async () => {
    probeId = await installProbe(await createAgent(owner));
  });

  function putContent(identity: Ed25519KeyIdentity, expiryDeltaMs?: number) {
    return callContent({
      identity,
      canisterId: probeId,
      method: 'put',
      arg: new Uint8Array(IDL.encode([IDL.Text, IDL.Text], ['k', 'v'])),
      expiryDeltaMs,
    });
  }

  it('answers 400 to a call whose sender signature was tampered with', async () => {
    const { body } = await envelope(owner, putContent(owner));
    const sig = new Uint8Array(body.sender_sig as Uint8Array);
    sig[0] ^= 0xff;
    const r = await post(`/api/v3/canister/${probeId.toText()}/call`, { ...body, sender_sig: sig });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/Invalid signature/);
  });

  it('answers 400 to a call whose content changed after signing (the request id differs)', async () => {
    const content = putContent(owner);
    const { body } = await envelope(owner, content);
    const r = await post(`/api/v3/canister/${probeId.toText()}/call`, {
      ...body,
      content: { ...(body.content as object), method_name: 'fail' },
    });
    expect(r.status).toBe(400);
  });

  it('answers 400 with the expiry message clients recognise to an expired request', async () => {
    const { body } = await envelope(owner, putContent(owner, -5 * 60_000));
    const r = await post(`/api/v3/canister/${probeId.toText()}/call`, body);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/^Invalid request expiry: /);
  });

  it('answers 400 to a request whose expiry lies too far in the future', async () => {
    const { body } = await envelope(owner, putContent(owner, 30 * 60_000));
    const r = await post(`/api/v3/canister/${probeId.toText()}/call`, body);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/^Invalid request expiry: /);
  });

  it('answers 403 to reading the status of another sender’s request', async () => {
    const { body, requestId } = await envelope(owner, putContent(owner));
    expect((await post(`/api/v2/canister/${probeId.toText()}/call`, body)).status).toBe(202);
    const stranger = Ed25519KeyIdentity.generate();
    const read = await envelope(
      stranger,
      readStateContent({ identity: stranger, paths: [[enc.encode('request_status'), requestId]] }),
    );
    const r = await post(`/api/v2/canister/${probeId.toText()}/read_state`, read.body);
    expect(r.status).toBe(403);
    const mine = await envelope(
      owner,
      readStateContent({ identity: owner, paths: [[enc.encode('request_status'), requestId]] }),
    );
    expect((await post(`/api/v2/canister/${probeId.toText()}/read_state`, mine.body)).status).toBe(
      200,
    );
  });

  it('answers 400 when the canister id differs from the effective canister id of the URL', async () => {
    const { body } = await envelope(owner, putContent(owner));
    const other = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
    const r = await post(`/api/v3/canister/${other.toText()}/call`, body);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/does not match effective canister id/);
  });

  it('answers 404 to an effective canister id outside the subnet ranges and to unknown paths', async () => {
    const { body } = await envelope(owner, putContent(owner));
    const user = Ed25519KeyIdentity.generate().getPrincipal();
    expect((await post(`/api/v3/canister/${user.toText()}/call`, body)).status).toBe(404);
    const read = await envelope(
      owner,
      readStateContent({ identity: owner, paths: [[enc.encode('nonsense')]] }),
    );
    expect((await post(`/api/v2/canister/${probeId.toText()}/read_state`, read.body)).status).toBe(
      404,
    );
    expect((await post('/api/v9/canister/x/call', {})).status).toBe(404);
  });

  it('answers 400 to a body that is not CBOR or is sent with another content type', async () => {
    const res = await fetch(`${localNetwork().url}/api/v3/canister/${probeId.toText()}/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/cbor' },
      body: Buffer.from([0xff, 0x00]),
    });
    expect(res.status).toBe(400);
    const json = await fetch(`${localNetwork().url}/api/v3/canister/${probeId.toText()}/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(Cbor.encode({})),
    });
    expect(json.status).toBe(400);
  });

  it('rejects calls to a canister that does not exist with reject code 3 (IC0301)', async () => {
    const agent = await createAgent(owner);
    const ghost = probeActor(agent, Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai'));
    const e = await ghost.put('a', 'b').then(
      () => undefined,
      (x: unknown) => x as AgentError,
    );
    expect(e?.code).toBeInstanceOf(UncertifiedRejectUpdateErrorCode);
    const code = e!.code as UncertifiedRejectUpdateErrorCode;
    expect(code.rejectCode).toBe(3);
    expect(code.rejectErrorCode).toBe('IC0301');
  });

  it('routes calls addressed to aaaaa-aa itself: raw_rand is rejected at once, as by a replica', async () => {
    // An actor for the management canister without an effective canister id sends its calls to
    // /api/v3/canister/aaaaa-aa/call; a replica rejects methods users may not call (code 4),
    // it does not answer 404 (which agents retry for seconds).
    const agent = await createAgent(owner);
    const ic = Actor.createActor<{ raw_rand(): Promise<Uint8Array> }>(
      ({ IDL: idl }) => idl.Service({ raw_rand: idl.Func([], [idl.Vec(idl.Nat8)], []) }),
      { agent, canisterId: Principal.managementCanister() },
    );
    const e = await ic.raw_rand().then(
      () => undefined,
      (x: unknown) => x as AgentError,
    );
    expect(e?.code).toBeInstanceOf(UncertifiedRejectUpdateErrorCode);
    const code = e!.code as UncertifiedRejectUpdateErrorCode;
    expect(code.rejectCode).toBe(4);
    expect(code.rejectErrorCode).toBe('IC0406');
    expect(code.rejectMessage).toBe('ic00 method raw_rand can not be called via ingress messages');
  });

  it('rejects installing code by a principal that does not control the canister (IC0512)', async () => {
    const stranger = await createAgent(Ed25519KeyIdentity.generate());
    const wasm = new Uint8Array(await readFile(localNetwork().testWasm.network_probe));
    const e = await managementCanister(stranger)
      .install_code({
        mode: { reinstall: null },
        canister_id: probeId,
        wasm_module: wasm.subarray(0, 1024),
        arg: new Uint8Array(IDL.encode([], [])),
        sender_canister_version: [],
      })
      .then(
        () => undefined,
        (x: unknown) => x as AgentError,
      );
    const code = e?.code as UncertifiedRejectUpdateErrorCode;
    expect(code.rejectCode).toBe(5);
    expect(code.rejectErrorCode).toBe('IC0512');
    expect(await probeActor(await createAgent(owner), probeId).greet('still')).toBe(
      'Hello, still!',
    );
  });

  it('makes the agent refuse certificates when it trusts another root key', async () => {
    const otherKey = new Uint8Array([
      ...BLS_DER_PREFIX,
      ...bls12_381.getPublicKeyForShortSignatures(bls12_381.utils.randomSecretKey()),
    ]);
    const agent = await HttpAgent.create({
      host: localNetwork().url,
      identity: owner,
      rootKey: otherKey,
      retryTimes: 0,
    });
    const e = await probeActor(agent, probeId)
      .put('untrusted', 'x')
      .then(
        () => undefined,
        (x: unknown) => x,
      );
    expect(e).toBeInstanceOf(TrustError);
    expect((e as TrustError).code).toBeInstanceOf(CertificateVerificationErrorCode);
  });
});
