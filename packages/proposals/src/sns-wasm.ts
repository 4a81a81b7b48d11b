import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { actionLabel, type ProposalAction } from './action';
import { AddWasmRequestIdl, type AddWasmRequestValue } from './canister-payloads';
import { snsCanisterTypeName, type SnsCanisterTypeName } from './nns-canisters';
import { NnsFunction } from './nns-functions';
import {
  ProposalsErrorCode,
  decodeOne,
  decodePayload,
  failure,
  optional,
  type DecodeResult,
} from './result';

/** An `AddSnsWasm` proposal: an SNS canister module published to SNS-W for every SNS to adopt. */
export interface SnsWasmPublication {
  nnsFunction: typeof NnsFunction.AddSnsWasm;
  canisterType: number;
  canisterTypeName: SnsCanisterTypeName;
  /** The payload's `hash`: what SNS-W files the module under, and what a build must hash to. */
  wasmHashHex: string;
  /** SHA-256 of the module bytes in the payload. */
  wasmSha256Hex: string;
  /**
   * Whether the module hashes to `hash`. SNS-W refuses a module that does not, so a proposal
   * where this is false cannot do what it says: show it, and expect the proposal to fail.
   */
  wasmHashConsistent: boolean;
  wasmBytes: number;
  /** `SnsWasm.proposal_id`, when the proposer set it. */
  proposalIdInPayload: bigint | null;
  skipUpdateLatestVersion: boolean | null;
}

function fromAddWasm(p: AddWasmRequestValue): DecodeResult<SnsWasmPublication> {
  const hash = bytesToHex(Uint8Array.from(p.hash));
  if (hash.length !== 64)
    return failure(
      ProposalsErrorCode.FIELD_INVALID,
      `the AddSnsWasm payload's hash is ${p.hash.length} bytes, not a SHA-256`,
    );
  const wasm = optional(p.wasm);
  if (wasm === null || wasm.wasm.length === 0)
    return failure(ProposalsErrorCode.FIELD_INVALID, 'the AddSnsWasm payload carries no module');
  const computed = bytesToHex(sha256(Uint8Array.from(wasm.wasm)));
  return {
    ok: true,
    value: {
      nnsFunction: NnsFunction.AddSnsWasm,
      canisterType: wasm.canister_type,
      canisterTypeName: snsCanisterTypeName(wasm.canister_type),
      wasmHashHex: hash,
      wasmSha256Hex: computed,
      wasmHashConsistent: computed === hash,
      wasmBytes: wasm.wasm.length,
      proposalIdInPayload: optional(wasm.proposal_id),
      skipUpdateLatestVersion: optional(p.skip_update_latest_version),
    },
  };
}

/** Decodes an `AddSnsWasm` proposal (NnsFunction 30). Never throws. */
export function decodeSnsWasmPublication(action: ProposalAction): DecodeResult<SnsWasmPublication> {
  if (action.type !== 'ExecuteNnsFunction' || action.nnsFunction !== NnsFunction.AddSnsWasm)
    return failure(
      ProposalsErrorCode.NOT_SNS_WASM,
      `${actionLabel(action)} publishes no SNS canister module`,
    );
  return decodePayload({
    payload: action.payload,
    what: 'AddSnsWasm',
    decode: () => fromAddWasm(decodeOne<AddWasmRequestValue>(AddWasmRequestIdl, action.payload)),
  });
}
