/**
 * Global setup of the `integration` project: builds what is missing, starts ONE local network
 * on a free port with a temporary state directory (or uses the one REPRO_TEST_NETWORK names),
 * deploys the dfx.json canisters through `@repro-registry/deploy`, and provides `localNetwork`
 * (see support/network-context.ts) to tests.
 */
import { Principal } from '@dfinity/principal';
import {
  decodeCbor,
  selfAuthenticatingPrincipal,
  startLocalNetwork,
  type LocalNetwork,
} from '@repro-registry/local-network';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { deploy, ensureCanisterBuilt } from '@repro-registry/deploy';
import './support/network-context';

/** Test canisters of this folder: name → entry point (built like any azle canister). */
const TEST_CANISTERS: Record<string, string> = {
  network_probe: 'test/canisters/network_probe/index.ts',
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const testWasm: Record<string, string> = {};
  for (const [name, main] of Object.entries(TEST_CANISTERS)) {
    testWasm[name] = await ensureCanisterBuilt(name, main);
  }

  const stateDir = await mkdtemp(join(tmpdir(), 'repro-integration-'));
  const quiet = process.env.REPRO_NETWORK_LOG ? undefined : () => {};
  // REPRO_TEST_NETWORK: an IC HTTP interface already running (`dfx start`, PocketIC, or this
  // project's own network) instead of one started here.
  const external = process.env.REPRO_TEST_NETWORK;
  let network: LocalNetwork | undefined;
  try {
    network = external
      ? undefined
      : await startLocalNetwork({
          stateDir,
          log: process.env.REPRO_NETWORK_LOG ? true : undefined,
          canisterLog: quiet,
        });
    const url = network?.url ?? external!;
    const rootKey = network?.rootKey ?? (await fetchRootKey(url));
    const deployed = await deploy({ url, network: 'local', stateDir, writeEnv: false, log: quiet });
    const canisterIds: Record<string, string> = {};
    for (const c of deployed.canisters) canisterIds[c.name] = c.canisterId;
    project.provide('localNetwork', {
      url,
      port: Number(new URL(url).port || 80),
      rootKeyHex: Buffer.from(rootKey).toString('hex'),
      // Without a delegation, the subnet id is the self-authenticating principal of the root key.
      subnetId: Principal.fromUint8Array(selfAuthenticatingPrincipal(rootKey)).toText(),
      external: external !== undefined,
      stateDir,
      canisterIds,
      deployer: deployed.deployer,
      deployerPemPath: join(stateDir, 'deploy-identity.pem'),
      testWasm,
    });
  } catch (e) {
    await network?.stop();
    await rm(stateDir, { recursive: true, force: true });
    throw e;
  }
  return async () => {
    await network?.stop();
    await rm(stateDir, { recursive: true, force: true });
  };
}

/** The root key an IC HTTP interface reports at `/api/v2/status`. */
async function fetchRootKey(url: string): Promise<Uint8Array> {
  const status = decodeCbor(
    new Uint8Array(await (await fetch(new URL('/api/v2/status', url))).arrayBuffer()),
  ) as { root_key?: Uint8Array };
  if (!(status.root_key instanceof Uint8Array)) throw new Error(`${url} reports no root key`);
  return status.root_key;
}
