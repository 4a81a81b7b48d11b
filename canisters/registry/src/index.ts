/**
 * The registry canister: a thin class that turns Candid calls into calls of `Registry` (the
 * logic, in `core/`), passing the caller and the time. Everything it stores is in stable
 * memory (`state.ts`), so upgrades keep it.
 */
import {
  IDL,
  init,
  inspectMessage,
  isController,
  msgArgData,
  msgCaller,
  msgMethodName,
  msgReject,
  msgReply,
  postUpgrade,
  query,
  setTimer,
  setTimerInterval,
  time,
  trap,
  update,
} from 'azle';
import { ErrorCode, warmUpEd25519 } from '@repro-registry/attestation';

import * as C from './candid_types';
import { encodeReply, prepareReplyTypes } from './candid_encode';
import type { Principal } from '@dfinity/principal';

import type { Result as CoreResult } from './core/errors';
import { DEFAULT_REFRESH_SECONDS, RERENDER_PER_MESSAGE, Registry } from './core/registry';
import { readProposal } from './governance';
import { handleHttp, registryInfo } from './http';
import { stableTables } from './state';
import {
  candidBuilder,
  candidError,
  candidReceipt,
  candidSummary,
  renderAttestation,
  renderedAttestationPage,
} from './views';
import { Encoded } from './candid_encode';

/** Open proposals read again per timer tick: bounded work however many there are. */
const REFRESH_PER_TICK = 5;
/** `sync_proposal` reads a given proposal at most this often. */
const SYNC_INTERVAL_NS = 30n * 1_000_000_000n;

function toResult<T, U>(result: CoreResult<T>, convert: (value: T) => U): C.Result<U> {
  return result.ok ? { Ok: convert(result.value) } : candidError(result.error);
}

/**
 * `@update`/`@query` that decode their own arguments (azle's `manual` mode), so a malformed
 * Candid argument is answered with INVALID_ARGUMENT — an `Err` where the method returns a
 * result, a reject otherwise — instead of a trap inside the Candid decoder.
 */
const replyTypes = new Set<IDL.Type>();

function candidMethod(kind: 'update' | 'query', argTypes: IDL.Type[], returnType: IDL.Type) {
  replyTypes.add(returnType);
  const azleDecorator = (kind === 'update' ? update : query)(argTypes, returnType, {
    manual: true,
  });
  const resultShaped =
    returnType instanceof IDL.VariantClass && returnType._fields.some(([n]) => n === 'Err');
  return <This>(
    original: (this: This, ...args: never[]) => unknown,
    context: ClassMethodDecoratorContext<This>,
  ) => {
    async function handler(this: This): Promise<void> {
      let args: unknown[];
      try {
        args = IDL.decode(argTypes, msgArgData());
      } catch (e) {
        const message = `the argument is not valid Candid for this method: ${e instanceof Error ? e.message : String(e)}`;
        if (!resultShaped) return msgReject(`${ErrorCode.INVALID_ARGUMENT}: ${message}`);
        const err = candidError({ code: ErrorCode.INVALID_ARGUMENT, message });
        return msgReply(encodeReply(returnType, err));
      }
      // Updates may await calls to other canisters (governance); azle awaits this handler.
      const value: unknown = await (original as (this: This, ...a: unknown[]) => unknown).apply(
        this,
        args,
      );
      msgReply(encodeReply(returnType, value));
    }
    azleDecorator(handler as never, context as never);
  };
}
const updateMethod = (a: IDL.Type[], r: IDL.Type) => candidMethod('update', a, r);
const queryMethod = (a: IDL.Type[], r: IDL.Type) => candidMethod('query', a, r);

export default class {
  registry = new Registry(stableTables(), renderAttestation);

  @init([IDL.Opt(C.InitArgs)])
  init(args: [] | [C.InitArgs]): void {
    this.configure(args);
    this.warmUp();
  }

  @postUpgrade([IDL.Opt(C.InitArgs)])
  postUpgrade(args: [] | [C.InitArgs]): void {
    this.configure(args);
    this.warmUp();
  }

  /**
   * Work done once per heap instead of once per message: init and post_upgrade keep their heap,
   * queries don't.
   */
  private warmUp(): void {
    // Timers live in the heap: set again after every upgrade.
    setTimerInterval(this.registry.meta().refreshSeconds ?? DEFAULT_REFRESH_SECONDS, () =>
      this.refreshOpenProposals(),
    );
    prepareReplyTypes(replyTypes);
    // noble builds its base-point table on first use (~2 B instructions); doing it here keeps
    // every submit near 200 M. Queries never verify, so they don't need it.
    warmUpEd25519();
  }

  private configure(args: [] | [C.InitArgs]): void {
    const meta = this.registry.meta();
    const given = args[0];
    if (given?.governance_canister_id[0] !== undefined) {
      meta.governanceCanisterId = given.governance_canister_id[0].toText();
    }
    const rate = given?.rate_limit[0];
    if (rate !== undefined) {
      if (rate.capacity < 1 || rate.refill_interval_seconds < 1) {
        trap(
          `${ErrorCode.INVALID_ARGUMENT}: rate_limit needs capacity >= 1 and refill_interval_seconds >= 1`,
        );
      }
      meta.rateLimit = { capacity: rate.capacity, refillSeconds: rate.refill_interval_seconds };
    }
    const refresh = given?.proposal_refresh_seconds[0];
    if (refresh !== undefined) {
      if (refresh < 1)
        trap(`${ErrorCode.INVALID_ARGUMENT}: proposal_refresh_seconds must be at least 1`);
      meta.refreshSeconds = refresh;
    }
    this.registry.saveMeta(meta);
  }

  /** Reads a proposal from governance and records what came back; never throws. */
  private async syncFromGovernance(proposalId: bigint): Promise<void> {
    const governance = this.registry.meta().governanceCanisterId;
    if (governance === null) return;
    const outcome = await readProposal(governance, proposalId);
    this.registry.recordProposalRead({ proposalId, now: time(), outcome });
  }

  /** The refresh timer: a few open proposals per tick, round robin. */
  private async refreshOpenProposals(): Promise<void> {
    this.registry.renderStale(RERENDER_PER_MESSAGE);
    if (this.registry.meta().governanceCanisterId === null) return;
    for (const id of this.registry.proposalsToRefresh(REFRESH_PER_TICK)) {
      await this.syncFromGovernance(id);
    }
  }

  /**
   * Runs before an ingress update is executed (and paid for). Cheap checks only; a rejection
   * carries the same error code the update itself would return.
   */
  @inspectMessage({ manual: true })
  inspectMessage(): boolean {
    const method = msgMethodName();
    const caller = msgCaller();
    if (method === 'submit') {
      const check = this.registry.precheckSubmit({
        caller,
        argBytes: msgArgData().length,
        now: time(),
      });
      if (!check.ok) trap(`${check.error.code}: ${check.error.message}`);
      return true;
    }
    if (method === 'set_builder_profile' && caller.isAnonymous()) {
      trap(`${ErrorCode.ANONYMOUS_CALLER}: sign in with your builder key to set your profile`);
    }
    if (
      (method === 'hide_attestation' ||
        method === 'unhide_attestation' ||
        method === 'set_governance_canister') &&
      !isController(caller)
    ) {
      trap(`${ErrorCode.NOT_CONTROLLER}: only a controller of the registry can call ${method}`);
    }
    // Every other update is small and bounded; its own checks answer with an error code.
    return true;
  }

  @updateMethod([C.SubmitRequest], C.SubmitResult)
  submit(request: C.SubmitRequest): C.Result<C.SubmitReceipt> {
    const caller = msgCaller();
    const verified = this.registry.verifySubmission({
      caller,
      envelope: request.envelope,
      now: time(),
    });
    if (!verified.ok) return candidError(verified.error);
    if ('duplicate' in verified.value) return { Ok: candidReceipt(verified.value.duplicate) };
    const { proposalId } = verified.value;
    const recorded = this.registry.recordSubmission({
      caller,
      verified: verified.value.verified,
      now: time(),
    });
    // The first attestation of a proposal has it read from governance — in a message of its own,
    // so a submission never waits on (or fails with) governance. Until the proposal data
    // arrives, its attestations are kept and then judged against it.
    if (recorded.ok && this.registry.proposalNeedsRead(proposalId)) this.scheduleRead(proposalId);
    return toResult(recorded, candidReceipt);
  }

  /** Proposals whose first read is scheduled (heap only: a lost entry is re-read by the timer). */
  private readonly scheduledReads = new Set<bigint>();

  private scheduleRead(proposalId: bigint): void {
    if (this.registry.meta().governanceCanisterId === null || this.scheduledReads.has(proposalId))
      return;
    this.scheduledReads.add(proposalId);
    setTimer(0, async () => {
      try {
        await this.syncFromGovernance(proposalId);
      } finally {
        this.scheduledReads.delete(proposalId);
      }
    });
  }

  @updateMethod([IDL.Nat64], C.SummaryResult)
  async sync_proposal(proposalId: bigint): Promise<C.Result<C.ProposalSummary>> {
    if (this.registry.meta().governanceCanisterId === null) {
      return candidError({
        code: ErrorCode.GOVERNANCE_UNAVAILABLE,
        message: 'this registry has no governance canister configured',
      });
    }
    const last = this.registry.proposal(proposalId)?.sync.lastAttemptAt;
    if (last != null && time() - BigInt(last) < SYNC_INTERVAL_NS) {
      return candidError({
        code: ErrorCode.RATE_LIMITED,
        message: `proposal ${proposalId} was read from governance less than 30 seconds ago`,
      });
    }
    await this.syncFromGovernance(proposalId);
    return toResult(this.registry.summary(proposalId), candidSummary);
  }

  @updateMethod([IDL.Principal], C.UnitResult)
  set_governance_canister(governance: Principal): C.Result<null> {
    if (!isController(msgCaller())) {
      return candidError({
        code: ErrorCode.NOT_CONTROLLER,
        message: 'only a controller can set the governance canister',
      });
    }
    const meta = this.registry.meta();
    meta.governanceCanisterId = governance.toText();
    this.registry.saveMeta(meta);
    return { Ok: null };
  }

  @queryMethod([IDL.Nat64], C.SummaryResult)
  get_proposal_summary(proposalId: bigint): C.Result<C.ProposalSummary> {
    return toResult(this.registry.summary(proposalId), candidSummary);
  }

  @queryMethod([C.ListProposalsRequest], C.ProposalPage)
  list_proposals(request: C.ListProposalsRequest): C.ProposalPage {
    const page = this.registry.listProposals({
      cursor: request.cursor[0],
      limit: request.limit[0],
    });
    return {
      proposals: page.items.map(candidSummary),
      next_cursor: page.next === null ? [] : [page.next],
      total: page.total,
    };
  }

  @queryMethod([C.ListAttestationsRequest], C.AttestationPageResult)
  list_attestations(request: C.ListAttestationsRequest): C.Result<C.AttestationPage> {
    const withEnvelopes = request.include_envelopes[0] ?? false;
    return toResult(
      this.registry.listAttestationIds({
        proposalId: request.proposal_id,
        verdict: request.verdict[0],
        cursor: request.cursor[0],
        limit: request.limit[0],
      }),
      (page) => renderedAttestationPage(this.registry, page, withEnvelopes),
    );
  }

  @queryMethod([IDL.Nat64], C.AttestationResult)
  get_attestation(id: bigint): C.Result<C.Attestation> {
    return toResult(this.registry.attestationKey(id), (key) => this.rendered(key, true));
  }

  @queryMethod([C.GetBuilderRequest], C.BuilderPageResult)
  get_builder(request: C.GetBuilderRequest): C.Result<C.BuilderPage> {
    return toResult(
      this.registry.builderAttestationIds({
        builder: request.builder,
        cursor: request.cursor[0],
        limit: request.limit[0],
      }),
      (v) => ({
        profile: candidBuilder(v.profile),
        attestations: renderedAttestationPage(this.registry, v.attestations, false),
      }),
    );
  }

  @updateMethod([C.SetBuilderProfileRequest], C.BuilderProfileResult)
  set_builder_profile(request: C.SetBuilderProfileRequest): C.Result<C.BuilderProfile> {
    return toResult(
      this.registry.setBuilderProfile({
        caller: msgCaller(),
        displayName: request.display_name,
        url: request.url[0] ?? null,
        now: time(),
      }),
      candidBuilder,
    );
  }

  @updateMethod([C.HideAttestationRequest], C.AttestationResult)
  hide_attestation(request: C.HideAttestationRequest): C.Result<C.Attestation> {
    const caller = msgCaller();
    return toResult(
      this.registry.hide({
        caller: { principal: caller, isController: isController(caller) },
        attestationId: request.attestation_id,
        reason: request.reason,
        now: time(),
      }),
      (view) => this.rendered(this.idKeyOf(view), false),
    );
  }

  @updateMethod([IDL.Nat64], C.AttestationResult)
  unhide_attestation(id: bigint): C.Result<C.Attestation> {
    const caller = msgCaller();
    return toResult(
      this.registry.unhide({
        caller: { principal: caller, isController: isController(caller) },
        attestationId: id,
      }),
      (view) => this.rendered(this.idKeyOf(view), false),
    );
  }

  /** An attestation as stored for replies (see `RenderedAttestation`), typed for Candid. */
  private rendered(idKey: Uint8Array, withEnvelope: boolean): C.Attestation {
    return new Encoded(
      this.registry.renderedAttestation(idKey, withEnvelope),
    ) as unknown as C.Attestation;
  }

  private idKeyOf(view: { record: { id: string } }): Uint8Array {
    const key = this.registry.attestationKey(BigInt(view.record.id));
    if (!key.ok) throw new Error(key.error.message);
    return key.value;
  }

  @queryMethod([], C.RegistryInfo)
  get_registry_info(): C.RegistryInfo {
    return registryInfo(this.registry);
  }

  @queryMethod([C.HttpRequest], C.HttpResponse)
  http_request(request: C.HttpRequest): C.HttpResponse {
    return handleHttp(this.registry, request);
  }
}
