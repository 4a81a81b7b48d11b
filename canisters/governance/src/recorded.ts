/**
 * What a controller records in the governance stand-in (`put_proposal`'s argument). Shared by
 * the canister, the local seeding and the tests.
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import { SentActionIdl } from '@repro-registry/proposals';

const RecordedFields = {
  id: IDL.Nat64,
  title: IDL.Text,
  summary: IDL.Text,
  url: IDL.Text,
  /** Governance's topic code: 13 IC-OS version election, 17 protocol canister management, … */
  topic: IDL.Int32,
  /** 1 open, 2 rejected, 3 adopted, 4 executed, 5 failed. */
  status: IDL.Int32,
  /** An ExecuteNnsFunction proposal, or a motion when absent (and `action` is absent). */
  execute_nns_function: IDL.Opt(
    IDL.Record({ nns_function: IDL.Int32, payload: IDL.Vec(IDL.Nat8) }),
  ),
  proposal_timestamp_seconds: IDL.Nat64,
  deadline_timestamp_seconds: IDL.Opt(IDL.Nat64),
  decided_timestamp_seconds: IDL.Nat64,
  executed_timestamp_seconds: IDL.Nat64,
  failed_timestamp_seconds: IDL.Nat64,
};

/** The first form of the argument, without `action`: what earlier callers send. */
export const RecordedProposal = IDL.Record(RecordedFields);

/**
 * The argument `put_proposal` takes and the stand-in stores: the first form plus `action`, which
 * when present is the proposal's action as governance shows it (`InstallCode` with hashes,
 * `ExecuteNnsFunction` with its whole payload, `Motion`). Being `opt`, it is absent on the wire
 * from callers of the first form, and their proposals decode unchanged.
 */
export const RecordedProposalWithAction = IDL.Record({
  ...RecordedFields,
  action: IDL.Opt(SentActionIdl),
});

export type RecordedAction =
  | { ExecuteNnsFunction: { nns_function: number; payload: Uint8Array | number[] } }
  | {
      InstallCode: {
        skip_stopping_before_installing: [] | [boolean];
        wasm_module_hash: [] | [Uint8Array | number[]];
        canister_id: [] | [Principal];
        arg_hash: [] | [Uint8Array | number[]];
        install_mode: [] | [number];
      };
    }
  | { Motion: { motion_text: string } };

export interface RecordedProposal {
  id: bigint;
  title: string;
  summary: string;
  url: string;
  topic: number;
  status: number;
  execute_nns_function: [] | [{ nns_function: number; payload: Uint8Array }];
  proposal_timestamp_seconds: bigint;
  deadline_timestamp_seconds: [] | [bigint];
  decided_timestamp_seconds: bigint;
  executed_timestamp_seconds: bigint;
  failed_timestamp_seconds: bigint;
}

export interface RecordedProposalWithAction extends RecordedProposal {
  action: [] | [RecordedAction];
}
