/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- tests read the CLI's JSON output, which is untyped by nature */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/main';

export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  json: () => any;
}

/** Runs `repro` in this process with its own config directory and captured output. */
export async function repro(
  argv: string[],
  options: { configDir: string; cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(argv, {
    env: {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      REPRO_CONFIG_DIR: options.configDir,
      ...options.env,
    },
    stdout,
    stderr,
    cwd: options.cwd ?? options.configDir,
  });
  return { code, stdout: out, stderr: err, json: () => JSON.parse(out) };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `repro-${prefix}-`));
}
