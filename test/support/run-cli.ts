/**
 * `repro` run in this process (`runCli`) against the local network, with its own config
 * directory: what the bundle does, without building it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import { runCli } from '@repro-registry/cli';

import { localNetwork } from './network-context';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function newConfigDir(): string {
  return mkdtempSync(join(tmpdir(), 'repro-cli-'));
}

export async function reproInProcess(
  args: string[],
  options: { configDir?: string; network?: boolean } = {},
): Promise<CliRun> {
  const net = localNetwork();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (d: Buffer) => out.push(d.toString()));
  stderr.on('data', (d: Buffer) => err.push(d.toString()));
  const configDir = options.configDir ?? newConfigDir();
  const networkArgs =
    options.network === false
      ? []
      : [
          '--network',
          net.url,
          '--canister-id',
          net.canisterIds['registry'],
          '--governance-canister-id',
          net.canisterIds['governance'],
        ];
  const code = await runCli([...args, ...networkArgs], {
    // PATH: scripts repro runs (`--canister-script`) find their interpreter.
    env: { REPRO_CONFIG_DIR: configDir, PATH: process.env['PATH'] },
    stdout,
    stderr,
    cwd: configDir,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
