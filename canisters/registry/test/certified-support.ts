/**
 * Test support: queries as a reader makes them, with the data certificate a replica attaches
 * (signed by a test BLS root key over the canister's current certified data).
 */
import { IDL } from '@dfinity/candid';
import { IcHost, type ExecutionRecord } from '@repro-registry/ic-host';
import { Principal } from '@dfinity/principal';
import { idlFactory } from '@repro-registry/client';

import { certificateFor, RootKey } from '../../../packages/certification/test/certificate';
import type { RegistryUnderTest } from './harness';

const funcs = new Map(idlFactory({ IDL })._fields);
export const rootKey = RootKey.generate();

/** A query with a data certificate; sets `registry.lastInstructions`. */
export async function certifiedQuery<R>(
  registry: RegistryUnderTest,
  method: string,
  args: unknown[],
): Promise<R> {
  const func = funcs.get(method)!;
  const result = await registry.host.query({
    canisterId: registry.canisterId,
    method,
    arg: new Uint8Array(IDL.encode(func.argTypes, args)),
    sender: Principal.anonymous(),
    dataCertificate: certificateFor({
      rootKey,
      canisterId: registry.canisterId,
      certifiedData: registry.host.canister(registry.canisterId)!.certifiedData,
      timeNs: BigInt(Date.now()) * 1_000_000n,
    }),
  });
  if (result.status !== 'replied') throw new Error(`${method}: ${result.rejectMessage}`);
  registry.lastInstructions = result.instructions;
  return IDL.decode(func.retTypes, result.reply.slice())[0] as R;
}

/** An instrumented host that records every execution (the messages' instruction counts). */
export async function recordingHost(): Promise<{ host: IcHost; executions: ExecutionRecord[] }> {
  const executions: ExecutionRecord[] = [];
  const host = await IcHost.create({
    instrumented: true,
    log: () => {},
    onExecution: (e) => executions.push(e),
  });
  return { host, executions };
}
