import { readFileSync } from 'node:fs';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { expect } from 'vitest';
import { IcHost, type CallResult, type HostOptions, type LogLine } from '../src/index';
import { wasmPathOf } from './global-setup';

export const alice = Principal.selfAuthenticating(new Uint8Array(32).fill(1));
export const bob = Principal.selfAuthenticating(new Uint8Array(32).fill(2));
export const anonymous = Principal.anonymous();

let cached: Uint8Array | undefined;
/** The probe test canister (test/canisters/probe), built by the global setup. */
export function probeWasm(): Uint8Array {
  cached ??= new Uint8Array(readFileSync(wasmPathOf('probe')));
  return cached;
}

export function enc(types: IDL.Type[], values: unknown[]): Uint8Array {
  return new Uint8Array(IDL.encode(types, values));
}

export const NO_ARGS = enc([], []);

/** Asserts a reply and decodes its single value. */
export function replyOf<T>(r: CallResult, type: IDL.Type): T {
  if (r.status !== 'replied')
    throw new Error(`expected a reply, got ${r.errorCode}: ${r.rejectMessage}`);
  return IDL.decode([type], r.reply)[0] as T;
}

export function expectReject(
  r: CallResult,
  errorCode: string,
  rejectCode: number,
): Extract<CallResult, { status: 'rejected' }> {
  expect(r.status).toBe('rejected');
  const rejected = r as Extract<CallResult, { status: 'rejected' }>;
  expect({ errorCode: rejected.errorCode, rejectCode: rejected.rejectCode }).toEqual({
    errorCode,
    rejectCode,
  });
  return rejected;
}

/** A clock the test moves; starts at a fixed date. */
export class TestClock {
  t = 1_750_000_000_000_000_000n;
  readonly now = (): bigint => this.t;
  advanceSeconds(s: number): void {
    this.t += BigInt(s) * 1_000_000_000n;
  }
}

export interface ProbeSetup {
  host: IcHost;
  id: Principal;
  clock: TestClock;
  logs: LogLine[];
}

/** A host with one probe canister installed by alice (greeting "hello"), its timers settled. */
export async function probeHost(opts: HostOptions = {}, greeting = 'hello'): Promise<ProbeSetup> {
  const clock = new TestClock();
  const logs: LogLine[] = [];
  const host = await IcHost.create({
    clock: clock.now,
    log: (l) => logs.push(l),
    random: (n) => new Uint8Array(n).fill(7),
    ...opts,
  });
  const id = await installProbe(host, greeting);
  return { host, id, clock, logs };
}

export async function installProbe(
  host: IcHost,
  greeting = 'hello',
  controller = alice,
): Promise<Principal> {
  const id = await host.createCanister({ controllers: [controller] });
  await host.installCode({
    canisterId: id,
    wasm: probeWasm(),
    arg: enc([IDL.Text], [greeting]),
    mode: 'install',
    sender: controller,
  });
  await host.tick();
  return id;
}

export function call(
  host: IcHost,
  args: {
    id: Principal;
    method: string;
    types?: IDL.Type[];
    values?: unknown[];
    sender?: Principal;
  },
): Promise<CallResult> {
  return host.update({
    canisterId: args.id,
    method: args.method,
    arg: enc(args.types ?? [], args.values ?? []),
    sender: args.sender ?? alice,
  });
}

export function query(
  host: IcHost,
  args: {
    id: Principal;
    method: string;
    types?: IDL.Type[];
    values?: unknown[];
    sender?: Principal;
    dataCertificate?: Uint8Array;
  },
): Promise<CallResult> {
  return host.query({
    canisterId: args.id,
    method: args.method,
    arg: enc(args.types ?? [], args.values ?? []),
    sender: args.sender ?? alice,
    ...(args.dataCertificate ? { dataCertificate: args.dataCertificate } : {}),
  });
}
