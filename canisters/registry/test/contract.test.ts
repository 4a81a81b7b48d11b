/**
 * `registry.did` is the API contract. The canister declares its methods from the bindings
 * generated from it, and the build derives the canister's interface from its code; this test
 * fails when the two describe different services.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { IDL } from '@dfinity/candid';
import { describe, expect, it } from 'vitest';

import { DID_PATH, renderBindings } from '../../../packages/registry-api/scripts/generate-bindings';
import { PROJECT_ROOT } from '@repro-registry/deploy';

async function serviceOf(didPath: string): Promise<IDL.ServiceClass> {
  const dir = await mkdtemp(join(tmpdir(), 'did-'));
  try {
    const file = join(dir, 'bindings.ts');
    await writeFile(file, await renderBindings(didPath));
    const module = (await import(file)) as { idlFactory: IDL.InterfaceFactory };
    return module.idlFactory({ IDL });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Each method's signature in Candid text, with types inlined: names of types don't matter. */
function signatures(service: IDL.ServiceClass): Record<string, string> {
  return Object.fromEntries(service._fields.map(([name, func]) => [name, func.display()]));
}

describe('the Candid contract', () => {
  it('registry.did describes exactly what the built canister exports', async () => {
    const committed = await serviceOf(DID_PATH);
    const built = await serviceOf(join(PROJECT_ROOT, '.azle/registry/registry.did'));
    expect(signatures(built)).toEqual(signatures(committed));
  });
});
