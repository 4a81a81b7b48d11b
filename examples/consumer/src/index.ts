/**
 * An example of another canister using the registry: a DAO or an upgrade gate that wants
 * "reproduced by the threshold" before it acts. It reads `get_proposal_summary` of the registry
 * and answers a yes/no decision with its reason:
 *
 * - `decide` (update): an inter-canister call; if the registry is stopped, being upgraded or
 *   gone, the decision is "no" with the reject as its reason (never a trap).
 * - `decide_now` (composite query): the same read as a query call, possible because the
 *   registry's `get_proposal_summary` is a query.
 */
import { IDL, Principal, call, init, query, update } from 'azle';

import { decide, type Decision, type SummaryResult } from './decision';

const HashGroup = IDL.Record({
  sha256: IDL.Text,
  builder_count: IDL.Nat64,
  matches_expected: IDL.Opt(IDL.Bool),
});
const Artifact = IDL.Record({
  kind: IDL.Text,
  expected_sha256: IDL.Opt(IDL.Text),
  hash_groups: IDL.Vec(HashGroup),
});
const SummaryResultIdl = IDL.Variant({
  Ok: IDL.Record({ proposal_id: IDL.Nat64, artifacts: IDL.Vec(Artifact) }),
  Err: IDL.Record({ code: IDL.Text, message: IDL.Text }),
});
const DecisionIdl = IDL.Record({ proposal_id: IDL.Nat64, approve: IDL.Bool, reason: IDL.Text });
const InitArgs = IDL.Record({ registry: IDL.Principal, threshold: IDL.Nat32 });

export default class Consumer {
  registry: Principal = Principal.anonymous();
  threshold = 3n;

  @init([InitArgs])
  init(args: { registry: Principal; threshold: number }): void {
    this.registry = args.registry;
    this.threshold = BigInt(args.threshold);
  }

  @update([IDL.Nat64], DecisionIdl)
  async decide(proposalId: bigint): Promise<Decision> {
    return this.ask(proposalId);
  }

  @query([IDL.Nat64], DecisionIdl, { composite: true })
  async decide_now(proposalId: bigint): Promise<Decision> {
    return this.ask(proposalId);
  }

  @query([], InitArgs)
  config(): { registry: Principal; threshold: number } {
    return { registry: this.registry, threshold: Number(this.threshold) };
  }

  private async ask(proposalId: bigint): Promise<Decision> {
    let result: SummaryResult;
    try {
      result = await call<[bigint], SummaryResult>(this.registry, 'get_proposal_summary', {
        paramIdlTypes: [IDL.Nat64],
        returnIdlType: SummaryResultIdl,
        args: [proposalId],
      });
    } catch (e) {
      const err = e as { rejectCode?: number; rejectMessage?: string };
      const why = err.rejectMessage ?? String(e);
      return {
        proposal_id: proposalId,
        approve: false,
        reason: `the registry could not be asked (reject ${err.rejectCode ?? '?'}): ${why}`,
      };
    }
    return decide({ proposalId, result, threshold: this.threshold });
  }
}
