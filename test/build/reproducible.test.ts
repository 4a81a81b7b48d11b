/**
 * A registry of reproducible builds must itself be one: the same sources give the same wasm in
 * another checkout directory, for the registry and for the frontend canister (which embeds the
 * app, so the page a voter loads is what this repository's build produces). azle would embed the
 * absolute path; packages/deploy's build doesn't let it.
 *
 * One copy of the checkout (tracked and new files, no build output, no .env), one install from
 * the lockfile, then each canister is built there and compared with the one built here: the
 * install is most of the cost, so both canisters share it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PROJECT_ROOT, ensureCanisterBuilt } from '@repro-registry/deploy';

const CANISTERS = ['registry', 'frontend'];

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

describe('the canisters build reproducibly', () => {
  let scratch = '';
  let other = '';
  const here: Record<string, string> = {};

  beforeAll(async () => {
    // From the current sources (a no-op when the canister projects' setups built them already).
    for (const name of CANISTERS) here[name] = await sha256(await ensureCanisterBuilt(name));

    scratch = await mkdtemp(join(tmpdir(), 'elsewhere-'));
    other = join(scratch, 'a', 'different', 'checkout');
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
      const exists = await stat(from).then(
        (s) => s.isFile(),
        () => false,
      );
      if (!exists) continue; // deleted in the working tree
      await mkdir(dirname(join(other, file)), { recursive: true });
      await cp(from, join(other, file));
    }
    run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], other);
  }, 900_000);

  afterAll(async () => {
    if (scratch !== '') await rm(scratch, { recursive: true, force: true });
  });

  for (const name of CANISTERS) {
    it(`${name}: the same SHA-256 when built in another directory`, { timeout: 600_000 }, () => {
      run('npx', ['tsx', 'scripts/build-canister.ts', name], other);
      return expect(sha256(join(other, '.azle', name, `${name}.wasm`))).resolves.toBe(here[name]);
    });
  }
});
