/**
 * Which registry the page reads, decided at run time so one build serves every network (and the
 * frontend canister's module hash does not depend on where it is deployed):
 * 1. `?canisterId=…&host=…` in the page address (explicit, shareable);
 * 2. `/config.json` at the site's root (`{canisterId, network?, frontendCanisterId?, host?,
 *    fetchRootKey?, repository?}`, certified by the frontend canister), or `/env.json` in dfx's naming
 *    (`{CANISTER_ID_REGISTRY, CANISTER_ID_FRONTEND, IC_HOST}`, served by `npm start`);
 * 3. in `npm run dev` only, `CANISTER_ID_REGISTRY` from the project's `.env`.
 * The host defaults to the page's own origin (the local network's gateway or the frontend
 * canister serve the page and the API together), or to the public API on mainnet.
 */
import { isMainnetHost, MAINNET_HOST } from '@repro-registry/client';

import type { RegistryConnection } from './api/registry.api';

export const MAINNET_API_HOST = MAINNET_HOST;

export interface ConfigSources {
  /** `location.href` of the page. */
  pageUrl: string;
  /** Parsed `config.json` or `env.json`, or null when there is none. */
  file: unknown;
  /** `import.meta.env.CANISTER_ID_REGISTRY` at build time. */
  buildCanisterId: string | undefined;
  /** `import.meta.env.VITE_IC_HOST` at build time. */
  buildHost: string | undefined;
}

export type ConfigResult =
  | {
      ok: true;
      connection: RegistryConnection;
      source: 'address' | 'file' | 'build';
      /**
       * Where to clone the repro-registry source (its CLI) from, when the configuration names it
       * (`repository`, an http(s) URL); the "Reproduce" panel shows it.
       */
      repository: string | null;
    }
  | { ok: false; reason: string };

// Text form of a principal: groups of 5 base32 characters (the last may be shorter).
const PRINCIPAL_TEXT = /^[a-z2-7]{1,5}(-[a-z2-7]{1,5})*$/;

interface ConfigFile {
  canisterId?: string;
  frontendCanisterId?: string;
  network?: string;
  host?: string;
  fetchRootKey?: boolean;
  /** A local network's root key (DER, hex), so the page need not fetch it. */
  rootKey?: string;
  repository?: string;
}

/** DER of a BLS12-381 public key is 133 bytes; anything of a plausible size in hex is taken. */
const ROOT_KEY_HEX = /^(?:[0-9a-f]{2}){32,512}$/;

function readFile(file: unknown): ConfigFile {
  if (typeof file !== 'object' || file === null) return {};
  const f = file as Record<string, unknown>;
  const text = (...keys: string[]) =>
    keys.map((k) => f[k]).find((v): v is string => typeof v === 'string' && v !== '');
  const out: ConfigFile = {};
  const canisterId = text('canisterId', 'CANISTER_ID_REGISTRY');
  if (canisterId !== undefined) out.canisterId = canisterId;
  const frontend = text('frontendCanisterId', 'CANISTER_ID_FRONTEND');
  if (frontend !== undefined && PRINCIPAL_TEXT.test(frontend)) out.frontendCanisterId = frontend;
  const network = text('network', 'DFX_NETWORK');
  if (network !== undefined) out.network = network;
  const host = text('host', 'IC_HOST');
  if (host !== undefined) out.host = host;
  if (typeof f['fetchRootKey'] === 'boolean') out.fetchRootKey = f['fetchRootKey'];
  const rootKey = text('rootKey', 'IC_ROOT_KEY');
  if (rootKey !== undefined && ROOT_KEY_HEX.test(rootKey)) out.rootKey = rootKey;
  const repository = text('repository', 'REPRO_REPOSITORY');
  if (repository !== undefined && /^https?:\/\/[^\s]+$/.test(repository)) {
    out.repository = repository;
  }
  return out;
}

export function resolveConfig(sources: ConfigSources): ConfigResult {
  const page = new URL(sources.pageUrl);
  const file = readFile(sources.file);
  const fromAddress = page.searchParams.get('canisterId');
  const candidates: [string | undefined | null, 'address' | 'file' | 'build'][] = [
    [fromAddress, 'address'],
    [file.canisterId, 'file'],
    [sources.buildCanisterId, 'build'],
  ];
  const chosen = candidates.find(([id]) => typeof id === 'string' && id !== '');
  if (chosen === undefined) return { ok: false, reason: 'no canister id' };
  const [canisterId, source] = chosen as [string, 'address' | 'file' | 'build'];
  if (!PRINCIPAL_TEXT.test(canisterId)) {
    return { ok: false, reason: `"${canisterId}" (from ${source}) is not a canister id` };
  }
  const explicitHost =
    page.searchParams.get('host') ?? file.host ?? (sources.buildHost || undefined);
  let host: string;
  if (explicitHost !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(explicitHost);
    } catch {
      return { ok: false, reason: `host "${explicitHost}" is not a URL` };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return { ok: false, reason: `host "${explicitHost}" is not an http(s) URL` };
    }
    host = parsed.origin;
  } else {
    host = isMainnetHost(page.hostname) || file.network === 'ic' ? MAINNET_API_HOST : page.origin;
  }
  const onMainnet = isMainnetHost(host);
  // The root key of mainnet is built into the agent; fetching it, or taking one from a file,
  // would let a man in the middle substitute their own. Only other networks (local ones) hand out
  // theirs: in the file that names the registry (as the network's status would, a round trip
  // later), else from the network's status.
  const rootKey = !onMainnet && source === 'file' ? file.rootKey : undefined;
  const fetchRootKey = onMainnet || rootKey !== undefined ? false : (file.fetchRootKey ?? true);
  const connection: RegistryConnection = { canisterId, host, fetchRootKey };
  if (rootKey !== undefined) connection.rootKey = rootKey;
  // The frontend canister named by the file that named the registry (not by the address).
  if (source === 'file' && file.frontendCanisterId !== undefined) {
    connection.frontendCanisterId = file.frontendCanisterId;
  }
  return { ok: true, connection, source, repository: file.repository ?? null };
}

/**
 * Reads `/config.json`, else `/env.json`, at the site's root (also from a deep link); null when
 * neither is there or they are not JSON (a server may answer unknown paths with index.html).
 */
export async function fetchConfigFile(baseUrl: string): Promise<unknown> {
  for (const name of ['/config.json', '/env.json']) {
    try {
      const response = await fetch(new URL(name, baseUrl), { cache: 'no-store' });
      if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) continue;
      return (await response.json()) as unknown;
    } catch {
      // Not served here: try the next name.
    }
  }
  return null;
}
