import { Ed25519KeyIdentity } from '@dfinity/identity';
import type { Principal } from '@dfinity/principal';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpRequest as rawHttp } from '../support/http';
import { createAgent, localNetwork } from '../support/network-context';
import { installProbe, probeActor } from '../support/probe';

/** The shared node:http helper, with headers by lower-case name and the body as text. */
async function httpRequest(args: {
  path: string;
  host?: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const r = await rawHttp({ port: localNetwork().port, ...args });
  return {
    status: r.status,
    headers: Object.fromEntries(r.headers.map(([k, v]) => [k.toLowerCase(), v])),
    body: r.body.toString(),
  };
}

describe('HTTP gateway and CORS', () => {
  let probeId: Principal;

  beforeAll(async () => {
    probeId = await installProbe(await createAgent(Ed25519KeyIdentity.generate()));
  });

  /** A POST of an entry to the probe on its verified domain (its query asks for the upgrade). */
  const postEntry = (path: string, entry: { key: string; value: string }) =>
    httpRequest({
      path,
      method: 'POST',
      host: `${probeId.toText()}.localhost`,
      body: JSON.stringify(entry),
      headers: { 'content-type': 'application/json' },
    });

  it('serves an uncertified http_request only on <canister-id>.raw.localhost', async () => {
    const raw = await httpRequest({
      path: '/count',
      host: `${probeId.toText()}.raw.localhost:${localNetwork().port}`,
    });
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toBe('application/json');
    expect(JSON.parse(raw.body)).toEqual({ count: '0' });
    const missing = await httpRequest({
      path: '/nothing',
      host: `${probeId.toText()}.raw.localhost`,
    });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ error: 'not found', url: '/nothing' });
    // The probe certifies nothing: like the IC's gateways on <id>.icp0.io, the verified domains
    // refuse its answers instead of passing on what one node said.
    for (const r of [
      await httpRequest({ path: '/count', host: `${probeId.toText()}.localhost` }),
      await httpRequest({ path: `/count?canisterId=${probeId.toText()}` }),
    ]) {
      expect(r.status).toBe(503);
      expect(r.body).toMatch(/^response_verification_error: the response from canister /);
      expect(r.body).toContain(`${probeId.toText()}.raw.localhost`);
      expect(r.body).not.toContain('count');
    }
  });

  it('upgrades to http_request_update when the canister asks for it, and keeps the change', async () => {
    const r = await postEntry('/entries', { key: 'via-gateway', value: 'yes' });
    expect(r.status).toBe(201);
    expect(JSON.parse(r.body)).toEqual({ count: '1' });
    const agent = await createAgent();
    expect(await probeActor(agent, probeId).get('via-gateway')).toEqual(['yes']);
  });

  it('sends the upgrade as an ingress message: inspect_message may refuse it', async () => {
    const r = await postEntry('/entries?refuse', { key: 'refused', value: 'no' });
    expect(r.status).toBe(502);
    expect(r.body).toMatch(/^Replica Error: reject code \d, error code IC0\d+/);
    const agent = await createAgent();
    expect(await probeActor(agent, probeId).get('refused')).toEqual([]);
  });

  it('answers 404 for a canister that does not exist', async () => {
    const r = await httpRequest({ path: '/', host: 'rrkah-fqaaa-aaaaa-aaaaq-cai.localhost' });
    expect(r.status).toBe(404);
  });

  it('allows the IC API from other origins (CORS preflight and responses)', async () => {
    const preflight = await httpRequest({
      path: `/api/v3/canister/${probeId.toText()}/call`,
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain(
      'content-type',
    );
    const status = await httpRequest({
      path: '/api/v2/status',
      headers: { origin: 'http://localhost:5173' },
    });
    expect(status.status).toBe(200);
    expect(status.headers['access-control-allow-origin']).toBe('*');
  });
});
