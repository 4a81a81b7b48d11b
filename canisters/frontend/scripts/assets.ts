/**
 * Build step of the frontend canister: builds the Svelte app (frontend/dist) and writes every
 * file of it, with its content type, cache policy and compressed variants, into
 * `src/generated/assets.js`, which the canister's bundle embeds. So the canister's module hash
 * covers the page: a voter who rebuilds the module and compares hashes has checked the page too.
 *
 * Reproducible on any machine: files in path order; gzip by fflate and Brotli by brotli-wasm
 * (Google's encoder compiled to wasm), both pure and pinned by the lockfile — not Node's zlib,
 * whose output depends on the Node version it ships with. No timestamps (gzip mtime 0).
 *
 * Run by scripts/build-canister.ts before bundling (dfx.json `azle.prebuild`).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';

import type { PrebuildResult } from '@repro-registry/deploy';

import { gzipSync } from 'fflate';

const require = createRequire(import.meta.url);
const brotli = require('brotli-wasm') as {
  compress(data: Uint8Array, options: { quality: number }): Uint8Array;
};

/** Content types by extension; a file of another kind fails the build, never goes out untyped. */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.txt', '.svg']);
/** A variant is kept only when it saves at least this share of the bytes. */
const MIN_SAVING = 0.1;
/**
 * The largest body served in one reply: a query reply holds at most 3 MiB, headers and the
 * certificate included. Larger files would need streaming, which the canister does not do.
 */
export const MAX_BODY_BYTES = 2_500_000;

export interface BuiltAsset {
  /** URL path, e.g. `/assets/index-BuudPdtj.js`. */
  path: string;
  contentType: string;
  /** Vite's content-hashed output (`/assets/`): cacheable for ever. */
  immutable: boolean;
  identity: Uint8Array;
  gzip: Uint8Array | null;
  br: Uint8Array | null;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function smaller(candidate: Uint8Array, identity: Uint8Array): Uint8Array | null {
  return candidate.length <= identity.length * (1 - MIN_SAVING) ? candidate : null;
}

/** Reads a built app directory into assets (pure apart from reading the files). */
export async function readAssets(distDir: string): Promise<BuiltAsset[]> {
  const assets: BuiltAsset[] = [];
  for (const file of await filesUnder(distDir)) {
    const path = '/' + relative(distDir, file).split(sep).join('/');
    const ext = extname(file).toLowerCase();
    const contentType = CONTENT_TYPES[ext];
    if (contentType === undefined) {
      throw new Error(`${path}: no content type for "${ext}" files (add one to CONTENT_TYPES)`);
    }
    const identity = new Uint8Array(await readFile(file));
    const compressible = COMPRESSIBLE.has(ext);
    const asset: BuiltAsset = {
      path,
      contentType,
      immutable: path.startsWith('/assets/'),
      identity,
      gzip: compressible ? smaller(gzipSync(identity, { level: 9, mtime: 0 }), identity) : null,
      br: compressible ? smaller(brotli.compress(identity, { quality: 11 }), identity) : null,
    };
    for (const body of [asset.identity, asset.gzip, asset.br]) {
      if (body !== null && body.length > MAX_BODY_BYTES) {
        throw new Error(`${path}: ${body.length} bytes do not fit one reply (${MAX_BODY_BYTES})`);
      }
    }
    assets.push(asset);
  }
  if (!assets.some((a) => a.path === '/index.html'))
    throw new Error(`${distDir} has no index.html`);
  return assets;
}

const b64 = (bytes: Uint8Array | null): string =>
  bytes === null ? 'null' : JSON.stringify(Buffer.from(bytes).toString('base64'));
/**
 * SHA-256 of a body, so that install and upgrade need not hash 0.7 MB in the canister's
 * interpreter (about 20 B instructions). A wrong hash cannot slip through: the certification
 * built from it would not verify, and the tests verify every body.
 */
const hash = (bytes: Uint8Array | null): string =>
  bytes === null ? 'null' : JSON.stringify(createHash('sha256').update(bytes).digest('hex'));

/** The module the canister imports (shape: src/generated/assets.d.ts). */
export function assetsModule(assets: readonly BuiltAsset[]): string {
  const lines = assets.map(
    (a) =>
      `  { path: ${JSON.stringify(a.path)}, contentType: ${JSON.stringify(a.contentType)}, immutable: ${a.immutable}, identity: ${b64(a.identity)}, gzip: ${b64(a.gzip)}, br: ${b64(a.br)}, sha256: { identity: ${hash(a.identity)}, gzip: ${hash(a.gzip)}, br: ${hash(a.br)} } },`,
  );
  return `// Generated by canisters/frontend/scripts/assets.ts from frontend/dist. Do not edit.\nexport const ASSETS = [\n${lines.join('\n')}\n];\n`;
}

/**
 * The project files that shape the page but are not modules of it: the page, the build's
 * configuration and its own plugins (frontend/vite/, changes to dependencies' code), package
 * files. Those that exist, relative to the project's root.
 */
export async function filesOutsideModuleGraph(projectRoot: string): Promise<string[]> {
  const frontend = join(projectRoot, 'frontend');
  const plugins = (await readdir(join(frontend, 'vite')).catch(() => []))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => `vite/${f}`);
  const candidates = ['index.html', 'vite.config.ts', 'package.json', 'tsconfig.json', ...plugins];
  const present = await Promise.all(
    candidates.map((f) =>
      stat(join(frontend, f)).then(
        () => `frontend/${f}`,
        () => '',
      ),
    ),
  );
  return present.filter((f) => f !== '');
}

/**
 * Builds the app and writes the generated module. Returns the project files the app was built
 * from (Vite reports its modules; the page, the build configuration and package files are read
 * outside the module graph), so the canister rebuilds when the page would change.
 */
export default async function buildFrontendAssets(projectRoot: string): Promise<PrebuildResult> {
  // Variables Vite would embed are dropped: the page reads its configuration at run time. And
  // NODE_ENV is fixed: under a test runner (NODE_ENV=test) Vite and Svelte build another bundle.
  const env = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(VITE_|CANISTER_ID_|DFX_|IC_)/.test(k)),
    ),
    NODE_ENV: 'production',
    REPRO_BUILD_INPUTS: join(await mkdtemp(join(tmpdir(), 'repro-frontend-')), 'inputs.json'),
  };
  const built = spawnSync('npm', ['run', 'build', '--silent', '-w', 'frontend'], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) throw new Error('building the frontend (frontend/dist) failed');
  const assets = await readAssets(join(projectRoot, 'frontend', 'dist'));
  const generated = 'canisters/frontend/src/generated/assets.js';
  await writeFile(join(projectRoot, generated), assetsModule(assets));
  const modules = JSON.parse(await readFile(env.REPRO_BUILD_INPUTS, 'utf8')) as string[];
  await rm(dirname(env.REPRO_BUILD_INPUTS), { recursive: true, force: true });
  return {
    inputs: [...modules, ...(await filesOutsideModuleGraph(projectRoot)), 'package-lock.json'],
    outputs: [generated],
  };
}
