/**
 * The page's configuration, served by the canister as `/config.json` (certified like every
 * other response): the registry to read, the network, and the frontend canister itself (so the
 * page can show and check its own module hash).
 */
export interface PageConfig {
  registryCanisterId: string;
  network: string;
  frontendCanisterId: string;
}

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
  return config;
}

/** The JSON the frontend reads (its names: see frontend/src/lib/config.ts). */
export function configJson(config: PageConfig): string {
  return JSON.stringify({
    canisterId: config.registryCanisterId,
    network: config.network,
    frontendCanisterId: config.frontendCanisterId,
  });
}
