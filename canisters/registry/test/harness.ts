/**
 * Runs the real compiled registry wasm in the in-process IC host and talks to it through the
 * Candid contract (`registry.did`, via the generated bindings): what these tests call is what
 * the canister exports and what clients rely on.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { IcHost, type CallResult } from '@repro-registry/ic-host';
import { encodeInitArgs, idlFactory, type LimitSettings } from '@repro-registry/client';

import { PROJECT_ROOT } from '@repro-registry/deploy';

const service = idlFactory({ IDL });
const methods = new Map(service._fields);

export const CONTROLLER = Principal.fromText('rwlgt-iiaaa-aaaaa-aaaaa-cai');

export async function registryWasm(): Promise<Uint8Array> {
  return new Uint8Array(await readFile(join(PROJECT_ROOT, '.azle', 'registry', 'registry.wasm')));
}

export interface InitOptions {
  governance?: Principal;
  rateLimit?: { capacity: number; refill_interval_seconds: number };
  proposalRefreshSeconds?: number;
  limits?: LimitSettings;
}

export function initArg(options: InitOptions = {}): Uint8Array {
  return encodeInitArgs({
    governanceCanisterId: options.governance ?? null,
    rateLimit: options.rateLimit
      ? {
          capacity: options.rateLimit.capacity,
          refillIntervalSeconds: options.rateLimit.refill_interval_seconds,
        }
      : null,
    proposalRefreshSeconds: options.proposalRefreshSeconds ?? null,
    limits: options.limits ?? null,
  });
}

export class CallFailed extends Error {
  constructor(readonly result: Extract<CallResult, { status: 'rejected' }>) {
    super(`${result.errorCode} (${result.rejectCode}): ${result.rejectMessage}`);
  }
}

export class RegistryUnderTest {
  lastInstructions: bigint | undefined;

  constructor(
    readonly host: IcHost,
    readonly canisterId: Principal,
  ) {}

  static async start(
    options: InitOptions & {
      instrumented?: boolean;
      host?: IcHost;
      /** The canister's cycle balance (default: the host's provisional amount). */
      cycles?: bigint;
    } = {},
  ): Promise<RegistryUnderTest> {
    const host =
      options.host ??
      (await IcHost.create({ instrumented: options.instrumented ?? false, log: () => {} }));
    const canisterId = await host.createCanister({
      controllers: [CONTROLLER],
      ...(options.cycles === undefined ? {} : { cycles: options.cycles }),
    });
    await host.installCode({
      canisterId,
      wasm: await registryWasm(),
      arg: initArg({ rateLimit: { capacity: 1000, refill_interval_seconds: 1 }, ...options }),
      mode: 'install',
      sender: CONTROLLER,
    });
    return new RegistryUnderTest(host, canisterId);
  }

  private func(method: string): IDL.FuncClass {
    const func = methods.get(method);
    if (func === undefined) throw new Error(`registry.did has no method ${method}`);
    return func;
  }

  /** Candid-encodes `args`, calls like a replica (inspect_message first for updates), decodes. */
  async call<R = unknown>(
    method: string,
    args: unknown[],
    sender: Principal = CONTROLLER,
  ): Promise<R> {
    const func = this.func(method);
    const arg = new Uint8Array(IDL.encode(func.argTypes, args));
    const result = await this.raw(method, arg, sender);
    if (result.status === 'rejected') throw new CallFailed(result);
    return IDL.decode(func.retTypes, result.reply)[0] as R;
  }

  /** Sends raw argument bytes: hostile callers don't have to speak Candid. */
  async raw(method: string, arg: Uint8Array, sender: Principal): Promise<CallResult> {
    const isQuery = this.func(method).annotations.includes('query');
    if (isQuery) {
      const result = await this.host.query({ canisterId: this.canisterId, method, arg, sender });
      this.lastInstructions = result.instructions;
      return result;
    }
    const inspected = await this.host.inspectMessage({
      canisterId: this.canisterId,
      method,
      arg,
      sender,
    });
    if (!inspected.accepted) {
      const { rejectCode, rejectMessage, errorCode } = inspected;
      return { status: 'rejected', rejectCode, rejectMessage, errorCode };
    }
    const result = await this.host.update({ canisterId: this.canisterId, method, arg, sender });
    this.lastInstructions = result.instructions;
    return result;
  }

  /** Runs what the registry's timers left to do (governance reads, counting), like replica rounds. */
  async settle(rounds = 3): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await this.host.tick();
      await this.host.idle();
    }
  }

  async upgrade(options: InitOptions = {}): Promise<void> {
    await this.host.installCode({
      canisterId: this.canisterId,
      wasm: await registryWasm(),
      arg: initArg(options),
      mode: 'upgrade',
      sender: CONTROLLER,
    });
  }

  async http(
    path: string,
    method = 'GET',
  ): Promise<{ status: number; headers: Map<string, string>; body: string }> {
    const response = await this.call<{
      status_code: number;
      headers: [string, string][];
      body: Uint8Array;
    }>(
      'http_request',
      [{ method, url: path, headers: [], body: new Uint8Array(), certificate_version: [] }],
      Principal.anonymous(),
    );
    return {
      status: response.status_code,
      headers: new Map(response.headers.map(([k, v]) => [k.toLowerCase(), v])),
      body: new TextDecoder().decode(response.body),
    };
  }
}

/** Unwraps `variant { Ok; Err }`, failing the test with the error code otherwise. */
export function okOf<T>(result: { Ok: T } | { Err: { code: string; message: string } }): T {
  if ('Err' in result)
    throw new Error(`expected Ok, got ${result.Err.code}: ${result.Err.message}`);
  return result.Ok;
}

export function errOf(
  result: { Ok: unknown } | { Err: { code: string; message: string } },
): string {
  if ('Ok' in result) throw new Error('expected Err, got Ok');
  return result.Err.code;
}
