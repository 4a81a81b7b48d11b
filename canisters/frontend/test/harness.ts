/**
 * Runs the real frontend wasm in the in-process IC host and reads it as an HTTP gateway does:
 * `http_request` as a query with a data certificate over the canister's certified data (signed
 * by a BLS root key, as a replica signs its state), then DFINITY's response verification.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { IcHost, type CallResult, type ExecutionRecord } from '@repro-registry/ic-host';

import { PROJECT_ROOT } from '@repro-registry/deploy';
import {
  certificateFor,
  RootKey,
  verifyResponse,
} from '../../../packages/certification/test/certificate';
import { encodeInitArgs, HttpRequest, HttpResponse, type InitArgs } from '../src/candid';

export const CONTROLLER = Principal.fromText('rwlgt-iiaaa-aaaaa-aaaaa-cai');
export const REGISTRY = Principal.fromText('bd3sg-teaaa-aaaaa-qaaba-cai');

export async function frontendWasm(): Promise<Uint8Array> {
  return new Uint8Array(await readFile(join(PROJECT_ROOT, '.azle', 'frontend', 'frontend.wasm')));
}

export interface GatewayResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  header(name: string): string | undefined;
  /** Instructions of the query (instrumented host only). */
  instructions: bigint | undefined;
}

export class FrontendUnderTest {
  readonly rootKey = RootKey.generate();

  constructor(
    readonly host: IcHost,
    readonly canisterId: Principal,
    /** Every Wasm run (entry point, instructions when instrumented). */
    readonly executions: ExecutionRecord[],
  ) {}

  static async start(
    options: { instrumented?: boolean; init?: InitArgs | null } = {},
  ): Promise<FrontendUnderTest> {
    const executions: ExecutionRecord[] = [];
    const host = await IcHost.create({
      instrumented: options.instrumented ?? false,
      log: () => {},
      onExecution: (r) => executions.push(r),
    });
    const canisterId = await host.createCanister({ controllers: [CONTROLLER] });
    await host.installCode({
      canisterId,
      wasm: await frontendWasm(),
      arg: encodeInitArgs(
        options.init === undefined
          ? { registry_canister_id: REGISTRY, network: 'ic' }
          : options.init,
      ),
      mode: 'install',
      sender: CONTROLLER,
    });
    return new FrontendUnderTest(host, canisterId, executions);
  }

  async install(init: InitArgs | null, mode: 'upgrade' | 'reinstall' = 'upgrade'): Promise<void> {
    await this.host.installCode({
      canisterId: this.canisterId,
      wasm: await frontendWasm(),
      arg: encodeInitArgs(init),
      mode,
      sender: CONTROLLER,
    });
  }

  /** A gateway's query: `http_request` with a certificate for the current certified data. */
  async get(
    url: string,
    headers: [string, string][] = [],
    method = 'GET',
  ): Promise<GatewayResponse> {
    const certifiedData = this.host.canister(this.canisterId)!.certifiedData;
    const result: CallResult = await this.host.query({
      canisterId: this.canisterId,
      method: 'http_request',
      arg: new Uint8Array(
        IDL.encode(
          [HttpRequest],
          [{ method, url, headers, body: new Uint8Array(0), certificate_version: [2] }],
        ),
      ),
      sender: Principal.anonymous(),
      dataCertificate: certificateFor({
        rootKey: this.rootKey,
        canisterId: this.canisterId,
        certifiedData,
        timeNs: BigInt(Date.now()) * 1_000_000n,
      }),
    });
    if (result.status !== 'replied') throw new Error(`http_request: ${result.rejectMessage}`);
    const [r] = IDL.decode([HttpResponse], result.reply.slice()) as unknown as [
      { status_code: number; headers: [string, string][]; body: Uint8Array | number[] },
    ];
    const response = {
      status: r.status_code,
      headers: r.headers,
      body: Uint8Array.from(r.body),
      instructions: result.instructions,
    };
    return {
      ...response,
      header: (name) => r.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1],
    };
  }

  /** DFINITY's verification of a response to `GET url` (throws when it fails). */
  verify(url: string, response: GatewayResponse, headers: [string, string][] = []) {
    return verifyResponse({
      request: { method: 'GET', url, headers },
      response: { statusCode: response.status, headers: response.headers, body: response.body },
      canisterId: this.canisterId,
      rootKey: this.rootKey,
      nowNs: BigInt(Date.now()) * 1_000_000n,
    });
  }
}
