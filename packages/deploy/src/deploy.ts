/**
 * Deploys the canisters of dfx.json that have a built wasm, like `dfx deploy`, using only
 * `@dfinity/agent` and the management canister's interface: it works the same against the
 * project's local network and a real `dfx start` replica (and, for canisters that exist, the IC).
 *
 * - Canister ids are remembered per network as dfx does: `<state dir>/canister_ids.json` for
 *   ephemeral networks (local), `canister_ids.json` at the project root for the others.
 * - The module hash is printed before and after (read_state `canister/<id>/module_hash`); the
 *   raw wasm is installed (in chunks when large), so it equals the build's SHA-256.
 * - Init and upgrade arguments come from `deploy.config.ts` at the project root (see
 *   `DeployConfig`), or an empty argument list.
 * - `.env` gets `DFX_NETWORK` and `CANISTER_ID_<NAME>` like dfx writes them (and, for a local
 *   network, `REPRO_LOCAL_NETWORK_URL`: where the CLI finds it).
 */
import { HttpAgent } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import {
  canisterSettings,
  identityFromPem,
  loadOrCreateIdentity,
  managementCanister,
  type InstallMode,
} from '@repro-registry/local-network';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { ensureCanisterBuilt } from './build';
import type { DeployConfig, DeployedCanister, DeployOptions, DeployResult } from './config';
import { updateEnvFile } from './env-file';
import { defaultInitArg, installWasm, moduleHash } from './install';
import { resolveNetwork } from './network-target';
import { PROJECT_ROOT, readDfxJson } from './project';

async function readJson<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw new Error(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, content);
  await rename(`${path}.tmp`, path);
}

async function loadConfig(projectRoot: string): Promise<DeployConfig> {
  const path = join(projectRoot, 'deploy.config.ts');
  if (!existsSync(path)) return {};
  const mod = (await import(pathToFileURL(path).href)) as { default?: DeployConfig };
  return mod.default ?? {};
}

export async function deploy(options: DeployOptions = {}): Promise<DeployResult> {
  const projectRoot = options.projectRoot ?? PROJECT_ROOT;
  const stateDir = resolve(
    projectRoot,
    options.stateDir ?? process.env.REPRO_STATE_DIR ?? '.state',
  );
  const log = options.log ?? ((l: string) => console.log(l));
  const mode = options.mode ?? 'auto';
  const dfx = await readDfxJson(projectRoot);
  const target = resolveNetwork(dfx, options.network ?? 'local', options.url);
  const config = options.config ?? (await loadConfig(projectRoot));

  const identity =
    options.identity ??
    (options.identityPem
      ? identityFromPem(await readFile(options.identityPem, 'utf8'))
      : await loadOrCreateIdentity(join(stateDir, 'deploy-identity.pem')));
  const deployer = identity.getPrincipal();
  const agent = await HttpAgent.create({
    host: target.url,
    identity,
    shouldFetchRootKey: !target.mainnet,
  });
  const rootKey = target.mainnet || agent.rootKey === null ? null : new Uint8Array(agent.rootKey);

  const idsPath = target.ephemeral
    ? join(stateDir, 'canister_ids.json')
    : join(projectRoot, 'canister_ids.json');
  const ids = await readJson<Record<string, Record<string, string>>>(idsPath, {});
  const known: Record<string, string> = {};
  for (const [name, byNetwork] of Object.entries(ids)) {
    const id = byNetwork[target.name];
    if (id) known[name] = id;
  }

  // A canister dfx.json marks `remote` on this network (NNS governance on mainnet) is not
  // deployed: its id is known, and others' init arguments can refer to it.
  for (const [name, c] of Object.entries(dfx.canisters)) {
    const remote = c.remote?.id?.[target.name];
    if (remote) known[name] = remote;
  }
  const names = Object.keys(dfx.canisters).filter(
    (n) =>
      dfx.canisters[n].wasm &&
      !dfx.canisters[n].remote?.id?.[target.name] &&
      (!options.canisters || options.canisters.includes(n)),
  );
  for (const n of options.canisters ?? []) {
    if (!dfx.canisters[n]) throw new Error(`dfx.json has no canister "${n}"`);
    if (!dfx.canisters[n].wasm) throw new Error(`dfx.json canister "${n}" has no "wasm" field`);
  }
  log(`Deploying to ${target.name} (${target.url}) as ${deployer.toText()}`);

  const results: DeployedCanister[] = [];
  for (const name of names) {
    const wasmPath = resolve(projectRoot, dfx.canisters[name].wasm!);
    if (dfx.canisters[name].azle !== undefined && resolve(projectRoot) === PROJECT_ROOT) {
      // Built again when any file it was built from changed: a deploy never installs a wasm
      // older than the sources (after a pull, say) while the clients speak the new contract.
      await ensureCanisterBuilt(name);
    } else if (!existsSync(wasmPath)) {
      log(`${name}: ${dfx.canisters[name].wasm} is missing, building it`);
      const built = spawnSync('npx', ['tsx', 'scripts/build-canister.ts', name], {
        cwd: projectRoot,
        stdio: 'inherit',
      });
      if (built.status !== 0 || !existsSync(wasmPath)) throw new Error(`building ${name} failed`);
    }
    const wasm = new Uint8Array(await readFile(wasmPath));
    const wasmSha256 = createHash('sha256').update(wasm).digest('hex');

    let canisterId: Principal | undefined = known[name]
      ? Principal.fromText(known[name])
      : undefined;
    let before: { exists: boolean; hash: string | null } = { exists: false, hash: null };
    if (canisterId) {
      before = await moduleHash(agent, canisterId);
      if (!before.exists) {
        if (!target.ephemeral) {
          throw new Error(
            `${name}: canister ${canisterId.toText()} (from ${idsPath}) does not exist on ${target.name}`,
          );
        }
        log(
          `${name}: ${canisterId.toText()} no longer exists on this network, creating a new canister`,
        );
        canisterId = undefined;
      }
    }
    let created = false;
    if (!canisterId) {
      if (target.mainnet) {
        throw new Error(
          `${name}: create the canister on the IC first (e.g. with dfx and cycles) and record its id in canister_ids.json`,
        );
      }
      const mgmt = managementCanister(agent);
      ({ canister_id: canisterId } = await mgmt.provisional_create_canister_with_cycles({
        amount: [],
        settings: [canisterSettings({ controllers: [[deployer]] })],
        specified_id: [],
        sender_canister_version: [],
      }));
      created = true;
      before = { exists: true, hash: null };
      ids[name] = { ...(ids[name] ?? {}), [target.name]: canisterId.toText() };
      await writeFileAtomic(idsPath, JSON.stringify(ids, null, 2) + '\n');
      log(`${name}: created canister ${canisterId.toText()}`);
    }
    known[name] = canisterId.toText();
    log(`${name}: module hash before: ${before.hash ?? '(none)'}`);

    let action: DeployedCanister['action'];
    if (mode === 'auto') action = before.hash === null ? 'install' : 'upgrade';
    else action = mode;
    if (mode === 'auto' && before.hash === wasmSha256) {
      action = 'unchanged';
      log(`${name}: module ${wasmSha256} is already installed`);
    } else {
      const initArg = config.canisters?.[name]?.initArg;
      const arg = initArg
        ? await initArg({
            canister: name,
            network: target.name,
            mode: action,
            canisterIds: { ...known },
            deployer,
            rootKey,
          })
        : await defaultInitArg(
            dfx.canisters[name].candid
              ? resolve(projectRoot, dfx.canisters[name].candid)
              : undefined,
          );
      const installMode: InstallMode =
        action === 'upgrade'
          ? { upgrade: [] }
          : action === 'reinstall'
            ? { reinstall: null }
            : { install: null };
      log(
        `${name}: ${action} ${dfx.canisters[name].wasm} (${wasm.length} bytes, sha256 ${wasmSha256})`,
      );
      await installWasm({ agent, canisterId, wasm, arg, mode: installMode });
    }
    const after = await moduleHash(agent, canisterId);
    log(`${name}: module hash after:  ${after.hash ?? '(none)'}`);
    const afterDeploy = config.canisters?.[name]?.afterDeploy;
    if (afterDeploy) {
      await afterDeploy({
        canister: name,
        network: target.name,
        mode: action === 'unchanged' ? 'upgrade' : action,
        canisterIds: { ...known },
        deployer,
        rootKey,
        agent,
        canisterId,
      });
    }
    results.push({
      name,
      canisterId: canisterId.toText(),
      created,
      action,
      moduleHashBefore: before.hash,
      moduleHashAfter: after.hash,
      wasmSha256,
    });
  }

  if (options.writeEnv ?? true) {
    const envPath = join(projectRoot, '.env');
    const existing = existsSync(envPath) ? await readFile(envPath, 'utf8') : '';
    const vars: Record<string, string> = { DFX_NETWORK: target.name };
    // The CLI's `--network local` talks to this network, not any other with the same ids.
    if (target.name === 'local') vars['REPRO_LOCAL_NETWORK_URL'] = target.url;
    for (const [name, id] of Object.entries(known)) {
      vars[`CANISTER_ID_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = id;
    }
    await writeFileAtomic(envPath, updateEnvFile(existing, vars));
  }
  return { network: target.name, url: target.url, deployer: deployer.toText(), canisters: results };
}
