import type { FormatErrorCode } from './codes';

/** Why an input was rejected: a stable code, a message for people, the field at fault. */
export interface FormatError {
  code: FormatErrorCode;
  message: string;
  /** Path of the field at fault, e.g. `predicate.artifacts[1].sha256`; absent for the whole input. */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: FormatError };

/** Thrown by the helpers that build or sign (never by `verifyAttestation`). */
export class AttestationError extends Error {
  readonly code: FormatErrorCode;
  readonly field: string | undefined;

  constructor(error: FormatError, options?: { cause?: unknown }) {
    super(error.message, options);
    this.name = 'AttestationError';
    this.code = error.code;
    this.field = error.field;
  }
}

/**
 * Internal control flow of the validators: thrown deep inside, caught at the public boundary
 * and turned into a `Result`. Never escapes the package.
 */
export class Rejection extends Error {
  constructor(readonly error: FormatError) {
    super(error.message);
    this.name = 'Rejection';
  }
}

export function reject(code: FormatErrorCode, message: string, field?: string): never {
  throw new Rejection(field === undefined ? { code, message } : { code, message, field });
}
