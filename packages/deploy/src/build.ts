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
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { lebEncode } from '@dfinity/candid';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils';

import { PROJECT_ROOT, readDfxJson } from './project';

const AZLE_VERSION = '0.33.0';

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
async function serviceCandid(name: string): Promise<string | undefined> {
  const declared = (await readDfxJson()).canisters[name]?.candid;
  if (!declared || declared.startsWith('.azle/')) return undefined;
  return readFile(join(PROJECT_ROOT, declared), 'utf8');
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
  if (main === undefined) {
    const entry = await entryFromDfxJson(name);
    main = entry.main;
    // A step that generates sources the bundle imports (the frontend canister embeds the app).
    if (entry.prebuild !== undefined) {
      const step = (await import(pathToFileURL(join(PROJECT_ROOT, entry.prebuild)).href)) as {
        default: (projectRoot: string) => Promise<unknown>;
      };
      await step.default(PROJECT_ROOT);
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
  const service = (await serviceCandid(name)) ?? candid;
  const wasm = withCustomSection(built, `icp:public candid:service`, utf8ToBytes(service));
  const wasmPath = join(outDir, `${name}.wasm`);
  await writeFile(wasmPath, wasm);
  const sha256 = createHash('sha256').update(wasm).digest('hex');
  return { name, wasmPath, candidPath, sha256, bytes: wasm.byteLength };
}

/** The newest modification time of the source files under `dir` (or of `dir` if it is a file). */
export async function newestMtime(dir: string): Promise<number> {
  const self = await stat(dir);
  if (self.isFile()) return self.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(ts|js|json|svelte|css|html)$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    if (path.includes('node_modules')) continue;
    newest = Math.max(newest, (await stat(path)).mtimeMs);
  }
  return newest;
}

/**
 * Builds canister `name` when its wasm is missing or older than any of `sourceDirs` (relative
 * to the project root); `main` as for `buildCanister`.
 */
export async function ensureCanisterBuilt(
  name: string,
  sourceDirs: string[],
  main?: string,
): Promise<string> {
  const wasm = join(PROJECT_ROOT, '.azle', name, `${name}.wasm`);
  const built = await stat(wasm).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const sources = await Promise.all(sourceDirs.map((d) => newestMtime(join(PROJECT_ROOT, d))));
  if (built === 0 || Math.max(...sources) > built) await buildCanister(name, main);
  return wasm;
}
