/** The one generated copy of the contract is generated from the current `registry.did`. */
import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { BINDINGS_PATH, renderBindings } from '../scripts/generate-bindings';

describe('the generated bindings', () => {
  it('are what bindgen makes of the current registry.did', async () => {
    expect(await readFile(BINDINGS_PATH, 'utf8')).toBe(await renderBindings());
  });
});
