/**
 * The frontend wasm — the canister and the app it embeds — has the same SHA-256 when built in
 * another checkout directory: the page a voter loads is what this repository's build produces.
 * Like the registry's test, this copies the checkout (tracked and new files, no build output, no
 * .env), installs from the lockfile and builds there; the copy builds the app itself.
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

const sha256 = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

describe('the frontend wasm', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('has the same SHA-256 when built in another directory', { timeout: 600_000 }, async () => {
    // Built by the global setup from the current sources.
    const here = await sha256(join(PROJECT_ROOT, '.azle/frontend/frontend.wasm'));

    const other = join(await mkdtemp(join(tmpdir(), 'elsewhere-')), 'another', 'checkout');
    dirs.push(dirname(dirname(other)));
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
    run('npx', ['tsx', 'scripts/build-canister.ts', 'frontend'], other);

    expect(await sha256(join(other, '.azle/frontend/frontend.wasm'))).toBe(here);
  });
});
