/**
 * What a controller records in the governance stand-in (`put_proposal`'s argument). Shared by
 * the canister, the local seeding and the tests.
 */
import { IDL } from '@dfinity/candid';

export const RecordedProposal = IDL.Record({
  id: IDL.Nat64,
  title: IDL.Text,
  summary: IDL.Text,
  url: IDL.Text,
  /** 13 = IC-OS version election. */
  topic: IDL.Int32,
  /** 1 open, 2 rejected, 3 adopted, 4 executed, 5 failed. */
  status: IDL.Int32,
  /** An ExecuteNnsFunction proposal, or a motion when absent. */
  execute_nns_function: IDL.Opt(
    IDL.Record({ nns_function: IDL.Int32, payload: IDL.Vec(IDL.Nat8) }),
  ),
  proposal_timestamp_seconds: IDL.Nat64,
  deadline_timestamp_seconds: IDL.Opt(IDL.Nat64),
  decided_timestamp_seconds: IDL.Nat64,
  executed_timestamp_seconds: IDL.Nat64,
  failed_timestamp_seconds: IDL.Nat64,
});

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
