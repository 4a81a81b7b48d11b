/**
 * A registry of reproducible builds must itself be one: the same sources give the same wasm
 * in another checkout directory (azle would embed the absolute path; scripts/build-canister.ts
 * doesn't let it). This copies the checkout to another path, installs from the lockfile and
 * builds there.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { PROJECT_ROOT } from '@repro-registry/deploy';

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

describe('the registry wasm', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('has the same SHA-256 when built in another directory', { timeout: 600_000 }, async () => {
    // The global setup built it from the current sources; rebuilding here would race with the
    // test files that load it.
    const here = createHash('sha256')
      .update(await readFile(join(PROJECT_ROOT, '.azle/registry/registry.wasm')))
      .digest('hex');

    const other = join(await mkdtemp(join(tmpdir(), 'elsewhere-')), 'a', 'different', 'checkout');
    dirs.push(dirname(dirname(dirname(other))));
    // Tracked files and new ones not ignored: what a commit of this working tree would hold.
    const files = run(
      'git',
      ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
      PROJECT_ROOT,
    )
      .split('\0')
      .filter((f) => f !== '');
    for (const file of files) {
      const from = join(PROJECT_ROOT, file);
      const exists = await readFile(from).then(
        () => true,
        () => false,
      );
      if (!exists) continue; // deleted in the working tree
      await mkdir(dirname(join(other, file)), { recursive: true });
      await cp(from, join(other, file));
    }
    run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], other);
    run('npx', ['tsx', 'scripts/build-canister.ts', 'registry'], other);

    const there = createHash('sha256')
      .update(await readFile(join(other, '.azle/registry/registry.wasm')))
      .digest('hex');
    expect(there).toBe(here);
  });
});
