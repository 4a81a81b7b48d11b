/** Which network a deployment goes to: `local`, `ic`, a network named in dfx.json, or a URL. */
import type { DfxJson } from './project';

export interface NetworkTarget {
  name: string;
  url: string;
  ephemeral: boolean;
  mainnet: boolean;
}

export function resolveNetwork(dfx: DfxJson, network: string, urlOverride?: string): NetworkTarget {
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
