/**
 * The registry's methods by name, typed from the generated service: what a method takes and
 * answers in TypeScript (`MethodArgs`, `MethodReply`) and in Candid (`methodType`). The canister
 * declares its methods through these, so it exports exactly the contract's interface.
 */
import type { IDL } from '@dfinity/candid';

import { idlService, type _SERVICE } from './declarations/registry.did';

export type MethodName = keyof _SERVICE;
export type MethodArgs<M extends MethodName> = Parameters<_SERVICE[M]>;
export type MethodReply<M extends MethodName> = Awaited<ReturnType<_SERVICE[M]>>;

const functions = new Map<string, IDL.FuncClass>(idlService._fields);

/** The Candid signature of a registry method, as `registry.did` declares it. */
export function methodType(name: MethodName): IDL.FuncClass {
  const func = functions.get(name);
  if (func === undefined) throw new Error(`registry.did has no method ${name}`);
  return func;
}

/** Every method the contract declares. */
export function methodNames(): MethodName[] {
  return [...functions.keys()] as MethodName[];
}
