/**
 * Reject codes, the replica's error codes and its reject-message wording, so clients that
 * match on them behave as against a replica.
 */

export const RejectCode = {
  SysFatal: 1,
  SysTransient: 2,
  DestinationInvalid: 3,
  CanisterReject: 4,
  CanisterError: 5,
  SysUnknown: 6,
} as const;
export type RejectCode = (typeof RejectCode)[keyof typeof RejectCode];

/** The replica's user-facing error codes (`IC` + reject code digit + two digits). */
export const ErrorCode = {
  SubnetOversubscribed: 'IC0101',
  CanisterIdAlreadyExists: 'IC0205',
  CanisterNotFound: 'IC0301',
  CanisterSnapshotNotFound: 'IC0305',
  InsufficientCyclesForCreateCanister: 'IC0403',
  CanisterRejectedMessage: 'IC0406',
  UnknownManagementMessage: 'IC0407',
  InvalidManagementPayload: 'IC0408',
  CanisterTrapped: 'IC0502',
  CanisterCalledTrap: 'IC0503',
  CanisterContractViolation: 'IC0504',
  CanisterInvalidWasm: 'IC0505',
  CanisterDidNotReply: 'IC0506',
  CanisterOutOfMemory: 'IC0507',
  CanisterStopped: 'IC0508',
  CanisterStopping: 'IC0509',
  CanisterNotStopped: 'IC0510',
  CanisterInvalidController: 'IC0512',
  CanisterFunctionNotFound: 'IC0513',
  QueryCallGraphLoopDetected: 'IC0517',
  CanisterNonEmpty: 'IC0514',
  InsufficientCyclesInCall: 'IC0520',
  CanisterInstructionLimitExceeded: 'IC0522',
  QueryCallGraphTooDeep: 'IC0525',
  CompositeQueryCalledInReplicatedMode: 'IC0527',
  CanisterMethodNotFound: 'IC0536',
  CanisterWasmModuleNotFound: 'IC0537',
  CanisterAlreadyInstalled: 'IC0538',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The reject code a replica derives from an error code: its first digit. */
export function rejectCodeOf(errorCode: string): RejectCode {
  return Number(errorCode.charAt(3)) as RejectCode;
}

const DOCS = 'https://internetcomputer.org/docs/current/references/execution-errors';

/** A rejection produced by the system (not by the canister's own `msg_reject`). */
export interface SystemReject {
  rejectCode: RejectCode;
  rejectMessage: string;
  errorCode: string;
}

function reject(errorCode: string, rejectMessage: string): SystemReject {
  return { rejectCode: rejectCodeOf(errorCode), rejectMessage, errorCode };
}

/** "Error from Canister <id>: <what>.\n<suggestion> See documentation: <link>" */
function fromCanister(args: {
  canisterId: string;
  errorCode: string;
  what: string;
  suggestion?: string;
  anchor?: string;
}): SystemReject {
  const { canisterId, errorCode, what, suggestion, anchor } = args;
  const help =
    suggestion !== undefined && anchor !== undefined
      ? `.\n${suggestion} See documentation: ${DOCS}#${anchor}`
      : '';
  return reject(errorCode, `Error from Canister ${canisterId}: ${what}${help}`);
}

const TRAP_SUGGESTION =
  'Consider gracefully handling failures from this canister or altering the canister to handle exceptions.';

export const rejects = {
  /** A rejection by the management canister of a request it understood (`IC0406`). */
  canisterReject: (message: string) => reject(ErrorCode.CanisterRejectedMessage, message),
  /** Any other system rejection, its reject code derived from the error code. */
  withCode: (errorCode: string, message: string) => reject(errorCode, message),
  calledTrap: (canisterId: string, message: string) =>
    fromCanister({
      canisterId,
      errorCode: ErrorCode.CanisterCalledTrap,
      what: `Canister called \`ic0.trap\` with message: '${message}'`,
      suggestion: TRAP_SUGGESTION,
      anchor: 'trapped-explicitly',
    }),
  trapped: (canisterId: string, trapCode: string) =>
    fromCanister({
      canisterId,
      errorCode: ErrorCode.CanisterTrapped,
      what: `Canister trapped: ${trapCode}`,
      suggestion: TRAP_SUGGESTION,
      anchor: 'trapped',
    }),
  contractViolation: (canisterId: string, error: string) =>
    fromCanister({
      canisterId,
      errorCode: ErrorCode.CanisterContractViolation,
      what: `Canister violated contract: ${error}`,
    }),
  instructionLimit: (canisterId: string, limit: bigint) =>
    fromCanister({
      canisterId,
      errorCode: ErrorCode.CanisterInstructionLimitExceeded,
      what: `Canister exceeded the limit of ${limit} instructions for single message execution`,
      suggestion:
        'Try optimizing this method to consume fewer instructions or split the work across multiple messages.',
      anchor: 'instruction-limit-exceeded',
    }),
  methodNotFound: (canisterId: string, kind: 'update' | 'query' | 'system', method: string) =>
    fromCanister({
      canisterId,
      errorCode: ErrorCode.CanisterMethodNotFound,
      what: `Canister has no ${kind} method '${method}'.`,
      suggestion: 'Check that the method being called is exported by the target canister.',
      anchor: 'method-not-found',
    }),
  wasmModuleNotFound: (canisterId: string) =>
    fromCanister({
      canisterId,
      errorCode: ErrorCode.CanisterWasmModuleNotFound,
      what: 'Attempted to execute a message, but the canister contains no Wasm module',
      suggestion: 'Please install code to this canister before calling it.',
      anchor: 'wasm-module-not-found',
    }),
  messageRejected: (canisterId: string) =>
    fromCanister({
      canisterId,
      errorCode: ErrorCode.CanisterRejectedMessage,
      what: 'Canister rejected the message',
    }),
  didNotReply: (canisterId: string) =>
    reject(ErrorCode.CanisterDidNotReply, `Canister ${canisterId} did not reply to the call`),
  invalidWasm: (canisterId: string, error: string) =>
    fromCanister({
      canisterId,
      errorCode: ErrorCode.CanisterInvalidWasm,
      what: `Canister's Wasm module is not valid: ${error}`,
    }),
  canisterNotFound: (canisterId: string) =>
    reject(ErrorCode.CanisterNotFound, `Canister ${canisterId} not found`),
  canisterStopped: (canisterId: string) =>
    reject(ErrorCode.CanisterStopped, `Canister ${canisterId} is stopped`),
  canisterStopping: (canisterId: string) =>
    reject(ErrorCode.CanisterStopping, `Canister ${canisterId} is stopping`),
  notController: (args: {
    canisterId: string;
    method: string;
    sender: string;
    controllers: string[];
  }) =>
    reject(
      ErrorCode.CanisterInvalidController,
      `Only controllers of canister ${args.canisterId} can call ic00 method ${args.method}. ` +
        `Canister's controllers: ${args.controllers.join(' ')}. Sender's ID: ${args.sender}`,
    ),
  queryLoop: (canisterId: string) =>
    reject(
      ErrorCode.QueryCallGraphLoopDetected,
      `Loop detected: canister ${canisterId} is already in the query call graph`,
    ),
  queryTooDeep: (depth: number) =>
    reject(
      ErrorCode.QueryCallGraphTooDeep,
      `Composite query call graph exceeds the maximum depth of ${depth}`,
    ),
  compositeInReplicatedMode: (canisterId: string, method: string) =>
    fromCanister({
      canisterId,
      errorCode: ErrorCode.CompositeQueryCalledInReplicatedMode,
      what: `Composite query method '${method}' cannot be called in replicated mode`,
    }),
  payloadTooLarge: (args: { size: number; limit: number }) =>
    reject(
      ErrorCode.CanisterContractViolation,
      `Request payload of ${args.size} bytes exceeds the maximum of ${args.limit} bytes`,
    ),
} satisfies Record<string, (...args: never[]) => SystemReject>;

/**
 * Thrown by System API functions (and by the host when it aborts a message): unwinds the Wasm
 * stack; the execution is then rolled back and reported as `reject`.
 */
export class CanisterTrap extends Error {
  override name = 'CanisterTrap';
  constructor(readonly reject: SystemReject) {
    super(reject.rejectMessage);
  }
}

/** A call answered with a rejection, thrown by the convenience methods. */
export class IcRejectError extends Error {
  override name = 'IcRejectError';
  readonly rejectCode: RejectCode;
  readonly errorCode: string;
  readonly rejectMessage: string;
  constructor(r: SystemReject) {
    super(`${r.errorCode}: ${r.rejectMessage}`);
    this.rejectCode = r.rejectCode;
    this.errorCode = r.errorCode;
    this.rejectMessage = r.rejectMessage;
  }
}

/** Host misuse or an invalid module; `code` is stable. */
export class IcHostError extends Error {
  override name = 'IcHostError';
  constructor(
    readonly code:
      | 'UNSUPPORTED_IMPORT'
      | 'INVALID_WASM'
      | 'INVALID_ARGUMENT'
      | 'STORE_COMMIT_FAILED'
      | 'RESTORE_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
