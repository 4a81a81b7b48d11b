import { IDL } from '@dfinity/candid';

/*
 * The part of NNS governance's interface we read (dfinity/ic
 * rs/nns/governance/canister/governance.did): `get_proposal_info : (nat64) -> (opt ProposalInfo)
 * query`. Records list only the fields we use; Candid skips the others on decoding.
 *
 * `Action` is a variant, and a variant case the decoder does not know makes decoding fail. So
 * every case governance has declared is listed (with `reserved` for the payloads we ignore),
 * and `Proposal.action` stays `opt`: a case added to governance after this was written decodes
 * to `action = null` instead of failing the whole reply (Candid's rule for `opt` subtyping).
 */

export const ProposalIdIdl = IDL.Record({ id: IDL.Nat64 });

export const ExecuteNnsFunctionIdl = IDL.Record({
  nns_function: IDL.Int32,
  payload: IDL.Vec(IDL.Nat8),
});

/** Every `Action` case of governance.did (2023–2025 versions), payloads other than ExecuteNnsFunction ignored. */
export const ACTION_CASES = [
  'RegisterKnownNeuron',
  'ManageNeuron',
  'UpdateCanisterSettings',
  'InstallCode',
  'StopOrStartCanister',
  'CreateServiceNervousSystem',
  'ExecuteNnsFunction',
  'RewardNodeProvider',
  'OpenSnsTokenSwap',
  'SetSnsTokenSwapOpenTimeWindow',
  'SetDefaultFollowees',
  'RewardNodeProviders',
  'ManageNetworkEconomics',
  'ApproveGenesisKyc',
  'AddOrRemoveNodeProvider',
  'Motion',
] as const;

export type ActionCase = (typeof ACTION_CASES)[number];

const actionFields: Record<string, IDL.Type> = {};
for (const name of ACTION_CASES) {
  actionFields[name] = name === 'ExecuteNnsFunction' ? ExecuteNnsFunctionIdl : IDL.Reserved;
}
export const ActionIdl = IDL.Variant(actionFields);

export const ProposalIdl = IDL.Record({
  url: IDL.Text,
  title: IDL.Opt(IDL.Text),
  action: IDL.Opt(ActionIdl),
  summary: IDL.Text,
});

export const GovernanceErrorIdl = IDL.Record({ error_message: IDL.Text, error_type: IDL.Int32 });

export const TallyIdl = IDL.Record({
  no: IDL.Nat64,
  yes: IDL.Nat64,
  total: IDL.Nat64,
  timestamp_seconds: IDL.Nat64,
});

export const ProposalInfoIdl = IDL.Record({
  id: IDL.Opt(ProposalIdIdl),
  status: IDL.Int32,
  topic: IDL.Int32,
  failure_reason: IDL.Opt(GovernanceErrorIdl),
  proposal_timestamp_seconds: IDL.Nat64,
  deadline_timestamp_seconds: IDL.Opt(IDL.Nat64),
  decided_timestamp_seconds: IDL.Nat64,
  executed_timestamp_seconds: IDL.Nat64,
  failed_timestamp_seconds: IDL.Nat64,
  reward_status: IDL.Int32,
  latest_tally: IDL.Opt(TallyIdl),
  proposal: IDL.Opt(ProposalIdl),
  proposer: IDL.Opt(ProposalIdIdl),
});

/** The decoded value of `ExecuteNnsFunction`. */
export interface ExecuteNnsFunctionValue {
  nns_function: number;
  payload: Uint8Array | number[];
}

/** The decoded value of `Action`: one case; ignored payloads decode to null. */
export type ActionValue =
  { ExecuteNnsFunction: ExecuteNnsFunctionValue } | { [name: string]: unknown };

export interface ProposalValue {
  url: string;
  title: [] | [string];
  action: [] | [ActionValue];
  summary: string;
}

/** `ProposalInfo` as `@dfinity/candid` decodes it with `ProposalInfoIdl`. */
export interface ProposalInfoValue {
  id: [] | [{ id: bigint }];
  status: number;
  topic: number;
  failure_reason: [] | [{ error_message: string; error_type: number }];
  proposal_timestamp_seconds: bigint;
  deadline_timestamp_seconds: [] | [bigint];
  decided_timestamp_seconds: bigint;
  executed_timestamp_seconds: bigint;
  failed_timestamp_seconds: bigint;
  reward_status: number;
  latest_tally: [] | [{ no: bigint; yes: bigint; total: bigint; timestamp_seconds: bigint }];
  proposal: [] | [ProposalValue];
  proposer: [] | [{ id: bigint }];
}

/** Candid service of the governance methods we call; hand it to `Actor.createActor`. */
export const governanceIdlFactory: IDL.InterfaceFactory = ({ IDL: I }) =>
  I.Service({
    get_proposal_info: I.Func([I.Nat64], [I.Opt(ProposalInfoIdl)], ['query']),
  });

/** Mainnet NNS governance. */
export const NNS_GOVERNANCE_CANISTER_ID = 'rrkah-fqaaa-aaaaa-aaaaq-cai';
/** Mainnet NNS registry (target of the election payloads). */
export const NNS_REGISTRY_CANISTER_ID = 'rwlgt-iiaaa-aaaaa-aaaaa-cai';
