/**
 * A stand-in for NNS governance on the local network. It answers `get_proposal_info` and
 * `list_proposals` with the Candid types of the real governance canister
 * (rrkah-fqaaa-aaaaa-aaaaq-cai, types from `@repro-registry/proposals`), from proposals a
 * controller records with `put_proposal`. `npm start` seeds it with real IC-OS elections and
 * canister upgrades (seed.ts).
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
import {
  ListProposalInfoIdl,
  SentActionIdl,
  proposalInfoIdl,
  type ListProposalInfoValue,
} from '@repro-registry/proposals';

import { listProposals, proposalInfoOf } from './info';
import { RecordedProposalWithAction } from './recorded';

// What the stand-in sends: governance's ProposalInfo with the Action cases it records. A
// variant with fewer cases is a subtype of governance's, so replies decode with the real .did.
const { info: ProposalInfo } = proposalInfoIdl(SentActionIdl);
const ListProposalInfoResponse = IDL.Record({ proposal_info: IDL.Vec(ProposalInfo) });

const FailureMode = IDL.Variant({ none: IDL.Null, trap: IDL.Null, reject: IDL.Null });
type FailureMode = { none: null } | { trap: null } | { reject: null };

const candidBytes = {
  toBytes: (value: unknown): Uint8Array =>
    new Uint8Array(IDL.encode([RecordedProposalWithAction], [value])),
  // Entries stored before `action` existed decode with `action = null` (it is `opt`).
  fromBytes: (bytes: Uint8Array): unknown => IDL.decode([RecordedProposalWithAction], bytes)[0],
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
  proposals = new StableBTreeMap<bigint, RecordedProposalWithAction>(0, u64, candidBytes);
  // Deliberately not stable: an upgrade or restart heals a simulated outage.
  failureMode: FailureMode = { none: null };

  /** Answers null when an outage is simulated and the call was rejected or trapped. */
  private available(): boolean {
    if ('trap' in this.failureMode) trap('governance stand-in: simulated outage (trap)');
    if ('reject' in this.failureMode) {
      msgReject('governance stand-in: simulated outage (reject)');
      return false;
    }
    return true;
  }

  @query([IDL.Nat64], IDL.Opt(ProposalInfo), { manual: true })
  get_proposal_info(): void {
    if (!this.available()) return;
    const [id] = IDL.decode([IDL.Nat64], msgArgData()) as [bigint];
    const recorded = this.proposals.get(id);
    const info =
      recorded === undefined
        ? []
        : [proposalInfoOf(recorded, { listing: false, selfDescribing: false })];
    msgReply(new Uint8Array(IDL.encode([IDL.Opt(ProposalInfo)], [info])));
  }

  @query([ListProposalInfoIdl], ListProposalInfoResponse, { manual: true })
  list_proposals(): void {
    if (!this.available()) return;
    const [request] = IDL.decode([ListProposalInfoIdl], msgArgData()) as unknown as [
      ListProposalInfoValue,
    ];
    // Scans every recorded proposal: a stand-in holds tens of them, not governance's thousands.
    const proposal_info = listProposals({ proposals: this.proposals.values(), request });
    msgReply(new Uint8Array(IDL.encode([ListProposalInfoResponse], [{ proposal_info }])));
  }

  /** Records or replaces a proposal (controllers only). */
  @update([RecordedProposalWithAction])
  put_proposal(proposal: RecordedProposalWithAction): void {
    requireController();
    this.proposals.insert(proposal.id, proposal);
  }

  @query([], IDL.Vec(IDL.Nat64))
  list_proposal_ids(): bigint[] {
    return this.proposals.keys();
  }

  /** Makes `get_proposal_info` and `list_proposals` trap or reject until set back to `none`. */
  @update([FailureMode])
  set_failure_mode(mode: FailureMode): void {
    requireController();
    this.failureMode = mode;
  }
}
