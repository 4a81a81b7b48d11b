/**
 * The registry's read of what a canister runs: the management canister's `canister_info`
 * (callable by canisters only; its `module_hash` is the SHA-256 of the module as installed, the
 * `.wasm.gz` an install proposal states). Every failure becomes an outcome: never a trap.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { call } from 'azle';

import { bytesToHex } from '@noble/hashes/utils.js';

import type { DeployedReadOutcome } from './core/deployed';

const CanisterInfoArgs = IDL.Record({
  canister_id: IDL.Principal,
  num_requested_changes: IDL.Opt(IDL.Nat64),
});
// The reply's other fields (history, controllers) are skipped by the decoder.
const CanisterInfoModule = IDL.Record({ module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)) });

export async function readDeployedModule(canisterId: string): Promise<DeployedReadOutcome> {
  try {
    const reply = await call<Uint8Array, Uint8Array>('aaaaa-aa', 'canister_info', {
      raw: true,
      args: new Uint8Array(
        IDL.encode(
          [CanisterInfoArgs],
          [{ canister_id: Principal.fromText(canisterId), num_requested_changes: [0n] }],
        ),
      ),
    });
    const [info] = IDL.decode([CanisterInfoModule], Uint8Array.from(reply)) as unknown as [
      { module_hash: [] | [Uint8Array | number[]] },
    ];
    const hash = info.module_hash[0];
    return {
      ok: true,
      moduleHashHex: hash === undefined ? null : bytesToHex(Uint8Array.from(hash)),
    };
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
}

/** azle throws `{ type: 'CallRejected', rejectCode, rejectMessage }` and similar objects. */
function describe(error: unknown): string {
  let text: string;
  if (typeof error === 'object' && error !== null && 'type' in error) {
    const e = error as { type: string; rejectCode?: number; rejectMessage?: string };
    text =
      e.type === 'CallRejected'
        ? `canister_info was rejected (code ${e.rejectCode}): ${e.rejectMessage ?? ''}`
        : `the call to canister_info failed (${e.type})`;
  } else text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
