/**
 * Test support: IC certificates over a canister's certified data, signed with a BLS root key by
 * the local network's own signing code (`packages/local-network`), as a replica would sign its
 * state tree, and a check of HTTP responses with DFINITY's response verification (the gateways'
 * check, compiled to wasm).
 */
import { verifyRequestResponsePair } from '@dfinity/response-verification';
import { lebEncode } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

import { encodeCertificate, RootKey } from '../../local-network/src/certification';
import { LabeledMap, Leaf, type HeaderField } from '../src/index';

export { RootKey };

/** A certificate whose tree holds `canister/<id>/certified_data` and `time`. */
export function certificateFor(args: {
  rootKey: RootKey;
  canisterId: Principal;
  certifiedData: Uint8Array;
  timeNs: bigint;
}): Uint8Array {
  const state = new LabeledMap([
    [
      'canister',
      new LabeledMap([
        [
          args.canisterId.toUint8Array(),
          new LabeledMap([['certified_data', new Leaf(args.certifiedData)]]),
        ],
      ]),
    ],
    ['time', new Leaf(new Uint8Array(lebEncode(args.timeNs)))],
  ]);
  return encodeCertificate(state.witness('all'), args.rootKey.signRoot(state.digest()));
}

export interface VerifyArgs {
  request: { method: string; url: string; headers: readonly HeaderField[]; body?: Uint8Array };
  response: { statusCode: number; headers: readonly HeaderField[]; body: Uint8Array };
  canisterId: Principal;
  rootKey: RootKey;
  nowNs: bigint;
}

/** DFINITY's verification of a response (throws its error when it fails); version 2 required. */
export function verifyResponse(args: VerifyArgs): {
  statusCode: number | undefined;
  headers: [string, string][];
  body: Uint8Array;
} | null {
  const info = verifyRequestResponsePair(
    {
      method: args.request.method,
      url: args.request.url,
      headers: args.request.headers.map(([k, v]) => [k, v]),
      body: args.request.body ?? new Uint8Array(0),
      certificate_version: [2],
    },
    {
      status_code: args.response.statusCode,
      headers: args.response.headers.map(([k, v]) => [k, v]),
      body: args.response.body,
    },
    args.canisterId.toUint8Array(),
    args.nowNs,
    5n * 60n * 1_000_000_000n,
    args.rootKey.der,
    2,
  );
  if (info.verificationVersion !== 2) throw new Error(`verified as v${info.verificationVersion}`);
  if (info.response === undefined) return null;
  return {
    statusCode: info.response.statusCode,
    headers: info.response.headers,
    body: info.response.body,
  };
}
