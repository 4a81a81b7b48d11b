/**
 * The network probe canister (test/canisters/network_probe): its Candid interface and a helper
 * that creates and installs one through the management canister.
 */
import { Actor, type ActorSubclass, type HttpAgent } from '@dfinity/agent';
import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import { managementCanister } from '@repro-registry/local-network';
import { readFile } from 'node:fs/promises';
import { installWasm } from '@repro-registry/deploy';
import { localNetwork } from './network-context';

export const probeIdl: IDL.InterfaceFactory = ({ IDL }) =>
  IDL.Service({
    greet: IDL.Func([IDL.Text], [IDL.Text], ['query']),
    whoami: IDL.Func([], [IDL.Principal], ['query']),
    whoamiUpdate: IDL.Func([], [IDL.Principal], []),
    put: IDL.Func([IDL.Text, IDL.Text], [IDL.Nat64], []),
    get: IDL.Func([IDL.Text], [IDL.Opt(IDL.Text)], ['query']),
    count: IDL.Func([], [IDL.Nat64], ['query']),
    fail: IDL.Func([IDL.Text], [IDL.Text], []),
    refuse: IDL.Func([IDL.Text], [IDL.Text], []),
    missing: IDL.Func([], [], []),
    putRemote: IDL.Func([IDL.Principal, IDL.Text, IDL.Text], [IDL.Nat64], []),
    getRemote: IDL.Func([IDL.Principal, IDL.Text], [IDL.Opt(IDL.Text)], []),
    certify: IDL.Func([IDL.Vec(IDL.Nat8)], [IDL.Null], []),
    certificate: IDL.Func([], [IDL.Opt(IDL.Vec(IDL.Nat8))], ['query']),
  });

export interface Probe {
  greet(name: string): Promise<string>;
  whoami(): Promise<Principal>;
  whoamiUpdate(): Promise<Principal>;
  put(key: string, value: string): Promise<bigint>;
  get(key: string): Promise<[] | [string]>;
  count(): Promise<bigint>;
  fail(message: string): Promise<string>;
  refuse(message: string): Promise<string>;
  missing(): Promise<void>;
  putRemote(canister: Principal, key: string, value: string): Promise<bigint>;
  getRemote(canister: Principal, key: string): Promise<[] | [string]>;
  certify(data: Uint8Array): Promise<null>;
  certificate(): Promise<[] | [Uint8Array]>;
}

export function probeActor(agent: HttpAgent, canisterId: Principal | string): ActorSubclass<Probe> {
  return Actor.createActor<Probe>(probeIdl, { agent, canisterId });
}

/** Creates a probe canister controlled by the agent's identity and installs the probe wasm. */
export async function installProbe(agent: HttpAgent): Promise<Principal> {
  const mgmt = managementCanister(agent);
  const { canister_id } = await mgmt.provisional_create_canister_with_cycles({
    amount: [],
    settings: [],
    specified_id: [],
    sender_canister_version: [],
  });
  const wasm = new Uint8Array(await readFile(localNetwork().testWasm.network_probe));
  await installWasm({
    agent,
    canisterId: canister_id,
    wasm,
    arg: new Uint8Array(IDL.encode([], [])),
    mode: { install: null },
  });
  return canister_id;
}
