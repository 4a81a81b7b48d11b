/**
 * Generates the registry's Candid bindings from the committed contract
 * `canisters/registry/registry.did` with DFINITY's bindgen, then points its imports at the
 * `@dfinity/*` packages this project uses (bindgen targets their newer `@icp-sdk/core` names,
 * which re-export the same modules).
 *
 *   npm run generate -w packages/registry-api                          # write
 *   npx tsx packages/registry-api/scripts/generate-bindings.ts --check  # fail when stale
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { generate } from '@icp-sdk/bindgen/core';

const here = dirname(fileURLToPath(import.meta.url));
export const DID_PATH = resolve(here, '../../../canisters/registry/registry.did');
export const BINDINGS_PATH = resolve(here, '../src/declarations/registry.did.ts');

export async function renderBindings(didPath = DID_PATH): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'registry-bindings-'));
  try {
    await generate({
      didFile: didPath,
      outDir: out,
      output: {
        force: true,
        actor: { disabled: true },
        declarations: { typescript: true, flat: true, rootExports: true },
      },
    });
    const generated = await readFile(join(out, 'registry.did.ts'), 'utf8');
    return generated
      .replaceAll("'@icp-sdk/core/agent'", "'@dfinity/agent'")
      .replaceAll("'@icp-sdk/core/principal'", "'@dfinity/principal'")
      .replaceAll("'@icp-sdk/core/candid'", "'@dfinity/candid'")
      .replace(
        '// This file was automatically generated',
        // Generated code is not held to our lint rules (it declares types it doesn't use).
        '// @ts-nocheck\n// Generated from canisters/registry/registry.did by packages/registry-api/scripts/generate-bindings.ts\n// This file was automatically generated',
      );
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rendered = await renderBindings();
  if (process.argv.includes('--check')) {
    const committed = await readFile(BINDINGS_PATH, 'utf8').catch(() => '');
    if (committed !== rendered) {
      console.error(
        'packages/registry-api/src/declarations/registry.did.ts is stale: run npm run generate -w packages/registry-api',
      );
      process.exit(1);
    }
    console.log('bindings are up to date');
  } else {
    await writeFile(BINDINGS_PATH, rendered);
    console.log(`wrote ${BINDINGS_PATH}`);
  }
}
