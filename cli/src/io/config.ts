import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NNS_GOVERNANCE_CANISTER_ID } from '@repro-registry/proposals';
import { usageError } from '../core/errors';

export const MAINNET_HOST = 'https://icp-api.io';
/** dfx's default local replica address. */
export const LOCAL_HOST = 'http://127.0.0.1:4943';

/** The user's config directory: XDG on Linux, Application Support on macOS; `REPRO_CONFIG_DIR` overrides. */
export function configDirectory(
  env: NodeJS.ProcessEnv = process.env,
  platform: string = process.platform,
  home: string = os.homedir(),
): string {
  const override = env['REPRO_CONFIG_DIR'];
  if (override) return path.resolve(override);
  if (platform === 'darwin')
    return path.join(home, 'Library', 'Application Support', 'repro-registry');
  const xdg = env['XDG_CONFIG_HOME'];
  return path.join(
    xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config'),
    'repro-registry',
  );
}

export interface ConfigFile {
  network?: string;
  canisterId?: string;
  governanceCanisterId?: string;
}

export interface GlobalOptions {
  network?: string;
  canisterId?: string;
  governanceCanisterId?: string;
  config?: string;
  json?: boolean;
  debug?: boolean;
}

export interface Settings {
  configDir: string;
  keyPath: string;
  configPath: string;
  networkName: string;
  host: string;
  /** Local networks have their own root key; mainnet's is built into the agent. */
  fetchRootKey: boolean;
  canisterId: string | null;
  governanceCanisterId: string;
}

async function readConfigFile(file: string, explicit: boolean): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw usageError(
      `cannot read the config file ${file}: ${(error as Error).message}`,
      'check the path given with --config or REPRO_CONFIG',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw usageError(
      `the config file ${file} is not JSON`,
      'write it as {"network": "ic", "canisterId": "<id>"}',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw usageError(`the config file ${file} must hold a JSON object`);
  const out: ConfigFile = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!['network', 'canisterId', 'governanceCanisterId'].includes(key)) {
      throw usageError(
        `unknown setting "${key}" in ${file}`,
        'known settings: network, canisterId, governanceCanisterId',
      );
    }
    if (typeof value !== 'string') throw usageError(`setting "${key}" in ${file} must be a string`);
    out[key as keyof ConfigFile] = value;
  }
  return out;
}

export function resolveNetwork(name: string): { host: string; fetchRootKey: boolean } {
  if (name === 'ic') return { host: MAINNET_HOST, fetchRootKey: false };
  if (name === 'local') return { host: LOCAL_HOST, fetchRootKey: true };
  let url: URL;
  try {
    url = new URL(name);
  } catch {
    throw usageError(
      `unknown network "${name}"`,
      'use --network local, --network ic or --network <http(s) URL>',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usageError(`network URL must be http or https: ${name}`);
  const mainnet = /(^|\.)(icp-api\.io|ic0\.app|icp0\.io)$/.test(url.hostname);
  return { host: url.origin, fetchRootKey: !mainnet };
}

/**
 * What a local deployment wrote, dfx's way, in the environment or in a `.env` file in the
 * working directory or one of its parents (`npm start` and `npm run deploy` write it at the
 * project root): `CANISTER_ID_<NAME>`, and `REPRO_LOCAL_NETWORK_URL`, the network those ids
 * live on — so `--network local` never talks to another network that has the same ids.
 */
export async function localDeployment(
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ ids: Record<string, string>; networkUrl: string | null; envFile: string | null }> {
  const ids: Record<string, string> = {};
  let networkUrl: string | null = null;
  let envFile: string | null = null;
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, '.env');
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text !== null) {
      envFile = file;
      for (const line of text.split('\n')) {
        const m = /^\s*CANISTER_ID_([A-Z0-9_]+)\s*=\s*['"]?([a-z0-9-]+)['"]?\s*$/.exec(line);
        if (m) ids[m[1].toLowerCase()] = m[2];
        const u = /^\s*REPRO_LOCAL_NETWORK_URL\s*=\s*['"]?(https?:\/\/[^'"\s]+)['"]?\s*$/.exec(
          line,
        );
        if (u) networkUrl = u[1];
      }
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  for (const [key, value] of Object.entries(env)) {
    const m = /^CANISTER_ID_([A-Z0-9_]+)$/.exec(key);
    if (m && value) ids[m[1].toLowerCase()] = value;
  }
  if (env['REPRO_LOCAL_NETWORK_URL']) networkUrl = env['REPRO_LOCAL_NETWORK_URL'];
  return { ids, networkUrl, envFile };
}

/**
 * Flags win over environment variables, which win over the config file, which wins over the ids
 * a local deployment wrote (local networks only), which win over defaults.
 */
export async function resolveSettings(
  options: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<Settings> {
  const configDir = configDirectory(env);
  const explicitConfig = options.config ?? env['REPRO_CONFIG'];
  const configPath = explicitConfig
    ? path.resolve(explicitConfig)
    : path.join(configDir, 'config.json');
  const file = await readConfigFile(configPath, explicitConfig !== undefined);
  const networkName = options.network ?? env['REPRO_NETWORK'] ?? file.network ?? 'ic';
  const resolved = resolveNetwork(networkName);
  const local =
    networkName === 'ic'
      ? { ids: {} as Record<string, string>, networkUrl: null }
      : await localDeployment(env, cwd);
  const deployed = local.ids;
  // `local` is the network that wrote the ids, wherever it listens (dfx's 4943 otherwise).
  const host =
    networkName === 'local' && local.networkUrl !== null
      ? new URL(local.networkUrl).origin
      : resolved.host;
  const fetchRootKey = resolved.fetchRootKey;
  return {
    configDir,
    keyPath: path.join(configDir, 'builder-key.pem'),
    configPath,
    networkName,
    host,
    fetchRootKey,
    canisterId:
      options.canisterId ??
      env['REPRO_CANISTER_ID'] ??
      file.canisterId ??
      deployed['registry'] ??
      null,
    governanceCanisterId:
      options.governanceCanisterId ??
      env['REPRO_GOVERNANCE_CANISTER_ID'] ??
      file.governanceCanisterId ??
      deployed['governance'] ??
      NNS_GOVERNANCE_CANISTER_ID,
  };
}
