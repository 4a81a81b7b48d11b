import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { LABEL_IDS_KEPT, LABEL_TO_ID, withCachedLabelIds } from './candid-label-ids';

// The installed module, as the app's build sees it.
const candidIndex = createRequire(import.meta.url).resolve('@dfinity/candid');
const esmUtils = join(dirname(candidIndex), '..', 'esm', 'utils');
const hashPath = join(esmUtils, 'hash.js');

interface HashModule {
  idlLabelToId(label: string): number;
}

// Beside the installed packages: Vite resolves some absolute paths (/tmp/…) against its root.
const cache = join(dirname(candidIndex), '..', '..', '..', '..', '.cache');
mkdirSync(cache, { recursive: true });
const copy = mkdtempSync(join(cache, 'candid-label-ids-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('Candid label ids computed once per label', () => {
  it('changes only idlLabelToId in the installed @dfinity/candid', () => {
    const source = readFileSync(hashPath, 'utf8');
    const patched = withCachedLabelIds(source, hashPath);
    expect(
      patched?.startsWith(source.replace(LABEL_TO_ID, 'function idlLabelToIdUncached(label) {')),
    ).toBe(true);
    expect(withCachedLabelIds(source, '/x/node_modules/@dfinity/candid/lib/esm/idl.js')).toBeNull();
    expect(() => withCachedLabelIds('export {}', hashPath)).toThrow(/@dfinity\/candid changed/);
  });

  it('gives every label the id the original gives, beyond the labels it keeps too', async () => {
    cpSync(esmUtils, copy, { recursive: true });
    cpSync(join(esmUtils, '..', 'package.json'), join(copy, 'package.json'));
    const patchedSource = withCachedLabelIds(readFileSync(hashPath, 'utf8'), hashPath);
    if (patchedSource === null) throw new Error('the installed hash.js was not recognised');
    writeFileSync(join(copy, 'hash.js'), patchedSource);
    const original = (await import(/* @vite-ignore */ hashPath)) as HashModule;
    const patched = (await import(/* @vite-ignore */ join(copy, 'hash.js'))) as HashModule;
    const labels = ['id', 'envelope', 'standings', '', '_0_', '_4294967295_', '_4294967296_'];
    labels.push('_0x1F_', '_0xffffffff_', '_-1_', '_1.5_', 'ünïcödé', '🙂', 'x'.repeat(1000));
    for (let i = 0; i < LABEL_IDS_KEPT + 1_000; i++) labels.push(`_${i * 7919}_`, `field${i}`);
    // Twice: computed, then remembered (or, past what it keeps, computed again).
    for (const round of [1, 2])
      for (const label of labels)
        expect([round, label, patched.idlLabelToId(label)]).toEqual([
          round,
          label,
          original.idlLabelToId(label),
        ]);
  });
});
