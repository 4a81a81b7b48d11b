import { Principal } from '@dfinity/principal';
import { lookup } from './nns-functions';

/**
 * Names of the canisters NNS proposals install code into, by id. The first nine are the NNS
 * subnet's canisters 0–8 (dfinity/ic rs/nns/constants/src/lib.rs: `CanisterId::from_u64(index)`,
 * in that file's order); sns-wasm is canister 10 of the same range; the exchange rate canister
 * is the id the cycles minting canister's upgrade argument of proposal 122287 names. Names are
 * the keys of dfinity/ic's mainnet-canister-revisions.json where it has one.
 */
const NNS_SUBNET_CANISTERS: ReadonlyArray<readonly [index: number, name: string]> = [
  [0, 'registry'],
  [1, 'governance'],
  [2, 'ledger'],
  [3, 'root'],
  [4, 'cycles-minting'],
  [5, 'lifeline'],
  [6, 'genesis-token'],
  [7, 'internet-identity'],
  [8, 'nns-dapp'],
  [10, 'sns-wasm'],
];

function nnsSubnetCanisterId(index: number): string {
  const bytes = new Uint8Array(10);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(index));
  bytes[8] = 1;
  bytes[9] = 1;
  return Principal.fromUint8Array(bytes).toText();
}

/** Canister id (text) → name. */
export const NNS_CANISTER_NAMES: ReadonlyMap<string, string> = new Map([
  ...NNS_SUBNET_CANISTERS.map(([index, name]) => [nnsSubnetCanisterId(index), name] as const),
  ['uf6dk-hyaaa-aaaaq-qaaaq-cai', 'exchange-rate'],
]);

/** The name of a well-known NNS canister, or null. */
export function nnsCanisterName(canisterId: string): string | null {
  return NNS_CANISTER_NAMES.get(canisterId) ?? null;
}

/** NNS root (`r7inp-…`): the target of root upgrades through the lifeline canister. */
export const NNS_ROOT_CANISTER_ID = nnsSubnetCanisterId(3);

/**
 * The `SnsCanisterType` enum of SNS-W (dfinity/ic sns_wasm.proto):
 * which SNS canister an `AddSnsWasm` proposal publishes a module for.
 */
export const SNS_CANISTER_TYPE_NAMES = {
  0: 'unspecified',
  1: 'root',
  2: 'governance',
  3: 'ledger',
  4: 'swap',
  5: 'archive',
  6: 'index',
} as const;

export type SnsCanisterTypeName =
  (typeof SNS_CANISTER_TYPE_NAMES)[keyof typeof SNS_CANISTER_TYPE_NAMES] | 'unknown';

export function snsCanisterTypeName(type: number): SnsCanisterTypeName {
  return lookup<SnsCanisterTypeName>(SNS_CANISTER_TYPE_NAMES, type);
}

/**
 * `InstallCode.install_mode` (governance's `install_code::CanisterInstallMode`; the ic repo's
 * proposal_verification.md: "In general, this would be set to 3 (upgrade)").
 */
export const INSTALL_MODE_NAMES = {
  0: 'unspecified',
  1: 'install',
  2: 'reinstall',
  3: 'upgrade',
} as const;

export type InstallModeName =
  (typeof INSTALL_MODE_NAMES)[keyof typeof INSTALL_MODE_NAMES] | 'unknown';

export function installModeName(mode: number): InstallModeName {
  return lookup<InstallModeName>(INSTALL_MODE_NAMES, mode);
}
