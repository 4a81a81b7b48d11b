import { IDL } from '@dfinity/candid';

/**
 * Stable codes of why a proposal does not decode as one of the families read here. The same
 * constants in the canister, the CLI and tests; messages may change, codes do not.
 */
export const ProposalsErrorCode = {
  /** The proposal does not elect an IC-OS version (another NNS function or action). */
  NOT_ICOS_ELECTION: 'NOT_ICOS_ELECTION',
  /** The proposal installs no canister module (not InstallCode, nor an old upgrade function). */
  NOT_CANISTER_INSTALL: 'NOT_CANISTER_INSTALL',
  /** The proposal publishes no SNS canister module (not AddSnsWasm). */
  NOT_SNS_WASM: 'NOT_SNS_WASM',
  /**
   * The payload is empty: `list_proposals` leaves out ExecuteNnsFunction payloads over 1,000
   * bytes. Read the proposal with `get_proposal_info`, which carries the whole payload.
   */
  PAYLOAD_OMITTED: 'PAYLOAD_OMITTED',
  /** It is a proposal of the family, but its payload is not valid Candid of the payload type. */
  PAYLOAD_UNDECODABLE: 'PAYLOAD_UNDECODABLE',
  /**
   * It decodes, but a field no such proposal can lack is missing or impossible (no target
   * canister, a hash that is not 32 bytes, no module).
   */
  FIELD_INVALID: 'FIELD_INVALID',
} as const;

export type ProposalsErrorCode = (typeof ProposalsErrorCode)[keyof typeof ProposalsErrorCode];

/** What every decoder here returns: the family's value, or why not. Decoders never throw. */
export type DecodeResult<T> =
  { ok: true; value: T } | { ok: false; code: ProposalsErrorCode; message: string };

export function failure<T>(code: ProposalsErrorCode, message: string): DecodeResult<T> {
  return { ok: false, code, message };
}

export function optional<T>(value: [] | [T]): T | null {
  return value.length === 0 ? null : value[0];
}

/** Decodes one Candid argument of `type`; throws on bytes that are not exactly that. */
export function decodeOne<T>(type: IDL.Type, payload: Uint8Array): T {
  // A fresh array: @dfinity/candid misreads views into shared buffers (e.g. Node's Buffer pool).
  const decoded = IDL.decode([type], Uint8Array.from(payload));
  return decoded[0] as T;
}

/** The first line of an error's message (Candid errors carry long dumps after it). */
export function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/**
 * Runs a payload decoder: an empty payload was left out by a listing, bytes that do not decode
 * are `PAYLOAD_UNDECODABLE` with the Candid reason.
 */
export function decodePayload<T>(args: {
  payload: Uint8Array;
  what: string;
  decode: () => DecodeResult<T>;
}): DecodeResult<T> {
  if (!(args.payload instanceof Uint8Array))
    return failure(ProposalsErrorCode.PAYLOAD_UNDECODABLE, 'the payload must be bytes');
  if (args.payload.length === 0)
    return failure(
      ProposalsErrorCode.PAYLOAD_OMITTED,
      `the payload of ${args.what} is empty: governance's list_proposals leaves out payloads over 1,000 bytes; read the proposal with get_proposal_info`,
    );
  try {
    return args.decode();
  } catch (error) {
    return failure(
      ProposalsErrorCode.PAYLOAD_UNDECODABLE,
      `the payload of ${args.what} is not valid Candid of its payload type: ${reasonOf(error)}`,
    );
  }
}
