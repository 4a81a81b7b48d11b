/**
 * The canister's side of the certified state: stable stores, what it reads from the registry,
 * `certified_data_set`, data certificates, and the replies of the certified reads. The class in
 * `index.ts` calls `note*` after each update, `certify` in a timer message of its own, and the
 * read methods from its queries.
 */
import {
  canisterCycleBalance,
  canisterSelf,
  certifiedDataSet,
  dataCertificate,
  performanceCounter,
} from 'azle';
import { encodeHashTree, pathRequestOf, type Label } from '@repro-registry/certification';
import {
  LABELS,
  LogError,
  attestationRecordBytes,
  keyId,
  originOf,
  signedCheckpointBytes,
  u64Label,
} from '@repro-registry/transparency-log';
import { bytesToHex } from '@repro-registry/attestation';

import * as C from '@repro-registry/registry-api';
import { ErrorCode } from '@repro-registry/registry-api';
import { encodeReply } from '../reply-encoder';
import type { Registry } from '../core/registry';
import { u64FromKey, u64Key } from '../core/tables';
import { candidError, candidSummary, type Result } from '../replies';
import { handleHttp } from '../http';
import { CertifiedHttp } from './certified-http';
import { attestationAtIn, proposalAttestationCountIn } from './attestation-index';
import { CertifiedState, type RegistrySource } from './certified-state';
import { registryRoutes } from './http-routes';
import { CERTIFIED_TREE_MEMORY_ID, LOG_MEMORY_ID, stableNodeStore } from './stable';
import { scopeSourceOf } from './scope-source';

/** A certification message stops taking notes past this many instructions (limit: 40 B). */
const CERTIFY_BUDGET = 20_000_000_000n;
/** Install and upgrade certify only this much themselves; timer messages do the rest. */
const START_BUDGET = 2_000_000_000n;

/** Every witness shows the log's head, so any certified reply also certifies a checkpoint. */
const LOG_PATH: Label[] = [LABELS.log];
/** And the number of confirmed proposals, so a reader's proposal count is certified too. */
const COUNT_PATH: Label[] = [LABELS.proposalCount];

export class CertifiedRegistry {
  readonly state: CertifiedState;

  /** The JSON API's and badges' certified answers (HTTP certification v2). */
  readonly http: CertifiedHttp;

  constructor(private readonly registry: Registry) {
    this.state = new CertifiedState(
      stableNodeStore(LOG_MEMORY_ID),
      stableNodeStore(CERTIFIED_TREE_MEMORY_ID),
      scopeSourceOf(registry),
    );
    this.http = new CertifiedHttp(
      this.state.logStore,
      this.state.tree,
      registryRoutes({
        registry,
        proposalIds: () => this.source.proposalIds(),
        cycles: () => canisterCycleBalance(),
        registryId: () => canisterSelf().toText(),
      }),
    );
  }

  readonly source: RegistrySource = {
    attestation: (id) => this.registry.tables.attestations.get(u64Key(id)),
    envelope: (id) => this.registry.tables.envelopes.get(u64Key(id)),
    proposal: (id) => this.registry.proposal(id),
    summaryMessage: (id) => {
      const view = this.registry.summary(id);
      return view.ok ? encodeReply(C.CertifiedSummaryShape, candidSummary(view.value)) : null;
    },
    attestationCount: () => this.registry.stats().attestations,
    confirmedProposalCount: () => this.registry.stats().proposals,
    proposalAttestationCount: (id) => proposalAttestationCountIn(this.registry, id),
    attestationAt: (id, position) => attestationAtIn(this.registry, id, position),
    proposalIds: () => {
      const table = this.registry.tables.proposals;
      return table.keys(0, table.len()).map((key) => u64FromKey(key));
    },
  };

  /** Install and upgrade: certify what is there now; data from before the log gets leaves. */
  start(): void {
    this.state.startBackfill(this.source);
    // New code may render the API differently: every certified answer is rendered again.
    this.http.renderAllLater();
    if (!this.state.hasWork()) this.certify(START_BUDGET);
    else certifiedDataSet(this.state.tree.rootHash());
  }

  /** Whether `certify` has work left (notes, backfill, renders). */
  hasWork(): boolean {
    return this.state.hasWork() || this.http.hasWork();
  }

  /** Logs what was noted and certifies the new state; true when work remains. */
  certify(budget = CERTIFY_BUDGET): boolean {
    const more = () => performanceCounter(0) < budget;
    const root = this.state.certify(this.source, more, (changes) =>
      this.http.update(changes, more),
    );
    certifiedDataSet(root);
    return this.hasWork();
  }

  /** `http_request`: certified answers where rendered in advance, the rest live (see http.ts). */
  serveHttp(request: { method: string; url: string }): Uint8Array {
    return this.http.serve({
      request,
      certificate: dataCertificate(),
      live: () => {
        const r = handleHttp(
          this.registry,
          // The API reads neither request headers nor a body.
          {
            method: request.method,
            url: request.url,
            headers: [],
            body: new Uint8Array(),
            certificate_version: [],
          },
          canisterCycleBalance(),
          canisterSelf().toText(),
        );
        return { statusCode: r.status_code, headers: r.headers, body: r.body };
      },
    });
  }

  // ---------------------------------------------------------------- certified reads

  private certificate(): [] | [Uint8Array] {
    const certificate = dataCertificate();
    return certificate === undefined ? [] : [certificate];
  }

  private witness(paths: Label[][]): Uint8Array {
    return encodeHashTree(this.state.witness(pathRequestOf([...paths, COUNT_PATH])));
  }

  /**
   * The certified head with its certificate and witness; `withNote` adds the tlog-checkpoint
   * text (base64 of the certificate: a few M instructions, so proofs leave it out).
   */
  checkpoint(
    withNote = true,
    head: { size: number; root: Uint8Array } = this.state.certifiedHead(),
  ): C.Checkpoint {
    const { size, root } = head;
    const self = canisterSelf();
    const origin = originOf(self.toText());
    const certificate = this.certificate();
    const witness = this.witness([LOG_PATH]);
    const note =
      certificate.length === 0 || !withNote
        ? []
        : [
            signedCheckpointBytes({
              origin,
              size,
              root,
              certificate: certificate[0],
              witness,
              keyId: keyId({ origin, canisterId: self.toUint8Array() }),
            }),
          ];
    return {
      origin,
      size: BigInt(size),
      root,
      certificate,
      witness,
      note: note as [] | [Uint8Array],
    };
  }

  inclusionProof(request: C.InclusionProofRequest): Result<C.InclusionProof> {
    const index = this.state.log.indexOf(u64Label(request.attestation_id));
    const head = this.state.certifiedHead();
    if (index === undefined || index >= head.size) {
      return candidError({
        code: ErrorCode.ATTESTATION_NOT_FOUND,
        message: `attestation ${request.attestation_id} is not in the certified log (yet)`,
      });
    }
    const treeSize = Number(request.tree_size[0] ?? BigInt(head.size));
    return this.refusingLogErrors(() => ({
      attestation_id: request.attestation_id,
      leaf_index: BigInt(index),
      tree_size: BigInt(treeSize),
      leaf: this.state.log.leaf(index)!,
      proof: this.certifiedOnly(head, treeSize, () =>
        this.state.log.inclusionProof(index, treeSize),
      ),
      checkpoint: this.checkpoint(false, head),
    }));
  }

  consistencyProof(request: C.ConsistencyProofRequest): Result<C.ConsistencyProof> {
    const head = this.state.certifiedHead();
    const newSize = Number(request.new_size[0] ?? BigInt(head.size));
    const oldSize = Number(request.old_size);
    return this.refusingLogErrors(() => ({
      old_size: BigInt(oldSize),
      new_size: BigInt(newSize),
      proof: this.certifiedOnly(head, newSize, () =>
        this.state.log.consistencyProof(oldSize, newSize),
      ),
      checkpoint: this.checkpoint(false, head),
    }));
  }

  certifiedSummary(proposalId: bigint): Result<C.CertifiedSummary> {
    const summary = this.state.certifiedSummary(proposalId);
    if (summary === undefined) {
      return candidError({
        code: ErrorCode.PROPOSAL_NOT_FOUND,
        message: `proposal ${proposalId} has no certified summary (unknown, unconfirmed or rejected)`,
      });
    }
    return {
      Ok: {
        proposal_id: proposalId,
        summary,
        certificate: this.certificate(),
        witness: this.witness([LOG_PATH, [LABELS.proposal, u64Label(proposalId)]]),
      },
    };
  }

  certifiedAttestation(attestationId: bigint): Result<C.CertifiedAttestation> {
    const record = this.source.attestation(attestationId);
    const envelope = this.source.envelope(attestationId);
    const digest = this.state.envelopeDigest(attestationId);
    if (record === undefined || envelope === undefined || digest === undefined) {
      return candidError({
        code: ErrorCode.ATTESTATION_NOT_FOUND,
        message: `attestation ${attestationId} is not certified (yet)`,
      });
    }
    return {
      Ok: {
        attestation_id: attestationId,
        certified_record: attestationRecordBytes({
          id: record.id,
          proposal: record.proposalId,
          builder: record.builder,
          envelope_sha256: bytesToHex(digest),
          submitted_at: record.submittedAt,
          supersedes: record.supersedes,
          superseded_by: record.supersededBy,
          hidden: record.hidden,
        }),
        envelope,
        certificate: this.certificate(),
        witness: this.witness([LOG_PATH, [LABELS.attestation, u64Label(attestationId)]]),
      },
    };
  }

  /** Proofs are given for certified sizes only: a reader checks them against a certified root. */
  private certifiedOnly<T>(head: { size: number }, size: number, run: () => T): T {
    if (size > head.size) {
      throw new LogError(
        'TREE_SIZE_OUT_OF_RANGE',
        `the certified log has fewer than ${size} leaves`,
      );
    }
    return run();
  }

  private refusingLogErrors<T>(run: () => T): Result<T> {
    try {
      return { Ok: run() };
    } catch (e) {
      if (e instanceof LogError) return { Err: { code: e.code, message: e.message } };
      throw e;
    }
  }
}
