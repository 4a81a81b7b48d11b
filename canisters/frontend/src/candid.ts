/**
 * The frontend canister's Candid interface: its init argument and the HTTP gateway interface
 * (the subset it implements: no streaming, no upgrade to update calls).
 */
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';

/**
 * What the page needs to know: which registry to read, on which network, and (local networks
 * only) that network's root key, so the page need not fetch it before its first request.
 */
export const InitArgs = IDL.Record({
  registry_canister_id: IDL.Principal,
  network: IDL.Text,
  root_key: IDL.Opt(IDL.Vec(IDL.Nat8)),
});
export type InitArgs = {
  registry_canister_id: Principal;
  network: string;
  root_key?: [] | [Uint8Array];
};

/** The argument of install and upgrade; an upgrade without it keeps the configuration. */
export function encodeInitArgs(args: InitArgs | null): Uint8Array {
  const given = args === null ? [] : [{ ...args, root_key: args.root_key ?? [] }];
  return new Uint8Array(IDL.encode([IDL.Opt(InitArgs)], [given]));
}

export const HeaderField = IDL.Tuple(IDL.Text, IDL.Text);
export const HttpRequest = IDL.Record({
  method: IDL.Text,
  url: IDL.Text,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
  certificate_version: IDL.Opt(IDL.Nat16),
});
export type HttpRequest = {
  method: string;
  url: string;
  headers: [string, string][];
  body: Uint8Array;
  certificate_version: [] | [number];
};
export const HttpResponse = IDL.Record({
  status_code: IDL.Nat16,
  headers: IDL.Vec(HeaderField),
  body: IDL.Vec(IDL.Nat8),
  upgrade: IDL.Opt(IDL.Bool),
});
export type HttpResponse = {
  status_code: number;
  headers: [string, string][];
  body: Uint8Array;
  upgrade: [] | [boolean];
};
