import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { networkError, usageError } from '../core/errors';

export interface ScriptFile {
  path: string;
  sha256: string;
  /** Where it came from: `--script <path>` or the proposal's commit. */
  origin: string;
  text: string;
}

export async function readScript(file: string, origin: string): Promise<ScriptFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw usageError(
      `cannot read the repro-check script ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'check the path given with --script',
    );
  }
  return {
    path: path.resolve(file),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    origin,
    text: bytes.toString('utf8'),
  };
}

/** Paths of the script in dfinity/ic over time, newest first. */
const SCRIPT_PATHS = [
  'ci/tools/repro-check',
  'ci/scripts/repro-check',
  'ci/tools/repro-check.py',
  'ci/tools/repro-check.sh',
];

/** Downloads repro-check as of the proposal's commit (what DFINITY tells verifiers to run). */
export async function fetchScriptAtCommit(args: {
  commit: string;
  cacheDir: string;
  fetchImpl?: typeof fetch;
}): Promise<ScriptFile> {
  const doFetch = args.fetchImpl ?? fetch;
  const dir = path.join(args.cacheDir, 'scripts', args.commit);
  for (const relative of SCRIPT_PATHS) {
    const url = `https://raw.githubusercontent.com/dfinity/ic/${args.commit}/${relative}`;
    let response: Response;
    try {
      response = await doFetch(url);
    } catch (error) {
      throw networkError(
        `cannot download repro-check from ${url}: ${(error as Error).message}`,
        'check your connection, or pass a local copy with --script <path>',
        error,
      );
    }
    if (response.status === 404) continue;
    if (!response.ok)
      throw networkError(
        `downloading ${url} failed with HTTP ${response.status}`,
        'try again, or pass a local copy with --script <path>',
      );
    const bytes = Buffer.from(await response.arrayBuffer());
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, path.basename(relative));
    await writeFile(file, bytes, { mode: 0o755 });
    await chmod(file, 0o755);
    return {
      path: file,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      origin: `dfinity/ic@${args.commit}:${relative}`,
      text: bytes.toString('utf8'),
    };
  }
  throw usageError(
    `dfinity/ic at ${args.commit} has no repro-check script`,
    'pass one with --script <path>',
  );
}

export interface ScriptRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  startedOn: Date;
  finishedOn: Date;
  logPath: string;
  log: string;
}

/**
 * Runs the script, streaming its output to ours and keeping all of it in `logPath`. Output goes
 * through pipes, so the script prints without colours (it checks isatty).
 */
export async function runScript(args: {
  script: string;
  argv: string[];
  logPath: string;
  /** The whole environment of the script (repro's own, plus what the caller adds). */
  env: NodeJS.ProcessEnv;
  echo: NodeJS.WritableStream | null;
}): Promise<ScriptRun> {
  await mkdir(path.dirname(args.logPath), { recursive: true });
  const log = createWriteStream(args.logPath, { mode: 0o644 });
  const chunks: Buffer[] = [];
  const startedOn = new Date();
  const child = spawn(args.script, args.argv, {
    stdio: ['inherit', 'pipe', 'pipe'],
    env: args.env,
  });
  const take = (chunk: Buffer) => {
    chunks.push(chunk);
    log.write(chunk);
    args.echo?.write(chunk);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const { exitCode, signal } = await new Promise<{
    exitCode: number | null;
    signal: NodeJS.Signals | null;
  }>((resolve, reject) => {
    child.on('error', (error) =>
      reject(
        usageError(
          `cannot run ${args.script}: ${(error as NodeJS.ErrnoException).code ?? error.message}`,
          'is it executable? (chmod +x)',
        ),
      ),
    );
    child.on('close', (code, sig) => resolve({ exitCode: code, signal: sig }));
  });
  const finishedOn = new Date();
  await new Promise<void>((resolve) => log.end(resolve));
  return {
    exitCode,
    signal,
    startedOn,
    finishedOn,
    logPath: args.logPath,
    log: Buffer.concat(chunks).toString('utf8'),
  };
}

/** True when the directory is missing or empty: the build starts from a clean cache. */
export async function isEmptyDirectory(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

export function defaultReproCheckCache(): string {
  return path.join(os.homedir(), '.cache', 'repro-check');
}

/** Removes a temporary directory a script kept for us, only if it is clearly a temporary one. */
export async function removeKeptTemporary(dir: string, allowedParents: string[]): Promise<boolean> {
  const resolved = path.resolve(dir);
  const okParent = allowedParents.some((parent) => path.dirname(resolved) === path.resolve(parent));
  if (!okParent || !/^tmp[-._]?[A-Za-z0-9]+$/.test(path.basename(resolved))) return false;
  await rm(resolved, { recursive: true, force: true });
  return true;
}
