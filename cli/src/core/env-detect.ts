import {
  ENVIRONMENT_FIELDS_V2,
  type EnvironmentV2,
  type Virtualization,
} from '@repro-registry/attestation';
import {
  detectCgroupLimits,
  detectContainer,
  detectEngine,
  detectFilesystem,
  detectToolVersions,
  type FilesystemFacts,
} from './env-build';

/*
 * Turns raw facts about the builder's host (file contents, command outputs) into the
 * attestation's environment record. Pure: the facts are gathered by io/env-probe.ts, from the
 * real root or from a fixture tree. Every value carries where it came from; what the facts do
 * not show is null ("unknown"), never a guess — in particular "bare metal" needs evidence.
 */

export interface CommandOutput {
  stdout: string;
  exitCode: number;
}

export interface HostFacts {
  platform: string;
  /** File contents by absolute path as seen on the host (`/etc/os-release`); null when absent or unreadable. */
  files: Record<string, string | null>;
  /** Whether a path exists (for marker files such as `/.dockerenv`). */
  exists: Record<string, boolean>;
  /** Command outputs by command line; null when the command is missing or failed to start. */
  commands: Record<string, CommandOutput | null>;
  /** Values from Node's `os` module, when probing the live host. */
  nodeOs: {
    machine: string;
    release: string;
    cpuModel: string | null;
    cpuCount: number;
    totalMemBytes: number;
  } | null;
  /** Free space of the build directory. */
  diskFree: { path: string; bytes: bigint } | null;
  /** statfs (and findmnt) of the build directory and of /tmp; absent when not probed. */
  filesystems?: { buildDir: FilesystemFacts | null; tmp: FilesystemFacts | null };
}

export type EnvironmentField = keyof EnvironmentV2;

export interface DetectedValue<T> {
  value: T;
  /** Where the value was read, e.g. `/etc/os-release VERSION`; `not found: …` when unknown. */
  source: string;
}

export type EnvironmentReport = { [K in EnvironmentField]: DetectedValue<EnvironmentV2[K]> };

export const ENVIRONMENT_FIELDS: readonly EnvironmentField[] = ENVIRONMENT_FIELDS_V2;

/** The attestation's labels are at most 128 bytes of printable text. */
function label(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  let clean = text
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  while (new TextEncoder().encode(clean).length > 128) clean = clean.slice(0, -1);
  return clean === '' ? null : clean;
}

function known<T>(value: T, source: string): DetectedValue<T> {
  return { value, source };
}

function unknown<T>(value: T, looked: string): DetectedValue<T> {
  return { value, source: `not found (looked at ${looked})` };
}

/** Parses `KEY=value` / `KEY="value"` lines (os-release). */
export function parseKeyValueFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2];
    if (
      (value.startsWith('"') && value.endsWith('"')) ||
      (value.startsWith("'") && value.endsWith("'"))
    ) {
      value = value.slice(1, -1).replace(/\\(["'\\$`])/g, '$1');
    }
    out[m[1]] = value;
  }
  return out;
}

function meminfoBytes(text: string | null | undefined, key: string): bigint | null {
  if (!text) return null;
  const m = new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
  return m ? BigInt(m[1]) * 1024n : null;
}

function osRelease(facts: HostFacts): { fields: Record<string, string>; path: string } | null {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    const text = facts.files[path];
    if (text) return { fields: parseKeyValueFile(text), path };
  }
  return null;
}

function detectOs(facts: HostFacts): Pick<EnvironmentReport, 'osName' | 'osVersion'> {
  if (facts.platform === 'darwin') {
    const sw = facts.commands['sw_vers'];
    if (sw && sw.exitCode === 0) {
      const fields: Record<string, string> = {};
      for (const line of sw.stdout.split('\n')) {
        const m = /^(\w+):\s*(.*)$/.exec(line.trim());
        if (m) fields[m[1]] = m[2]!;
      }
      return {
        osName: fields['ProductName']
          ? known(label(fields['ProductName']), 'sw_vers ProductName')
          : unknown(null, 'sw_vers'),
        osVersion: fields['ProductVersion']
          ? known(label(fields['ProductVersion']), 'sw_vers ProductVersion')
          : unknown(null, 'sw_vers'),
      };
    }
    return { osName: unknown(null, 'sw_vers'), osVersion: unknown(null, 'sw_vers') };
  }
  const release = osRelease(facts);
  if (release === null) {
    return {
      osName: unknown(null, '/etc/os-release, /usr/lib/os-release'),
      osVersion: unknown(null, '/etc/os-release, /usr/lib/os-release'),
    };
  }
  const { fields, path } = release;
  const name = fields['NAME'] ?? null;
  // Ubuntu writes VERSION="22.04.4 LTS (Jammy Jellyfish)": the point release is what matters, the codename is noise.
  const version = fields['VERSION']?.replace(/\s*\([^)]*\)\s*$/, '') || null;
  return {
    osName: name ? known(label(name), `${path} NAME`) : unknown(null, `${path} NAME`),
    osVersion: version
      ? known(label(version), `${path} VERSION`)
      : fields['VERSION_ID']
        ? known(label(fields['VERSION_ID']), `${path} VERSION_ID`)
        : unknown(null, `${path} VERSION, VERSION_ID`),
  };
}

function detectKernel(facts: HostFacts): DetectedValue<string | null> {
  const osrelease = facts.files['/proc/sys/kernel/osrelease'];
  if (osrelease?.trim()) return known(label(osrelease), '/proc/sys/kernel/osrelease');
  const version = facts.files['/proc/version'];
  const m = version ? /^Linux version (\S+)/.exec(version) : null;
  if (m) return known(label(m[1]), '/proc/version');
  if (facts.nodeOs) return known(label(facts.nodeOs.release), 'uname -r (node:os.release)');
  return unknown(null, '/proc/sys/kernel/osrelease, /proc/version');
}

function detectArch(facts: HostFacts): DetectedValue<string | null> {
  if (facts.nodeOs) return known(label(facts.nodeOs.machine), 'uname -m (node:os.machine)');
  const uname = facts.commands['uname -m'];
  if (uname && uname.exitCode === 0 && uname.stdout.trim())
    return known(label(uname.stdout), 'uname -m');
  return unknown(null, 'uname -m');
}

const SYSTEMD_VIRT: Record<string, Virtualization> = {
  kvm: 'kvm',
  qemu: 'kvm',
  oracle: 'virtualbox',
  vmware: 'vmware',
  microsoft: 'hyper_v',
  amazon: 'cloud_vm',
  google: 'cloud_vm',
  wsl: 'wsl2',
  oracle_cloud: 'cloud_vm',
  xen: 'unknown',
  bochs: 'unknown',
  parallels: 'unknown',
  bhyve: 'unknown',
  acrn: 'unknown',
  zvm: 'unknown',
  powervm: 'unknown',
  apple: 'unknown',
  sre: 'unknown',
};

const DMI_RULES: Array<{
  test: (vendor: string, product: string) => boolean;
  value: Virtualization;
}> = [
  { test: (v, p) => /innotek|virtualbox/i.test(v) || /virtualbox/i.test(p), value: 'virtualbox' },
  { test: (v) => /vmware/i.test(v), value: 'vmware' },
  {
    test: (v, p) => /^qemu$/i.test(v.trim()) || /^kvm$/i.test(p.trim()) || /\bkvm\b/i.test(v),
    value: 'kvm',
  },
  { test: (v, p) => /microsoft/i.test(v) && /virtual machine/i.test(p), value: 'hyper_v' },
  {
    test: (v, p) =>
      /amazon ec2|google|digitalocean|hetzner|openstack|scaleway|alibaba|oracle cloud|linode|vultr/i.test(
        `${v} ${p}`,
      ),
    value: 'cloud_vm',
  },
];

function detectVirtualization(facts: HostFacts): DetectedValue<Virtualization> {
  const osrelease = facts.files['/proc/sys/kernel/osrelease'] ?? '';
  const procVersion = facts.files['/proc/version'] ?? '';
  if (/microsoft-standard-WSL2/i.test(osrelease) || /WSL2/.test(procVersion)) {
    return known(
      'wsl2',
      /WSL2/i.test(osrelease)
        ? '/proc/sys/kernel/osrelease (microsoft-standard-WSL2)'
        : '/proc/version (WSL2)',
    );
  }
  if (
    facts.exists['/proc/sys/fs/binfmt_misc/WSLInterop'] &&
    /microsoft/i.test(`${osrelease} ${procVersion}`)
  ) {
    return known('wsl2', '/proc/sys/fs/binfmt_misc/WSLInterop');
  }

  // A container is recorded apart (env-build.ts): this is the machine under it.
  const vmCheck = facts.commands['systemd-detect-virt --vm'];
  if (vmCheck) {
    const what = vmCheck.stdout.trim();
    if (vmCheck.exitCode === 0 && what && what !== 'none') {
      const mapped = SYSTEMD_VIRT[what];
      return mapped
        ? known(mapped, `systemd-detect-virt --vm (${what})`)
        : known('unknown', `systemd-detect-virt --vm (${what}: no category for it)`);
    }
  }

  const vendor = facts.files['/sys/class/dmi/id/sys_vendor']?.trim() ?? '';
  const product = facts.files['/sys/class/dmi/id/product_name']?.trim() ?? '';
  if (vendor || product) {
    for (const rule of DMI_RULES) {
      if (rule.test(vendor, product)) {
        return known(
          rule.value,
          `/sys/class/dmi/id (sys_vendor "${vendor}", product_name "${product}")`,
        );
      }
    }
  }
  const hypervisorFlag = /^flags\s*:.*\bhypervisor\b/m.test(facts.files['/proc/cpuinfo'] ?? '');
  if (hypervisorFlag)
    return known('unknown', '/proc/cpuinfo (hypervisor flag set, hypervisor not identified)');

  if (vmCheck && vmCheck.stdout.trim() === 'none')
    return known('bare_metal', 'systemd-detect-virt --vm (none)');
  if (facts.platform === 'darwin') {
    const hv = facts.commands['sysctl -n kern.hv_vmm_present'];
    if (hv && hv.exitCode === 0) {
      return hv.stdout.trim() === '1'
        ? known('unknown', 'sysctl kern.hv_vmm_present (1: a VM, hypervisor not identified)')
        : known('bare_metal', 'sysctl kern.hv_vmm_present (0)');
    }
  }
  if ((vendor || product) && facts.files['/proc/cpuinfo']) {
    return known(
      'bare_metal',
      `/sys/class/dmi/id (sys_vendor "${vendor}") and /proc/cpuinfo (no hypervisor flag)`,
    );
  }
  return unknown(
    'unknown',
    'WSL markers, systemd-detect-virt --vm, /sys/class/dmi/id, /proc/cpuinfo',
  );
}

function detectCpu(facts: HostFacts): Pick<EnvironmentReport, 'cpuModel' | 'cpuCount'> {
  const cpuinfo = facts.files['/proc/cpuinfo'];
  let cpuModel: DetectedValue<string | null> = unknown(null, '/proc/cpuinfo');
  let cpuCount: DetectedValue<number | null> = unknown(null, '/proc/cpuinfo');
  if (cpuinfo) {
    const model = /^(?:model name|Model|Hardware|cpu model)\s*:\s*(.+)$/m.exec(cpuinfo);
    if (model) cpuModel = known(label(model[1]), '/proc/cpuinfo model name');
    const processors = cpuinfo.match(/^processor\s*:/gm)?.length ?? 0;
    if (processors > 0) cpuCount = known(processors, '/proc/cpuinfo processor entries');
  }
  if (facts.platform === 'darwin') {
    const brand = facts.commands['sysctl -n machdep.cpu.brand_string'];
    if (brand && brand.exitCode === 0 && brand.stdout.trim())
      cpuModel = known(label(brand.stdout), 'sysctl machdep.cpu.brand_string');
    const ncpu = facts.commands['sysctl -n hw.ncpu'];
    if (ncpu && ncpu.exitCode === 0 && /^\d+$/.test(ncpu.stdout.trim()))
      cpuCount = known(Number(ncpu.stdout.trim()), 'sysctl hw.ncpu');
  }
  if (cpuModel.value === null && facts.nodeOs?.cpuModel)
    cpuModel = known(label(facts.nodeOs.cpuModel), 'node:os.cpus()');
  if (cpuCount.value === null && facts.nodeOs && facts.nodeOs.cpuCount > 0)
    cpuCount = known(facts.nodeOs.cpuCount, 'node:os.cpus()');
  return { cpuModel, cpuCount };
}

/** macOS `vm.swapusage`: "total = 2048.00M  used = …". */
function parseDarwinSwap(text: string): bigint | null {
  const m = /total = ([\d.]+)([KMGT])/.exec(text);
  if (!m) return null;
  const scale = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[
    m[2] as 'K' | 'M' | 'G' | 'T'
  ];
  return BigInt(Math.round(Number(m[1]) * scale));
}

function detectMemory(facts: HostFacts): Pick<EnvironmentReport, 'memoryBytes' | 'swapBytes'> {
  const meminfo = facts.files['/proc/meminfo'];
  let memoryBytes: DetectedValue<string | null> = unknown(null, '/proc/meminfo MemTotal');
  let swapBytes: DetectedValue<string | null> = unknown(null, '/proc/meminfo SwapTotal');
  const mem = meminfoBytes(meminfo, 'MemTotal');
  if (mem !== null) memoryBytes = known(mem.toString(), '/proc/meminfo MemTotal');
  const swap = meminfoBytes(meminfo, 'SwapTotal');
  if (swap !== null) swapBytes = known(swap.toString(), '/proc/meminfo SwapTotal');
  if (facts.platform === 'darwin') {
    const memsize = facts.commands['sysctl -n hw.memsize'];
    if (memsize && memsize.exitCode === 0 && /^\d+$/.test(memsize.stdout.trim()))
      memoryBytes = known(memsize.stdout.trim(), 'sysctl hw.memsize');
    const swapusage = facts.commands['sysctl -n vm.swapusage'];
    const parsed = swapusage && swapusage.exitCode === 0 ? parseDarwinSwap(swapusage.stdout) : null;
    if (parsed !== null) swapBytes = known(parsed.toString(), 'sysctl vm.swapusage');
  }
  if (memoryBytes.value === null && facts.nodeOs)
    memoryBytes = known(String(facts.nodeOs.totalMemBytes), 'node:os.totalmem()');
  return { memoryBytes, swapBytes };
}

function versionFrom(output: CommandOutput | null | undefined, pattern: RegExp): string | null {
  if (!output || output.exitCode !== 0) return null;
  return pattern.exec(output.stdout)?.[1] ?? null;
}

function detectGit(facts: HostFacts): DetectedValue<string | null> {
  const git = versionFrom(facts.commands['git --version'], /git version (\S+)/);
  return git ? known(label(git), 'git --version') : unknown(null, 'git --version');
}

export function detectEnvironment(facts: HostFacts): EnvironmentReport {
  const engine = detectEngine(facts);
  const buildDir = detectFilesystem(facts.filesystems?.buildDir ?? null, 'the build directory');
  const tmp = detectFilesystem(facts.filesystems?.tmp ?? null, '/tmp');
  return {
    ...detectOs(facts),
    kernel: detectKernel(facts),
    arch: detectArch(facts),
    virtualization: detectVirtualization(facts),
    ...detectCpu(facts),
    ...detectMemory(facts),
    diskFreeBytes: facts.diskFree
      ? known(facts.diskFree.bytes.toString(), `statfs(${facts.diskFree.path}) available blocks`)
      : unknown(null, 'statfs of the build directory'),
    ...(({ containerRuntimeName, containerRuntimeVersion }) => ({
      containerRuntimeName,
      containerRuntimeVersion,
    }))(engine),
    gitVersion: detectGit(facts),
    container: detectContainer(facts),
    containerRuntimeRootless: engine.containerRuntimeRootless,
    buildDirFilesystem: buildDir.type,
    buildDirBlockSize: buildDir.blockSize,
    tmpFilesystem: tmp.type,
    tmpBlockSize: tmp.blockSize,
    ...detectCgroupLimits(facts),
    ...detectToolVersions(facts),
  };
}

/** The attestation's environment: values only. */
export function toEnvironment(report: EnvironmentReport): EnvironmentV2 {
  const out: Record<string, unknown> = {};
  for (const field of ENVIRONMENT_FIELDS) out[field] = report[field].value;
  return out as unknown as EnvironmentV2;
}
