import { execFile } from 'node:child_process';
import { access, readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cgroupLimitFiles, type FilesystemFacts } from '../core/env-build';
import type { CommandOutput, HostFacts } from '../core/env-detect';

/** Files read on Linux, relative to the root (so tests can hand in a fixture tree). */
export const PROBED_FILES = [
  '/etc/os-release',
  '/usr/lib/os-release',
  '/proc/version',
  '/proc/sys/kernel/osrelease',
  '/proc/meminfo',
  '/proc/cpuinfo',
  '/proc/1/cgroup',
  '/proc/self/cgroup',
  '/sys/class/dmi/id/sys_vendor',
  '/sys/class/dmi/id/product_name',
] as const;

export const PROBED_MARKERS = [
  '/.dockerenv',
  '/run/.containerenv',
  '/proc/sys/fs/binfmt_misc/WSLInterop',
] as const;

const ENGINE_AND_TOOLS: Array<[string, string[]]> = [
  ['podman', ['info', '--format', 'json']],
  ['docker', ['version', '--format', '{{json .}}']],
  ['docker', ['info', '--format', '{{json .SecurityOptions}}']],
  ['git', ['--version']],
  ['zstd', ['--version']],
  ['tar', ['--version']],
];

const LINUX_COMMANDS: Array<[string, string[]]> = [
  ['systemd-detect-virt', ['--container']],
  ['systemd-detect-virt', ['--vm']],
  ...ENGINE_AND_TOOLS,
];

const DARWIN_COMMANDS: Array<[string, string[]]> = [
  ['sw_vers', []],
  ['sysctl', ['-n', 'machdep.cpu.brand_string']],
  ['sysctl', ['-n', 'hw.ncpu']],
  ['sysctl', ['-n', 'hw.memsize']],
  ['sysctl', ['-n', 'vm.swapusage']],
  ['sysctl', ['-n', 'kern.hv_vmm_present']],
  ...ENGINE_AND_TOOLS,
];

function run(command: string, args: string[]): Promise<CommandOutput | null> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: 10_000, maxBuffer: 1 << 20, env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return resolve(null);
        if (error && typeof (error as { code?: unknown }).code !== 'number') return resolve(null);
        const exitCode = error ? Number((error as { code?: unknown }).code) : 0;
        resolve({ stdout: String(stdout), exitCode });
      },
    );
  });
}

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

export interface ProbeOptions {
  /** Root of the file tree to read (`/` for the live host, a fixture directory in tests). */
  root: string;
  /** Directory whose free space is recorded (the build / cache directory). */
  buildDir: string | null;
  /** Run the probing commands (podman, git, systemd-detect-virt…): only on the live host. */
  runCommands: boolean;
  /** Use Node's `os` values as fallbacks: only on the live host. */
  useNodeOs: boolean;
  platform?: string;
}

/** Gathers the raw facts `detectEnvironment` reads. Needs no root privileges. */
export async function probeHost(options: ProbeOptions): Promise<HostFacts> {
  const platform = options.platform ?? process.platform;
  const files: Record<string, string | null> = {};
  const existsMap: Record<string, boolean> = {};
  const commands: Record<string, CommandOutput | null> = {};
  const onRoot = (p: string) => path.join(options.root, p);

  const jobs: Array<Promise<void>> = [];
  if (platform !== 'darwin') {
    for (const file of PROBED_FILES)
      jobs.push(readOrNull(onRoot(file)).then((text) => void (files[file] = text)));
    for (const marker of PROBED_MARKERS)
      jobs.push(exists(onRoot(marker)).then((found) => void (existsMap[marker] = found)));
  }
  if (options.runCommands) {
    for (const [command, args] of platform === 'darwin' ? DARWIN_COMMANDS : LINUX_COMMANDS) {
      jobs.push(
        run(command, args).then((output) => void (commands[[command, ...args].join(' ')] = output)),
      );
    }
  }
  let diskFree: HostFacts['diskFree'] = null;
  if (options.buildDir !== null) {
    const dir = options.buildDir;
    jobs.push(
      statfs(dir, { bigint: true })
        .then((s) => void (diskFree = { path: dir, bytes: s.bavail * s.bsize }))
        .catch(() => undefined),
    );
  }
  // The file systems of the build directory and of /tmp (where IC's build scripts unpack).
  const filesystems: NonNullable<HostFacts['filesystems']> = { buildDir: null, tmp: null };
  if (options.runCommands && platform !== 'darwin') {
    const probeFs = async (dir: string): Promise<FilesystemFacts | null> => {
      try {
        const s = await statfs(dir, { bigint: true });
        return {
          path: dir,
          type: s.type,
          blockSize: s.bsize,
          findmnt: await run('findmnt', ['-n', '-o', 'FSTYPE', '-T', dir]),
        };
      } catch {
        return null;
      }
    };
    if (options.buildDir !== null)
      jobs.push(probeFs(options.buildDir).then((f) => void (filesystems.buildDir = f)));
    jobs.push(probeFs(os.tmpdir()).then((f) => void (filesystems.tmp = f)));
  }
  await Promise.all(jobs);
  // cgroup limit files depend on which cgroup this process is in.
  if (platform !== 'darwin') {
    await Promise.all(
      cgroupLimitFiles(files['/proc/self/cgroup']).map((file) =>
        readOrNull(onRoot(file)).then((text) => void (files[file] = text)),
      ),
    );
  }

  const cpus = options.useNodeOs ? os.cpus() : [];
  return {
    platform,
    files,
    exists: existsMap,
    commands,
    nodeOs: options.useNodeOs
      ? {
          machine: os.machine(),
          release: os.release(),
          cpuModel: cpus[0]?.model ?? null,
          cpuCount: cpus.length,
          totalMemBytes: os.totalmem(),
        }
      : null,
    diskFree,
    filesystems,
  };
}
