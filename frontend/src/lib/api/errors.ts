import { isFormatErrorCode } from '@repro-registry/attestation';
import { isErrorCode, type ErrorCode } from '@repro-registry/registry-api';

/**
 * Why a registry call failed, as the pages need to tell it apart:
 * - `unreachable`: no answer (network down, local network not started, wrong host);
 * - `rejected`: the network answered but refused or the canister trapped (wrong canister id,
 *   canister not installed, an inspect_message refusal);
 * - `registry`: the registry answered `Err` with one of its stable codes;
 * - `malformed`: the answer does not fit the contract this page was built against;
 * - `verification_failed`: an answer came but failed its check (a node signature or certificate
 *   that does not verify) — possibly a lying node, never to be read as "unreachable";
 * - `not_configured`: the page does not know which canister to ask.
 */
export type ApiErrorKind =
  'unreachable' | 'rejected' | 'registry' | 'malformed' | 'verification_failed' | 'not_configured';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    /** The registry's error code, when it named one. */
    readonly code: ErrorCode | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static registry(error: { code: string; message: string }): ApiError {
    return new ApiError('registry', error.message, isErrorCode(error.code) ? error.code : null);
  }
}

/** True when the registry said the thing asked for does not exist (an empty state, not a failure). */
export function isNotFound(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.kind === 'registry' &&
    (error.code === 'PROPOSAL_NOT_FOUND' ||
      error.code === 'BUILDER_NOT_FOUND' ||
      error.code === 'ATTESTATION_NOT_FOUND')
  );
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError('unreachable', message, null, { cause: error });
}

/** A headline and advice for people, per kind of failure. */
export function describeApiError(error: ApiError): { title: string; advice: string } {
  switch (error.kind) {
    case 'unreachable':
      return {
        title: 'The registry cannot be reached',
        advice:
          'Check your connection; if you run a local network, check that it is started. Then retry.',
      };
    case 'rejected':
      return {
        title: 'The registry refused the request',
        advice:
          'The canister id may be wrong or the canister may not be installed. Retry, or check the canister id below.',
      };
    case 'registry':
      return { title: registryCodeTitle(error.code), advice: error.message };
    case 'malformed':
      return {
        title: 'The registry answered something this page does not understand',
        advice: 'The page may be older than the registry: reload it.',
      };
    case 'verification_failed':
      return {
        title: "The registry's answer failed verification",
        advice:
          'An answer arrived, but its node signature or certificate does not verify, so this page does not use it. A node may be misbehaving: retry, or try again later.',
      };
    case 'not_configured':
      return {
        title: 'No registry is configured',
        advice:
          'Open the page with ?canisterId=<registry canister id>, or deploy so that the deploy step writes it.',
      };
    default:
      return error.kind satisfies never;
  }
}

/** A headline per code; every code is named (a new one does not compile until it has a title). */
function registryCodeTitle(code: ErrorCode | null): string {
  if (code === null) return 'The registry answered with an error';
  if (code === 'INVALID_ARGUMENT') return 'The registry did not accept the request';
  if (isFormatErrorCode(code)) return 'The registry refused an attestation that breaks the format';
  switch (code) {
    case 'PROPOSAL_NOT_FOUND':
      return 'The registry knows nothing about this proposal yet';
    case 'BUILDER_NOT_FOUND':
      return 'No builder with this principal has submitted an attestation';
    case 'ATTESTATION_NOT_FOUND':
      return 'There is no such attestation';
    case 'RATE_LIMITED':
      return 'Too many requests: wait a moment';
    case 'PROPOSAL_PENDING':
      return 'The registry has not confirmed this proposal on chain yet: nothing is counted';
    case 'PROPOSAL_NOT_ON_CHAIN':
      return 'NNS governance has no such proposal';
    case 'PROPOSAL_NOT_ICOS_ELECTION':
      return 'This proposal elects no IC-OS version: there is nothing to reproduce';
    case 'TRUST_LIST_NOT_FOUND':
      return 'The trust list chosen is gone: choose another or count every builder';
    case 'LOW_CYCLES':
      return 'The registry is low on cycles: it answers reads but takes no updates';
    case 'GOVERNANCE_UNAVAILABLE':
      return 'The registry could not read NNS governance';
    // Refusals of updates: this page only reads, so they reach it only from a newer page.
    case 'ANONYMOUS_CALLER':
    case 'CALLER_NOT_SIGNER':
    case 'NOT_CONTROLLER':
    case 'PROFILE_INVALID':
    case 'HIDE_REASON_INVALID':
    case 'ALREADY_HIDDEN':
    case 'NOT_HIDDEN':
    case 'COMMIT_MISMATCH':
    case 'MESSAGE_TOO_LARGE':
    case 'BUILDER_PENDING_LIMIT':
    case 'PENDING_LIMIT':
    case 'ARTIFACT_NOT_FOR_PROPOSAL':
    case 'BUILD_TIME_IMPLAUSIBLE':
    case 'BUILDER_STORAGE_LIMIT':
    case 'STORAGE_FULL':
    case 'NAME_TAKEN':
    case 'NAME_CONFUSABLE':
    case 'TRUST_LIST_INVALID':
    case 'NOT_LIST_OWNER':
    case 'TRUST_LIST_LIMIT':
    case 'TRUST_LIST_BUSY':
      return 'The registry refused the request';
    default:
      return code satisfies never;
  }
}
