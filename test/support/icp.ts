/**
 * Runs the ICP CLI (`icp`, from the `@icp-sdk/icp-cli-linux-x64` package: no network access
 * needed) against the test network, with its own home directory so the user's identities and
 * settings are never touched, and with telemetry off.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { localNetwork } from './network-context';

const { binaryPath } = createRequire(import.meta.url)('@icp-sdk/icp-cli-linux-x64') as {
  binaryPath: string;
};
const run = promisify(execFile);

export interface IcpResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Icp {
  /** Runs `icp <args>`; never throws for a non-zero exit (see `code`). */
  (args: string[]): Promise<IcpResult>;
  home: string;
  /** A directory with `icp` in it, for PATH. */
  bin: string;
  /** Removes the home and bin directories. */
  dispose(): Promise<void>;
}

/** An `icp` with a fresh home; `identities` (name → PEM path) are imported (plaintext). */
export async function icpCli(identities: Record<string, string> = {}): Promise<Icp> {
  const home = await mkdtemp(join(tmpdir(), 'repro-icp-home-'));
  const env = { PATH: process.env.PATH ?? '', HOME: home, DO_NOT_TRACK: '1', NO_COLOR: '1' };
  const icp = (async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(binaryPath, args, { env, maxBuffer: 16 << 20 });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  }) as Icp;
  icp.home = home;
  icp.bin = join(home, 'bin');
  await mkdir(icp.bin);
  await symlink(binaryPath, join(icp.bin, 'icp'));
  icp.dispose = () => rm(home, { recursive: true, force: true });
  for (const [name, pem] of Object.entries(identities)) {
    const r = await icp(['identity', 'import', '--storage', 'plaintext', '--from-pem', pem, name]);
    if (r.code !== 0) throw new Error(`icp identity import failed: ${r.stderr}`);
  }
  return icp;
}

/** The options that point `icp` at the test network (its root key fetched, as locally). */
export function networkArgs(): string[] {
  return ['--network', localNetwork().url, '--root-key', 'fetch'];
}

/** Runs a shell command line (a README command) with the test's `icp` first on the PATH. */
export async function shell(line: string, icp: Icp): Promise<IcpResult> {
  const env = {
    PATH: `${icp.bin}:${process.env.PATH ?? ''}`,
    HOME: icp.home,
    DO_NOT_TRACK: '1',
    NO_COLOR: '1',
    // npx may otherwise look for a newer npm on the internet and say so.
    npm_config_update_notifier: 'false',
  };
  try {
    const { stdout, stderr } = await run('bash', ['-c', line], { env, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}
