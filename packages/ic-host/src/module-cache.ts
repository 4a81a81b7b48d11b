/**
 * Loads canister modules: un-gzips, checks every import against the System API this host
 * implements (an unknown one fails loudly, naming it), rewrites (see wasm/rewrite.ts) and
 * compiles. Results are cached by SHA-256 of the module and mode, process-wide, so installing
 * the same 3.5 MB module again (another canister, another host, a restart) costs nothing.
 */
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { gunzipSync } from 'node:zlib';
import { IcHostError } from './errors';
import { systemApiSignature } from './system-api';

// The IC runs modules with a 64-bit memory (Wasm64); Node 20's V8 compiles them behind this
// flag. It only adds to what compiles: 32-bit modules are unaffected.
setFlagsFromString('--experimental-wasm-memory64');
import { WasmFormatError } from './wasm/leb';
import { rewriteModule, type FuncType, type ModuleInfo } from './wasm/rewrite';

/** A module's `icp:public <name>` / `icp:private <name>` custom sections, by name. */
export type CanisterMetadata = ReadonlyMap<
  string,
  { visibility: 'public' | 'private'; content: Uint8Array }
>;

/** The metadata sections of a compiled module (read with `WebAssembly.Module.customSections`). */
function metadataOf(module: WebAssembly.Module, names: readonly string[]): CanisterMetadata {
  const out = new Map<string, { visibility: 'public' | 'private'; content: Uint8Array }>();
  for (const visibility of ['public', 'private'] as const) {
    const prefix = `icp:${visibility} `;
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const [content] = WebAssembly.Module.customSections(module, name);
      if (content)
        out.set(name.slice(prefix.length), { visibility, content: new Uint8Array(content) });
    }
  }
  return out;
}

export interface LoadedModule {
  /** SHA-256 of the Wasm after un-gzipping (the cache key; not the module hash). */
  wasmSha256: string;
  module: WebAssembly.Module;
  info: ModuleInfo;
  exports: ReadonlySet<string>;
  metadata: CanisterMetadata;
  rewriteMs: number;
  compileMs: number;
}

const TYPE_NAMES: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64' };

function signature(t: FuncType): string {
  const names = (xs: number[]) => xs.map((x) => TYPE_NAMES[x] ?? `0x${x.toString(16)}`).join(', ');
  return `(${names(t.params)}) -> (${names(t.results)})`;
}

function checkImports(info: ModuleInfo): void {
  for (const imp of info.imports) {
    const where = `'${imp.module}.${imp.name}'`;
    // Like the replica: a memory may be imported, from "env" only.
    if (imp.kind === 'memory' && imp.module === 'env') continue;
    if (imp.module !== 'ic0' || imp.kind !== 'function') {
      throw new IcHostError(
        'UNSUPPORTED_IMPORT',
        `Wasm module has an invalid import section. Module imports ${imp.kind} ${where}, which this host does not provide (only functions of the "ic0" module and a memory from "env").`,
      );
    }
    const expected = systemApiSignature(imp.name, info.memory64);
    if (!expected) {
      throw new IcHostError(
        'UNSUPPORTED_IMPORT',
        `Wasm module has an invalid import section. Module imports function ${where} that this host does not implement.`,
      );
    }
    const actual = imp.type ? signature(imp.type) : 'unknown';
    if (actual !== expected) {
      throw new IcHostError(
        'UNSUPPORTED_IMPORT',
        `Wasm module has an invalid import section. Function ${where} is imported with type ${actual}, expected ${expected}.`,
      );
    }
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

export class ModuleCache {
  private readonly entries = new Map<string, LoadedModule>();

  /** Loads `wasm` (raw or gzipped). Throws IcHostError (INVALID_WASM, UNSUPPORTED_IMPORT). */
  load(wasm: Uint8Array, opts: { instrumented: boolean }): LoadedModule {
    let raw = wasm;
    if (isGzip(wasm)) {
      try {
        raw = new Uint8Array(gunzipSync(wasm));
      } catch (e) {
        throw new IcHostError(
          'INVALID_WASM',
          `Failed to decompress the gzipped Wasm module: ${String(e)}`,
        );
      }
    }
    const digest = createHash('sha256').update(raw).digest('hex');
    const key = `${digest}:${opts.instrumented ? 'instrumented' : 'plain'}`;
    const cached = this.entries.get(key);
    if (cached) return cached;

    const t0 = performance.now();
    let rewritten;
    try {
      rewritten = rewriteModule(raw, opts);
    } catch (e) {
      if (e instanceof WasmFormatError) {
        throw new IcHostError('INVALID_WASM', `Wasm module could not be decoded: ${e.message}`, {
          cause: e,
        });
      }
      throw e;
    }
    checkImports(rewritten.info);
    const t1 = performance.now();
    let module: WebAssembly.Module;
    try {
      module = new WebAssembly.Module(rewritten.bytes as Uint8Array<ArrayBuffer>);
    } catch (e) {
      throw new IcHostError(
        'INVALID_WASM',
        `Wasm module failed to compile: ${(e as Error).message}`,
        { cause: e },
      );
    }
    const t2 = performance.now();
    const loaded: LoadedModule = {
      wasmSha256: digest,
      module,
      info: rewritten.info,
      exports: new Set(rewritten.info.exports),
      metadata: metadataOf(module, rewritten.info.customSectionNames),
      rewriteMs: t1 - t0,
      compileMs: t2 - t1,
    };
    this.entries.set(key, loaded);
    return loaded;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Shared by all hosts in the process unless a host is given its own. */
export const defaultModuleCache = new ModuleCache();
