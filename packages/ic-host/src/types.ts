/** The host's public types: call results, options, limits, what a canister looks like from outside. */
import type { Principal } from '@dfinity/principal';
import type { RejectCode } from './errors';
import type { CanisterMetadata, ModuleCache } from './module-cache';
import type { StateStore } from './store';
import type { ExecKind } from './system-api';

export type CallResult =
  | { status: 'replied'; reply: Uint8Array; instructions?: bigint }
  | {
      status: 'rejected';
      rejectCode: RejectCode;
      rejectMessage: string;
      errorCode: string;
      instructions?: bigint;
    };

export type InspectResult =
  | { accepted: true; instructions?: bigint }
  | {
      accepted: false;
      rejectCode: RejectCode;
      rejectMessage: string;
      errorCode: string;
      instructions?: bigint;
    };

export interface LogLine {
  canisterId: string;
  message: string;
  timeNanos: bigint;
}

export interface Limits {
  updateInstructions: bigint;
  queryInstructions: bigint;
  inspectInstructions: bigint;
  installInstructions: bigint;
  ingressBytes: number;
  callPayloadBytes: number;
  replicatedReplyBytes: number;
  queryReplyBytes: number;
}

export const IC_LIMITS: Readonly<Limits> = {
  updateInstructions: 40_000_000_000n,
  queryInstructions: 5_000_000_000n,
  inspectInstructions: 200_000_000n,
  installInstructions: 300_000_000_000n,
  ingressBytes: 2 * 1024 * 1024,
  callPayloadBytes: 2 * 1024 * 1024,
  replicatedReplyBytes: 2 * 1024 * 1024,
  queryReplyBytes: 3 * 1024 * 1024,
};

/** One Wasm execution, reported to `HostOptions.onExecution` (metrics, benchmarks). */
export interface ExecutionRecord {
  canisterId: string;
  kind: ExecKind;
  /** Export name, or `callback` for reply/reject/cleanup callbacks. */
  entry: string;
  /** Instructions (instrumented mode; 0 otherwise). */
  instructions: bigint;
  /** Wall time of the Wasm run, without snapshot and commit. */
  ms: number;
  trapped: boolean;
}

export interface HostOptions {
  onExecution?: (record: ExecutionRecord) => void;
  clock?: () => bigint;
  instrumented?: boolean;
  store?: StateStore;
  log?: (line: LogLine) => void;
  random?: (size: number) => Uint8Array;
  limits?: Partial<Limits>;
  moduleCache?: ModuleCache;
}

export interface CanisterView {
  id: Principal;
  moduleHash?: Uint8Array;
  controllers: Principal[];
  certifiedData: Uint8Array;
  status: 'running' | 'stopping' | 'stopped';
  version: bigint;
  cycles: bigint;
  stableMemoryPages: bigint;
  wasmMemoryBytes: number;
  globalTimer: bigint;
  /** The module's metadata sections (`icp:public` / `icp:private`), by name. */
  metadata: CanisterMetadata;
}
