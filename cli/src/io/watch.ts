/**
 * `repro watch`'s edges: the saved cursor (a file per registry, replaced atomically so a crash
 * leaves the old or the new cursor, never half of one) and running the `--exec` command per
 * event — as a program with arguments, no shell, the event in its environment and as JSON on
 * its stdin.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { usageError } from '../core/errors';
import { eventEnvironment, type RegistryEvent } from '../core/watch';

interface SavedCursor {
  canisterId: string;
  cursor: string;
}

export async function readCursor(file: string, canisterId: string): Promise<bigint | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw usageError(`cannot read the watch cursor ${file}: ${(error as Error).message}`);
  }
  let saved: Partial<SavedCursor>;
  try {
    saved = JSON.parse(text) as Partial<SavedCursor>;
  } catch {
    throw usageError(`the watch cursor ${file} is not JSON`, 'delete it, or pass --since <n>');
  }
  if (typeof saved.cursor !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(saved.cursor))
    throw usageError(`the watch cursor ${file} holds no cursor`, 'delete it, or pass --since <n>');
  if (saved.canisterId !== canisterId)
    throw usageError(
      `the watch cursor ${file} is for registry ${String(saved.canisterId)}, not ${canisterId}`,
      'pass another --cursor-file for this registry',
    );
  return BigInt(saved.cursor);
}

export async function saveCursor(file: string, canisterId: string, cursor: bigint): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const saved: SavedCursor = { canisterId, cursor: cursor.toString() };
  await writeFile(temporary, `${JSON.stringify(saved)}\n`);
  await rename(temporary, file);
}

/** How long a `--exec` command may run per event before it is stopped. */
export const EXEC_TIMEOUT_MS = 60_000;

export type ExecOutcome = { ok: true } | { ok: false; reason: string };

export function runForEvent(args: {
  words: string[];
  event: RegistryEvent;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where the command's own output goes (stderr: stdout may be `--json` lines). */
  output: NodeJS.WritableStream;
}): Promise<ExecOutcome> {
  const [program, ...rest] = args.words;
  return new Promise((resolve) => {
    const child = spawn(program, rest, {
      cwd: args.cwd,
      env: { ...args.env, ...eventEnvironment(args.event) },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: EXEC_TIMEOUT_MS,
    });
    child.stdout.on('data', (chunk: Buffer) => args.output.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => args.output.write(chunk));
    // A command that does not read its stdin closes it early: that is fine.
    child.stdin.on('error', () => {});
    child.stdin.end(`${JSON.stringify(args.event)}\n`);
    child.on('error', (error) =>
      resolve({ ok: false, reason: `cannot run ${program}: ${error.message}` }),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ ok: true });
      else
        resolve({
          ok: false,
          reason:
            signal !== null
              ? `${program} was stopped (${signal})`
              : `${program} exited with ${code}`,
        });
    });
  });
}
