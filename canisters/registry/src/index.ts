/**
 * The registry canister: a thin class that turns Candid calls into calls of `Registry` (the
 * logic, in `core/`), passing the caller and the time. Everything it stores is in stable
 * memory (`state.ts`), so upgrades keep it.
 */
import {
  canisterCycleBalance,
  init,
  inspectMessage,
  isController,
  msgArgData,
  msgCaller,
  msgMethodName,
  msgReject,
  msgReply,
  postUpgrade,
  setTimer,
  setTimerInterval,
  time,
  trap,
} from 'azle';
import { warmUpEd25519 } from '@repro-registry/attestation';
import { readHttpRequest } from '@repro-registry/certification';
import type * as C from '@repro-registry/registry-api';
import { ErrorCode, idlInitArgs } from '@repro-registry/registry-api';
import type { Principal } from '@dfinity/principal';

import type { RegistryError, Result as CoreResult } from './core/errors';
import type { ReadOutcome } from './core/governance';
import {
  ATTESTATION_PAGE_LIMIT,
  DEFAULT_REFRESH_SECONDS,
  RERENDER_PER_MESSAGE,
  Registry,
} from './core/registry';
import { tokensAvailable, rateLimitOf } from './core/rate-limit';
import { readDeployedModule } from './deployed';
import { readProposal } from './governance';
import { registryInfo } from './http';
import { CodedRefusal, decodeArgs, method, prepareReplies, rawMethod } from './methods';
import type { Encodable, PreEncoded } from './reply-encoder';
import {
  attestationReply,
  candidBuilder,
  candidError,
  candidProposalPage,
  candidReceipt,
  candidSummary,
  candidTrustList,
  candidTrustListPage,
  renderAttestation,
  renderedAttestationPage,
  type Result,
} from './replies';
import { stableTables } from './state';
import { CertifiedRegistry } from './certified/certified-registry';
import { certifiedSummaries } from './certified/certified-batch';

/** Open proposals read again per timer tick: bounded work however many there are. */
const REFRESH_PER_TICK = 5;
/** Unconfirmed proposals read per timer tick (each gets a few reads in all: `PENDING_TIMER_READS`). */
const PENDING_READS_PER_TICK = 2;
/** Executed canister installs whose target is read per timer tick (`core/deployed.ts`). */
const DEPLOYED_READS_PER_TICK = 2;
/** `sync_proposal` reads a given proposal at most this often. */
const SYNC_INTERVAL_NS = 30n * 1_000_000_000n;

function valueOrRefuse<T>(result: CoreResult<T>): T {
  if (!result.ok) throw new CodedRefusal(result.error);
  return result.value;
}

function toResult<T, U>(result: CoreResult<T>, convert: (value: T) => U): Result<U> {
  return result.ok ? { Ok: convert(result.value) } : candidError(result.error);
}

export default class {
  registry = new Registry(stableTables(), renderAttestation);
  /** The transparency log and certified data (see `certified/`). */
  certified = new CertifiedRegistry(this.registry);

  @init(idlInitArgs)
  init(args: [] | [C.InitArgs]): void {
    this.registry.markCurrentLayout();
    this.configure(args);
    this.warmUp();
    this.certified.start();
    this.scheduleCertification();
  }

  @postUpgrade(idlInitArgs)
  postUpgrade(args: [] | [C.InitArgs]): void {
    // Older state is brought to the current layout; its aggregates are rebuilt by timers.
    this.registry.migrate();
    this.configure(args);
    this.warmUp();
    this.scheduleBackgroundWork();
    this.certified.start();
    this.scheduleCertification();
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
    prepareReplies();
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
    const limits = given?.limits[0];
    if (limits !== undefined) {
      const set = { ...(meta.limits ?? {}) };
      const positive = (name: string, v: number | bigint | undefined) => {
        if (v !== undefined && v < 1)
          trap(`${ErrorCode.INVALID_ARGUMENT}: limits.${name} must be at least 1`);
        return v;
      };
      const n = (v: [] | [number]) => v[0];
      const pairs: [keyof typeof set, number | undefined][] = [
        ['attestationsPerBuilder', n(limits.attestations_per_builder)],
        ['pendingProposalsPerBuilder', n(limits.pending_proposals_per_builder)],
        ['pendingProposalsTotal', n(limits.pending_proposals_total)],
        ['heldPerProposal', n(limits.held_per_proposal)],
        ['trustListsPerOwner', n(limits.trust_lists_per_owner)],
        ['trustListsTotal', n(limits.trust_lists_total)],
        ['trustListMembers', n(limits.trust_list_members)],
      ];
      for (const [name, v] of pairs)
        if (positive(name, v) !== undefined) Object.assign(set, { [name]: v });
      const total = positive('attestations_total', limits.attestations_total[0]);
      if (total !== undefined) set.attestationsTotal = Number(total);
      const cycles = limits.min_cycles[0];
      if (cycles !== undefined) set.minCycles = cycles.toString();
      meta.limits = set;
    }
    this.registry.saveMeta(meta);
  }

  /** Reads a proposal from governance and records what came back; never throws. */
  private async syncFromGovernance(proposalId: bigint): Promise<ReadOutcome | null> {
    const governance = this.registry.meta().governanceCanisterId;
    if (governance === null) return null;
    const outcome = await readProposal(governance, proposalId);
    const proposal = this.registry.recordProposalRead({ proposalId, now: time(), outcome });
    this.registry.noteEvents({ proposalIds: [proposalId], now: time() });
    this.certified.state.noteProposalRead({ proposal: proposal ?? undefined, at: time() });
    this.scheduleCertification();
    // Just executed (or first seen executed): read what the target runs now.
    if (proposal?.deployed?.state === 'due')
      await this.checkDeployed(proposalId, proposal.deployed.canisterId);
    // A confirmation may leave counting to do (more held attestations than one message counts).
    this.scheduleBackgroundWork();
    return outcome;
  }

  /**
   * The refresh timer: a few open proposals per tick, round robin, and a few reads of
   * unconfirmed ones; unfinished walks and trust-list work continue. Paused while cycles run low.
   */
  private async refreshOpenProposals(): Promise<void> {
    if (!this.registry.checkCycles(canisterCycleBalance()).ok) return;
    this.doBackgroundWork();
    if (this.registry.meta().governanceCanisterId === null) return;
    const due = [
      ...this.registry.openProposalsToRefresh(REFRESH_PER_TICK),
      ...this.registry.pendingProposalsToRead(PENDING_READS_PER_TICK),
    ];
    for (const id of due) await this.syncFromGovernance(id);
    for (const check of this.registry.deployedChecksDue(DEPLOYED_READS_PER_TICK))
      await this.checkDeployed(check.proposalId, check.canisterId);
  }

  /** Reads the module an executed install's target runs (`core/deployed.ts`); never throws. */
  private async checkDeployed(proposalId: bigint, canisterId: string): Promise<void> {
    const outcome = await readDeployedModule(canisterId);
    if (this.registry.recordDeployedRead({ proposalId, now: time(), outcome }) === null) return;
    this.certified.state.noteSummary(proposalId);
    this.scheduleCertification();
  }

  private backgroundScheduled = false;

  /** Walks (recounts) and trust-list upkeep, in messages of their own until done. */
  private scheduleBackgroundWork(): void {
    if (this.backgroundScheduled || !this.registry.hasBackgroundWork()) return;
    this.backgroundScheduled = true;
    setTimer(0, () => {
      this.backgroundScheduled = false;
      this.doBackgroundWork();
      this.scheduleBackgroundWork();
    });
  }

  private doBackgroundWork(): void {
    const walked = [...this.registry.meta().staleRenderings];
    this.registry.renderStale(RERENDER_PER_MESSAGE);
    this.registry.processTrustListWork();
    for (const id of walked) this.certified.state.noteSummary(BigInt(id));
    this.registry.noteEvents({ proposalIds: walked.map(BigInt), now: time() });
    if (walked.length > 0) this.scheduleCertification();
  }

  private certificationScheduled = false;

  /** Logs and certifies what updates noted, in a message of its own (see `certified/`). */
  private scheduleCertification(): void {
    if (this.certificationScheduled || !this.certified.hasWork()) return;
    this.certificationScheduled = true;
    setTimer(0, () => {
      this.certificationScheduled = false;
      this.certified.certify();
      this.scheduleCertification();
    });
  }

  /**
   * Runs before an ingress update is executed (and paid for). Cheap checks only; a rejection
   * carries the same error code the update itself would return.
   */
  @inspectMessage({ manual: true })
  inspectMessage(): boolean {
    const method = msgMethodName();
    const caller = msgCaller();
    const refuse = (e: RegistryError) => trap(`${e.code}: ${e.message}`);
    if (method === 'submit') {
      const arg = msgArgData();
      const check = this.registry.inspectSubmit({
        caller,
        envelope: envelopeOf(arg),
        argBytes: arg.length,
        now: time(),
        cycles: canisterCycleBalance(),
      });
      if (!check.ok) refuse(check.error);
      return true;
    }
    const cycles = this.registry.checkCycles(canisterCycleBalance());
    if (!cycles.ok) refuse(cycles.error);
    if (
      (method === 'set_builder_profile' || method === 'publish_trust_list') &&
      caller.isAnonymous()
    ) {
      trap(`${ErrorCode.ANONYMOUS_CALLER}: sign in with your own key for ${method}`);
    }
    if ((method === 'publish_trust_list' || method === 'sync_proposal') && !isController(caller)) {
      const limit = rateLimitOf(this.registry.meta());
      const bucket = this.registry.tables.rateBuckets.get(caller.toUint8Array());
      if (tokensAvailable(bucket, limit, time()) < 1)
        trap(
          `${ErrorCode.RATE_LIMITED}: too many requests from ${caller.toText()}: wait a few minutes`,
        );
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

  @method('submit')
  submit(request: C.SubmitRequest): Result<C.SubmitReceipt> {
    const submitted = this.registry.submit({
      caller: msgCaller(),
      envelope: request.envelope,
      now: time(),
      cycles: canisterCycleBalance(),
    });
    if (!submitted.ok) return candidError(submitted.error);
    const { receipt, readProposal } = submitted.value;
    this.registry.noteEvents({ proposalIds: [receipt.proposalId], now: time() });
    if (!receipt.duplicate) {
      this.certified.state.noteAccepted({
        attestationId: receipt.attestationId,
        supersedes: receipt.supersedes,
        at: time(),
      });
      this.scheduleCertification();
    }
    // An unconfirmed proposal is read from governance — in a message of its own, so a
    // submission never waits on (or fails with) governance. Until the proposal is confirmed its
    // attestations are held; then they are checked and counted, or rejected with the reason.
    if (readProposal) this.scheduleRead(receipt.proposalId);
    this.scheduleBackgroundWork();
    return { Ok: candidReceipt(receipt) };
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

  @method('sync_proposal')
  async sync_proposal(proposalId: bigint): Promise<Result<C.ProposalSummary>> {
    const caller = msgCaller();
    const cycles = this.registry.checkCycles(canisterCycleBalance());
    if (!cycles.ok) return candidError(cycles.error);
    if (this.registry.meta().governanceCanisterId === null) {
      return candidError({
        code: ErrorCode.GOVERNANCE_UNAVAILABLE,
        message: 'this registry has no governance canister configured',
      });
    }
    const known = this.registry.proposal(proposalId);
    // A rejected proposal stays rejected: governance's answer about it does not change.
    if (known !== undefined && known.rejection)
      return toResult(this.registry.summary(proposalId), candidSummary);
    const last = known?.sync.lastAttemptAt;
    if (last != null && time() - BigInt(last) < SYNC_INTERVAL_NS) {
      return candidError({
        code: ErrorCode.RATE_LIMITED,
        message: `proposal ${proposalId} was read from governance less than 30 seconds ago`,
      });
    }
    // Every read costs a call to governance: callers other than controllers pay a token.
    if (!isController(caller)) {
      const token = this.registry.takeToken(caller, time());
      if (!token.ok) return candidError(token.error);
    }
    const checkedBefore = this.registry.proposal(proposalId)?.deployed?.checkedAt;
    const outcome = await this.syncFromGovernance(proposalId);
    // A caller asking to look again also gets the deployed module read again (once per 30 s).
    const target = this.registry.deployedCheckWanted(proposalId);
    if (
      target !== null &&
      this.registry.proposal(proposalId)?.deployed?.checkedAt === checkedBefore
    )
      await this.checkDeployed(proposalId, target);
    if (this.registry.proposal(proposalId) === undefined && outcome !== null) {
      // Nothing stored: say what governance said.
      return candidError(
        outcome.ok
          ? {
              code: ErrorCode.PROPOSAL_NOT_ICOS_ELECTION,
              message: `proposal ${proposalId} neither elects an IC-OS version nor installs or publishes a canister module: there is nothing to reproduce`,
            }
          : {
              code: outcome.absent
                ? ErrorCode.PROPOSAL_NOT_ON_CHAIN
                : ErrorCode.GOVERNANCE_UNAVAILABLE,
              message: outcome.error,
            },
      );
    }
    return toResult(this.registry.summary(proposalId), candidSummary);
  }

  @method('set_governance_canister')
  set_governance_canister(governance: Principal): Result<null> {
    const cycles = this.registry.checkCycles(canisterCycleBalance());
    if (!cycles.ok) return candidError(cycles.error);
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

  @method('get_proposal_summary')
  get_proposal_summary(proposalId: bigint): Result<C.ProposalSummary> {
    return toResult(this.registry.summary(proposalId), candidSummary);
  }

  @method('get_consensus')
  get_consensus(request: C.ConsensusRequest): Result<C.ProposalSummary> {
    const trustList = request.trust_list[0];
    return toResult(
      this.registry.summary({
        proposalId: request.proposal_id,
        ...(trustList === undefined ? {} : { trustList }),
      }),
      candidSummary,
    );
  }

  @method('list_proposals')
  list_proposals(request: C.ListProposalsRequest): C.ProposalPage {
    const trustList = request.trust_list[0];
    const page = this.registry.listProposals({
      cursor: request.cursor[0],
      limit: request.limit[0],
      ...(trustList === undefined ? {} : { trustList }),
    });
    return candidProposalPage(valueOrRefuse(page));
  }

  @method('publish_trust_list')
  publish_trust_list(request: C.PublishTrustListRequest): Result<C.TrustList> {
    const cycles = this.registry.checkCycles(canisterCycleBalance());
    if (!cycles.ok) return candidError(cycles.error);
    const published = this.registry.publishTrustList({
      caller: msgCaller(),
      id: request.id[0] ?? null,
      name: request.name,
      description: request.description,
      members: request.members,
      now: time(),
    });
    if (published.ok) this.scheduleBackgroundWork();
    return toResult(published, candidTrustList);
  }

  @method('get_trust_list')
  get_trust_list(request: C.GetTrustListRequest): Result<C.TrustList> {
    const version = request.version[0];
    return toResult(
      this.registry.getTrustList({
        id: request.id,
        ...(version === undefined ? {} : { version }),
      }),
      candidTrustList,
    );
  }

  @method('list_trust_lists')
  list_trust_lists(request: C.ListTrustListsRequest): C.TrustListPage {
    const limit = request.limit[0];
    return candidTrustListPage(
      this.registry.listTrustLists({
        cursor: Number(request.cursor[0] ?? 0n),
        limit: limit === undefined || limit === 0 ? 50 : Math.min(limit, 100),
      }),
    );
  }

  @method('list_attestations')
  list_attestations(request: C.ListAttestationsRequest): Result<Encodable<C.AttestationPage>> {
    return toResult(
      this.registry.listAttestationIds({
        proposalId: request.proposal_id,
        verdict: request.verdict[0],
        cursor: request.cursor[0],
        limit: request.limit[0],
        bounds: ATTESTATION_PAGE_LIMIT,
      }),
      (page) => renderedAttestationPage(this.registry, page),
    );
  }

  @method('get_attestation')
  get_attestation(id: bigint): Result<PreEncoded<C.Attestation>> {
    return toResult(this.registry.attestationKey(id), (key) => this.rendered(key));
  }

  @method('get_builder')
  get_builder(request: C.GetBuilderRequest): Result<Encodable<C.BuilderPage>> {
    return toResult(
      this.registry.builderAttestationIds({
        builder: request.builder,
        cursor: request.cursor[0],
        limit: request.limit[0],
        bounds: ATTESTATION_PAGE_LIMIT,
      }),
      (v) => ({
        profile: candidBuilder(v.profile),
        attestations: renderedAttestationPage(this.registry, v.attestations),
      }),
    );
  }

  @method('set_builder_profile')
  set_builder_profile(request: C.SetBuilderProfileRequest): Result<C.BuilderProfile> {
    const cycles = this.registry.checkCycles(canisterCycleBalance());
    if (!cycles.ok) return candidError(cycles.error);
    return toResult(
      this.registry.setBuilderProfile({
        caller: msgCaller(),
        displayName: request.display_name,
        url: request.url[0] ?? null,
      }),
      candidBuilder,
    );
  }

  @method('hide_attestation')
  hide_attestation(request: C.HideAttestationRequest): Result<PreEncoded<C.Attestation>> {
    const cycles = this.registry.checkCycles(canisterCycleBalance());
    if (!cycles.ok) return candidError(cycles.error);
    const caller = msgCaller();
    const hidden = this.registry.hide({
      caller: { principal: caller, isController: isController(caller) },
      attestationId: request.attestation_id,
      reason: request.reason,
      now: time(),
    });
    this.scheduleBackgroundWork(); // trust lists that hold the builder count it no more
    if (hidden.ok)
      this.registry.noteEvents({
        proposalIds: [BigInt(hidden.value.record.proposalId)],
        now: time(),
      });
    if (hidden.ok && hidden.value.record.hidden !== null) {
      const mark = hidden.value.record.hidden;
      this.certified.state.noteHidden({
        attestationId: request.attestation_id,
        reason: mark.reason,
        by: mark.by,
        at: BigInt(mark.at),
      });
      this.scheduleCertification();
    }
    return toResult(hidden, (view) => this.rendered(this.idKeyOf(view)));
  }

  @method('unhide_attestation')
  unhide_attestation(id: bigint): Result<PreEncoded<C.Attestation>> {
    const cycles = this.registry.checkCycles(canisterCycleBalance());
    if (!cycles.ok) return candidError(cycles.error);
    const caller = msgCaller();
    const shown = this.registry.unhide({
      caller: { principal: caller, isController: isController(caller) },
      attestationId: id,
    });
    this.scheduleBackgroundWork();
    if (shown.ok)
      this.registry.noteEvents({
        proposalIds: [BigInt(shown.value.record.proposalId)],
        now: time(),
      });
    if (shown.ok) {
      this.certified.state.noteUnhidden({ attestationId: id, by: caller.toText(), at: time() });
      this.scheduleCertification();
    }
    return toResult(shown, (view) => this.rendered(this.idKeyOf(view)));
  }

  /** An attestation as stored for replies (see `RenderedAttestation`). */
  private rendered(idKey: Uint8Array): PreEncoded<C.Attestation> {
    return attestationReply(this.registry, idKey);
  }

  private idKeyOf(view: { record: { id: string } }): Uint8Array {
    const key = this.registry.attestationKey(BigInt(view.record.id));
    if (!key.ok) throw new Error(key.error.message);
    return key.value;
  }

  @method('get_registry_info')
  get_registry_info(): C.RegistryInfo {
    return registryInfo(this.registry, canisterCycleBalance());
  }

  // ---------------------------------------------------------------- certified reads

  @method('get_checkpoint')
  get_checkpoint(): C.Checkpoint {
    return this.certified.checkpoint();
  }

  @method('get_inclusion_proof')
  get_inclusion_proof(request: C.InclusionProofRequest): Result<C.InclusionProof> {
    return this.certified.inclusionProof(request);
  }

  @method('get_consistency_proof')
  get_consistency_proof(request: C.ConsistencyProofRequest): Result<C.ConsistencyProof> {
    return this.certified.consistencyProof(request);
  }

  @method('get_certified_summary')
  get_certified_summary(proposalId: bigint): Result<C.CertifiedSummary> {
    return this.certified.certifiedSummary(proposalId);
  }

  @method('get_certified_attestation')
  get_certified_attestation(id: bigint): Result<C.CertifiedAttestation> {
    return this.certified.certifiedAttestation(id);
  }

  @method('get_certified_summaries')
  get_certified_summaries(proposalIds: BigUint64Array): C.CertifiedSummaries {
    return certifiedSummaries(this.certified.state, [...proposalIds]);
  }

  /** Certified answers where rendered in advance (see `certified/certified-http.ts`). */
  @rawMethod('http_request')
  http_request(): void {
    const read = readHttpRequest(msgArgData());
    if (read.ok) msgReply(this.certified.serveHttp(read.request));
    else msgReject(read.reject);
  }
}

/** The envelope of a `submit` argument, or null when it is not Candid (the update says so). */
function envelopeOf(arg: Uint8Array): Uint8Array | null {
  try {
    return decodeArgs('submit', arg)[0].envelope;
  } catch {
    return null;
  }
}
