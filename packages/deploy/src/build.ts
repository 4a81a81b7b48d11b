/**
 * Reproducible build of an azle canister.
 *
 * `azle build` embeds the absolute path of the bundled `main.js` in the wasm (its env JSON
 * `mainJsPath`), and it copies a few AZLE_* variables from the builder's environment into the
 * module. Either makes the module hash depend on the machine. This script drives the same azle
 * 0.33.0 build steps (bundle with esbuild, derive Candid and method metadata, patch the
 * prebuilt stable template with binaryen) but hands azle a fixed, machine-independent
 * `mainJsPath` and a fixed environment, so the module has the same SHA-256 in every checkout.
 * `mainJsPath` is only the module name the JS engine uses in stack traces.
 *
 * Output: .azle/<name>/<name>.wasm, .azle/<name>/<name>.did, .azle/<name>/main.js
 * (command line: `tsx scripts/build-canister.ts <canister-name>[=<main.ts>]...`).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { lebEncode } from '@dfinity/candid';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils';

import { PROJECT_ROOT, readDfxJson } from './project';

const AZLE_VERSION = '0.33.0';

/**
 * What a dfx.json `azle.prebuild` step (a module whose default export runs it) returns: the
 * project files it read, relative to the project root, so a change in them rebuilds the canister.
 */
export interface PrebuildResult {
  inputs: string[];
  /** Files it wrote that the bundle imports: products of this build, not inputs. */
  outputs: string[];
}

export interface BuiltCanister {
  name: string;
  wasmPath: string;
  candidPath: string;
  sha256: string;
  bytes: number;
}

async function entryFromDfxJson(name: string): Promise<{ main: string; prebuild?: string }> {
  const dfx = await readDfxJson();
  const config = dfx.canisters[name];
  const main = config?.azle?.main ?? config?.main;
  if (main === undefined) throw new Error(`dfx.json has no azle canister "${name}"`);
  return { main, ...(config?.azle?.prebuild ? { prebuild: config.azle.prebuild } : {}) };
}

async function loadAzleInternals(): Promise<{
  compileJavaScript: (main: string) => Promise<string>;
  getCandidAndMethodMeta: (
    candidGen: string | undefined,
    candidPath: string,
    js: string,
    ioType: 'pipe',
    wasmData: unknown,
  ) => Promise<{ candid: string; methodMeta: unknown }>;
  getWasmBinary: (
    ioType: 'pipe',
    js: string,
    wasmData: unknown,
    methodMeta?: unknown,
  ) => Promise<Uint8Array>;
}> {
  const azleRoot = join(PROJECT_ROOT, 'node_modules', 'azle');
  const pkg = JSON.parse(await readFile(join(azleRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  if (pkg.version !== AZLE_VERSION) {
    // The build reaches into azle's internals; another version may lay them out differently
    // or produce a different module. Fail instead of silently producing another hash.
    throw new Error(`azle ${AZLE_VERSION} is required, found ${pkg.version}: run npm ci`);
  }
  const build = join(azleRoot, 'src', 'stable', 'build', 'commands', 'build');
  type Internals = Awaited<ReturnType<typeof loadAzleInternals>>;
  const imp = async <T>(p: string): Promise<T> =>
    (await import(pathToFileURL(join(build, p)).href)) as T;
  const [js, meta, wasm] = await Promise.all([
    imp<{ compile: Internals['compileJavaScript'] }>('javascript.ts'),
    imp<{ getCandidAndMethodMeta: Internals['getCandidAndMethodMeta'] }>(
      'candid_and_method_meta/index.ts',
    ),
    imp<{ getWasmBinary: Internals['getWasmBinary'] }>('wasm_binary/index.ts'),
  ]);
  return {
    compileJavaScript: js.compile,
    getCandidAndMethodMeta: meta.getCandidAndMethodMeta,
    getWasmBinary: wasm.getWasmBinary,
  };
}

/**
 * The canister's declared interface (dfx.json `candid`, when it is a source file rather than
 * the build's own output), as dfx puts it in `candid:service`.
 */
async function serviceCandid(name: string): Promise<{ path: string; text: string } | undefined> {
  const declared = (await readDfxJson()).canisters[name]?.candid;
  if (!declared || declared.startsWith('.azle/')) return undefined;
  return { path: declared, text: await readFile(join(PROJECT_ROOT, declared), 'utf8') };
}

/** Appends a custom section (id 0: name, then content) to a Wasm module. */
export function withCustomSection(wasm: Uint8Array, name: string, content: Uint8Array) {
  const nameBytes = utf8ToBytes(name);
  const payload = concatBytes(lebEncode(nameBytes.length), nameBytes, content);
  return concatBytes(wasm, Uint8Array.of(0), lebEncode(payload.length), payload);
}

/**
 * Builds the canister `name`. Its entry point comes from dfx.json unless `main` (a path relative
 * to the project root) is given: test canisters are built that way without being deployable.
 */
export async function buildCanister(name: string, main?: string): Promise<BuiltCanister> {
  // Files outside the bundle that shape the module: this build code, the azle it drives, and
  // what a prebuild step read.
  const inputs = ['packages/deploy/src/build.ts', 'node_modules/azle/package.json'];
  // Compared with the inputs' times later: a file saved while this build runs rebuilds next time.
  const started = Date.now();
  const generated: string[] = [];
  if (main === undefined) {
    const entry = await entryFromDfxJson(name);
    main = entry.main;
    // A step that generates sources the bundle imports (the frontend canister embeds the app).
    if (entry.prebuild !== undefined) {
      const step = (await import(pathToFileURL(join(PROJECT_ROOT, entry.prebuild)).href)) as {
        default: (projectRoot: string) => Promise<PrebuildResult>;
      };
      const result = await step.default(PROJECT_ROOT);
      inputs.push(entry.prebuild, ...result.inputs);
      generated.push(...result.outputs);
    }
  }

  // azle resolves `main` against the dfx root; the absolute path only reaches esbuild's
  // import resolution, not the output.
  process.env.AZLE_DFX_ROOT = PROJECT_ROOT;
  for (const v of ['AZLE_CANISTER_BACKTRACES', 'AZLE_DEV_TEMPLATE', 'AZLE_RECORD_BENCHMARKS']) {
    delete process.env[v];
  }
  const azle = await loadAzleInternals();

  const outDir = join(PROJECT_ROOT, '.azle', name);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const javaScript = await azle.compileJavaScript(main);
  await writeFile(join(outDir, 'main.js'), javaScript);

  const wasmData = {
    envVars: [['AZLE_VERSION', AZLE_VERSION]],
    // Fixed and relative: the same in every checkout (see the header comment).
    mainJsPath: `.azle/${name}/main.js`,
  };
  const candidPath = join(outDir, `${name}.did`);
  const { candid, methodMeta } = await azle.getCandidAndMethodMeta(
    'automatic',
    candidPath,
    javaScript,
    'pipe',
    wasmData,
  );
  await writeFile(candidPath, candid);

  const built = await azle.getWasmBinary('pipe', javaScript, wasmData, methodMeta);
  // Like dfx and icp-cli: the interface as public metadata, so tools decode replies by name.
  const declared = await serviceCandid(name);
  if (declared !== undefined) inputs.push(declared.path);
  const service = declared?.text ?? candid;
  const wasm = withCustomSection(built, `icp:public candid:service`, utf8ToBytes(service));
  const wasmPath = join(outDir, `${name}.wasm`);
  await writeFile(wasmPath, wasm);
  // Written after the wasm: a build that fails half-way leaves no record, so it runs again.
  inputs.push(...bundleInputs(javaScript).filter((f) => !generated.includes(f)));
  await writeFile(
    inputsPath(name),
    JSON.stringify({ started, inputs: [...new Set(inputs)].sort() }, null, 1),
  );
  const sha256 = createHash('sha256').update(wasm).digest('hex');
  return { name, wasmPath, candidPath, sha256, bytes: wasm.byteLength };
}

/**
 * The project files a bundle was built from. esbuild names every module it bundles in a
 * `// path` line of its (unminified) output, relative to the directory it ran in (the project
 * root): the bundle itself is the one true list of its inputs, so no hand-kept list of source
 * folders can fall behind a new import.
 */
export function bundleInputs(bundle: string): string[] {
  const inputs = new Set<string>();
  for (const match of bundle.matchAll(/^\/\/ ([^\s<>]+\.(?:[cm]?[jt]sx?|json|svelte|did))$/gm)) {
    inputs.add(match[1]);
  }
  return [...inputs].sort();
}

/** Where a build records what it was built from (see `ensureCanisterBuilt`). */
const inputsPath = (name: string) => join(PROJECT_ROOT, '.azle', name, 'inputs.json');

/**
 * Builds canister `name` (`main` as for `buildCanister`) unless its wasm exists and no file it
 * was built from changed since: the bundle's modules, the declared Candid, what a prebuild step
 * reported (the frontend app) and this build code. A missing or deleted input rebuilds.
 */
export async function ensureCanisterBuilt(name: string, main?: string): Promise<string> {
  const wasm = join(PROJECT_ROOT, '.azle', name, `${name}.wasm`);
  if (await isStale(wasm, inputsPath(name))) await buildCanister(name, main);
  return wasm;
}

async function isStale(wasm: string, inputsFile: string): Promise<boolean> {
  const mtime = (path: string) =>
    stat(path).then(
      (s) => s.mtimeMs,
      () => undefined,
    );
  if ((await mtime(wasm)) === undefined) return true;
  const recorded = await readFile(inputsFile, 'utf8').then(
    (text) => JSON.parse(text) as { started?: unknown; inputs?: unknown },
    () => ({ started: undefined, inputs: undefined }),
  );
  const { started, inputs } = recorded;
  // No record: built by an older build, or the build failed before the end. Rebuild.
  if (typeof started !== 'number' || !Array.isArray(inputs)) return true;
  const times = await Promise.all(
    (inputs as string[]).map((input) => mtime(join(PROJECT_ROOT, input))),
  );
  return times.some((t) => t === undefined || t > started);
}
