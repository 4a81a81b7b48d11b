/**
 * Deploys the canisters of dfx.json that have a built wasm, like `dfx deploy`, using only
 * `@dfinity/agent` and the management canister's interface: it works the same against the
 * project's local network and a real `dfx start` replica (and, for canisters that exist, the IC).
 *
 *   npm run deploy [-- --network local|ic|<name>|<url>] [--mode auto|install|reinstall|upgrade]
 *                  [--identity <pem>] [--state-dir .state] [<canister>...]
 *
 * - Canister ids are remembered per network as dfx does: `<state dir>/canister_ids.json` for
 *   ephemeral networks (local), `canister_ids.json` at the project root for the others.
 * - The module hash is printed before and after (read_state `canister/<id>/module_hash`); the
 *   raw wasm is installed (in chunks when large), so it equals the build's SHA-256.
 * - Init and upgrade arguments come from `deploy.config.ts` at the project root (see
 *   `DeployConfig`), or an empty argument list.
 * - `.env` gets `DFX_NETWORK` and `CANISTER_ID_<NAME>` like dfx writes them.
 */
import { Certificate, HttpAgent, LookupPathStatus, type SignIdentity } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import {
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
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_SINGLE_INSTALL_BYTES = 1_900_000;
const CHUNK_BYTES = 1_000_000;

export type DeployMode = 'auto' | 'install' | 'reinstall' | 'upgrade';

export interface InitArgContext {
  canister: string;
  network: string;
  mode: 'install' | 'reinstall' | 'upgrade';
  /** Ids of the canisters deployed so far in this run (and known from earlier runs). */
  canisterIds: Record<string, string>;
  deployer: Principal;
}

/** `deploy.config.ts` at the project root: `export default { canisters: { … } } satisfies DeployConfig`. */
export interface DeployConfig {
  canisters?: Record<
    string,
    {
      /** Candid-encoded argument for install/reinstall/upgrade; default: `()`. */
      initArg?: (ctx: InitArgContext) => Uint8Array | Promise<Uint8Array>;
      /** Runs after the canister is deployed (e.g. to seed a local stand-in with data). */
      afterDeploy?: (
        ctx: InitArgContext & { agent: HttpAgent; canisterId: Principal },
      ) => Promise<void>;
    }
  >;
}

export interface DeployOptions {
  /** `local`, `ic`, a network named in dfx.json, or a URL. Default `local`. */
  network?: string;
  /** Overrides the URL of the network (e.g. a local network on another port). */
  url?: string;
  mode?: DeployMode;
  /** A PEM file; default: `<state dir>/deploy-identity.pem`, created on first use. */
  identityPem?: string;
  identity?: SignIdentity;
  projectRoot?: string;
  stateDir?: string;
  /** Only these canisters (default: every dfx.json canister with a `wasm`). */
  canisters?: string[];
  /** Write `.env` at the project root (default true). */
  writeEnv?: boolean;
  config?: DeployConfig;
  log?: (line: string) => void;
}

export interface DeployedCanister {
  name: string;
  canisterId: string;
  created: boolean;
  action: 'install' | 'reinstall' | 'upgrade' | 'unchanged';
  moduleHashBefore: string | null;
  moduleHashAfter: string | null;
  wasmSha256: string;
}

export interface DeployResult {
  network: string;
  url: string;
  deployer: string;
  canisters: DeployedCanister[];
}

interface DfxJson {
  canisters: Record<
    string,
    {
      wasm?: string;
      candid?: string;
      build?: string | string[];
      azle?: unknown;
      type?: string;
      remote?: { id?: Record<string, string> };
    }
  >;
  networks?: Record<string, { bind?: string; providers?: string[]; type?: string }>;
}

interface NetworkTarget {
  name: string;
  url: string;
  ephemeral: boolean;
  mainnet: boolean;
}

function resolveNetwork(dfx: DfxJson, network: string, urlOverride?: string): NetworkTarget {
  if (/^https?:\/\//.test(network)) {
    const host = new URL(network).hostname;
    const local = host === '127.0.0.1' || host === 'localhost' || host === '::1';
    return { name: local ? 'local' : network, url: network, ephemeral: local, mainnet: false };
  }
  if (network === 'ic') {
    return {
      name: 'ic',
      url: urlOverride ?? 'https://icp-api.io',
      ephemeral: false,
      mainnet: true,
    };
  }
  const config = dfx.networks?.[network];
  if (network === 'local' || config) {
    const bind = config?.bind ?? '127.0.0.1:4943';
    const url = urlOverride ?? config?.providers?.[0] ?? `http://${bind}`;
    const ephemeral =
      network === 'local'
        ? (config?.type ?? 'ephemeral') === 'ephemeral'
        : config?.type === 'ephemeral';
    return { name: network, url, ephemeral, mainnet: false };
  }
  throw new Error(`unknown network "${network}": use local, ic, a network of dfx.json or a URL`);
}

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

/** Replaces dfx's section of `.env`, keeping everything else. */
export function updateEnvFile(existing: string, vars: Record<string, string>): string {
  const begin = '# DFX CANISTER ENVIRONMENT VARIABLES';
  const end = '# END DFX CANISTER ENVIRONMENT VARIABLES';
  const lines = existing.split('\n');
  const out: string[] = [];
  let inSection = false;
  for (const line of lines) {
    if (line.trim() === begin) inSection = true;
    else if (line.trim() === end) inSection = false;
    else if (!inSection && !Object.keys(vars).some((k) => line.startsWith(`${k}=`))) out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  const section = [begin, ...Object.entries(vars).map(([k, v]) => `${k}='${v}'`), end];
  return [...out, ...(out.length ? [''] : []), ...section, ''].join('\n');
}

/** The certified module hash (read_state `canister/<id>/module_hash`) and whether the canister exists. */
export async function moduleHash(
  agent: HttpAgent,
  canisterId: Principal,
): Promise<{ exists: boolean; hash: string | null }> {
  const enc = new TextEncoder();
  const base = [enc.encode('canister'), canisterId.toUint8Array()];
  const paths = [
    [...base, enc.encode('module_hash')],
    [...base, enc.encode('controllers')],
  ];
  const response = await agent.readState(canisterId, { paths });
  const certificate = await Certificate.create({
    certificate: response.certificate,
    rootKey: agent.rootKey!,
    canisterId,
    agent,
  });
  const hash = certificate.lookup_path(paths[0]);
  const controllers = certificate.lookup_path(paths[1]);
  return {
    exists: controllers.status === LookupPathStatus.Found,
    hash: hash.status === LookupPathStatus.Found ? Buffer.from(hash.value).toString('hex') : null,
  };
}

/** Installs a module: in one message when it fits, else through the chunk store. */
export async function installWasm(args: {
  agent: HttpAgent;
  canisterId: Principal;
  wasm: Uint8Array;
  arg: Uint8Array;
  mode: InstallMode;
}): Promise<void> {
  const mgmt = managementCanister(args.agent);
  if (args.wasm.length <= MAX_SINGLE_INSTALL_BYTES) {
    await mgmt.install_code({
      mode: args.mode,
      canister_id: args.canisterId,
      wasm_module: args.wasm,
      arg: args.arg,
      sender_canister_version: [],
    });
    return;
  }
  // Larger than one ingress message: upload chunks, then install from the chunk store.
  await mgmt.clear_chunk_store({ canister_id: args.canisterId });
  const hashes: { hash: Uint8Array }[] = [];
  for (let off = 0; off < args.wasm.length; off += CHUNK_BYTES) {
    const chunk = args.wasm.subarray(off, off + CHUNK_BYTES);
    hashes.push(await mgmt.upload_chunk({ canister_id: args.canisterId, chunk }));
  }
  await mgmt.install_chunked_code({
    mode: args.mode,
    target_canister: args.canisterId,
    store_canister: [],
    chunk_hashes_list: hashes.map((h) => ({ hash: new Uint8Array(h.hash) })),
    wasm_module_hash: new Uint8Array(createHash('sha256').update(args.wasm).digest()),
    arg: args.arg,
    sender_canister_version: [],
  });
  await mgmt.clear_chunk_store({ canister_id: args.canisterId });
}

/**
 * The argument used when no hook gives one: `null` for each init parameter when they are all
 * `opt` (the service line of the canister's .did), else `()`.
 */
export async function defaultInitArg(didPath: string | undefined): Promise<Uint8Array> {
  const empty = new Uint8Array(IDL.encode([], []));
  if (!didPath || !existsSync(didPath)) return empty;
  const did = await readFile(didPath, 'utf8');
  const m = /^service\s*:\s*\(([^)]*)\)\s*->/m.exec(did.replace(/\/\/[^\n]*/g, ''));
  if (!m || m[1].trim() === '') return empty;
  const params = m[1].split(',').map((p) => p.trim());
  if (!params.every((p) => p.startsWith('opt '))) return empty;
  return new Uint8Array(
    IDL.encode(
      params.map(() => IDL.Null),
      params.map(() => null),
    ),
  );
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
  const dfx = await readJson<DfxJson>(join(projectRoot, 'dfx.json'), { canisters: {} });
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
    if (!existsSync(wasmPath)) {
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
        settings: [
          {
            controllers: [[deployer]],
            compute_allocation: [],
            memory_allocation: [],
            freezing_threshold: [],
            reserved_cycles_limit: [],
            wasm_memory_limit: [],
          },
        ],
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

function parseArgs(argv: string[]): DeployOptions {
  const opts: DeployOptions = { canisters: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--network') opts.network = value();
    else if (a === '--mode') {
      const m = value();
      if (!['auto', 'install', 'reinstall', 'upgrade'].includes(m))
        throw new Error(`--mode must be auto, install, reinstall or upgrade`);
      opts.mode = m as DeployMode;
    } else if (a === '--identity') opts.identityPem = value();
    else if (a === '--state-dir') opts.stateDir = value();
    else if (a === '--url') opts.url = value();
    else if (a === '--no-env') opts.writeEnv = false;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else opts.canisters!.push(a);
  }
  if (opts.canisters!.length === 0) delete opts.canisters;
  return opts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const result = await deploy(parseArgs(process.argv.slice(2)));
    for (const c of result.canisters) console.log(`${c.name}: ${c.canisterId} (${c.action})`);
  } catch (e) {
    console.error(`deploy failed: ${(e as Error).message}`);
    process.exit(1);
  }
}
