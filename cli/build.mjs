// Bundles the CLI into dist/ with esbuild: one small entry chunk for fast startup (`--help`
// loads no agent, no crypto), the rest split into chunks loaded when a command needs them.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export async function buildCli({ quiet = false } = {}) {
  rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { repro: 'src/entry.ts' },
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    define: { __REPRO_VERSION__: JSON.stringify(pkg.version) },
    // Bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __reproRequire } from 'node:module'; const require = __reproRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
  });
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const result = await buildCli();
  const bytes = Object.entries(result.metafile.outputs)
    .filter(([f]) => f.endsWith('.js'))
    .reduce((n, [, o]) => n + o.bytes, 0);
  console.log(
    `built cli/dist (${(bytes / 1024).toFixed(0)} KiB of JS) in ${Date.now() - started} ms`,
  );
}
