import type { Container } from '@repro-registry/attestation';
import type { CommandOutput, DetectedValue, HostFacts } from './env-detect';

/*
 * The parts of the environment that explain a differing image rather than a slow build: the
 * container the build ran in (apart from the VM), the engine that would run the build
 * container, the file systems and block sizes (GNU tar's sparse maps depend on them), the
 * cgroup's limits, and the zstd and tar versions. Pure, from facts gathered by io/env-probe.ts;
 * every value keeps its source and what the facts do not show is null or `unknown`.
 */

export interface FilesystemFacts {
  path: string;
  /** `statfs` f_type and f_bsize. */
  type: bigint;
  blockSize: bigint;
  /** `findmnt -n -o FSTYPE -T <path>`, when it ran. */
  findmnt: CommandOutput | null;
}

const known = <T>(value: T, source: string): DetectedValue<T> => ({ value, source });
const unknown = <T>(value: T, looked: string): DetectedValue<T> => ({
  value,
  source: `not found (looked at ${looked})`,
});

function label(text: string): string | null {
  const clean = text
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .trim()
    .slice(0, 128);
  return clean === '' ? null : clean;
}

const SYSTEMD_CONTAINERS: Record<string, Container> = {
  docker: 'docker',
  podman: 'podman',
  lxc: 'lxc',
  'lxc-libvirt': 'lxc',
  'systemd-nspawn': 'systemd_nspawn',
  rkt: 'other',
  openvz: 'other',
  proot: 'other',
  pouch: 'other',
  'container-other': 'other',
};

const CGROUP_MARKERS: Array<[RegExp, Container]> = [
  [/\/docker[/-]/, 'docker'],
  [/libpod/, 'podman'],
  [/kubepods|containerd|buildkit/, 'containerd'],
  [/\/lxc[/.]/, 'lxc'],
];

/** The container the build runs in, independent of the VM under it. */
export function detectContainer(facts: HostFacts): DetectedValue<Container> {
  if (facts.exists['/run/.containerenv']) return known('podman', '/run/.containerenv');
  if (facts.exists['/.dockerenv']) return known('docker', '/.dockerenv');
  const cgroup = facts.files['/proc/1/cgroup'] ?? '';
  for (const [pattern, container] of CGROUP_MARKERS) {
    const m = pattern.exec(cgroup);
    if (m) return known(container, `/proc/1/cgroup (${m[0].replace(/\W/g, '')})`);
  }
  const check = facts.commands['systemd-detect-virt --container'];
  if (check) {
    const what = check.stdout.trim();
    if (what === 'none') return known('none', 'systemd-detect-virt --container (none)');
    if (what !== '' && check.exitCode === 0)
      return known(
        SYSTEMD_CONTAINERS[what] ?? 'other',
        `systemd-detect-virt --container (${what})`,
      );
  }
  return unknown(
    'unknown',
    '/run/.containerenv, /.dockerenv, /proc/1/cgroup, systemd-detect-virt --container',
  );
}

export interface EngineReport {
  containerRuntimeName: DetectedValue<string | null>;
  containerRuntimeVersion: DetectedValue<string | null>;
  containerRuntimeRootless: DetectedValue<boolean | null>;
}

function parseJson(output: CommandOutput | null | undefined): unknown {
  if (!output || output.stdout.trim() === '') return null;
  try {
    return JSON.parse(output.stdout) as unknown;
  } catch {
    return null;
  }
}

function at(value: unknown, ...keys: string[]): unknown {
  let v = value;
  for (const key of keys) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * The engine that would run the build container: podman (what `ci/container/build-ic.sh`
 * uses), else a docker whose daemon answers. A docker client that cannot reach its daemon runs
 * nothing, so its client version is not recorded.
 */
export function detectEngine(facts: HostFacts): EngineReport {
  const podman = parseJson(facts.commands['podman info --format json']);
  const podmanVersion = at(podman, 'version', 'Version');
  if (typeof podmanVersion === 'string') {
    const rootless = at(podman, 'host', 'security', 'rootless');
    return {
      containerRuntimeName: known('podman', 'podman info'),
      containerRuntimeVersion: known(label(podmanVersion), 'podman info version.Version'),
      containerRuntimeRootless:
        typeof rootless === 'boolean'
          ? known(rootless, 'podman info host.security.rootless')
          : unknown(null, 'podman info host.security.rootless'),
    };
  }
  const docker = parseJson(facts.commands['docker version --format {{json .}}']);
  const serverVersion = at(docker, 'Server', 'Version');
  if (typeof serverVersion === 'string') {
    const options = parseJson(facts.commands['docker info --format {{json .SecurityOptions}}']);
    return {
      containerRuntimeName: known('docker', 'docker version (server)'),
      containerRuntimeVersion: known(label(serverVersion), 'docker version Server.Version'),
      containerRuntimeRootless: Array.isArray(options)
        ? known(
            options.some((o) => typeof o === 'string' && o.includes('name=rootless')),
            'docker info SecurityOptions',
          )
        : unknown(null, 'docker info SecurityOptions'),
    };
  }
  const clientOnly = typeof at(docker, 'Client', 'Version') === 'string';
  const looked = clientOnly
    ? 'podman info; docker version (a docker client whose daemon does not answer runs nothing)'
    : 'podman info, docker version';
  return {
    containerRuntimeName: unknown(null, looked),
    containerRuntimeVersion: unknown(null, looked),
    containerRuntimeRootless: unknown(null, looked),
  };
}

/** statfs f_type magic numbers (linux/magic.h) of the file systems builds run on. */
const FS_MAGIC: Record<string, string> = {
  ef53: 'ext4',
  '58465342': 'xfs',
  '9123683e': 'btrfs',
  '1021994': 'tmpfs',
  '794c7630': 'overlay',
  '2fc12fc1': 'zfs',
  '1021997': '9p',
  '6a656a63': 'virtiofs',
  f2f52010: 'f2fs',
  '6969': 'nfs',
  '65735546': 'fuse',
  ff534d42: 'cifs',
  fe534d42: 'smb2',
  '7366746e': 'ntfs3',
  '4d44': 'vfat',
  '2011bab0': 'exfat',
  '73717368': 'squashfs',
  '858458f6': 'ramfs',
};

export function detectFilesystem(
  fs: FilesystemFacts | null,
  what: string,
): { type: DetectedValue<string | null>; blockSize: DetectedValue<string | null> } {
  if (fs === null)
    return {
      type: unknown(null, `statfs of ${what}`),
      blockSize: unknown(null, `statfs of ${what}`),
    };
  const blockSize = known(fs.blockSize.toString(), `statfs(${fs.path}) f_bsize`);
  const fromFindmnt = fs.findmnt?.exitCode === 0 ? label(fs.findmnt.stdout.split('\n')[0]) : null;
  if (fromFindmnt) return { type: known(fromFindmnt, `findmnt -T ${fs.path} FSTYPE`), blockSize };
  const magic = fs.type.toString(16);
  const name = FS_MAGIC[magic];
  return {
    type: name
      ? known(name, `statfs(${fs.path}) f_type 0x${magic}`)
      : unknown(null, `findmnt, statfs(${fs.path}) f_type 0x${magic} (not a type repro names)`),
    blockSize,
  };
}

/** Where the process's cgroup limits live: the files to read, from /proc/self/cgroup. */
export function cgroupLimitFiles(selfCgroup: string | null | undefined): string[] {
  if (!selfCgroup) return [];
  const files: string[] = [];
  const ancestors = (path: string) => {
    const parts = path.split('/').filter((p) => p !== '');
    return parts.map((_, i) => '/' + parts.slice(0, parts.length - i).join('/')).concat('/');
  };
  for (const line of selfCgroup.split('\n')) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line.trim()) ?? [];
    if (path === undefined) continue;
    for (const dir of ancestors(path)) {
      const sub = dir === '/' ? '' : dir;
      if (controllers === '') {
        files.push(`/sys/fs/cgroup${sub}/memory.max`, `/sys/fs/cgroup${sub}/cpu.max`);
      } else if (controllers.split(',').includes('memory')) {
        files.push(`/sys/fs/cgroup/memory${sub}/memory.limit_in_bytes`);
      } else if (controllers.split(',').includes('cpu')) {
        files.push(
          `/sys/fs/cgroup/${controllers}${sub}/cpu.cfs_quota_us`,
          `/sys/fs/cgroup/${controllers}${sub}/cpu.cfs_period_us`,
        );
      }
    }
  }
  return [...new Set(files)];
}

/** cgroup v1 writes "no limit" as a page-rounded 2^63-1. */
const V1_UNLIMITED = 1n << 62n;

export function detectCgroupLimits(facts: HostFacts): {
  cgroupMemoryMax: DetectedValue<string | null>;
  cgroupCpuMax: DetectedValue<string | null>;
} {
  const files = cgroupLimitFiles(facts.files['/proc/self/cgroup']);
  let memory: bigint | 'max' | null = null;
  const memorySources: string[] = [];
  let cpu: { quota: bigint | 'max'; period: bigint } | null = null;
  const cpuSources: string[] = [];
  const tighterCpu = (c: { quota: bigint | 'max'; period: bigint }) =>
    cpu === null ||
    (c.quota !== 'max' && (cpu.quota === 'max' || c.quota * cpu.period < cpu.quota * c.period));
  for (const file of files) {
    const text = facts.files[file]?.trim();
    if (text === undefined || text === '') continue;
    if (file.endsWith('memory.max') || file.endsWith('memory.limit_in_bytes')) {
      const value: bigint | 'max' | null =
        text === 'max'
          ? 'max'
          : /^\d+$/.test(text)
            ? BigInt(text) >= V1_UNLIMITED
              ? 'max'
              : BigInt(text)
            : null;
      if (value === null) continue;
      memorySources.push(file);
      if (memory === null || memory === 'max' || (value !== 'max' && value < memory))
        memory = value;
    } else if (file.endsWith('cpu.max')) {
      const m = /^(max|\d+) (\d+)$/.exec(text);
      if (!m || m[2] === '0') continue;
      const c = { quota: m[1] === 'max' ? ('max' as const) : BigInt(m[1]), period: BigInt(m[2]) };
      cpuSources.push(file);
      if (tighterCpu(c)) cpu = c;
    } else if (file.endsWith('cpu.cfs_quota_us')) {
      const period = facts.files[file.replace(/cpu\.cfs_quota_us$/, 'cpu.cfs_period_us')]?.trim();
      if (!period || !/^\d+$/.test(period) || period === '0' || !/^-?\d+$/.test(text)) continue;
      const c = {
        quota: text.startsWith('-') ? ('max' as const) : BigInt(text),
        period: BigInt(period),
      };
      cpuSources.push(file);
      if (tighterCpu(c)) cpu = c;
    }
  }
  const c = cpu;
  const memoryValue = memory;
  return {
    cgroupMemoryMax:
      memoryValue === null
        ? unknown(null, files.filter((f) => f.includes('memory')).join(', ') || '/proc/self/cgroup')
        : known(String(memoryValue), `tightest of ${memorySources.join(', ')}`),
    cgroupCpuMax:
      c === null
        ? unknown(null, files.filter((f) => f.includes('cpu')).join(', ') || '/proc/self/cgroup')
        : known(
            `${c.quota === 'max' ? 'max' : c.quota.toString()} ${c.period.toString()}`,
            `tightest of ${cpuSources.join(', ')}`,
          ),
  };
}

export function detectToolVersions(facts: HostFacts): {
  zstdVersion: DetectedValue<string | null>;
  tarVersion: DetectedValue<string | null>;
} {
  const zstd = facts.commands['zstd --version'];
  const zstdVersion =
    zstd?.exitCode === 0 ? /\bv(\d+\.\d+\.\d+)\b/.exec(zstd.stdout)?.[1] : undefined;
  const tar = facts.commands['tar --version'];
  const first = tar?.exitCode === 0 ? tar.stdout.split('\n')[0] : '';
  const gnu = /^tar \(GNU tar\) (\S+)/.exec(first)?.[1];
  const bsd = /^bsdtar (\S+)/.exec(first)?.[1];
  return {
    zstdVersion: zstdVersion
      ? known(zstdVersion, 'zstd --version')
      : unknown(null, 'zstd --version'),
    tarVersion: gnu
      ? known(label(gnu), 'tar --version (GNU tar)')
      : bsd
        ? known(label(`bsdtar ${bsd}`), 'tar --version')
        : unknown(null, 'tar --version'),
  };
}
