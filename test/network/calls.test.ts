import {
  AgentError,
  Certificate,
  CertifiedRejectErrorCode,
  lookupResultToBuffer,
  pollForResponse,
  type HttpAgent,
} from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { Principal } from '@dfinity/principal';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, localNetwork, rootKey } from '../support/network-context';
import { installProbe, probeActor, type Probe } from '../support/probe';
import { callContent, decode, envelope, post } from '../support/raw';
import type { ActorSubclass } from '@dfinity/agent';

async function rejectOf(p: Promise<unknown>): Promise<CertifiedRejectErrorCode> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AgentError);
  const code = (e as AgentError).code;
  expect(code).toBeInstanceOf(CertifiedRejectErrorCode);
  return code as CertifiedRejectErrorCode;
}

describe('calls through @dfinity/agent with full verification', () => {
  const identity = Ed25519KeyIdentity.generate();
  let agent: HttpAgent;
  let probeId: Principal;
  let probe: ActorSubclass<Probe>;

  beforeAll(async () => {
    agent = await createAgent(identity);
    probeId = await installProbe(agent);
    probe = probeActor(agent, probeId);
  });

  it('answers a query with a node-signed response the agent verifies', async () => {
    expect(await probe.greet('network')).toBe('Hello, network!');
  });

  it('executes a synchronous (v3) update and returns its certified reply', async () => {
    const before = await probe.count();
    expect(await probe.put('sync', 'v3')).toBe(before + 1n);
    expect(await probe.get('sync')).toEqual(['v3']);
  });

  it('accepts an asynchronous (v2) call with 202 and certifies the reply to read_state polling', async () => {
    const arg = new Uint8Array(IDL.encode([IDL.Text, IDL.Text], ['async', 'v2']));
    const { requestId, response } = await agent.call(probeId, {
      methodName: 'put',
      arg,
      callSync: false,
    });
    expect(response.status).toBe(202);
    const { reply } = await pollForResponse(agent, probeId, requestId);
    const [count] = IDL.decode([IDL.Nat64], reply) as [bigint];
    expect(count).toBeGreaterThan(0n);
    expect(await probe.get('async')).toEqual(['v2']);
  });

  it('answers a v4 call with a certificate for its request status', async () => {
    const content = callContent({
      identity,
      canisterId: probeId,
      method: 'put',
      arg: new Uint8Array(IDL.encode([IDL.Text, IDL.Text], ['v4', 'sync'])),
    });
    const { body, requestId } = await envelope(identity, content);
    const res = await post(`/api/v4/canister/${probeId.toText()}/call`, body);
    expect(res.status).toBe(200);
    const answer = decode<{ status: string; certificate: Uint8Array }>(res.bytes);
    expect(answer.status).toBe('replied');
    const cert = await Certificate.create({
      certificate: answer.certificate,
      rootKey: rootKey(),
      canisterId: probeId,
    });
    const path = ['request_status', requestId];
    expect(
      new TextDecoder().decode(lookupResultToBuffer(cert.lookup_path([...path, 'status']))),
    ).toBe('replied');
    const reply = lookupResultToBuffer(cert.lookup_path([...path, 'reply']))!;
    expect((IDL.decode([IDL.Nat64], reply) as [bigint])[0]).toBeGreaterThan(0n);
    expect(await probe.get('v4')).toEqual(['sync']);
  });

  it('creates a canister through the subnet endpoint (v4 subnet call) and refuses other calls there', async () => {
    const { subnetId } = localNetwork();
    const create = callContent({
      identity,
      canisterId: Principal.fromText('aaaaa-aa'),
      method: 'provisional_create_canister_with_cycles',
      arg: new Uint8Array(
        IDL.encode(
          [
            IDL.Record({
              amount: IDL.Opt(IDL.Nat),
              settings: IDL.Opt(IDL.Null),
              specified_id: IDL.Opt(IDL.Principal),
            }),
          ],
          [{ amount: [], settings: [], specified_id: [] }],
        ),
      ),
    });
    const { body, requestId } = await envelope(identity, create);
    const res = await post(`/api/v4/subnet/${subnetId}/call`, body);
    expect(res.status).toBe(200);
    const { certificate } = decode<{ certificate: Uint8Array }>(res.bytes);
    const cert = await Certificate.create({
      certificate,
      rootKey: rootKey(),
      canisterId: Principal.fromText(subnetId),
    });
    const reply = lookupResultToBuffer(cert.lookup_path(['request_status', requestId, 'reply']))!;
    const [{ canister_id }] = IDL.decode(
      [IDL.Record({ canister_id: IDL.Principal })],
      reply,
    ) as unknown as [{ canister_id: Principal }];
    expect(canister_id.toText()).toMatch(/-cai$/);

    const put = callContent({
      identity,
      canisterId: probeId,
      method: 'put',
      arg: new Uint8Array(IDL.encode([IDL.Text, IDL.Text], ['a', 'b'])),
    });
    const refused = await post(
      `/api/v4/subnet/${subnetId}/call`,
      (await envelope(identity, put)).body,
    );
    expect(refused.status).toBe(400);
  });

  it('executes a replayed request only once and answers the replay with the same status', async () => {
    const content = callContent({
      identity,
      canisterId: probeId,
      method: 'put',
      arg: new Uint8Array(IDL.encode([IDL.Text, IDL.Text], [`replay-${Date.now()}`, 'x'])),
    });
    const { body } = await envelope(identity, content);
    const first = await post(`/api/v3/canister/${probeId.toText()}/call`, body);
    const countAfterFirst = await probe.count();
    const second = await post(`/api/v3/canister/${probeId.toText()}/call`, body);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await probe.count()).toBe(countAfterFirst);
    const async = await post(`/api/v2/canister/${probeId.toText()}/call`, body);
    expect(async.status).toBe(202);
    expect(await probe.count()).toBe(countAfterFirst);
  });

  it('reports an explicit reject with reject code 4 (IC0406) in the certificate', async () => {
    const reject = await rejectOf(probe.refuse('not today'));
    expect(reject.rejectCode).toBe(4);
    expect(reject.rejectErrorCode).toBe('IC0406');
    expect(reject.rejectMessage).toBe('not today');
  });

  it('reports a trap with reject code 5 (IC0503) and rolls its changes back', async () => {
    const before = await probe.count();
    const reject = await rejectOf(probe.fail('boom'));
    expect(reject.rejectCode).toBe(5);
    expect(reject.rejectErrorCode).toBe('IC0503');
    expect(reject.rejectMessage).toContain('boom');
    expect(await probe.count()).toBe(before);
  });

  it('reports a method the canister does not have with IC0536', async () => {
    const reject = await rejectOf(probe.missing());
    expect(reject.rejectCode).toBe(5);
    expect(reject.rejectErrorCode).toBe('IC0536');
  });
});
