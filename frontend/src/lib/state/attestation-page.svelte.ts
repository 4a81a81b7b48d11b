/**
 * One attestation on its own page (its permalink): the record, its envelope, and its
 * verification in the browser.
 */
import { asApiError, isNotFound, type ApiError } from '../api/errors';
import type { RegistryApi } from '../api/registry.api';
import type { Attestation } from '../model/types';
import { jobOf, type Verifier } from '../services/verification.service';
import type { VerificationOutcome } from '../verification/verify';

export type PageStatus = 'loading' | 'ready' | 'not_found' | 'error';

export class AttestationPageState {
  attestation = $state.raw<Attestation | null>(null);
  status = $state<PageStatus>('loading');
  error = $state.raw<ApiError | null>(null);
  /** Absent while the browser is still verifying. */
  outcome = $state.raw<VerificationOutcome | undefined>(undefined);

  constructor(
    private readonly args: { api: RegistryApi; verifier: Verifier; attestationId: bigint },
  ) {}

  async load(): Promise<void> {
    this.status = 'loading';
    this.error = null;
    this.outcome = undefined;
    let attestation: Attestation;
    try {
      attestation = await this.args.api.getAttestation(this.args.attestationId);
    } catch (e) {
      this.error = asApiError(e);
      this.status = isNotFound(e) ? 'not_found' : 'error';
      return;
    }
    this.attestation = attestation;
    this.status = 'ready';
    await this.args.verifier.verify([jobOf(attestation)], (results) => {
      this.outcome = results[0]?.outcome;
    });
  }
}
