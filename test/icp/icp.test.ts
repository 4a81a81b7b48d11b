/**
 * The ICP CLI `icp` 1.5.0 — the IC's own command line, written by nobody in this project — run
 * against the test network: calls decoded by field name from the canister's own
 * `candid:service`, `canister status` as controller and as anyone else, settings, metadata,
 * snapshots, logs.
 */
import { Principal } from '@dfinity/principal';
import { identityFromPem } from '@repro-registry/local-network';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '@repro-registry/deploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, localNetwork } from '../support/network-context';
import { icpCli, networkArgs, type Icp } from '../support/icp';
import { installProbe } from '../support/probe';

describe('icp (ICP CLI 1.5.0) against the local network', () => {
  let icp: Icp;
  let registry: string;
  let probe: string;
  const asDeployer = ['--identity', 'deployer'];

  beforeAll(async () => {
    const { deployerPemPath, canisterIds } = localNetwork();
    icp = await icpCli({ deployer: deployerPemPath });
    registry = canisterIds.registry!;
    const deployer = identityFromPem(await readFile(deployerPemPath, 'utf8'));
    probe = (await installProbe(await createAgent(deployer))).toText();
  });
  afterAll(() => icp?.dispose());

  it('calls a query, decoding field names from the canister’s candid:service', async () => {
    const r = await icp([
      'canister',
      'call',
      registry,
      'get_registry_info',
      '()',
      '--query',
      ...networkArgs(),
    ]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/max_envelope_bytes = 65_536 : nat32/);
  });

  it('makes an update call and reads its result back', async () => {
    const put = await icp([
      'canister',
      'call',
      probe,
      'put',
      '("from-icp", "hello")',
      ...networkArgs(),
      ...asDeployer,
    ]);
    expect(put.code).toBe(0);
    const get = await icp([
      'canister',
      'call',
      probe,
      'get',
      '("from-icp")',
      '--query',
      ...networkArgs(),
    ]);
    expect(get.stdout).toMatch(/opt "hello"/);
  });

  it('shows the full status to a controller and the public part to anyone else', async () => {
    const wasm = await readFile(join(PROJECT_ROOT, '.azle/registry/registry.wasm'));
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(wasm).digest('hex');
    const controller = await icp(['canister', 'status', registry, ...networkArgs(), ...asDeployer]);
    expect(controller.code).toBe(0);
    expect(controller.stdout).toMatch(/Status: Running/);
    expect(controller.stdout).toMatch(/Log memory limit: 4_096/);
    expect(controller.stdout).toContain(`Module hash: 0x${hash}`);
    expect(controller.stdout).toContain(localNetwork().deployer);

    const anyone = await icp(['canister', 'status', registry, ...networkArgs()]);
    expect(anyone.code).toBe(0);
    expect(anyone.stdout).toContain(`Module hash: 0x${hash}`);
    expect(anyone.stdout).toContain(localNetwork().deployer);
    expect(anyone.stdout).not.toMatch(/Status: Running/);
  });

  it('updates settings (a controller added) and shows them', async () => {
    const added = Principal.fromUint8Array(new Uint8Array(29).fill(9)).toText();
    const update = await icp([
      'canister',
      'settings',
      'update',
      probe,
      '--add-controller',
      added,
      ...networkArgs(),
      ...asDeployer,
    ]);
    expect(update.stderr).not.toMatch(/Error/);
    expect(update.code).toBe(0);
    const show = await icp([
      'canister',
      'settings',
      'show',
      probe,
      ...networkArgs(),
      ...asDeployer,
    ]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(added);
    expect(show.stdout).toContain(localNetwork().deployer);
  });

  it('reads candid:service metadata: the registry’s contract, as dfx and icp-cli embed it', async () => {
    const r = await icp(['canister', 'metadata', registry, 'candid:service', ...networkArgs()]);
    expect(r.code).toBe(0);
    const did = await readFile(join(PROJECT_ROOT, 'canisters/registry/registry.did'), 'utf8');
    expect(r.stdout.trim()).toBe(did.trim());
  });

  it('takes, lists and restores snapshots of a stopped canister', async () => {
    const net = [...networkArgs(), ...asDeployer];
    expect((await icp(['canister', 'snapshot', 'list', probe, ...net])).stdout).toMatch(
      /No snapshots/,
    );
    expect((await icp(['canister', 'stop', probe, ...net])).code).toBe(0);
    const created = await icp(['canister', 'snapshot', 'create', probe, ...net]);
    expect(created.code).toBe(0);
    const id = /Created snapshot ([0-9a-f]+)/.exec(created.stdout)?.[1];
    expect(id).toBeDefined();
    const listed = await icp(['canister', 'snapshot', 'list', probe, ...net]);
    expect(listed.stdout).toContain(id);
    const restored = await icp(['canister', 'snapshot', 'restore', probe, id!, ...net]);
    expect(restored.stderr).not.toMatch(/Error/);
    expect(restored.code).toBe(0);
    expect((await icp(['canister', 'start', probe, ...net])).code).toBe(0);
    const get = await icp(['canister', 'call', probe, 'get', '("from-icp")', '--query', ...net]);
    expect(get.stdout).toMatch(/opt "hello"/);
  });

  it('needs the cycles minting canister for `canister create`, as the README says', async () => {
    // Documented: this network has no cycles ledger or CMC; canisters come from `npm run deploy`.
    const r = await icp(['canister', 'create', '--detached', ...networkArgs(), ...asDeployer]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Canister rkp4c-7iaaa-aaaaa-aaaca-cai not found/);
    expect(r.stderr).toMatch(/IC0301/);
  });
});
