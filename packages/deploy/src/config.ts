/** What `deploy` takes and returns, and the shape of `deploy.config.ts` at the project root. */
import type { HttpAgent, SignIdentity } from '@dfinity/agent';
import type { Principal } from '@dfinity/principal';

export type DeployMode = 'auto' | 'install' | 'reinstall' | 'upgrade';

export interface InitArgContext {
  canister: string;
  network: string;
  mode: 'install' | 'reinstall' | 'upgrade';
  /** Ids of the canisters deployed so far in this run (and known from earlier runs). */
  canisterIds: Record<string, string>;
  deployer: Principal;
  /**
   * The network's root key (DER) when it is not mainnet: local networks hand out theirs, and a
   * page told it beforehand need not fetch it. Null on mainnet, whose key the agent has built in.
   */
  rootKey: Uint8Array | null;
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
