import { IDL } from '@dfinity/candid';
import { generateKeyPairSync, createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, updateEnvFile, type InitArgContext } from '@repro-registry/deploy';
import { localNetwork } from '../support/network-context';

/**
 * `scripts/deploy.ts` against the shared network, on a throwaway project whose dfx.json names
 * the probe canister's wasm: create, install, skip when unchanged, upgrade, `.env`, ids, PEMs.
 */
describe('deploy', () => {
  let project: string;
  const quiet = (): void => {};

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'repro-deploy-'));
    await writeFile(
      join(project, 'dfx.json'),
      JSON.stringify({
        canisters: {
          probe: { type: 'custom', wasm: localNetwork().testWasm.network_probe },
          'no-wasm': { type: 'custom' },
        },
        networks: { local: { bind: '127.0.0.1:4943', type: 'ephemeral' } },
      }),
    );
    await writeFile(join(project, '.env'), 'MY_SETTING=1\n');
  });

  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('creates and installs, then finds the module unchanged, then upgrades on request', async () => {
    const wasmHash = createHash('sha256')
      .update(await readFile(localNetwork().testWasm.network_probe))
      .digest('hex');
    const seen: InitArgContext[] = [];
    const config = {
      canisters: {
        probe: {
          initArg: (ctx: InitArgContext) => {
            seen.push(ctx);
            return new Uint8Array(IDL.encode([], []));
          },
        },
      },
    };
    const first = await deploy({
      projectRoot: project,
      url: localNetwork().url,
      config,
      log: quiet,
    });
    expect(first.canisters).toEqual([
      expect.objectContaining({
        name: 'probe',
        created: true,
        action: 'install',
        moduleHashBefore: null,
        moduleHashAfter: wasmHash,
      }),
    ]);
    const id = first.canisters[0].canisterId;
    expect(seen).toEqual([
      expect.objectContaining({ canister: 'probe', network: 'local', mode: 'install' }),
    ]);

    const ids = JSON.parse(
      await readFile(join(project, '.state', 'canister_ids.json'), 'utf8'),
    ) as Record<string, Record<string, string>>;
    expect(ids.probe?.local).toBe(id);
    const env = await readFile(join(project, '.env'), 'utf8');
    expect(env).toContain('MY_SETTING=1');
    expect(env).toContain(`CANISTER_ID_PROBE='${id}'`);
    expect(env).toContain("DFX_NETWORK='local'");
    const pem = join(project, '.state', 'deploy-identity.pem');
    expect((await stat(pem)).mode & 0o777).toBe(0o600);

    const again = await deploy({
      projectRoot: project,
      url: localNetwork().url,
      config,
      log: quiet,
    });
    expect(again.canisters[0]).toMatchObject({
      canisterId: id,
      created: false,
      action: 'unchanged',
      moduleHashBefore: wasmHash,
    });

    const upgraded = await deploy({
      projectRoot: project,
      url: localNetwork().url,
      mode: 'upgrade',
      config,
      log: quiet,
    });
    expect(upgraded.canisters[0]).toMatchObject({
      canisterId: id,
      action: 'upgrade',
      moduleHashAfter: wasmHash,
    });
    expect(seen.at(-1)).toMatchObject({ mode: 'upgrade', canisterIds: { probe: id } });
  });

  it('deploys as a dfx-style secp256k1 PEM identity and refuses unknown canisters', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const pem = join(project, 'identity.pem');
    await writeFile(pem, privateKey.export({ format: 'pem', type: 'sec1' }));
    const other = await mkdtemp(join(tmpdir(), 'repro-deploy-state-'));
    try {
      const r = await deploy({
        projectRoot: project,
        url: localNetwork().url,
        identityPem: pem,
        stateDir: other,
        writeEnv: false,
        log: quiet,
      });
      expect(r.deployer).toMatch(/-/);
      expect(r.canisters[0]).toMatchObject({ created: true, action: 'install' });
      await expect(
        deploy({ projectRoot: project, url: localNetwork().url, canisters: ['nope'], log: quiet }),
      ).rejects.toThrow(/no canister "nope"/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('rewrites only dfx’s section of .env', () => {
    const before =
      "A=1\n# DFX CANISTER ENVIRONMENT VARIABLES\nCANISTER_ID_OLD='x'\n# END DFX CANISTER ENVIRONMENT VARIABLES\nB=2\n";
    const after = updateEnvFile(before, { DFX_NETWORK: 'local', CANISTER_ID_REGISTRY: 'id' });
    expect(after).toBe(
      "A=1\nB=2\n\n# DFX CANISTER ENVIRONMENT VARIABLES\nDFX_NETWORK='local'\nCANISTER_ID_REGISTRY='id'\n# END DFX CANISTER ENVIRONMENT VARIABLES\n",
    );
  });
});
