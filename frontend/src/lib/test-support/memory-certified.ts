/**
 * The certified reads of `MemoryRegistry`: a real transparency log (packages/transparency-log,
 * one leaf per attestation added) whose consistency proofs are checked with the log package's
 * verifier, and summaries that stand for verified ones. Certificates themselves (BLS under the
 * IC root key) are checked only against the real network: the integration and browser tests.
 */
import { bytesToHex, hexToBytes, utf8Encode } from '@repro-registry/attestation';
import { MemoryNodeStore } from '@repro-registry/certification';
import { TransparencyLog, verifyConsistency } from '@repro-registry/transparency-log';

import type { CertifiedApi, CertifiedSummary, VerifiedCheckpoint } from '../api/certified.api';
import type * as M from '../model/types';

export class MemoryCertified implements CertifiedApi {
  log = new TransparencyLog(new MemoryNodeStore());
  /** When set, every certified reply fails its check with this code (a lying node). */
  failing: string | null = null;

  constructor(
    private readonly summaryOf: (id: bigint, trustList?: bigint) => M.ProposalSummary | null,
    private readonly check: (call: string) => void,
    /** The proposals the registry confirmed (certified, as the real registry's tree does). */
    private readonly proposalCount: () => number = () => 0,
  ) {}

  append(event: string): void {
    this.log.append({ leaf: utf8Encode(event) });
  }

  /** A registry that rewrote history: the same number of entries, different ones. */
  rewrite(): void {
    const size = this.log.current().size;
    this.log = new TransparencyLog(new MemoryNodeStore());
    for (let i = 0; i < size; i++) this.append(`rewritten ${i}`);
  }

  private head(): VerifiedCheckpoint {
    const { size, root } = this.log.current();
    return {
      size,
      rootHex: bytesToHex(root),
      certifiedAt: Date.now(),
      proposalCount: this.proposalCount(),
    };
  }

  async summaries(ids: readonly bigint[]): Promise<Map<bigint, CertifiedSummary>> {
    this.check('certifiedSummaries');
    return this.answer(ids);
  }

  async scopedSummaries(
    trustList: bigint,
    ids: readonly bigint[],
  ): Promise<Map<bigint, CertifiedSummary>> {
    this.check('scopedSummaries');
    return this.answer(ids, trustList);
  }

  private answer(ids: readonly bigint[], trustList?: bigint): Map<bigint, CertifiedSummary> {
    return new Map(
      ids.map((id): [bigint, CertifiedSummary] => {
        if (this.failing !== null)
          return [id, { status: 'failed', code: this.failing, message: 'the node lied' }];
        const summary = this.summaryOf(id, trustList);
        return [id, summary === null ? { status: 'absent' } : { status: 'verified', summary }];
      }),
    );
  }

  async checkpoint(): Promise<VerifiedCheckpoint> {
    this.check('checkpoint');
    return this.head();
  }

  async consistency(saved: { size: number; rootHex: string }) {
    this.check('consistency');
    const head = this.head();
    if (saved.size > head.size) {
      const message = `the log has fewer entries than the ${saved.size} this browser saw`;
      return { status: 'inconsistent', code: 'TREE_SIZE_OUT_OF_RANGE', message, head } as const;
    }
    const proven = verifyConsistency({
      oldSize: saved.size,
      newSize: head.size,
      oldRoot: hexToBytes(saved.rootHex),
      newRoot: hexToBytes(head.rootHex),
      proof: this.log.consistencyProof(saved.size, head.size),
    });
    return proven.ok
      ? ({ status: 'consistent', head } as const)
      : ({ status: 'inconsistent', code: proven.code, message: proven.message, head } as const);
  }
}
