/**
 * Builds a canister's wasm when it is missing or older than any source it is built from, for
 * test setups that may run without `npm run build` first.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { PROJECT_ROOT, buildCanister } from './build-canister';

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

export async function ensureCanisterBuilt(name: string, sourceDirs: string[]): Promise<string> {
  const wasm = join(PROJECT_ROOT, '.azle', name, `${name}.wasm`);
  const built = await stat(wasm).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const sources = await Promise.all(sourceDirs.map((d) => newestMtime(join(PROJECT_ROOT, d))));
  if (built === 0 || Math.max(...sources) > built) await buildCanister(name);
  return wasm;
}
