import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { actionLabel, type ProposalAction } from './action';
import {
  AddCanisterPayloadIdl,
  ChangeCanisterPayloadIdl,
  HardResetRootPayloadIdl,
  UpgradeRootPayloadIdl,
  type AddCanisterPayloadValue,
  type ChangeCanisterPayloadValue,
  type HardResetRootPayloadValue,
  type UpgradeRootPayloadValue,
} from './canister-payloads';
import {
  NNS_ROOT_CANISTER_ID,
  installModeName,
  nnsCanisterName,
  type InstallModeName,
} from './nns-canisters';
import { NnsFunction } from './nns-functions';
import {
  ProposalsErrorCode,
  decodeOne,
  decodePayload,
  failure,
  optional,
  type DecodeResult,
} from './result';

/** Which proposal form installs the module. */
export type CanisterInstallSource =
  | 'InstallCode'
  | 'NnsCanisterUpgrade'
  | 'NnsRootUpgrade'
  | 'HardResetNnsRootToVersion'
  | 'NnsCanisterInstall';

/** A proposal that installs a module into a canister: what a reviewer rebuilds and compares. */
export interface CanisterInstall {
  source: CanisterInstallSource;
  /** The NNS function of the older forms; null for InstallCode. */
  nnsFunction: number | null;
  /** The canister the module goes into; null for a new NNS canister (NnsCanisterInstall). */
  targetCanisterId: string | null;
  /** Well-known name of the target (`governance`, `cycles-minting`, …), or the new canister's name. */
  targetName: string | null;
  installMode: InstallModeName;
  /** SHA-256 of the module as proposed: the `.wasm.gz` a build produces. */
  wasmModuleHashHex: string;
  /** SHA-256 of the install argument; null when the argument is empty (or none is stated). */
  argHashHex: string | null;
  /** The argument itself (hex) when the payload carries it (the older forms); null for InstallCode. */
  argHex: string | null;
  /** Size of the module when the payload carries it. */
  wasmModuleBytes: number | null;
  /** Whether the canister is stopped around the install; null when the proposal does not say. */
  stopBeforeInstalling: boolean | null;
}

const HASH_HEX = /^[0-9a-f]{64}$/;

function hashOf(bytes: Uint8Array | number[]): string {
  return bytesToHex(sha256(Uint8Array.from(bytes)));
}

/** An empty argument has no hash (InstallCode's rule; the older forms follow it here). */
function argHashOf(arg: Uint8Array | number[]): string | null {
  return arg.length === 0 ? null : hashOf(arg);
}

function moduleOf(bytes: Uint8Array | number[]): { hash: string; size: number } | null {
  return bytes.length === 0 ? null : { hash: hashOf(bytes), size: bytes.length };
}

const noModule = (what: string) =>
  failure<CanisterInstall>(ProposalsErrorCode.FIELD_INVALID, `${what} carries no module`);

function fromInstallCode(action: Extract<ProposalAction, { type: 'InstallCode' }>) {
  if (action.canisterId === null)
    return failure<CanisterInstall>(
      ProposalsErrorCode.FIELD_INVALID,
      'the InstallCode proposal names no canister',
    );
  if (action.wasmModuleHashHex === null || !HASH_HEX.test(action.wasmModuleHashHex))
    return failure<CanisterInstall>(
      ProposalsErrorCode.FIELD_INVALID,
      `the InstallCode proposal's wasm_module_hash is not a SHA-256 (${action.wasmModuleHashHex ?? 'absent'})`,
    );
  const arg = action.argHashHex;
  if (arg !== null && arg !== '' && !HASH_HEX.test(arg))
    return failure<CanisterInstall>(
      ProposalsErrorCode.FIELD_INVALID,
      `the InstallCode proposal's arg_hash is neither empty nor a SHA-256 (${arg})`,
    );
  const value: CanisterInstall = {
    source: 'InstallCode',
    nnsFunction: null,
    targetCanisterId: action.canisterId,
    targetName: nnsCanisterName(action.canisterId),
    installMode: action.installMode === null ? 'unspecified' : installModeName(action.installMode),
    wasmModuleHashHex: action.wasmModuleHashHex,
    argHashHex: arg === '' ? null : arg,
    argHex: null,
    wasmModuleBytes: null,
    stopBeforeInstalling:
      action.skipStoppingBeforeInstalling === null ? null : !action.skipStoppingBeforeInstalling,
  };
  return { ok: true as const, value };
}

function fromChangeCanister(p: ChangeCanisterPayloadValue): DecodeResult<CanisterInstall> {
  const chunked = optional(p.chunked_canister_wasm);
  const module = moduleOf(p.wasm_module);
  const chunkedHash =
    chunked === null ? null : bytesToHex(Uint8Array.from(chunked.wasm_module_hash));
  const hash = module?.hash ?? chunkedHash;
  if (hash === null || !HASH_HEX.test(hash)) return noModule('the NnsCanisterUpgrade payload');
  const canisterId = p.canister_id.toText();
  return {
    ok: true,
    value: {
      source: 'NnsCanisterUpgrade',
      nnsFunction: NnsFunction.NnsCanisterUpgrade,
      targetCanisterId: canisterId,
      targetName: nnsCanisterName(canisterId),
      installMode: Object.keys(p.mode)[0] as InstallModeName,
      wasmModuleHashHex: hash,
      argHashHex: argHashOf(p.arg),
      argHex: bytesToHex(Uint8Array.from(p.arg)),
      wasmModuleBytes: module?.size ?? null,
      stopBeforeInstalling: p.stop_before_installing,
    },
  };
}

function fromRootPayload(args: {
  source: 'NnsRootUpgrade' | 'HardResetNnsRootToVersion';
  nnsFunction: number;
  wasm: Uint8Array | number[];
  arg: Uint8Array | number[];
  installMode: InstallModeName;
  stopBeforeInstalling: boolean | null;
}): DecodeResult<CanisterInstall> {
  const module = moduleOf(args.wasm);
  if (module === null) return noModule(`the ${args.source} payload`);
  return {
    ok: true,
    value: {
      source: args.source,
      nnsFunction: args.nnsFunction,
      targetCanisterId: NNS_ROOT_CANISTER_ID,
      targetName: 'root',
      installMode: args.installMode,
      wasmModuleHashHex: module.hash,
      argHashHex: argHashOf(args.arg),
      argHex: bytesToHex(Uint8Array.from(args.arg)),
      wasmModuleBytes: module.size,
      stopBeforeInstalling: args.stopBeforeInstalling,
    },
  };
}

function fromAddCanister(p: AddCanisterPayloadValue): DecodeResult<CanisterInstall> {
  const module = moduleOf(p.wasm_module);
  if (module === null) return noModule('the NnsCanisterInstall payload');
  return {
    ok: true,
    value: {
      source: 'NnsCanisterInstall',
      nnsFunction: NnsFunction.NnsCanisterInstall,
      targetCanisterId: null,
      targetName: p.name,
      installMode: 'install',
      wasmModuleHashHex: module.hash,
      argHashHex: argHashOf(p.arg),
      argHex: bytesToHex(Uint8Array.from(p.arg)),
      wasmModuleBytes: module.size,
      stopBeforeInstalling: null,
    },
  };
}

const PAYLOAD_DECODERS: Record<number, (payload: Uint8Array) => DecodeResult<CanisterInstall>> = {
  [NnsFunction.NnsCanisterUpgrade]: (payload) =>
    fromChangeCanister(decodeOne<ChangeCanisterPayloadValue>(ChangeCanisterPayloadIdl, payload)),
  [NnsFunction.NnsCanisterInstall]: (payload) =>
    fromAddCanister(decodeOne<AddCanisterPayloadValue>(AddCanisterPayloadIdl, payload)),
  [NnsFunction.NnsRootUpgrade]: (payload) => {
    const p = decodeOne<UpgradeRootPayloadValue>(UpgradeRootPayloadIdl, payload);
    return fromRootPayload({
      source: 'NnsRootUpgrade',
      nnsFunction: NnsFunction.NnsRootUpgrade,
      wasm: p.wasm_module,
      arg: p.module_arg,
      installMode: 'upgrade',
      stopBeforeInstalling: p.stop_upgrade_start,
    });
  },
  [NnsFunction.HardResetNnsRootToVersion]: (payload) => {
    const p = decodeOne<HardResetRootPayloadValue>(HardResetRootPayloadIdl, payload);
    return fromRootPayload({
      source: 'HardResetNnsRootToVersion',
      nnsFunction: NnsFunction.HardResetNnsRootToVersion,
      wasm: p.wasm_module,
      arg: p.init_arg,
      installMode: 'reinstall',
      stopBeforeInstalling: null,
    });
  },
};

/**
 * Decodes a proposal that installs a canister module: the InstallCode action (governance shows
 * the hashes), or the older ExecuteNnsFunction forms whose payload carries the module (the hash
 * is computed here). Never throws.
 */
export function decodeCanisterInstall(action: ProposalAction): DecodeResult<CanisterInstall> {
  if (action.type === 'InstallCode') return fromInstallCode(action);
  if (action.type === 'ExecuteNnsFunction') {
    const decode = PAYLOAD_DECODERS[action.nnsFunction];
    if (decode !== undefined)
      return decodePayload({
        payload: action.payload,
        what: `NNS function ${action.nnsFunction}`,
        decode: () => decode(action.payload),
      });
  }
  return failure(
    ProposalsErrorCode.NOT_CANISTER_INSTALL,
    `${actionLabel(action)} installs no canister module`,
  );
}
