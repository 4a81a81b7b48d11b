import { Certificate, CanisterStatus, lookupResultToBuffer, type HttpAgent } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { Principal } from '@dfinity/principal';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { installWasm, moduleHash } from '@repro-registry/deploy';
import { createAgent, localNetwork, rootKey } from '../support/network-context';
import { installProbe, probeActor } from '../support/probe';
import { envelope, post, readStateContent, decode } from '../support/raw';

const enc = new TextEncoder();

describe('canisters on the local network', () => {
  const owner = Ed25519KeyIdentity.generate();
  let agent: HttpAgent;
  let a: Principal;
  let b: Principal;

  beforeAll(async () => {
    agent = await createAgent(owner);
    [a, b] = [await installProbe(agent), await installProbe(agent)];
  });

  it('lets two canisters call each other (update calling update and query methods)', async () => {
    const probeA = probeActor(agent, a);
    const key = `remote-${Date.now()}`;
    const countInB = await probeA.putRemote(b, key, 'from a');
    expect(countInB).toBe(await probeActor(agent, b).count());
    expect(await probeA.getRemote(b, key)).toEqual(['from a']);
    expect(await probeActor(agent, b).get(key)).toEqual(['from a']);
  });

  it('certifies module hash and controllers in read_state', async () => {
    const wasm = await readFile(localNetwork().testWasm.network_probe);
    const status = await CanisterStatus.request({
      agent,
      canisterId: a,
      paths: ['module_hash', 'controllers'],
    });
    expect(status.get('module_hash')).toBe(createHash('sha256').update(wasm).digest('hex'));
    expect((status.get('controllers') as Principal[]).map((p) => p.toText())).toEqual([
      owner.getPrincipal().toText(),
    ]);
  });

  it('keeps stable data across an upgrade through the management canister', async () => {
    const probe = probeActor(agent, a);
    await probe.put('survives', 'upgrade');
    const before = await probe.count();
    const wasm = new Uint8Array(await readFile(localNetwork().testWasm.network_probe));
    await installWasm({
      agent,
      canisterId: a,
      wasm,
      arg: new Uint8Array(IDL.encode([], [])),
      mode: { upgrade: [] },
    });
    expect(await probe.count()).toBe(before);
    expect(await probe.get('survives')).toEqual(['upgrade']);
    const { hash } = await moduleHash(agent, a);
    expect(hash).toBe(createHash('sha256').update(wasm).digest('hex'));
  });

  it('empties the canister on reinstall', async () => {
    const wasm = new Uint8Array(await readFile(localNetwork().testWasm.network_probe));
    await installWasm({
      agent,
      canisterId: b,
      wasm,
      arg: new Uint8Array(IDL.encode([], [])),
      mode: { reinstall: null },
    });
    expect(await probeActor(agent, b).count()).toBe(0n);
  });

  it('hands queries a data certificate over the canister’s certified data', async () => {
    const probe = probeActor(agent, a);
    const data = createHash('sha256').update(`certified ${Date.now()}`).digest();
    await probe.certify(new Uint8Array(data));
    const [certificate] = await probe.certificate();
    expect(certificate).toBeDefined();
    const cert = await Certificate.create({
      certificate: certificate!,
      rootKey: rootKey(),
      canisterId: a,
    });
    expect(
      lookupResultToBuffer(cert.lookup_path(['canister', a.toUint8Array(), 'certified_data'])),
    ).toEqual(new Uint8Array(data));
  });

  it('exposes the subnet at the subnet endpoints (v2 and v3) and time everywhere', async () => {
    const { subnetId } = localNetwork();
    for (const version of [2, 3]) {
      const read = await envelope(
        owner,
        readStateContent({ identity: owner, paths: [[enc.encode('subnet')]] }),
      );
      const r = await post(`/api/v${version}/subnet/${subnetId}/read_state`, read.body);
      expect(r.status).toBe(200);
      const { certificate } = decode<{ certificate: Uint8Array }>(r.bytes);
      const cert = await Certificate.create({ certificate, rootKey: rootKey(), canisterId: a });
      const sid = Principal.fromText(subnetId).toUint8Array();
      expect(lookupResultToBuffer(cert.lookup_path(['subnet', sid, 'public_key']))).toEqual(
        rootKey(),
      );
      expect(lookupResultToBuffer(cert.lookup_path(['time']))).toBeDefined();
      const metrics = lookupResultToBuffer(cert.lookup_path(['subnet', sid, 'metrics']));
      expect(metrics).toBeDefined();
    }
  });
});
