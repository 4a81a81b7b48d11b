/**
 * One instantiated canister module: runs entry points against an `Execution`, counts
 * instructions (instrumented modules), and keeps a copy of the committed heap and globals so a
 * trap or a query can be rolled back.
 */
import { CanisterTrap, rejects, type SystemReject } from './errors';
import type { LoadedModule } from './module-cache';
import { SYSTEM_API_SIGNATURES, addressAdapter, type Execution, type Meter } from './system-api';
import { COUNTER_EXPORT, TABLE_EXPORT } from './wasm/rewrite';

export type Entry = { export: string } | { table: number; env: number };

export interface RunResult {
  trap?: SystemReject;
  instructions: bigint;
}

/** A host failure (not a canister trap) while running canister code. */
export class HostFault extends Error {
  override name = 'HostFault';
}

function trapCodeOf(e: WebAssembly.RuntimeError | RangeError): string {
  const m = e.message.toLowerCase();
  if (m.includes('unreachable')) return 'unreachable';
  if (m.includes('memory access out of bounds') || m.includes('out of bounds memory'))
    return 'heap out of bounds';
  if (
    m.includes('divide by zero') ||
    m.includes('division by zero') ||
    m.includes('remainder by zero')
  ) {
    return 'integer division by 0';
  }
  if (m.includes('table') || m.includes('null function') || m.includes('signature mismatch')) {
    return 'table out of bounds';
  }
  if (m.includes('call stack') || m.includes('stack size')) return 'stack overflow';
  return 'unknown';
}

export class CanisterInstance {
  readonly memory: WebAssembly.Memory;
  private readonly instance: WebAssembly.Instance;
  private readonly table: WebAssembly.Table | undefined;
  private readonly globals: WebAssembly.Global[];
  private readonly counter: WebAssembly.Global | undefined;
  private fns: Record<string, (...args: never[]) => unknown> | undefined;
  private shadow = new Uint8Array(0);
  private shadowGlobals: (number | bigint)[] = [];
  /** Milliseconds spent copying heap snapshots (checkpoint + rollback), for measurements. */
  snapshotMs = 0;

  private constructor(
    readonly loaded: LoadedModule,
    start: Execution,
  ) {
    const ic0: Record<string, (...args: never[]) => unknown> = {};
    for (const imp of loaded.info.imports) {
      const name = imp.name;
      if (!(name in SYSTEM_API_SIGNATURES)) continue;
      const dispatch = (...args: never[]) => {
        const fns = this.fns;
        if (!fns) throw new HostFault(`ic0.${name} called outside of a message execution`);
        return fns[name](...args);
      };
      ic0[name] = loaded.info.memory64 ? addressAdapter(name, dispatch) : dispatch;
    }
    const imports: WebAssembly.Imports = { ic0 };
    // The IC accepts a memory imported from "env": the canister's heap is then made here.
    const wanted = loaded.info.importedMemory;
    const importedMemory = wanted ? new WebAssembly.Memory(wanted) : undefined;
    if (importedMemory) imports.env = { memory: importedMemory };
    this.begin(start);
    try {
      this.instance = new WebAssembly.Instance(loaded.module, imports);
    } finally {
      this.end();
    }
    const exports = this.instance.exports;
    const exported = loaded.info.memoryExport ? exports[loaded.info.memoryExport] : undefined;
    // A module without memory gets an empty one: any System API copy then traps as out of bounds.
    this.memory =
      exported instanceof WebAssembly.Memory
        ? exported
        : (importedMemory ?? new WebAssembly.Memory({ initial: 0 }));
    const table = exports[TABLE_EXPORT];
    this.table = table instanceof WebAssembly.Table ? table : undefined;
    this.globals = loaded.info.globalExports.map((n) => exports[n] as WebAssembly.Global);
    const counter = exports[COUNTER_EXPORT];
    this.counter = counter instanceof WebAssembly.Global ? counter : undefined;
  }

  /** Instantiates the module; a start function runs against `start`. */
  static create(
    loaded: LoadedModule,
    start: Execution,
  ): { instance?: CanisterInstance; trap?: SystemReject } {
    try {
      const instance = new CanisterInstance(loaded, start);
      instance.checkpoint();
      return { instance };
    } catch (e) {
      if (e instanceof CanisterTrap) return { trap: e.reject };
      if (e instanceof WebAssembly.RuntimeError) {
        return { trap: rejects.trapped(start.p.canister.idText, trapCodeOf(e)) };
      }
      throw e;
    }
  }

  hasExport(name: string): boolean {
    return this.loaded.exports.has(name);
  }

  get heapBytes(): number {
    return this.memory.buffer.byteLength;
  }

  private begin(exec: Execution, limit = 0n): Meter | undefined {
    this.fns = exec.imports();
    const counter = this.counter;
    const meter: Meter | undefined = counter
      ? {
          limit,
          remaining: () => counter.value as bigint,
          charge: (amount: bigint) => {
            counter.value = (counter.value as bigint) - amount;
          },
        }
      : undefined;
    if (counter) counter.value = limit;
    // `memory` is not known yet while the instance is being created (start function).
    if (this.memory) exec.bind(this.memory, meter);
    return meter;
  }

  private end(): void {
    this.fns = undefined;
  }

  /**
   * Runs an entry point. Heap and stable memory are left as the code left them: the caller
   * decides to `checkpoint` (commit) or `rollback`.
   */
  run(exec: Execution, entry: Entry, limit: bigint): RunResult {
    const meter = this.begin(exec, limit);
    let trap: SystemReject | undefined;
    try {
      let fn: unknown;
      let arg: number | undefined;
      if ('export' in entry) {
        fn = this.instance.exports[entry.export];
      } else {
        fn = entry.table < (this.table?.length ?? 0) ? this.table!.get(entry.table) : undefined;
        arg = entry.env;
      }
      if (typeof fn !== 'function') {
        const what = 'export' in entry ? `export ${entry.export}` : `table entry ${entry.table}`;
        trap =
          'export' in entry
            ? rejects.methodNotFound(exec.p.canister.idText, 'system', entry.export)
            : {
                ...rejects.trapped(exec.p.canister.idText, 'table out of bounds'),
                rejectMessage: `Error from Canister ${exec.p.canister.idText}: Canister requested to invoke a non-existent Wasm function (${what})`,
              };
      } else if (arg === undefined) {
        (fn as () => void)();
      } else {
        // A callback's environment is an address: i64 in a module with a 64-bit memory.
        (fn as (env: number | bigint) => void)(this.loaded.info.memory64 ? BigInt(arg) : arg);
      }
    } catch (e) {
      if (meter && meter.remaining() < 0n) {
        trap = rejects.instructionLimit(exec.p.canister.idText, limit);
      } else if (e instanceof CanisterTrap) {
        trap = e.reject;
      } else if (e instanceof WebAssembly.RuntimeError) {
        trap = rejects.trapped(exec.p.canister.idText, trapCodeOf(e));
      } else if (e instanceof RangeError && /call stack/i.test(e.message)) {
        trap = rejects.trapped(exec.p.canister.idText, 'stack overflow');
      } else {
        this.end();
        throw e;
      }
    }
    const instructions = meter ? limit - meter.remaining() : 0n;
    this.end();
    return trap ? { trap, instructions } : { instructions };
  }

  /** Makes the current heap and globals the state a rollback returns to. */
  checkpoint(): void {
    const t0 = performance.now();
    const heap = new Uint8Array(this.memory.buffer);
    if (this.shadow.length !== heap.length) this.shadow = new Uint8Array(heap.length);
    this.shadow.set(heap);
    this.shadowGlobals = this.globals.map((g) => g.value as number | bigint);
    this.snapshotMs += performance.now() - t0;
  }

  /**
   * Restores the last checkpoint. Wasm memory cannot shrink: pages grown since stay, zeroed,
   * and the allocator (whose state is in the restored heap) simply grows into them again.
   */
  rollback(): void {
    const t0 = performance.now();
    const heap = new Uint8Array(this.memory.buffer);
    heap.set(this.shadow);
    if (heap.length > this.shadow.length) heap.fill(0, this.shadow.length);
    this.globals.forEach((g, i) => {
      g.value = this.shadowGlobals[i]!;
    });
    this.snapshotMs += performance.now() - t0;
  }

  /** The heap and mutable globals as of the last checkpoint (what a snapshot keeps). */
  committedState(): { heap: Uint8Array; globals: (number | bigint)[] } {
    return { heap: this.shadow.slice(), globals: [...this.shadowGlobals] };
  }

  /** Replaces heap and globals (a snapshot being loaded) and makes them the checkpoint. */
  loadState(saved: { heap: Uint8Array; globals: (number | bigint)[] }): void {
    const missing = saved.heap.length - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / 65536));
    const heap = new Uint8Array(this.memory.buffer);
    heap.set(saved.heap);
    heap.fill(0, saved.heap.length);
    this.globals.forEach((g, i) => {
      g.value = saved.globals[i]!;
    });
    this.checkpoint();
  }
}
