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
  time,
  trap,
} from 'azle';
import { warmUpEd25519 } from '@repro-registry/attestation';
import { readHttpRequest } from '@repro-registry/certification';
import type * as C from '@repro-registry/registry-api';
import { ErrorCode, idlInitArgs } from '@repro-registry/registry-api';
import type { Principal } from '@dfinity/principal';

import type { RegistryError, Result as CoreResult } from './core/errors';
import { ATTESTATION_PAGE_LIMIT, Registry } from './core/registry';
import { tokensAvailable, rateLimitOf } from './core/rate-limit';
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
  encodedProof,
  renderAttestation,
  renderedAttestationPage,
  type Result,
} from './replies';
import { stableTables } from './state';
import { CertifiedRegistry } from './certified/certified-registry';
import { Background } from './background';
import { applyInitArgs } from './init-args';
import { certifiedSummaries } from './certified/certified-batch';
import { ReadProofs } from './certified/certified-reads';

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
  /** Proofs of the ordinary reads' answers. */
  proofs = new ReadProofs(this.certified.state);
  /** Timers: governance and deployed-module reads, recounts, certification. */
  background = new Background(this.registry, this.certified);

  @init(idlInitArgs)
  init(args: [] | [C.InitArgs]): void {
    this.registry.markCurrentLayout();
    const configured = applyInitArgs(this.registry.meta(), args);
    if (!configured.ok) trap(configured.message);
    this.registry.saveMeta(configured.meta);
    this.warmUp();
    this.certified.start();
    this.background.scheduleCertification();
  }

  @postUpgrade(idlInitArgs)
  postUpgrade(args: [] | [C.InitArgs]): void {
    // Older state is brought to the current layout; its aggregates are rebuilt by timers.
    this.registry.migrate();
    const configured = applyInitArgs(this.registry.meta(), args);
    if (!configured.ok) trap(configured.message);
    this.registry.saveMeta(configured.meta);
    this.warmUp();
    this.background.scheduleBackgroundWork();
    this.certified.start();
    this.background.scheduleCertification();
  }

  /**
   * Work done once per heap instead of once per message: init and post_upgrade keep their heap,
   * queries don't.
   */
  private warmUp(): void {
    this.background.start();
    prepareReplies();
    // noble builds its base-point table on first use (~2 B instructions); doing it here keeps
    // every submit near 200 M. Queries never verify, so they don't need it.
    warmUpEd25519();
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
    if (method === 'http_request_update') {
      // Paid by the registry: only what `http_request` may ask a gateway to upgrade.
      const read = readHttpRequest(msgArgData());
      if (!read.ok || !this.certified.http.answersUpdate(read.request)) {
        trap(
          `${ErrorCode.INVALID_ARGUMENT}: http_request_update answers only a GET of a known proposal's page (its summary, badge, attestations, events or feed); ask http_request`,
        );
      }
      return true;
    }
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
      this.background.scheduleCertification();
    }
    // An unconfirmed proposal is read from governance — in a message of its own, so a
    // submission never waits on (or fails with) governance. Until the proposal is confirmed its
    // attestations are held; then they are checked and counted, or rejected with the reason.
    if (readProposal) this.background.scheduleRead(receipt.proposalId);
    this.background.scheduleBackgroundWork();
    return { Ok: candidReceipt(receipt) };
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
    const outcome = await this.background.syncFromGovernance(proposalId);
    // A caller asking to look again also gets the deployed module read again (once per 30 s).
    const target = this.registry.deployedCheckWanted(proposalId);
    if (
      target !== null &&
      this.registry.proposal(proposalId)?.deployed?.checkedAt === checkedBefore
    )
      await this.background.checkDeployed(proposalId, target);
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
    return toResult(this.registry.summary(proposalId), (v) => ({
      ...candidSummary(v),
      certified: this.proofs.summaries([proposalId]),
    }));
  }

  @method('get_consensus')
  get_consensus(request: C.ConsensusRequest): Result<C.ProposalSummary> {
    const trustList = request.trust_list[0];
    return toResult(
      this.registry.summary({
        proposalId: request.proposal_id,
        ...(trustList === undefined ? {} : { trustList }),
      }),
      (v) => ({
        ...candidSummary(v),
        certified:
          trustList === undefined
            ? this.proofs.summaries([request.proposal_id])
            : this.proofs.scopedSummaries(trustList, [request.proposal_id]),
      }),
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
    const proposals = valueOrRefuse(page);
    const ids = proposals.items.map((p) => BigInt(p.record.id));
    return candidProposalPage(
      proposals,
      trustList === undefined
        ? this.proofs.summaries(ids)
        : this.proofs.scopedSummaries(trustList, ids),
    );
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
    if (published.ok) {
      const { list, version } = published.value;
      this.certified.state.scopes?.note({
        published: { id: BigInt(list.id), version: version.version },
      });
      this.background.scheduleBackgroundWork();
      this.background.scheduleCertification();
    }
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
      (v) => ({
        ...candidTrustList(v),
        certified: this.proofs.trustLists([
          { id: request.id, version: v.version.version, newest: v.list.version, members: true },
        ]),
      }),
    );
  }

  @method('list_trust_lists')
  list_trust_lists(request: C.ListTrustListsRequest): C.TrustListPage {
    const limit = request.limit[0];
    const page = this.registry.listTrustLists({
      cursor: Number(request.cursor[0] ?? 0n),
      limit: limit === undefined || limit === 0 ? 50 : Math.min(limit, 100),
    });
    return candidTrustListPage(
      page,
      this.proofs.trustLists(
        page.items.map((l) => ({
          id: BigInt(l.id),
          version: l.version,
          newest: l.version,
          members: false,
        })),
      ),
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
      (page) =>
        renderedAttestationPage(this.registry, page, undefined, (ids) =>
          request.proof[0] === false
            ? []
            : this.proofs.attestations(ids, attestationPageOf(request, page.total)),
        ),
    );
  }

  @method('get_attestation')
  get_attestation(id: bigint): Result<PreEncoded<C.Attestation>> {
    return toResult(this.registry.attestationKey(id), (key) =>
      attestationReply(this.registry, key, encodedProof(this.proofs.attestations([key]))),
    );
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
        attestations: renderedAttestationPage(this.registry, v.attestations, undefined, (ids) =>
          this.proofs.attestations(ids),
        ),
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
    this.background.scheduleBackgroundWork(); // trust lists that hold the builder count it no more
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
      this.background.scheduleCertification();
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
    this.background.scheduleBackgroundWork();
    if (shown.ok)
      this.registry.noteEvents({
        proposalIds: [BigInt(shown.value.record.proposalId)],
        now: time(),
      });
    if (shown.ok) {
      this.certified.state.noteUnhidden({ attestationId: id, by: caller.toText(), at: time() });
      this.background.scheduleCertification();
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

  /**
   * What `http_request` asks a gateway to upgrade: a known proposal's page in the message before
   * it is certified, answered live (its answer goes through consensus instead).
   */
  @rawMethod('http_request_update')
  http_request_update(): void {
    const read = readHttpRequest(msgArgData());
    if (read.ok) msgReply(this.certified.serveHttp(read.request));
    else msgReject(read.reject);
  }
}

/**
 * A page of all of a proposal's attestations (no verdict filter: those positions are not
 * certified) runs down from `end`: the cursor (exclusive) or the total.
 */
function attestationPageOf(request: C.ListAttestationsRequest, total: bigint) {
  if (request.verdict.length > 0) return undefined;
  const cursor = request.cursor[0];
  return {
    proposalId: request.proposal_id,
    end: cursor !== undefined && cursor < total ? cursor : total,
  };
}

/** The envelope of a `submit` argument, or null when it is not Candid (the update says so). */
function envelopeOf(arg: Uint8Array): Uint8Array | null {
  try {
    return decodeArgs('submit', arg)[0].envelope;
  } catch {
    return null;
  }
}
