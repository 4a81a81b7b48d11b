/**
 * The page's configuration, served by the canister as `/config.json` (certified like every
 * other response): the registry to read, the network, and the frontend canister itself (so the
 * page can show and check its own module hash).
 */
export interface PageConfig {
  registryCanisterId: string;
  network: string;
  frontendCanisterId: string;
  /** A local network's root key (DER, hex); never for mainnet, whose key the agent has built in. */
  rootKey?: string;
}

/** The DER of a BLS12-381 public key is 133 bytes; a bound keeps the page's config small. */
const ROOT_KEY_MAX_BYTES = 512;

/** Network names as dfx spells them (`ic`, `local`, a dfx.json network). */
const NETWORK = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
}

export function checkConfig(config: PageConfig): PageConfig {
  if (!NETWORK.test(config.network)) {
    throw new InvalidConfigError(
      `network "${config.network}" must be 1-32 characters of a-z, 0-9, "_" and "-"`,
    );
  }
  if (config.rootKey !== undefined) {
    if (config.network === 'ic') {
      throw new InvalidConfigError(
        'a root key is for local networks only: mainnet pages use the key built into the agent',
      );
    }
    if (
      !/^(?:[0-9a-f]{2})+$/.test(config.rootKey) ||
      config.rootKey.length > 2 * ROOT_KEY_MAX_BYTES
    ) {
      throw new InvalidConfigError(`the root key must be 1-${ROOT_KEY_MAX_BYTES} bytes`);
    }
  }
  return config;
}

/** The JSON the frontend reads (its names: see frontend/src/lib/config.ts). */
export function configJson(config: PageConfig): string {
  return JSON.stringify({
    canisterId: config.registryCanisterId,
    network: config.network,
    frontendCanisterId: config.frontendCanisterId,
    ...(config.rootKey === undefined ? {} : { rootKey: config.rootKey }),
  });
}
