/**
 * The part of `@repro-registry/ic-host`'s `IcHost` the network uses (see that package's
 * README), as a structural type so the HTTP layer states exactly what it depends on.
 */
import type { Principal } from '@dfinity/principal';

export type CallResult =
  | { status: 'replied'; reply: Uint8Array; instructions?: bigint }
  | {
      status: 'rejected';
      rejectCode: number;
      rejectMessage: string;
      errorCode: string;
      instructions?: bigint;
    };

export type InspectResult =
  | { accepted: true; instructions?: bigint }
  | { accepted: false; rejectCode: number; rejectMessage: string; errorCode: string };

export interface CanisterViewLike {
  id: Principal;
  moduleHash?: Uint8Array;
  controllers: Principal[];
  certifiedData: Uint8Array;
  status: 'running' | 'stopping' | 'stopped';
  stableMemoryPages?: bigint;
  wasmMemoryBytes?: number;
}

export interface ExecutionHost {
  query(args: {
    canisterId: Principal;
    method: string;
    arg: Uint8Array;
    sender: Principal;
    dataCertificate?: Uint8Array;
  }): Promise<CallResult>;
  inspectMessage(args: {
    canisterId: Principal;
    method: string;
    arg: Uint8Array;
    sender: Principal;
  }): Promise<InspectResult>;
  update(args: {
    canisterId: Principal;
    method: string;
    arg: Uint8Array;
    sender: Principal;
  }): Promise<CallResult>;
  canister(id: Principal): CanisterViewLike | undefined;
  canisterIds(): Principal[];
  now(): bigint;
  tick(): Promise<void>;
  idle?(): Promise<void>;
}
