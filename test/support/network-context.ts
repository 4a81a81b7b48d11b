/**
 * What the global setup hands to integration tests (`inject('localNetwork')`), and helpers to
 * turn it into agents. Values cross process boundaries, so bytes travel as hex.
 */
import { HttpAgent, type Identity } from '@dfinity/agent';
import { inject } from 'vitest';

export interface LocalNetworkContext {
  /** Base URL of the network, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  /** DER root key (133 bytes), hex: what `/api/v2/status` reports. */
  rootKeyHex: string;
  subnetId: string;
  /** The network was not started by the setup (REPRO_TEST_NETWORK): it cannot be killed. */
  external: boolean;
  /** Temporary state directory of this network. */
  stateDir: string;
  /** Canister ids by dfx.json name, as deployed by `@repro-registry/deploy` (e.g. `registry`). */
  canisterIds: Record<string, string>;
  /** Principal of the deploy identity (controller of the deployed canisters). */
  deployer: string;
  /** PEM of the deploy identity, to act as the controller. */
  deployerPemPath: string;
  /** Built test wasm files by name (e.g. `network_probe`), absolute paths. */
  testWasm: Record<string, string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    localNetwork: LocalNetworkContext;
  }
}

export function localNetwork(): LocalNetworkContext {
  return inject('localNetwork');
}

export function rootKey(): Uint8Array {
  return Uint8Array.from(Buffer.from(localNetwork().rootKeyHex, 'hex'));
}

/**
 * An agent for the local network with full verification: the root key comes from the
 * network's status endpoint, as `fetchRootKey` does. `retryTimes: 0` makes errors fail fast.
 */
export async function createAgent(identity?: Identity): Promise<HttpAgent> {
  return HttpAgent.create({
    host: localNetwork().url,
    identity,
    shouldFetchRootKey: true,
    retryTimes: 0,
  });
}
