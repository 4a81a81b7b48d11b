import { HttpAgent } from '@dfinity/agent';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildNetwork, type ChildNetwork } from '../support/child-network';
import { localNetwork } from '../support/network-context';
import { installProbe, probeActor } from '../support/probe';

const CLIENTS = 8;

async function agentFor(net: ChildNetwork, identity: Ed25519KeyIdentity): Promise<HttpAgent> {
  return HttpAgent.create({ host: net.url, identity, shouldFetchRootKey: true, retryTimes: 0 });
}

// Kills a network process of its own: meaningless against an external replica (REPRO_TEST_NETWORK).
describe.skipIf(localNetwork().external)(
  'durability: kill -9 of the network while clients submit updates',
  () => {
    let stateDir: string | undefined;
    const children: ChildNetwork[] = [];

    afterAll(async () => {
      for (const c of children) c.process.kill('SIGKILL');
      if (stateDir) await rm(stateDir, { recursive: true, force: true });
    });

    it('keeps every acknowledged update and nothing half-written', async () => {
      stateDir = await mkdtemp(join(tmpdir(), 'repro-crash-'));
      const owner = Ed25519KeyIdentity.generate();
      const first = await startChildNetwork(stateDir);
      children.push(first);
      const probeId = await installProbe(await agentFor(first, owner));

      const acknowledged: string[] = [];
      let attempted = 0;
      let killed = false;
      const client = async (i: number): Promise<void> => {
        const probe = probeActor(await agentFor(first, Ed25519KeyIdentity.generate()), probeId);
        for (let n = 0; !killed; n++) {
          const key = `client${i}-${n}`;
          attempted++;
          try {
            await probe.put(key, `value of ${key}`);
            if (!killed) acknowledged.push(key);
          } catch {
            // Requests in flight when the process dies fail; they were never acknowledged.
          }
        }
      };
      const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));
      // Kill once a good number of updates were acknowledged, while more are in flight.
      while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 20));
      first.process.kill('SIGKILL');
      killed = true;
      await first.exited;
      await Promise.all(clients);

      const second = await startChildNetwork(stateDir);
      children.push(second);
      expect(second.rootKeyHex).toBe(first.rootKeyHex);
      const probe = probeActor(await agentFor(second, owner), probeId);
      expect(await probe.greet('again')).toBe('Hello, again!');
      const missing: string[] = [];
      for (let i = 0; i < acknowledged.length; i += CLIENTS) {
        const batch = acknowledged.slice(i, i + CLIENTS);
        const values = await Promise.all(batch.map((k) => probe.get(k)));
        values.forEach((v, j) => {
          if (v[0] !== `value of ${batch[j]}`) missing.push(batch[j]);
        });
      }
      expect(missing).toEqual([]);
      const count = await probe.count();
      expect(count).toBeGreaterThanOrEqual(BigInt(acknowledged.length));
      expect(count).toBeLessThanOrEqual(BigInt(attempted));
      // The canister still takes updates after recovery.
      await probe.put('after-restart', 'ok');
      expect(await probe.get('after-restart')).toEqual(['ok']);
    });
  },
);
