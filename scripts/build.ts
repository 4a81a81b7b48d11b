/**
 * `npm run build`: everything that is built, offline, in one go —
 *   1. the canister wasm modules (reproducibly; see build-canister.ts), with their SHA-256,
 *   2. the CLI bundle and the frontend (when their workspaces define a build),
 *   3. a type-check of the whole repository (azle's build does not type-check).
 *
 * Flags: --canisters-only (just step 1), --no-typecheck.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { PROJECT_ROOT, buildCanister } from '@repro-registry/deploy';

const args = new Set(process.argv.slice(2));

function run(command: string, commandArgs: string[], label: string): void {
  const started = Date.now();
  const result = spawnSync(command, commandArgs, { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build: ${label} failed`);
    process.exit(result.status ?? 1);
  }
  console.log(`build: ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function hasBuildScript(workspace: string): Promise<boolean> {
  try {
    const pkg = JSON.parse(
      await readFile(join(PROJECT_ROOT, workspace, 'package.json'), 'utf8'),
    ) as {
      scripts?: Record<string, string>;
    };
    return pkg.scripts?.build !== undefined;
  } catch {
    return false;
  }
}

const dfx = JSON.parse(await readFile(join(PROJECT_ROOT, 'dfx.json'), 'utf8')) as {
  canisters: Record<string, { azle?: unknown }>;
};
for (const name of Object.keys(dfx.canisters).filter((n) => dfx.canisters[n]?.azle !== undefined)) {
  const started = Date.now();
  const built = await buildCanister(name);
  console.log(
    `build: ${name}.wasm sha256 ${built.sha256} (${built.bytes} bytes, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}
if (!args.has('--canisters-only')) {
  for (const workspace of ['cli', 'frontend']) {
    if (await hasBuildScript(workspace))
      run('npm', ['run', 'build', '--silent', '-w', workspace], workspace);
  }
  if (!args.has('--no-typecheck')) {
    run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], 'type-check');
    run(
      'npx',
      ['tsc', '--noEmit', '-p', 'tsconfig.azle.json'],
      'type-check (canister entry points)',
    );
  }
}
