import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

/*
 * NNS governance's Candid types, as rs/nns/governance/canister/governance.did declares them
 * (dfinity/ic @ 002d5530, 2025; `self_describing_action` and `return_self_describing_action`
 * from the governance of late 2025). The repository's one copy: the decoders here, the CLI's
 * actor and the local governance stand-in (canisters/governance) all use these.
 *
 * `Action` is a variant, and a variant case the decoder does not know makes decoding fail. So
 * every case governance has declared is listed (`reserved` for the payloads nobody here reads),
 * and `Proposal.action` stays `opt`: a case added to governance later decodes to `action = null`
 * (Candid's rule for `opt`) instead of failing the whole reply. Fields nobody here reads and
 * whose types are large are `opt empty`: any value there decodes to null (the same rule), and
 * an encoder (the stand-in) sends null.
 */

export const ProposalIdIdl = IDL.Record({ id: IDL.Nat64 });
export const NeuronIdIdl = IDL.Record({ id: IDL.Nat64 });

export const ExecuteNnsFunctionIdl = IDL.Record({
  nns_function: IDL.Int32,
  payload: IDL.Vec(IDL.Nat8),
});

/**
 * How governance shows an `InstallCode` proposal: the hashes of the module and the argument it
 * holds (it keeps the bytes for execution). `arg_hash` is empty when the argument is empty.
 */
export const InstallCodeIdl = IDL.Record({
  skip_stopping_before_installing: IDL.Opt(IDL.Bool),
  wasm_module_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
  canister_id: IDL.Opt(IDL.Principal),
  arg_hash: IDL.Opt(IDL.Vec(IDL.Nat8)),
  install_mode: IDL.Opt(IDL.Int32),
});

export const MotionIdl = IDL.Record({ motion_text: IDL.Text });

/** The `Action` cases this repository reads or sends, with their real types. */
const TYPED_ACTIONS: Record<string, IDL.Type> = {
  ExecuteNnsFunction: ExecuteNnsFunctionIdl,
  InstallCode: InstallCodeIdl,
  Motion: MotionIdl,
};

/** Every `Action` case of governance.did (2023–2025); the payloads of the others are not read. */
export const ACTION_CASES = [
  'RegisterKnownNeuron',
  'DeregisterKnownNeuron',
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
  'FulfillSubnetRentalRequest',
  'Motion',
] as const;

export type ActionCase = (typeof ACTION_CASES)[number];

const actionFields: Record<string, IDL.Type> = {};
for (const name of ACTION_CASES) actionFields[name] = TYPED_ACTIONS[name] ?? IDL.Reserved;
/** `Action` for decoding: every declared case. */
export const ActionIdl = IDL.Variant(actionFields);

/**
 * `Action` for encoding (the stand-in): only the cases it sends, with their real types. A
 * variant with fewer cases is a subtype of governance's, so real clients decode it.
 */
export const SentActionIdl = IDL.Variant(TYPED_ACTIONS);

export const GovernanceErrorIdl = IDL.Record({ error_message: IDL.Text, error_type: IDL.Int32 });

export const TallyIdl = IDL.Record({
  no: IDL.Nat64,
  yes: IDL.Nat64,
  total: IDL.Nat64,
  timestamp_seconds: IDL.Nat64,
});

export const BallotIdl = IDL.Record({ vote: IDL.Int32, voting_power: IDL.Nat64 });

/** `Proposal` and `ProposalInfo` with the given `Action` type (decoding or encoding). */
export function proposalInfoIdl(action: IDL.Type) {
  const proposal = IDL.Record({
    url: IDL.Text,
    title: IDL.Opt(IDL.Text),
    action: IDL.Opt(action),
    summary: IDL.Text,
    self_describing_action: IDL.Opt(IDL.Empty),
  });
  const info = IDL.Record({
    id: IDL.Opt(ProposalIdIdl),
    status: IDL.Int32,
    topic: IDL.Int32,
    failure_reason: IDL.Opt(GovernanceErrorIdl),
    ballots: IDL.Vec(IDL.Tuple(IDL.Nat64, BallotIdl)),
    proposal_timestamp_seconds: IDL.Nat64,
    reward_event_round: IDL.Nat64,
    deadline_timestamp_seconds: IDL.Opt(IDL.Nat64),
    failed_timestamp_seconds: IDL.Nat64,
    reject_cost_e8s: IDL.Nat64,
    derived_proposal_information: IDL.Opt(IDL.Empty),
    latest_tally: IDL.Opt(TallyIdl),
    reward_status: IDL.Int32,
    decided_timestamp_seconds: IDL.Nat64,
    proposal: IDL.Opt(proposal),
    proposer: IDL.Opt(NeuronIdIdl),
    executed_timestamp_seconds: IDL.Nat64,
    total_potential_voting_power: IDL.Opt(IDL.Nat64),
  });
  return { proposal, info };
}

const decoding = proposalInfoIdl(ActionIdl);
export const ProposalIdl = decoding.proposal;
export const ProposalInfoIdl = decoding.info;

/** `list_proposals`' request (governance.did `ListProposalInfo`). */
export const ListProposalInfoIdl = IDL.Record({
  include_reward_status: IDL.Vec(IDL.Int32),
  omit_large_fields: IDL.Opt(IDL.Bool),
  before_proposal: IDL.Opt(ProposalIdIdl),
  limit: IDL.Nat32,
  exclude_topic: IDL.Vec(IDL.Int32),
  include_all_manage_neuron_proposals: IDL.Opt(IDL.Bool),
  include_status: IDL.Vec(IDL.Int32),
  return_self_describing_action: IDL.Opt(IDL.Bool),
});

export const ListProposalInfoResponseIdl = IDL.Record({
  proposal_info: IDL.Vec(ProposalInfoIdl),
});

/** Candid service of the governance methods read here; hand it to `Actor.createActor`. */
export const governanceIdlFactory: IDL.InterfaceFactory = ({ IDL: I }) =>
  I.Service({
    get_proposal_info: I.Func([I.Nat64], [I.Opt(ProposalInfoIdl)], ['query']),
    list_proposals: I.Func([ListProposalInfoIdl], [ListProposalInfoResponseIdl], ['query']),
  });

/** The decoded value of `ExecuteNnsFunction`. */
export interface ExecuteNnsFunctionValue {
  nns_function: number;
  payload: Uint8Array | number[];
}

/** The decoded value of `InstallCode` (as governance shows it: hashes, not bytes). */
export interface InstallCodeValue {
  skip_stopping_before_installing: [] | [boolean];
  wasm_module_hash: [] | [Uint8Array | number[]];
  canister_id: [] | [Principal];
  arg_hash: [] | [Uint8Array | number[]];
  install_mode: [] | [number];
}

/** The decoded value of `Action`: one case; cases not read here decode to null. */
export type ActionValue =
  | { ExecuteNnsFunction: ExecuteNnsFunctionValue }
  | { InstallCode: InstallCodeValue }
  | { Motion: { motion_text: string } }
  | { [name: string]: unknown };

export interface ProposalValue {
  url: string;
  title: [] | [string];
  action: [] | [ActionValue];
  summary: string;
  self_describing_action: [] | [never];
}

/** `ProposalInfo` as `@dfinity/candid` decodes it with `ProposalInfoIdl`. */
export interface ProposalInfoValue {
  id: [] | [{ id: bigint }];
  status: number;
  topic: number;
  failure_reason: [] | [{ error_message: string; error_type: number }];
  ballots: Array<[bigint, { vote: number; voting_power: bigint }]>;
  proposal_timestamp_seconds: bigint;
  reward_event_round: bigint;
  deadline_timestamp_seconds: [] | [bigint];
  failed_timestamp_seconds: bigint;
  reject_cost_e8s: bigint;
  derived_proposal_information: [] | [never];
  latest_tally: [] | [{ no: bigint; yes: bigint; total: bigint; timestamp_seconds: bigint }];
  reward_status: number;
  decided_timestamp_seconds: bigint;
  proposal: [] | [ProposalValue];
  proposer: [] | [{ id: bigint }];
  executed_timestamp_seconds: bigint;
  total_potential_voting_power: [] | [bigint];
}

/** `list_proposals`' request as `@dfinity/candid` encodes it. */
export interface ListProposalInfoValue {
  include_reward_status: number[];
  omit_large_fields: [] | [boolean];
  before_proposal: [] | [{ id: bigint }];
  limit: number;
  exclude_topic: number[];
  include_all_manage_neuron_proposals: [] | [boolean];
  include_status: number[];
  return_self_describing_action: [] | [boolean];
}

/** Mainnet NNS governance. */
export const NNS_GOVERNANCE_CANISTER_ID = 'rrkah-fqaaa-aaaaa-aaaaq-cai';
/** Mainnet NNS registry (target of the election payloads). */
export const NNS_REGISTRY_CANISTER_ID = 'rwlgt-iiaaa-aaaaa-aaaaa-cai';
