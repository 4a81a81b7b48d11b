import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Window } from 'happy-dom';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createAppContext, type AppContext } from './app-context';

const REGISTRY = 'ryjl3-tyaaa-aaaaa-aaaba-cai';

describe('createAppContext', () => {
  // A host that answers every request with 404: the reads started fail, which is not what is
  // tested here (which reads start, and who gets them, is).
  let server: Server;
  let origin = '';
  let lastRequestAt = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      lastRequestAt = Date.now();
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Headers', '*');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
      res.writeHead(req.method === 'OPTIONS' ? 204 : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    // The reads started (and their retries) end before the host goes.
    while (Date.now() - lastRequestAt < 300) await new Promise((r) => setTimeout(r, 100));
    await new Promise((resolve) => server.close(resolve));
  });

  const pageAt = (hash: string) =>
    new Window({ url: `${origin}/?canisterId=${REGISTRY}&host=${origin}${hash}` });
  const opened: AppContext[] = [];
  afterEach(() => {
    for (const c of opened.splice(0)) c.verifier().dispose();
  });

  async function open(hash: string): Promise<AppContext> {
    const context = await createAppContext(pageAt(hash) as unknown as globalThis.Window);
    opened.push(context);
    return context;
  }

  it('starts the first reads of the proposal a visit opens on, given once to that page', async () => {
    const context = await open('#/proposal/139768');
    expect(context.config.ok).toBe(true);
    expect(context.takeFirstReads(139768n, 7n)).toBeUndefined();
    // Asked for another trust list: dropped, and not given to a later page either.
    expect(context.takeFirstReads(139768n, null)).toBeUndefined();

    const again = await open('#/proposal/139768');
    const reads = again.takeFirstReads(139768n, null);
    expect(reads).toMatchObject({ proposalId: 139768n, trustList: null, firstSize: 50 });
    // The page opened again later reads afresh.
    expect(again.takeFirstReads(139768n, null)).toBeUndefined();
  });

  it('starts nothing for a visit that opens elsewhere', async () => {
    const context = await open('#/');
    expect(context.takeFirstReads(139768n, null)).toBeUndefined();
  });
});
