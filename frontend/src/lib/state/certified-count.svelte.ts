/**
 * The proposal count the list page shows: the number of confirmed proposals as the registry
 * certifies it (the `proposal_count` label every certified witness reveals, read with the
 * checkpoint and verified in this browser), never the uncertified total of `list_proposals`.
 */
import type { CertifiedApi } from '../api/certified.api';
import { asApiError } from '../api/errors';

export type CountStatus = 'checking' | 'verified' | 'failed' | 'unavailable';

export class CertifiedCount {
  status = $state<CountStatus>('checking');
  value = $state<number | null>(null);
  /** Why it failed verification (code: message). */
  problem = $state<string | null>(null);
  private run = 0;

  constructor(private readonly api: CertifiedApi) {}

  /** Reads and verifies the count again (the list's total moved: a proposal was confirmed). */
  async load(): Promise<void> {
    const run = ++this.run;
    try {
      const head = await this.api.checkpoint();
      if (run !== this.run) return;
      this.value = head.proposalCount ?? null;
      this.status = this.value === null ? 'unavailable' : 'verified';
      this.problem = null;
    } catch (e) {
      if (run !== this.run) return;
      const error = asApiError(e);
      this.value = null;
      this.status = error.kind === 'verification_failed' ? 'failed' : 'unavailable';
      this.problem = error.message;
    }
  }
}
