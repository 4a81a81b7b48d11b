/**
 * Errors the HTTP interface answers with. Each carries a stable code (for tests and logs) and the
 * HTTP status a replica uses for the same condition; the message is the response body.
 */
export const NetworkErrorCode = {
  MalformedRequest: 'malformed_request',
  UnsupportedContentType: 'unsupported_content_type',
  PayloadTooLarge: 'payload_too_large',
  InvalidRequestExpiry: 'invalid_request_expiry',
  InvalidSignature: 'invalid_signature',
  InvalidSender: 'invalid_sender',
  InvalidDelegation: 'invalid_delegation',
  UnsupportedKey: 'unsupported_key',
  CanisterIdMismatch: 'canister_id_mismatch',
  CanisterNotInRange: 'canister_not_in_range',
  InvalidPath: 'invalid_path',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  MethodNotAllowed: 'method_not_allowed',
  Unavailable: 'unavailable',
  Internal: 'internal_error',
} as const;
export type NetworkErrorCode = (typeof NetworkErrorCode)[keyof typeof NetworkErrorCode];

const HTTP_STATUS: Record<NetworkErrorCode, number> = {
  malformed_request: 400,
  unsupported_content_type: 400,
  payload_too_large: 413,
  invalid_request_expiry: 400,
  invalid_signature: 400,
  invalid_sender: 400,
  invalid_delegation: 400,
  unsupported_key: 400,
  canister_id_mismatch: 400,
  canister_not_in_range: 404,
  invalid_path: 404,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  unavailable: 503,
  internal_error: 500,
};

export class NetworkError extends Error {
  readonly httpStatus: number;
  constructor(
    readonly code: NetworkErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NetworkError';
    this.httpStatus = HTTP_STATUS[code];
  }
}

/** Reject codes of the interface specification (one home: `@repro-registry/ic-host`). */
export { RejectCode } from '@repro-registry/ic-host';
