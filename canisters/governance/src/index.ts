/**
 * A stand-in for NNS governance on the local network. It answers `get_proposal_info` with the
 * Candid types of the real governance canister (rrkah-fqaaa-aaaaa-aaaaq-cai), from proposals a
 * controller records with `put_proposal`. `npm start` seeds it with real IC-OS elections.
 *
 * It can also fail on purpose (`set_failure_mode`), so the registry's handling of a governance
 * canister that traps or rejects can be tested end to end.
 */
import {
  IDL,
  StableBTreeMap,
  isController,
  msgArgData,
  msgCaller,
  msgReject,
  msgReply,
  query,
  trap,
  update,
} from 'azle';

import { RecordedProposal } from './recorded';

// ---- The wire types of real governance (rs/nns/governance/canister/governance.did). A value of
// these types decodes with the real .did: `Action` lists only the cases this stand-in ever
// sends, and a variant with fewer cases is a subtype of one with more.
const ProposalId = IDL.Record({ id: IDL.Nat64 });
const NeuronId = IDL.Record({ id: IDL.Nat64 });
const ExecuteNnsFunction = IDL.Record({ nns_function: IDL.Int32, payload: IDL.Vec(IDL.Nat8) });
const Motion = IDL.Record({ motion_text: IDL.Text });
const Action = IDL.Variant({ ExecuteNnsFunction, Motion });
const Proposal = IDL.Record({
  url: IDL.Text,
  title: IDL.Opt(IDL.Text),
  action: IDL.Opt(Action),
  summary: IDL.Text,
});
const GovernanceError = IDL.Record({ error_message: IDL.Text, error_type: IDL.Int32 });
const Tally = IDL.Record({
  no: IDL.Nat64,
  yes: IDL.Nat64,
  total: IDL.Nat64,
  timestamp_seconds: IDL.Nat64,
});
const Ballot = IDL.Record({ vote: IDL.Int32, voting_power: IDL.Nat64 });
const ProposalInfo = IDL.Record({
  id: IDL.Opt(ProposalId),
  status: IDL.Int32,
  topic: IDL.Int32,
  failure_reason: IDL.Opt(GovernanceError),
  ballots: IDL.Vec(IDL.Tuple(IDL.Nat64, Ballot)),
  proposal_timestamp_seconds: IDL.Nat64,
  reward_event_round: IDL.Nat64,
  deadline_timestamp_seconds: IDL.Opt(IDL.Nat64),
  failed_timestamp_seconds: IDL.Nat64,
  reject_cost_e8s: IDL.Nat64,
  // Never sent (always null); `opt empty` is a subtype of any `opt`.
  derived_proposal_information: IDL.Opt(IDL.Empty),
  latest_tally: IDL.Opt(Tally),
  reward_status: IDL.Int32,
  decided_timestamp_seconds: IDL.Nat64,
  proposal: IDL.Opt(Proposal),
  proposer: IDL.Opt(NeuronId),
  executed_timestamp_seconds: IDL.Nat64,
  total_potential_voting_power: IDL.Opt(IDL.Nat64),
});

const FailureMode = IDL.Variant({ none: IDL.Null, trap: IDL.Null, reject: IDL.Null });
type FailureMode = { none: null } | { trap: null } | { reject: null };

const candidBytes = {
  toBytes: (value: unknown): Uint8Array => new Uint8Array(IDL.encode([RecordedProposal], [value])),
  fromBytes: (bytes: Uint8Array): unknown => IDL.decode([RecordedProposal], bytes)[0],
};
const u64 = {
  toBytes: (value: bigint): Uint8Array => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, value);
    return b;
  },
  fromBytes: (bytes: Uint8Array): bigint =>
    new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0),
};

function requireController(): void {
  if (!isController(msgCaller()))
    trap('only a controller of this governance stand-in may change it');
}

export default class {
  proposals = new StableBTreeMap<bigint, RecordedProposal>(0, u64, candidBytes);
  // Deliberately not stable: an upgrade or restart heals a simulated outage.
  failureMode: FailureMode = { none: null };

  @query([IDL.Nat64], IDL.Opt(ProposalInfo), { manual: true })
  get_proposal_info(): void {
    if ('trap' in this.failureMode) trap('governance stand-in: simulated outage (trap)');
    if ('reject' in this.failureMode)
      return msgReject('governance stand-in: simulated outage (reject)');
    const [id] = IDL.decode([IDL.Nat64], msgArgData()) as [bigint];
    const recorded = this.proposals.get(id);
    const info =
      recorded === undefined
        ? []
        : [
            {
              id: [{ id: recorded.id }],
              status: recorded.status,
              topic: recorded.topic,
              failure_reason: [],
              ballots: [],
              proposal_timestamp_seconds: recorded.proposal_timestamp_seconds,
              reward_event_round: 0n,
              deadline_timestamp_seconds: recorded.deadline_timestamp_seconds,
              failed_timestamp_seconds: recorded.failed_timestamp_seconds,
              reject_cost_e8s: 2_500_000_000n,
              derived_proposal_information: [],
              latest_tally: [],
              reward_status: recorded.status === 1 ? 1 : 3,
              decided_timestamp_seconds: recorded.decided_timestamp_seconds,
              proposal: [
                {
                  url: recorded.url,
                  title: [recorded.title],
                  action: [
                    recorded.execute_nns_function.length === 1
                      ? { ExecuteNnsFunction: recorded.execute_nns_function[0] }
                      : { Motion: { motion_text: recorded.summary } },
                  ],
                  summary: recorded.summary,
                },
              ],
              proposer: [{ id: 1n }],
              executed_timestamp_seconds: recorded.executed_timestamp_seconds,
              total_potential_voting_power: [],
            },
          ];
    msgReply(new Uint8Array(IDL.encode([IDL.Opt(ProposalInfo)], [info])));
  }

  /** Records or replaces a proposal (controllers only). */
  @update([RecordedProposal])
  put_proposal(proposal: RecordedProposal): void {
    requireController();
    this.proposals.insert(proposal.id, proposal);
  }

  @query([], IDL.Vec(IDL.Nat64))
  list_proposal_ids(): bigint[] {
    return this.proposals.keys();
  }

  /** Makes `get_proposal_info` trap or reject until set back to `none` (controllers only). */
  @update([FailureMode])
  set_failure_mode(mode: FailureMode): void {
    requireController();
    this.failureMode = mode;
  }
}
