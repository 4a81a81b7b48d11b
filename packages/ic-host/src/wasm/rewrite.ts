/**
 * Rewrites a canister module so the host can drive it:
 *  - exports the function table (call callbacks are table indices) and every mutable global
 *    (the shadow-stack pointer must be restored when a trap rolls the heap back);
 *  - in instrumented mode, adds an i64 instruction counter global and injects, like the
 *    replica's instrumentation, a decrement at the start of every basic block (with an
 *    out-of-instructions check at function entries and loop headers) and a per-byte charge
 *    before bulk memory operations. The counter counts down from the limit; going below zero
 *    traps with `unreachable`, which the host reports as instruction-limit exceeded.
 * Function, global and type indices are unchanged: nothing is imported or inserted before
 * existing definitions, so calls, element segments and exports stay valid without renumbering.
 */
import { OPCODE_COST, prefixedFcCost } from './costs';
import { Reader, WasmFormatError, Writer } from './leb';

export const TABLE_EXPORT = '__ic_host_table';
export const COUNTER_EXPORT = '__ic_host_instructions';
export const GLOBAL_EXPORT_PREFIX = '__ic_host_global_';
/** The memory's export when the module does not export it (the IC's instrumentation does too). */
export const MEMORY_EXPORT = '__ic_host_memory';

export interface FuncType {
  params: number[];
  results: number[];
}

export interface ModuleImport {
  module: string;
  name: string;
  kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
  type?: FuncType;
}

export interface ModuleInfo {
  imports: ModuleImport[];
  exports: string[];
  hasTable: boolean;
  memory64: boolean;
  /** An `env` memory the module imports (the host provides it), in 64 KiB pages. */
  importedMemory?: { initial: number; maximum?: number };
  /** The export under which the instance's memory is found. */
  memoryExport: string | undefined;
  /** Bytes of the module's custom sections (names and contents). */
  customSectionsBytes: number;
  /** Names of the module's custom sections, in order. */
  customSectionNames: string[];
  /** Export names added for the mutable globals, in global index order. */
  globalExports: string[];
  instrumented: boolean;
}

export interface RewriteResult {
  bytes: Uint8Array;
  info: ModuleInfo;
}

interface Section {
  id: number;
  /** Payload bytes (without id and size). */
  payload: Uint8Array;
}

const SECTION_ORDER: Record<number, number> = {
  1: 1,
  2: 2,
  3: 3,
  4: 4,
  5: 5,
  13: 6,
  6: 7,
  7: 8,
  8: 9,
  9: 10,
  12: 11,
  10: 12,
  11: 13,
};

const VALTYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

function readSections(wasm: Uint8Array): Section[] {
  if (
    wasm.length < 8 ||
    wasm[0] !== 0x00 ||
    wasm[1] !== 0x61 ||
    wasm[2] !== 0x73 ||
    wasm[3] !== 0x6d
  ) {
    throw new WasmFormatError('not a Wasm module (bad magic number)');
  }
  if (wasm[4] !== 1 || wasm[5] !== 0 || wasm[6] !== 0 || wasm[7] !== 0) {
    throw new WasmFormatError('unsupported Wasm binary version');
  }
  const r = new Reader(wasm, 8);
  const sections: Section[] = [];
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    sections.push({ id, payload: r.bytesOf(size) });
  }
  return sections;
}

function readValType(r: Reader): number {
  const t = r.byte();
  if (!VALTYPES.has(t)) throw new WasmFormatError(`unsupported value type 0x${t.toString(16)}`);
  return t;
}

function readLimits(r: Reader): { flags: number; initial: number; maximum?: number } {
  const flags = r.byte();
  if (flags & 0x04) {
    r.skipLeb();
    if (flags & 0x01) r.skipLeb();
    return { flags, initial: 0 };
  }
  const initial = r.u32();
  return flags & 0x01 ? { flags, initial, maximum: r.u32() } : { flags, initial };
}

function readTypes(payload: Uint8Array): FuncType[] {
  const r = new Reader(payload);
  const n = r.u32();
  const types: FuncType[] = [];
  for (let i = 0; i < n; i++) {
    const form = r.byte();
    if (form !== 0x60) throw new WasmFormatError(`unsupported type form 0x${form.toString(16)}`);
    const params: number[] = [];
    const results: number[] = [];
    for (let p = r.u32(); p > 0; p--) params.push(readValType(r));
    for (let q = r.u32(); q > 0; q--) results.push(readValType(r));
    types.push({ params, results });
  }
  return types;
}

interface Parsed {
  sections: Section[];
  types: FuncType[];
  imports: ModuleImport[];
  importedFuncs: number;
  importedGlobals: number;
  funcTypes: number[];
  definedGlobals: { type: number; mutable: boolean }[];
  exports: { name: string; kind: number; index: number }[];
  hasTable: boolean;
  memory64: boolean;
  importedMemory?: { initial: number; maximum?: number };
  definedMemories: number;
  customSectionsBytes: number;
  customSectionNames: string[];
}

function parse(wasm: Uint8Array): Parsed {
  const sections = readSections(wasm);
  const p: Parsed = {
    sections,
    types: [],
    imports: [],
    importedFuncs: 0,
    importedGlobals: 0,
    funcTypes: [],
    definedGlobals: [],
    exports: [],
    hasTable: false,
    memory64: false,
    definedMemories: 0,
    customSectionsBytes: 0,
    customSectionNames: [],
  };
  for (const s of sections) {
    const r = new Reader(s.payload);
    switch (s.id) {
      case 1:
        p.types = readTypes(s.payload);
        break;
      case 2: {
        for (let n = r.u32(); n > 0; n--) {
          const module = r.name();
          const name = r.name();
          const kind = r.byte();
          if (kind === 0) {
            const typeIndex = r.u32();
            const type = p.types[typeIndex];
            p.imports.push({ module, name, kind: 'function', ...(type ? { type } : {}) });
            p.importedFuncs++;
          } else if (kind === 1) {
            r.byte();
            readLimits(r);
            p.imports.push({ module, name, kind: 'table' });
            p.hasTable = true;
          } else if (kind === 2) {
            const { flags, initial, maximum } = readLimits(r);
            if (flags & 0x04) p.memory64 = true;
            p.importedMemory = maximum === undefined ? { initial } : { initial, maximum };
            p.imports.push({ module, name, kind: 'memory' });
          } else if (kind === 3) {
            readValType(r);
            r.byte();
            p.imports.push({ module, name, kind: 'global' });
            p.importedGlobals++;
          } else if (kind === 4) {
            r.byte();
            r.u32();
            p.imports.push({ module, name, kind: 'tag' });
          } else {
            throw new WasmFormatError(`unknown import kind ${kind}`);
          }
        }
        break;
      }
      case 3:
        for (let n = r.u32(); n > 0; n--) p.funcTypes.push(r.u32());
        break;
      case 4:
        if (r.u32() > 0) p.hasTable = true;
        break;
      case 5:
        for (let n = r.u32(); n > 0; n--) {
          const { flags } = readLimits(r);
          if (flags & 0x04) p.memory64 = true;
          p.definedMemories++;
        }
        break;
      case 6:
        for (let n = r.u32(); n > 0; n--) {
          const type = readValType(r);
          const mutable = r.byte() === 1;
          p.definedGlobals.push({ type, mutable });
          skipConstExpr(r);
        }
        break;
      case 7:
        for (let n = r.u32(); n > 0; n--) {
          const name = r.name();
          const kind = r.byte();
          const index = r.u32();
          p.exports.push({ name, kind, index });
        }
        break;
      case 0:
        p.customSectionsBytes += s.payload.length;
        p.customSectionNames.push(r.name());
        break;
      default:
        break;
    }
  }
  return p;
}

function skipConstExpr(r: Reader): void {
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return;
    skipImmediates(r, op);
  }
}

function skipBlockType(r: Reader): void {
  const b = r.bytes[r.pos];
  if (b === 0x40 || VALTYPES.has(b)) {
    r.pos++;
    return;
  }
  r.skipLeb();
}

function skipMemarg(r: Reader): void {
  const align = r.u32();
  if (align & 0x40) r.u32();
  r.skipLeb();
}

/** Instruction classes that matter to metering. */
const enum Kind {
  Plain = 0,
  Loop = 1,
  If = 2,
  /** Ends a basic block: else, br, br_if, br_table, end, return, unreachable, return_call*. */
  Split = 3,
  /** Bulk operation whose length operand (i32, top of stack) is charged at run time. */
  Dynamic = 4,
}

let lastCost = 0;

/**
 * Skips the immediates of `op` (already read) and returns its metering class; its weight is
 * left in `lastCost`.
 */
function skipImmediates(r: Reader, op: number): Kind {
  lastCost = OPCODE_COST[op]!;
  switch (op) {
    case 0x00:
    case 0x0f:
      return Kind.Split;
    case 0x01:
      return Kind.Plain;
    case 0x02:
      skipBlockType(r);
      return Kind.Plain;
    case 0x03:
      skipBlockType(r);
      return Kind.Loop;
    case 0x04:
      skipBlockType(r);
      return Kind.If;
    case 0x05:
    case 0x0b:
      return Kind.Split;
    case 0x0c:
    case 0x0d:
      r.u32();
      return Kind.Split;
    case 0x0e:
      for (let n = r.u32(); n > 0; n--) r.u32();
      r.u32();
      return Kind.Split;
    case 0x10:
      r.u32();
      return Kind.Plain;
    case 0x11:
      r.u32();
      r.u32();
      return Kind.Plain;
    case 0x12:
      r.u32();
      return Kind.Split;
    case 0x13:
      r.u32();
      r.u32();
      return Kind.Split;
    case 0x1a:
    case 0x1b:
      return Kind.Plain;
    case 0x1c:
      for (let n = r.u32(); n > 0; n--) readValType(r);
      return Kind.Plain;
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
      r.u32();
      return Kind.Plain;
    case 0x3f:
    case 0x40:
      r.u32();
      return Kind.Plain;
    case 0x41:
    case 0x42:
      r.skipLeb();
      return Kind.Plain;
    case 0x43:
      r.skip(4);
      return Kind.Plain;
    case 0x44:
      r.skip(8);
      return Kind.Plain;
    case 0xd0:
      r.skipLeb();
      return Kind.Plain;
    case 0xd1:
      return Kind.Plain;
    case 0xd2:
      r.u32();
      return Kind.Plain;
    case 0xfc:
      return skipFc(r);
    case 0xfd:
      return skipSimd(r);
    default:
      if (op >= 0x28 && op <= 0x3e) {
        skipMemarg(r);
        return Kind.Plain;
      }
      if (op >= 0x45 && op <= 0xc4) return Kind.Plain;
      throw new WasmFormatError(`unsupported instruction 0x${op.toString(16)} at ${r.pos - 1}`);
  }
}

function skipFc(r: Reader): Kind {
  const sub = r.u32();
  lastCost = prefixedFcCost(sub);
  if (sub <= 7) return Kind.Plain;
  switch (sub) {
    case 8: // memory.init data mem
      r.u32();
      r.u32();
      return Kind.Dynamic;
    case 9: // data.drop
      r.u32();
      return Kind.Plain;
    case 10: // memory.copy dst src
      r.u32();
      r.u32();
      return Kind.Dynamic;
    case 11: // memory.fill mem
      r.u32();
      return Kind.Dynamic;
    case 12: // table.init elem table
      r.u32();
      r.u32();
      return Kind.Dynamic;
    case 13: // elem.drop
      r.u32();
      return Kind.Plain;
    case 14: // table.copy
      r.u32();
      r.u32();
      return Kind.Dynamic;
    case 15: // table.grow
    case 16: // table.size
      r.u32();
      return Kind.Plain;
    case 17: // table.fill
      r.u32();
      return Kind.Dynamic;
    default:
      throw new WasmFormatError(`unsupported instruction 0xfc ${sub}`);
  }
}

function skipSimd(r: Reader): Kind {
  const sub = r.u32();
  // SIMD weights are 1 (most of the replica's table); azle's modules contain no SIMD.
  lastCost = sub === 13 ? 3 : 1;
  if (sub <= 11 || sub === 92 || sub === 93) {
    skipMemarg(r);
  } else if (sub === 12 || sub === 13) {
    r.skip(16);
  } else if (sub >= 21 && sub <= 34) {
    r.skip(1);
  } else if (sub >= 84 && sub <= 91) {
    skipMemarg(r);
    r.skip(1);
  }
  return Kind.Plain;
}

interface Point {
  pos: number;
  cost: number;
  reentrant: boolean;
  dynamic: boolean;
}

function instrumentBody(args: {
  body: Uint8Array;
  paramCount: number;
  counter: number;
}): Uint8Array {
  const { body, paramCount, counter } = args;
  const r = new Reader(body);
  const localsStart = r.pos;
  const groups = r.u32();
  const groupsEnd = r.pos;
  let localCount = 0;
  for (let i = 0; i < groups; i++) {
    localCount += r.u32();
    readValType(r);
  }
  const localsEnd = r.pos;
  const codeStart = r.pos;

  const points: Point[] = [];
  let curr: Point = { pos: codeStart, cost: 1, reentrant: true, dynamic: false };
  let hasDynamic = false;
  while (!r.done) {
    const start = r.pos;
    const op = r.byte();
    const kind = skipImmediates(r, op);
    curr.cost += lastCost;
    switch (kind) {
      case Kind.Plain:
        break;
      case Kind.Loop:
        points.push(curr);
        curr = { pos: r.pos, cost: 0, reentrant: true, dynamic: false };
        break;
      case Kind.If:
      case Kind.Split:
        points.push(curr);
        curr = { pos: r.pos, cost: 0, reentrant: false, dynamic: false };
        break;
      case Kind.Dynamic:
        points.push({ pos: start, cost: 0, reentrant: false, dynamic: true });
        hasDynamic = true;
        break;
    }
  }
  points.push(curr);
  // Stable by position; a dynamic point recorded before its block's static point at the same
  // position stays before it, like the replica's ordering.
  points.sort((a, b) => a.pos - b.pos);

  const tmp = paramCount + localCount;
  const w = new Writer(body.length + points.length * 24 + 16);
  if (hasDynamic) {
    w.u32(groups + 1);
    w.bytes(body.subarray(groupsEnd, localsEnd));
    w.byte(1).byte(0x7f);
  } else {
    w.bytes(body.subarray(localsStart, localsEnd));
  }
  let copied = codeStart;
  for (const point of points) {
    if (!point.dynamic && !point.reentrant && point.cost === 0) continue;
    w.bytes(body.subarray(copied, point.pos));
    copied = point.pos;
    if (point.dynamic) {
      w.byte(0x21).u32(tmp); // local.set tmp
      w.byte(0x23).u32(counter).byte(0x20).u32(tmp).byte(0xad).byte(0x7d).byte(0x24).u32(counter);
      emitCheck(w, counter);
      w.byte(0x20).u32(tmp); // local.get tmp
    } else {
      w.byte(0x23)
        .u32(counter)
        .byte(0x42)
        .s64(BigInt(point.cost))
        .byte(0x7d)
        .byte(0x24)
        .u32(counter);
      if (point.reentrant) emitCheck(w, counter);
    }
  }
  w.bytes(body.subarray(copied));
  return w.finish();
}

/** `if (counter < 0) unreachable` */
function emitCheck(w: Writer, counter: number): void {
  w.byte(0x23)
    .u32(counter)
    .byte(0x42)
    .byte(0x00)
    .byte(0x53)
    .byte(0x04)
    .byte(0x40)
    .byte(0x00)
    .byte(0x0b);
}

function instrumentCode(args: {
  payload: Uint8Array;
  parsed: Parsed;
  counter: number;
}): Uint8Array {
  const { payload, parsed, counter } = args;
  const r = new Reader(payload);
  const n = r.u32();
  if (n !== parsed.funcTypes.length) {
    throw new WasmFormatError('function and code section counts differ');
  }
  const w = new Writer(payload.length + payload.length / 2);
  w.u32(n);
  for (let i = 0; i < n; i++) {
    const size = r.u32();
    const body = r.bytesOf(size);
    const type = parsed.types[parsed.funcTypes[i]];
    if (!type) throw new WasmFormatError(`function ${i} has an unknown type`);
    const out = instrumentBody({ body, paramCount: type.params.length, counter });
    w.u32(out.length).bytes(out);
  }
  return w.finish();
}

function exportEntry(w: Writer, name: string, kind: number, index: number): void {
  w.name(name).byte(kind).u32(index);
}

export function rewriteModule(wasm: Uint8Array, opts: { instrumented: boolean }): RewriteResult {
  const parsed = parse(wasm);
  // The per-byte charge of bulk memory operations reads an i32 length; a 64-bit memory's is i64.
  if (parsed.memory64 && opts.instrumented) {
    throw new WasmFormatError('64-bit memories are not supported in instrumented mode');
  }
  if (parsed.memory64 && parsed.importedMemory) {
    throw new WasmFormatError('an imported 64-bit memory is not supported');
  }
  const globalExports: string[] = [];
  const newExports = new Writer(256);
  let added = 0;
  if (parsed.hasTable) {
    exportEntry(newExports, TABLE_EXPORT, 0x01, 0);
    added++;
  }
  // The host reads and writes the heap through the memory's export; a module need not have one.
  let memoryExport = parsed.exports.find((e) => e.kind === 0x02 && e.index === 0)?.name;
  if (memoryExport === undefined && (parsed.definedMemories > 0 || parsed.importedMemory)) {
    memoryExport = MEMORY_EXPORT;
    exportEntry(newExports, MEMORY_EXPORT, 0x02, 0);
    added++;
  }
  parsed.definedGlobals.forEach((g, i) => {
    if (!g.mutable) return;
    const index = parsed.importedGlobals + i;
    const name = `${GLOBAL_EXPORT_PREFIX}${index}`;
    exportEntry(newExports, name, 0x03, index);
    globalExports.push(name);
    added++;
  });
  const counter = parsed.importedGlobals + parsed.definedGlobals.length;
  if (opts.instrumented) {
    exportEntry(newExports, COUNTER_EXPORT, 0x03, counter);
    added++;
  }

  const replaced = new Map<number, Uint8Array>();
  // export section
  const exportSection = parsed.sections.find((s) => s.id === 7);
  {
    const w = new Writer((exportSection?.payload.length ?? 0) + newExports.length + 8);
    if (exportSection) {
      const r = new Reader(exportSection.payload);
      const count = r.u32();
      w.u32(count + added).bytes(exportSection.payload.subarray(r.pos));
    } else {
      w.u32(added);
    }
    w.bytes(newExports.finish());
    replaced.set(7, w.finish());
  }
  if (opts.instrumented) {
    const globalSection = parsed.sections.find((s) => s.id === 6);
    const w = new Writer((globalSection?.payload.length ?? 0) + 16);
    if (globalSection) {
      const r = new Reader(globalSection.payload);
      const count = r.u32();
      w.u32(count + 1).bytes(globalSection.payload.subarray(r.pos));
    } else {
      w.u32(1);
    }
    w.byte(0x7e).byte(0x01).byte(0x42).byte(0x00).byte(0x0b);
    replaced.set(6, w.finish());
    const code = parsed.sections.find((s) => s.id === 10);
    if (code) replaced.set(10, instrumentCode({ payload: code.payload, parsed, counter }));
  }

  const out = new Writer(wasm.length + (opts.instrumented ? wasm.length / 2 : 1024));
  out.bytes(wasm.subarray(0, 8));
  const pending = new Map(replaced);
  const emit = (id: number, payload: Uint8Array) => {
    out.byte(id).u32(payload.length).bytes(payload);
  };
  for (const s of parsed.sections) {
    const rank = SECTION_ORDER[s.id];
    if (rank !== undefined) {
      // Sections the module lacks are inserted before the first section that must follow them.
      for (const [id, payload] of [...pending]) {
        if (!parsed.sections.some((x) => x.id === id) && SECTION_ORDER[id] < rank) {
          emit(id, payload);
          pending.delete(id);
        }
      }
    }
    const payload = pending.get(s.id);
    if (payload) {
      emit(s.id, payload);
      pending.delete(s.id);
    } else {
      emit(s.id, s.payload);
    }
  }
  for (const [id, payload] of pending) emit(id, payload);

  return {
    bytes: out.finish(),
    info: {
      imports: parsed.imports,
      exports: parsed.exports.map((e) => e.name),
      hasTable: parsed.hasTable,
      memory64: parsed.memory64,
      ...(parsed.importedMemory ? { importedMemory: parsed.importedMemory } : {}),
      memoryExport,
      customSectionsBytes: parsed.customSectionsBytes,
      customSectionNames: parsed.customSectionNames,
      globalExports,
      instrumented: opts.instrumented,
    },
  };
}
