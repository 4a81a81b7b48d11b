/**
 * The `ic0` System API, one `Execution` per message execution. An execution only records its
 * effects (response, outgoing calls, certified data, timer, cycles); the host applies them if
 * the execution completes and drops them if it traps. Heap and stable memory are rolled back
 * by the host.
 */
import { Principal } from '@dfinity/principal';
import { CanisterTrap, rejects, type SystemReject } from './errors';
import type { StableMemory } from './stable-memory';
import { SYSTEM_API_FEE } from './wasm/costs';

/** Execution contexts of the specification (the letters of its availability table). */
export type ExecKind =
  | 'start' // s
  | 'init' // I (canister_init)
  | 'post_upgrade' // I
  | 'pre_upgrade' // G
  | 'update' // U
  | 'replicated_query' // RQ
  | 'query' // NRQ
  | 'composite_query' // CQ
  | 'reply' // Ry
  | 'reject' // Rt
  | 'composite_reply' // CRy
  | 'composite_reject' // CRt
  | 'cleanup' // C
  | 'composite_cleanup' // CC
  | 'inspect' // F
  | 'timer'; // T

const ALL: ExecKind[] = [
  'init',
  'post_upgrade',
  'pre_upgrade',
  'update',
  'replicated_query',
  'query',
  'composite_query',
  'reply',
  'reject',
  'composite_reply',
  'composite_reject',
  'cleanup',
  'composite_cleanup',
  'inspect',
  'timer',
];
const I: ExecKind[] = ['init', 'post_upgrade'];
const RESPOND: ExecKind[] = [
  'update',
  'replicated_query',
  'query',
  'composite_query',
  'reply',
  'reject',
  'composite_reply',
  'composite_reject',
];
const CALL: ExecKind[] = [
  'update',
  'composite_query',
  'reply',
  'reject',
  'composite_reply',
  'composite_reject',
  'timer',
];
const CYCLES: ExecKind[] = ['update', 'replicated_query', 'reject', 'reply'];
const REPLICATED_STATE: ExecKind[] = [...I, 'pre_upgrade', 'update', 'reply', 'reject', 'timer'];

const AVAILABLE: Record<string, ReadonlySet<ExecKind>> = {};
function allow(names: string[], kinds: ExecKind[]): void {
  for (const n of names) AVAILABLE[n] = new Set(kinds);
}
allow(
  ['msg_arg_data_size', 'msg_arg_data_copy'],
  [
    ...I,
    'update',
    'replicated_query',
    'query',
    'composite_query',
    'reply',
    'composite_reply',
    'inspect',
  ],
);
allow(['msg_caller_size', 'msg_caller_copy'], ALL);
allow(['msg_reject_code'], ['reply', 'reject', 'composite_reply', 'composite_reject', 'cleanup']);
allow(['msg_reject_msg_size', 'msg_reject_msg_copy'], ['reject', 'composite_reject']);
allow(['msg_reply_data_append', 'msg_reply', 'msg_reject'], RESPOND);
allow(['msg_cycles_available128', 'msg_cycles_accept128'], CYCLES);
allow(['msg_cycles_refunded128'], ['reply', 'reject']);
allow(
  ['cycles_burn128'],
  [...I, 'pre_upgrade', 'update', 'replicated_query', 'reply', 'reject', 'cleanup', 'timer'],
);
allow(
  [
    'canister_self_size',
    'canister_self_copy',
    'canister_cycle_balance128',
    'canister_liquid_cycle_balance128',
    'canister_status',
    'canister_version',
    'time',
    'data_certificate_present',
    'msg_deadline',
  ],
  ALL,
);
allow(['msg_method_name_size', 'msg_method_name_copy', 'accept_message'], ['inspect']);
allow(
  [
    'call_new',
    'call_on_cleanup',
    'call_data_append',
    'call_with_best_effort_response',
    'call_perform',
  ],
  CALL,
);
allow(['call_cycles_add128'], ['update', 'reply', 'reject', 'timer']);
allow(
  [
    'stable64_size',
    'stable64_grow',
    'stable64_write',
    'stable64_read',
    'performance_counter',
    'is_controller',
    'in_replicated_execution',
    'cost_call',
    'debug_print',
    'trap',
  ],
  [...ALL, 'start'],
);
allow(['certified_data_set'], [...I, 'pre_upgrade', 'update', 'reply', 'reject', 'timer']);
allow(['data_certificate_size', 'data_certificate_copy'], ['query', 'composite_query']);
allow(['global_timer_set'], [...I, 'pre_upgrade', 'update', 'reply', 'reject', 'cleanup', 'timer']);

const MODE_NAME: Record<ExecKind, string> = {
  start: 'start',
  init: 'init',
  post_upgrade: 'post upgrade',
  pre_upgrade: 'pre upgrade',
  update: 'update',
  replicated_query: 'replicated query',
  query: 'non replicated query',
  composite_query: 'composite query',
  reply: 'reply callback',
  reject: 'reject callback',
  composite_reply: 'composite reply callback',
  composite_reject: 'composite reject callback',
  cleanup: 'cleanup',
  composite_cleanup: 'composite cleanup',
  inspect: 'inspect message',
  timer: 'system task',
};

/** Wasm signatures of the implemented imports, in the form module-cache.ts compares. */
export const SYSTEM_API_SIGNATURES: Record<string, string> = {
  msg_arg_data_size: '() -> (i32)',
  msg_arg_data_copy: '(i32, i32, i32) -> ()',
  msg_caller_size: '() -> (i32)',
  msg_caller_copy: '(i32, i32, i32) -> ()',
  msg_reject_code: '() -> (i32)',
  msg_reject_msg_size: '() -> (i32)',
  msg_reject_msg_copy: '(i32, i32, i32) -> ()',
  msg_deadline: '() -> (i64)',
  msg_reply_data_append: '(i32, i32) -> ()',
  msg_reply: '() -> ()',
  msg_reject: '(i32, i32) -> ()',
  msg_cycles_available128: '(i32) -> ()',
  msg_cycles_refunded128: '(i32) -> ()',
  msg_cycles_accept128: '(i64, i64, i32) -> ()',
  cycles_burn128: '(i64, i64, i32) -> ()',
  canister_self_size: '() -> (i32)',
  canister_self_copy: '(i32, i32, i32) -> ()',
  canister_cycle_balance128: '(i32) -> ()',
  canister_liquid_cycle_balance128: '(i32) -> ()',
  canister_status: '() -> (i32)',
  canister_version: '() -> (i64)',
  msg_method_name_size: '() -> (i32)',
  msg_method_name_copy: '(i32, i32, i32) -> ()',
  accept_message: '() -> ()',
  call_new: '(i32, i32, i32, i32, i32, i32, i32, i32) -> ()',
  call_on_cleanup: '(i32, i32) -> ()',
  call_data_append: '(i32, i32) -> ()',
  call_with_best_effort_response: '(i32) -> ()',
  call_cycles_add128: '(i64, i64) -> ()',
  call_perform: '() -> (i32)',
  stable64_size: '() -> (i64)',
  stable64_grow: '(i64) -> (i64)',
  stable64_write: '(i64, i64, i64) -> ()',
  stable64_read: '(i64, i64, i64) -> ()',
  certified_data_set: '(i32, i32) -> ()',
  data_certificate_present: '() -> (i32)',
  data_certificate_size: '() -> (i32)',
  data_certificate_copy: '(i32, i32, i32) -> ()',
  time: '() -> (i64)',
  global_timer_set: '(i64) -> (i64)',
  performance_counter: '(i32) -> (i64)',
  is_controller: '(i32, i32) -> (i32)',
  in_replicated_execution: '() -> (i32)',
  cost_call: '(i64, i64, i32) -> ()',
  debug_print: '(i32, i32) -> ()',
  trap: '(i32, i32) -> ()',
};

/**
 * Parameters (by position) and results that are addresses or sizes in the heap: `I` in the
 * specification, i32 for a 32-bit memory and i64 for a 64-bit one.
 */
const ADDRESS: Record<string, { params?: number[]; result?: true }> = {
  msg_arg_data_size: { result: true },
  msg_arg_data_copy: { params: [0, 1, 2] },
  msg_caller_size: { result: true },
  msg_caller_copy: { params: [0, 1, 2] },
  msg_reject_msg_size: { result: true },
  msg_reject_msg_copy: { params: [0, 1, 2] },
  msg_reply_data_append: { params: [0, 1] },
  msg_reject: { params: [0, 1] },
  msg_cycles_available128: { params: [0] },
  msg_cycles_refunded128: { params: [0] },
  msg_cycles_accept128: { params: [2] },
  cycles_burn128: { params: [2] },
  canister_self_size: { result: true },
  canister_self_copy: { params: [0, 1, 2] },
  canister_cycle_balance128: { params: [0] },
  canister_liquid_cycle_balance128: { params: [0] },
  msg_method_name_size: { result: true },
  msg_method_name_copy: { params: [0, 1, 2] },
  call_new: { params: [0, 1, 2, 3, 4, 5, 6, 7] },
  call_on_cleanup: { params: [0, 1] },
  call_data_append: { params: [0, 1] },
  certified_data_set: { params: [0, 1] },
  data_certificate_size: { result: true },
  data_certificate_copy: { params: [0, 1, 2] },
  is_controller: { params: [0, 1] },
  cost_call: { params: [2] },
  debug_print: { params: [0, 1] },
  trap: { params: [0, 1] },
};

/** The import's Wasm signature for a module with a 32- or 64-bit memory. */
export function systemApiSignature(name: string, memory64: boolean): string | undefined {
  const base = SYSTEM_API_SIGNATURES[name];
  const address = ADDRESS[name];
  if (base === undefined || !memory64 || !address) return base;
  const [params, results] = base.slice(1, -1).split(') -> (');
  const p = params ? params.split(', ') : [];
  for (const i of address.params ?? []) p[i] = 'i64';
  return `(${p.join(', ')}) -> (${address.result ? 'i64' : results})`;
}

/**
 * For a 64-bit memory: the import as the module calls it (addresses as bigint) around the
 * implementation, which takes and returns numbers.
 */
export function addressAdapter(
  name: string,
  fn: (...args: never[]) => unknown,
): (...args: never[]) => unknown {
  const address = ADDRESS[name];
  if (!address) return fn;
  const at = new Set(address.params ?? []);
  return (...args: never[]) => {
    const converted = args.map((a, i) => (at.has(i) ? Number(a as bigint) : a)) as never[];
    const result = fn(...converted);
    return address.result ? BigInt(result as number) : result;
  };
}

export const MAX_CALL_TIMEOUT_SECONDS = 300;
/** Cycles a call costs on a 13-node application subnet: a fixed fee plus one per byte. */
const CALL_BASE_FEE = 260_000n;
const CALL_BYTE_FEE = 1_000n;

export interface Callback {
  fun: number;
  env: number;
}

export interface OutgoingCall {
  callee: Uint8Array;
  method: string;
  arg: Uint8Array;
  cycles: bigint;
  reply: Callback;
  reject: Callback;
  cleanup?: Callback;
  timeoutSeconds?: number;
}

/** Responding state the host keeps per call context. */
export interface RespondTarget {
  responded: boolean;
  cyclesAvailable: bigint;
}

export type ExecResponse = { reply: Uint8Array } | { reject: string };

/** What an execution sees of and may change in its canister. */
export interface CanisterEnv {
  idText: string;
  idBytes: Uint8Array;
  cycles: bigint;
  version: bigint;
  status: 'running' | 'stopping' | 'stopped';
  controllers: ReadonlySet<string>;
  globalTimer: bigint;
  stable: StableMemory;
}

export interface ExecutionParams {
  kind: ExecKind;
  canister: CanisterEnv;
  caller: Uint8Array;
  arg: Uint8Array;
  time: bigint;
  methodName?: string;
  respondTo?: RespondTarget;
  rejectInfo?: { code: number; message: string };
  refunded?: bigint;
  dataCertificate?: Uint8Array;
  /** Instructions of earlier executions of the same call context (performance_counter(1)). */
  contextInstructions?: bigint;
  /** Largest reply (bytes) this execution may produce. */
  maxReplyBytes: number;
  maxCallPayloadBytes: number;
  log: (message: string) => void;
}

/** Reads and charges the instruction counter of an instrumented instance. */
export interface Meter {
  /** Remaining instructions (may be negative when exceeded). */
  remaining(): bigint;
  charge(amount: bigint): void;
  limit: bigint;
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * An i64 argument read as unsigned (as the replica does), as a Number. Exact below 2^53, which
 * every real offset and size is (stable memory ends at 500 GiB, the heap at 4 GiB); above it the
 * Number is still larger than any bound, so bounds checks fail as they must. A page read makes
 * thousands of stable reads: this avoids three BigInt allocations and BigInt arithmetic each.
 */
function u64(value: bigint): number {
  if (value >= 0n && value <= MAX_EXACT) return Number(value);
  return Number(BigInt.asUintN(64, value));
}

const utf8 = new TextDecoder('utf-8');
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

export class Execution {
  // Effects, applied by the host only if the execution completes.
  response: ExecResponse | undefined;
  readonly calls: OutgoingCall[] = [];
  certifiedData: Uint8Array | undefined;
  globalTimer: bigint | undefined;
  accepted = false;
  cyclesAccepted = 0n;
  cyclesBurned = 0n;
  /** Cycles moved onto performed calls. */
  cyclesSent = 0n;

  private replyChunks: Uint8Array[] = [];
  private replySize = 0;
  private pending: (OutgoingCall & { size: number; chunks: Uint8Array[] }) | undefined;
  private memory: WebAssembly.Memory | undefined;
  private heapView: Uint8Array | undefined;
  private meter: Meter | undefined;

  constructor(readonly p: ExecutionParams) {}

  bind(memory: WebAssembly.Memory, meter: Meter | undefined): void {
    this.memory = memory;
    this.meter = meter;
  }

  private get canisterId(): string {
    return this.p.canister.idText;
  }

  private violation(error: string): never {
    throw new CanisterTrap(rejects.contractViolation(this.canisterId, error));
  }

  private enter(name: string, bytes = 0): void {
    if (!AVAILABLE[name].has(this.p.kind)) {
      this.violation(`"ic0_${name}" cannot be executed in ${MODE_NAME[this.p.kind]} mode`);
    }
    if (this.meter) {
      // One BigInt per call: a page read makes thousands of system calls.
      this.meter.charge(BigInt((SYSTEM_API_FEE[name] ?? 0) + bytes));
      if (this.meter.remaining() < 0n) {
        throw new CanisterTrap(rejects.instructionLimit(this.canisterId, this.meter.limit));
      }
    }
  }

  /** A view of the heap, made again only when the memory grew (its buffer is then a new one). */
  private heap(): Uint8Array {
    const buffer = this.memory!.buffer;
    if (this.heapView?.buffer !== buffer) this.heapView = new Uint8Array(buffer);
    return this.heapView;
  }

  private checkHeap(ptr: number, size: number): void {
    if (ptr + size > this.memory!.buffer.byteLength) {
      throw new CanisterTrap(rejects.trapped(this.canisterId, 'heap out of bounds'));
    }
  }

  private readHeap(ptr: number, size: number): Uint8Array {
    const p = ptr >>> 0;
    const n = size >>> 0;
    this.checkHeap(p, n);
    return this.heap().slice(p, p + n);
  }

  /** The `*_copy` idiom: memory[dst..dst+size] = blob[offset..offset+size]. */
  private copyOut(name: string, blob: Uint8Array, dst: number, offset: number, size: number): void {
    const d = dst >>> 0;
    const o = offset >>> 0;
    const n = size >>> 0;
    if (o + n > blob.length) {
      this.violation(`${name}: src=${o} + length=${n} exceeds the slice size=${blob.length}`);
    }
    this.checkHeap(d, n);
    this.heap().set(blob.subarray(o, o + n), d);
  }

  private write128(dst: number, value: bigint): void {
    const d = dst >>> 0;
    this.checkHeap(d, 16);
    const view = new DataView(this.memory!.buffer, d, 16);
    view.setBigUint64(0, BigInt.asUintN(64, value), true);
    view.setBigUint64(8, BigInt.asUintN(64, value >> 64n), true);
  }

  private balance(): bigint {
    return (
      this.p.canister.cycles +
      this.cyclesAccepted -
      this.cyclesBurned -
      this.cyclesSent -
      (this.pending?.cycles ?? 0n)
    );
  }

  private canRespond(): boolean {
    const target = this.p.respondTo;
    return target !== undefined && !target.responded && this.response === undefined;
  }

  /** Assembled reply as a fresh array (never a view into a shared pool). */
  private takeReply(): Uint8Array {
    const out = new Uint8Array(this.replySize);
    let at = 0;
    for (const c of this.replyChunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  // ---- ic0 -------------------------------------------------------------------------------

  imports(): Record<string, (...args: never[]) => unknown> {
    return {
      msg_arg_data_size: () => {
        this.enter('msg_arg_data_size');
        return this.p.arg.length;
      },
      msg_arg_data_copy: (dst: number, offset: number, size: number) => {
        this.enter('msg_arg_data_copy', size >>> 0);
        this.copyOut('ic0.msg_arg_data_copy', this.p.arg, dst, offset, size);
      },
      msg_caller_size: () => {
        this.enter('msg_caller_size');
        return this.p.caller.length;
      },
      msg_caller_copy: (dst: number, offset: number, size: number) => {
        this.enter('msg_caller_copy', size >>> 0);
        this.copyOut('ic0.msg_caller_copy', this.p.caller, dst, offset, size);
      },
      msg_reject_code: () => {
        this.enter('msg_reject_code');
        return this.p.rejectInfo?.code ?? 0;
      },
      msg_reject_msg_size: () => {
        this.enter('msg_reject_msg_size');
        return this.rejectMessageBytes().length;
      },
      msg_reject_msg_copy: (dst: number, offset: number, size: number) => {
        this.enter('msg_reject_msg_copy', size >>> 0);
        this.copyOut('ic0.msg_reject_msg_copy', this.rejectMessageBytes(), dst, offset, size);
      },
      msg_deadline: () => {
        this.enter('msg_deadline');
        return 0n;
      },
      msg_reply_data_append: (src: number, size: number) => {
        this.enter('msg_reply_data_append', size >>> 0);
        if (!this.canRespond())
          this.violation('ic0.msg_reply_data_append: the call is already replied');
        const n = size >>> 0;
        if (this.replySize + n > this.p.maxReplyBytes) {
          this.violation(
            `ic0.msg_reply_data_append: application payload size (${this.replySize + n}) cannot be larger than ${this.p.maxReplyBytes}.`,
          );
        }
        this.replyChunks.push(this.readHeap(src, n));
        this.replySize += n;
      },
      msg_reply: () => {
        this.enter('msg_reply');
        if (!this.canRespond()) this.violation('ic0.msg_reply: the call is already replied');
        this.response = { reply: this.takeReply() };
      },
      msg_reject: (src: number, size: number) => {
        this.enter('msg_reject', size >>> 0);
        if (!this.canRespond()) this.violation('ic0.msg_reject: the call is already replied');
        let message: string;
        try {
          message = utf8Strict.decode(this.readHeap(src, size));
        } catch (e) {
          if (e instanceof CanisterTrap) throw e;
          this.violation('ic0.msg_reject: invalid UTF-8 string provided');
        }
        this.response = { reject: message };
      },
      msg_cycles_available128: (dst: number) => {
        this.enter('msg_cycles_available128');
        this.write128(dst, this.available());
      },
      msg_cycles_refunded128: (dst: number) => {
        this.enter('msg_cycles_refunded128');
        this.write128(dst, this.p.refunded ?? 0n);
      },
      msg_cycles_accept128: (high: bigint, low: bigint, dst: number) => {
        this.enter('msg_cycles_accept128');
        const wanted = (BigInt.asUintN(64, high) << 64n) | BigInt.asUintN(64, low);
        const available = this.available();
        const amount = wanted < available ? wanted : available;
        this.cyclesAccepted += amount;
        this.write128(dst, amount);
      },
      cycles_burn128: (high: bigint, low: bigint, dst: number) => {
        this.enter('cycles_burn128');
        const wanted = (BigInt.asUintN(64, high) << 64n) | BigInt.asUintN(64, low);
        const liquid = this.balance();
        const amount = wanted < liquid ? wanted : liquid > 0n ? liquid : 0n;
        this.cyclesBurned += amount;
        this.write128(dst, amount);
      },
      canister_self_size: () => {
        this.enter('canister_self_size');
        return this.p.canister.idBytes.length;
      },
      canister_self_copy: (dst: number, offset: number, size: number) => {
        this.enter('canister_self_copy', size >>> 0);
        this.copyOut('ic0.canister_self_copy', this.p.canister.idBytes, dst, offset, size);
      },
      canister_cycle_balance128: (dst: number) => {
        this.enter('canister_cycle_balance128');
        this.write128(dst, this.balance());
      },
      canister_liquid_cycle_balance128: (dst: number) => {
        this.enter('canister_liquid_cycle_balance128');
        this.write128(dst, this.balance());
      },
      canister_status: () => {
        this.enter('canister_status');
        return { running: 1, stopping: 2, stopped: 3 }[this.p.canister.status];
      },
      canister_version: () => {
        this.enter('canister_version');
        return this.p.canister.version;
      },
      msg_method_name_size: () => {
        this.enter('msg_method_name_size');
        return new TextEncoder().encode(this.p.methodName ?? '').length;
      },
      msg_method_name_copy: (dst: number, offset: number, size: number) => {
        this.enter('msg_method_name_copy', size >>> 0);
        this.copyOut(
          'ic0.msg_method_name_copy',
          new TextEncoder().encode(this.p.methodName ?? ''),
          dst,
          offset,
          size,
        );
      },
      accept_message: () => {
        this.enter('accept_message');
        if (this.accepted) this.violation('ic0.accept_message: the function was already called.');
        this.accepted = true;
      },
      call_new: (
        calleeSrc: number,
        calleeSize: number,
        nameSrc: number,
        nameSize: number,
        replyFun: number,
        replyEnv: number,
        rejectFun: number,
        rejectEnv: number,
      ) => {
        this.enter('call_new', (calleeSize >>> 0) + (nameSize >>> 0));
        const callee = this.readHeap(calleeSrc, calleeSize);
        if (callee.length > 29) this.violation('ic0.call_new: invalid callee id');
        let method: string;
        try {
          method = utf8Strict.decode(this.readHeap(nameSrc, nameSize));
        } catch (e) {
          if (e instanceof CanisterTrap) throw e;
          this.violation('ic0.call_new: invalid UTF-8 method name');
        }
        this.pending = {
          callee,
          method,
          arg: new Uint8Array(0),
          cycles: 0n,
          reply: { fun: replyFun >>> 0, env: replyEnv >>> 0 },
          reject: { fun: rejectFun >>> 0, env: rejectEnv >>> 0 },
          size: 0,
          chunks: [],
        };
      },
      call_on_cleanup: (fun: number, env: number) => {
        this.enter('call_on_cleanup');
        const call = this.requirePending('ic0.call_on_cleanup');
        if (call.cleanup) this.violation('ic0.call_on_cleanup: cleanup closure already set');
        call.cleanup = { fun: fun >>> 0, env: env >>> 0 };
      },
      call_data_append: (src: number, size: number) => {
        this.enter('call_data_append', size >>> 0);
        const call = this.requirePending('ic0.call_data_append');
        const n = size >>> 0;
        if (call.size + n > this.p.maxCallPayloadBytes) {
          this.violation(
            `ic0.call_data_append: application payload size (${call.size + n}) cannot be larger than ${this.p.maxCallPayloadBytes}.`,
          );
        }
        call.chunks.push(this.readHeap(src, n));
        call.size += n;
      },
      call_with_best_effort_response: (timeoutSeconds: number) => {
        this.enter('call_with_best_effort_response');
        const call = this.requirePending('ic0.call_with_best_effort_response');
        if (call.timeoutSeconds !== undefined) {
          this.violation('ic0.call_with_best_effort_response: timeout already set');
        }
        call.timeoutSeconds = Math.min(timeoutSeconds >>> 0, MAX_CALL_TIMEOUT_SECONDS);
      },
      call_cycles_add128: (high: bigint, low: bigint) => {
        this.enter('call_cycles_add128');
        const call = this.requirePending('ic0.call_cycles_add128');
        const amount = (BigInt.asUintN(64, high) << 64n) | BigInt.asUintN(64, low);
        if (amount > this.balance()) {
          this.violation(
            `ic0.call_cycles_add128: canister ${this.canisterId} has insufficient cycles: requested ${amount}, liquid balance ${this.balance()}`,
          );
        }
        call.cycles += amount;
      },
      call_perform: () => {
        this.enter('call_perform');
        const call = this.requirePending('ic0.call_perform');
        const arg = new Uint8Array(call.size);
        let at = 0;
        for (const c of call.chunks) {
          arg.set(c, at);
          at += c.length;
        }
        this.calls.push({
          callee: call.callee,
          method: call.method,
          arg,
          cycles: call.cycles,
          reply: call.reply,
          reject: call.reject,
          ...(call.cleanup ? { cleanup: call.cleanup } : {}),
          ...(call.timeoutSeconds !== undefined ? { timeoutSeconds: call.timeoutSeconds } : {}),
        });
        this.cyclesSent += call.cycles;
        this.pending = undefined;
        return 0;
      },
      stable64_size: () => {
        this.enter('stable64_size');
        return BigInt(this.p.canister.stable.sizePages);
      },
      stable64_grow: (pages: bigint) => {
        this.enter('stable64_grow');
        const n = BigInt.asUintN(64, pages);
        if (n > BigInt(Number.MAX_SAFE_INTEGER)) return -1n;
        return BigInt(this.p.canister.stable.grow(Number(n)));
      },
      stable64_write: (offset: bigint, src: bigint, size: bigint) => {
        const n = u64(size);
        this.enter('stable64_write', n);
        const o = u64(offset);
        if (!this.p.canister.stable.inBoundsBytes(o, n)) {
          throw new CanisterTrap(rejects.trapped(this.canisterId, 'stable memory out of bounds'));
        }
        const from = u64(src);
        const heap = this.heap();
        if (from + n > heap.length) {
          throw new CanisterTrap(rejects.trapped(this.canisterId, 'heap out of bounds'));
        }
        this.p.canister.stable.write(o, heap.subarray(from, from + n));
      },
      stable64_read: (dst: bigint, offset: bigint, size: bigint) => {
        const n = u64(size);
        this.enter('stable64_read', n);
        const o = u64(offset);
        if (!this.p.canister.stable.inBoundsBytes(o, n)) {
          throw new CanisterTrap(rejects.trapped(this.canisterId, 'stable memory out of bounds'));
        }
        const to = u64(dst);
        const heap = this.heap();
        if (to + n > heap.length) {
          throw new CanisterTrap(rejects.trapped(this.canisterId, 'heap out of bounds'));
        }
        this.p.canister.stable.readInto(o, heap, to, n);
      },
      certified_data_set: (src: number, size: number) => {
        this.enter('certified_data_set', size >>> 0);
        if (size >>> 0 > 32)
          this.violation(
            'ic0_certified_data_set failed because the passed data must be no larger than 32 bytes.',
          );
        this.certifiedData = this.readHeap(src, size);
      },
      data_certificate_present: () => {
        this.enter('data_certificate_present');
        return this.certificate() ? 1 : 0;
      },
      data_certificate_size: () => {
        this.enter('data_certificate_size');
        const cert = this.certificate();
        if (!cert) this.violation('ic0.data_certificate_size: no certificate available');
        return cert.length;
      },
      data_certificate_copy: (dst: number, offset: number, size: number) => {
        this.enter('data_certificate_copy', size >>> 0);
        const cert = this.certificate();
        if (!cert) this.violation('ic0.data_certificate_copy: no certificate available');
        this.copyOut('ic0.data_certificate_copy', cert, dst, offset, size);
      },
      time: () => {
        this.enter('time');
        return this.p.time;
      },
      global_timer_set: (timestamp: bigint) => {
        this.enter('global_timer_set');
        const previous = this.globalTimer ?? this.p.canister.globalTimer;
        this.globalTimer = BigInt.asUintN(64, timestamp);
        return previous;
      },
      performance_counter: (type: number) => {
        this.enter('performance_counter');
        const own = this.meter ? this.meter.limit - this.meter.remaining() : 0n;
        if (type === 0) return own;
        if (type === 1) return (this.p.contextInstructions ?? 0n) + own;
        this.violation(`ic0.performance_counter: unknown counter type ${type}`);
      },
      is_controller: (src: number, size: number) => {
        this.enter('is_controller', size >>> 0);
        const bytes = this.readHeap(src, size);
        if (bytes.length > 29) this.violation('ic0.is_controller: invalid principal id');
        return this.p.canister.controllers.has(Principal.fromUint8Array(bytes).toText()) ? 1 : 0;
      },
      in_replicated_execution: () => {
        this.enter('in_replicated_execution');
        return REPLICATED_STATE.includes(this.p.kind) ||
          this.p.kind === 'replicated_query' ||
          this.p.kind === 'cleanup'
          ? 1
          : 0;
      },
      cost_call: (methodNameSize: bigint, payloadSize: bigint, dst: number) => {
        this.enter('cost_call');
        const bytes = BigInt.asUintN(64, methodNameSize) + BigInt.asUintN(64, payloadSize);
        this.write128(dst, CALL_BASE_FEE + CALL_BYTE_FEE * bytes);
      },
      debug_print: (src: number, size: number) => {
        this.enter('debug_print', size >>> 0);
        this.p.log(utf8.decode(this.readHeap(src, size)));
      },
      trap: (src: number, size: number) => {
        this.enter('trap', size >>> 0);
        const message = utf8.decode(this.readHeap(src, size));
        throw new CanisterTrap(rejects.calledTrap(this.canisterId, message));
      },
    };
  }

  private available(): bigint {
    return (this.p.respondTo?.cyclesAvailable ?? 0n) - this.cyclesAccepted;
  }

  private rejectMessageBytes(): Uint8Array {
    const info = this.p.rejectInfo;
    if (!info || info.code === 0)
      this.violation('ic0.msg_reject_msg_size: no reject message available');
    return new TextEncoder().encode(info.message);
  }

  private certificate(): Uint8Array | undefined {
    if (this.p.kind !== 'query' && this.p.kind !== 'composite_query') return undefined;
    return this.p.dataCertificate;
  }

  private requirePending(name: string): OutgoingCall & { size: number; chunks: Uint8Array[] } {
    if (!this.pending) this.violation(`${name}: no call is under construction`);
    return this.pending;
  }
}

export type { SystemReject };
