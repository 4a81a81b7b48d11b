/** The probe canister's `put` (a StableBTreeMap insert), the benchmark clients' default call. */
import { Actor } from '@dfinity/agent';
import type { IDL } from '@dfinity/candid';

import type { ClientCall } from './harness';

const idl: IDL.InterfaceFactory = ({ IDL }) =>
  IDL.Service({ put: IDL.Func([IDL.Text, IDL.Text], [IDL.Nat64], []) });

export const makeCall: ClientCall = ({ actorOptions, client }) => {
  const probe = Actor.createActor<{ put(k: string, v: string): Promise<bigint> }>(
    idl,
    actorOptions,
  );
  return (n) => probe.put(`${client}-${n}`, 'x'.repeat(64));
};
