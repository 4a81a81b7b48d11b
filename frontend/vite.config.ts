import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, loadEnv, type Plugin } from 'vite';

import { blsFrobeniusPrecomputed } from './vite/bls-frobenius';
import { blsOffMainThread } from './vite/bls-off-main-thread';
import { candidLabelIdsCached } from './vite/candid-label-ids';
import { candidSlebDecodeWithoutCopy } from './vite/candid-sleb-decode';

/** What `advancedChunks`' name function may ask about a module. */
interface ModuleGraph {
  getModuleInfo(id: string): { isEntry: boolean; importers: readonly string[] } | null;
}

/**
 * Whether a module is part of the first load: a static import path leads to it from an entry
 * module. Modules only imported on demand (a builder's page, an attestation's permalink, the
 * main-thread verifier used when workers fail, the plots) and what only they use are not.
 */
function inFirstLoad(): (id: string, graph: ModuleGraph) => boolean {
  const known = new Map<string, boolean>();
  const visit = (id: string, graph: ModuleGraph): boolean => {
    const cached = known.get(id);
    if (cached !== undefined) return cached;
    known.set(id, false); // an import cycle does not make a module reachable
    const info = graph.getModuleInfo(id);
    const reachable =
      info !== null && (info.isEntry || info.importers.some((importer) => visit(importer, graph)));
    known.set(id, reachable);
    return reachable;
  };
  return visit;
}

const frontendRoot = fileURLToPath(new URL('.', import.meta.url));
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * When REPRO_BUILD_INPUTS names a file, writes there every module the app (and its workers) was
 * built from, relative to the project root: the frontend canister embeds the app, and its build
 * rebuilds when one of these changes (packages/deploy `ensureCanisterBuilt`).
 */
function recordInputs(): Plugin {
  const modules = new Set<string>();
  return {
    name: 'repro-record-inputs',
    apply: 'build',
    buildEnd() {
      const out = process.env['REPRO_BUILD_INPUTS'];
      if (!out) return;
      for (const id of this.getModuleIds()) {
        const file = id.split('?')[0];
        if (id.startsWith('\0') || !file.startsWith('/')) continue; // virtual modules
        modules.add(relative(projectRoot, file));
      }
      writeFileSync(out, JSON.stringify([...modules].sort()));
    },
  };
}

// The deploy step writes CANISTER_ID_REGISTRY into the project's .env (dfx's convention);
// `npm run dev` proxies the IC HTTP interface so the page can use its own origin as the host.
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, projectRoot, ['CANISTER_ID_', 'IC_', 'DFX_']);
  const network = process.env['IC_HOST'] ?? env['IC_HOST'] ?? 'http://127.0.0.1:4943';
  const proxy = { '/api': { target: network, changeOrigin: true } };
  const firstLoad = inFirstLoad();
  return {
    root: frontendRoot,
    envDir: projectRoot,
    envPrefix: ['VITE_', 'CANISTER_ID_'],
    plugins: [
      svelte(),
      recordInputs(),
      candidSlebDecodeWithoutCopy(),
      candidLabelIdsCached(),
      blsOffMainThread(),
      blsFrobeniusPrecomputed(),
    ],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2022',
      // One hashed file per chunk; the assets canister serves them with long cache lifetimes.
      assetsInlineLimit: 0,
      rollupOptions: {
        output: {
          // The first load in one chunk: otherwise the pages loaded on demand split the modules
          // they share with the app into several small chunks, which compress worse than one
          // (measured: moving the builder's page out then saved nothing). Initial JS, gzip:
          // 150.4 KB as two chunks without lazy pages, 149.0 KB this way (budget 150 KB).
          // The entry module itself stays out, so the manifest keeps `index.html` as the entry
          // that imports the chunk (the bench reads it).
          codeSplitting: {
            groups: [
              {
                debugName: 'app',
                name: (id: string, graph: ModuleGraph) =>
                  !/\/src\/main\.ts$|index\.html/.test(id) && firstLoad(id, graph) ? 'app' : null,
              },
            ],
          },
        },
      },
    },
    // The certificate worker loads noble's BLS12-381: its tower's constants come precomputed too.
    worker: {
      format: 'es',
      plugins: () => [recordInputs(), blsFrobeniusPrecomputed({ inWorker: true })],
    },
    server: { proxy },
    preview: { proxy },
  };
});
