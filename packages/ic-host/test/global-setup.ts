/**
 * Builds the test canisters under test/canisters/<name>/ that are missing or older than their
 * sources, as `.azle/ic-host-<name>/ic-host-<name>.wasm` (prefixed so they cannot collide with
 * other packages' builds in the shared .azle folder).
 */
import { PROJECT_ROOT } from '@repro-registry/deploy';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const CANISTERS = join(import.meta.dirname, 'canisters');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function wasmPathOf(name: string): string {
  return join(PROJECT_ROOT, '.azle', `ic-host-${name}`, `ic-host-${name}.wasm`);
}

export default function setup(): void {
  for (const name of readdirSync(CANISTERS)) {
    const dir = join(CANISTERS, name);
    const wasm = wasmPathOf(name);
    if (existsSync(wasm) && statSync(wasm).mtimeMs >= newestSource(dir)) continue;
    const main = relative(PROJECT_ROOT, join(dir, 'index.ts'));
    execFileSync('npx', ['tsx', 'scripts/build-canister.ts', `ic-host-${name}=${main}`], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}
