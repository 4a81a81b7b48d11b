/**
 * Global setup of the `integration` project: builds what is missing, starts ONE local network
 * on a free port with a temporary state directory, deploys the dfx.json canisters through
 * `scripts/deploy.ts`, and provides `localNetwork` (see support/network-context.ts) to tests.
 */
import { startLocalNetwork, type LocalNetwork } from '@repro-registry/local-network';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { deploy, PROJECT_ROOT } from '@repro-registry/deploy';
import './support/network-context';

/** Test canisters of this folder: name → entry point (built like any azle canister). */
const TEST_CANISTERS: Record<string, string> = {
  network_probe: 'test/canisters/network_probe/index.ts',
};

function buildIfMissing(name: string, main?: string): string {
  const wasm = join(PROJECT_ROOT, '.azle', name, `${name}.wasm`);
  if (!existsSync(wasm)) {
    const spec = main ? `${name}=${main}` : name;
    const r = spawnSync('npx', ['tsx', 'scripts/build-canister.ts', spec], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error(`building ${name} failed`);
  }
  return wasm;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const testWasm: Record<string, string> = {};
  for (const [name, main] of Object.entries(TEST_CANISTERS))
    testWasm[name] = buildIfMissing(name, main);

  const stateDir = await mkdtemp(join(tmpdir(), 'repro-integration-'));
  let network: LocalNetwork | undefined;
  try {
    network = await startLocalNetwork({
      stateDir,
      log: process.env.REPRO_NETWORK_LOG ? true : undefined,
      canisterLog: process.env.REPRO_NETWORK_LOG ? undefined : () => {},
    });
    const deployed = await deploy({
      url: network.url,
      network: 'local',
      stateDir,
      writeEnv: false,
      log: process.env.REPRO_NETWORK_LOG ? undefined : () => {},
    });
    const canisterIds: Record<string, string> = {};
    for (const c of deployed.canisters) canisterIds[c.name] = c.canisterId;
    project.provide('localNetwork', {
      url: network.url,
      port: network.port,
      rootKeyHex: Buffer.from(network.rootKey).toString('hex'),
      subnetId: network.subnetId.toText(),
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
