/** Where the project is, and its dfx.json: the one definition every script, test and bench uses. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The repository's root directory (this file is `packages/deploy/src/project.ts`). */
export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..', '..');

export interface DfxCanister {
  type?: string;
  main?: string;
  /** `prebuild`: a module whose default export `(projectRoot) => Promise<unknown>` runs before
   *  bundling (the frontend canister embeds the built app that way). */
  azle?: { main: string; prebuild?: string };
  wasm?: string;
  candid?: string;
  build?: string | string[];
  remote?: { id?: Record<string, string> };
}

export interface DfxJson {
  canisters: Record<string, DfxCanister>;
  networks?: Record<string, { bind?: string; providers?: string[]; type?: string }>;
}

export async function readDfxJson(projectRoot = PROJECT_ROOT): Promise<DfxJson> {
  try {
    return JSON.parse(await readFile(join(projectRoot, 'dfx.json'), 'utf8')) as DfxJson;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { canisters: {} };
    throw new Error(`cannot read dfx.json: ${(e as Error).message}`, { cause: e });
  }
}
