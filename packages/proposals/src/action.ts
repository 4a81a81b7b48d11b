import { bytesToHex } from '@noble/hashes/utils.js';
import type { ExecuteNnsFunctionValue, InstallCodeValue, ProposalInfoValue } from './governance';
import { optional } from './result';

/** A proposal's action, in plain values (hex for hashes, text for principals). */
export type ProposalAction =
  | { type: 'ExecuteNnsFunction'; nnsFunction: number; payload: Uint8Array }
  | {
      type: 'InstallCode';
      canisterId: string | null;
      installMode: number | null;
      /** Hex of the hash as governance shows it (null: absent). */
      wasmModuleHashHex: string | null;
      /** Hex of the argument's hash; '' when the argument is empty (governance's rule), null: absent. */
      argHashHex: string | null;
      skipStoppingBeforeInstalling: boolean | null;
    }
  | { type: 'other'; name: string }
  /** No action, or one added to governance after this decoder was written. */
  | { type: 'unknown' };

function hexOf(value: [] | [Uint8Array | number[]]): string | null {
  const bytes = optional(value);
  return bytes === null ? null : bytesToHex(Uint8Array.from(bytes));
}

export function actionOf(info: ProposalInfoValue): ProposalAction {
  const action = info.proposal[0]?.action[0];
  if (action === undefined) return { type: 'unknown' };
  const name = Object.keys(action)[0];
  if (name === undefined) return { type: 'unknown' };
  if (name === 'ExecuteNnsFunction') {
    const execute = (action as { ExecuteNnsFunction: ExecuteNnsFunctionValue }).ExecuteNnsFunction;
    return {
      type: 'ExecuteNnsFunction',
      nnsFunction: execute.nns_function,
      payload: Uint8Array.from(execute.payload),
    };
  }
  if (name === 'InstallCode') {
    const install = (action as { InstallCode: InstallCodeValue }).InstallCode;
    return {
      type: 'InstallCode',
      canisterId: optional(install.canister_id)?.toText() ?? null,
      installMode: optional(install.install_mode),
      wasmModuleHashHex: hexOf(install.wasm_module_hash),
      argHashHex: hexOf(install.arg_hash),
      skipStoppingBeforeInstalling: optional(install.skip_stopping_before_installing),
    };
  }
  return { type: 'other', name };
}

/** How to name an action in a message: "NNS function 4", "InstallCode", "Motion". */
export function actionLabel(action: ProposalAction): string {
  switch (action.type) {
    case 'ExecuteNnsFunction':
      return `NNS function ${action.nnsFunction}`;
    case 'InstallCode':
      return 'InstallCode';
    case 'other':
      return action.name;
    case 'unknown':
      return 'an action this decoder does not know';
  }
}
