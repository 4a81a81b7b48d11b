/**
 * The footer's checkpoint: the registry's transparency log head (size, root, certified time),
 * verified in this browser, and whether it is consistent with the checkpoint this browser saw
 * last (kept in localStorage per registry canister). A consistency proof from the saved size to
 * today's is checked with packages/transparency-log's verifier; a log that is not an extension
 * of the saved one means the registry rewrote history — shown in red, at the top too. The saved
 * checkpoint moves forward only when the new one is proven consistent with it.
 */
import type { CertifiedApi, VerifiedCheckpoint } from '../api/certified.api';
import { asApiError, type ApiError } from '../api/errors';

export type CheckpointStatus =
  | 'loading'
  /** Nothing saved in this browser yet: saved now. */
  | 'first_seen'
  | 'consistent'
  | 'inconsistent'
  /** The checkpoint or the proof's certificate failed verification. */
  | 'failed'
  /** No answer (network). */
  | 'error';

export interface SavedCheckpoint {
  size: number;
  rootHex: string;
  certifiedAt: number;
}

export class LogCheckpoint {
  status = $state<CheckpointStatus>('loading');
  head = $state.raw<VerifiedCheckpoint | null>(null);
  /** The checkpoint this browser saw last (before this visit's check). */
  saved = $state.raw<SavedCheckpoint | null>(null);
  /** Why it is inconsistent or failed (code: message). */
  problem = $state<string | null>(null);
  error = $state.raw<ApiError | null>(null);

  constructor(
    private readonly api: CertifiedApi,
    private readonly storage: Storage | null,
    private readonly canisterId: string,
  ) {}

  get storageKey(): string {
    return `repro-registry:checkpoint:${this.canisterId}`;
  }

  async load(): Promise<void> {
    this.status = 'loading';
    this.problem = null;
    this.error = null;
    const saved = this.read();
    this.saved = saved;
    try {
      if (saved === null || saved.size === 0) {
        // The empty log is a prefix of every log: nothing to prove.
        this.head = await this.api.checkpoint();
        this.status = saved === null ? 'first_seen' : 'consistent';
        this.write(this.head);
        return;
      }
      const outcome = await this.api.consistency(saved);
      this.head = outcome.head;
      if (outcome.status === 'consistent') {
        this.status = 'consistent';
        this.write(outcome.head);
      } else {
        this.status = 'inconsistent';
        this.problem = `${outcome.code}: ${outcome.message}`;
      }
    } catch (e) {
      const error = asApiError(e);
      this.error = error;
      this.status = error.kind === 'verification_failed' ? 'failed' : 'error';
      this.problem = error.message;
    }
  }

  private read(): SavedCheckpoint | null {
    try {
      const text = this.storage?.getItem(this.storageKey);
      if (text === null || text === undefined) return null;
      const value = JSON.parse(text) as Partial<SavedCheckpoint>;
      if (
        typeof value.size !== 'number' ||
        !Number.isSafeInteger(value.size) ||
        value.size < 0 ||
        typeof value.rootHex !== 'string' ||
        !/^[0-9a-f]{64}$/.test(value.rootHex)
      )
        return null;
      return { size: value.size, rootHex: value.rootHex, certifiedAt: value.certifiedAt ?? 0 };
    } catch {
      return null;
    }
  }

  private write(head: VerifiedCheckpoint): void {
    try {
      this.storage?.setItem(this.storageKey, JSON.stringify(head));
    } catch {
      // Storage full or blocked: the next visit says "first seen" again.
    }
  }
}
