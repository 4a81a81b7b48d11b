import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validatePredicate } from '@repro-registry/attestation';
import { detectEnvironment, toEnvironment, type HostFacts } from '../core/env-detect';
import { probeHost } from './env-probe';

const hostsDir = fileURLToPath(new URL('../../test/fixtures/hosts/', import.meta.url));

async function detectTree(name: string, commands: HostFacts['commands'] = {}) {
  const facts = await probeHost({
    root: path.join(hostsDir, name),
    buildDir: null,
    runCommands: false,
    useNodeOs: false,
    platform: 'linux',
  });
  return detectEnvironment({ ...facts, commands });
}

describe('environment detection on fixture trees (injected root)', () => {
  it('bare-metal Ubuntu: os-release, kernel, CPU, RAM, swap; bare metal only because DMI and cpuinfo say so', async () => {
    const report = await detectTree('ubuntu-bare-metal', {
      'podman info --format json': {
        stdout: JSON.stringify({
          host: { security: { rootless: true } },
          version: { Version: '3.4.4' },
        }),
        exitCode: 0,
      },
      'docker version --format {{json .}}': null,
      'git --version': { stdout: 'git version 2.34.1\n', exitCode: 0 },
      'zstd --version': {
        stdout: '*** Zstandard CLI (64-bit) v1.4.8, by Yann Collet ***\n',
        exitCode: 0,
      },
      'tar --version': {
        stdout: 'tar (GNU tar) 1.34\nCopyright (C) 2021 Free Software Foundation, Inc.\n',
        exitCode: 0,
      },
      'systemd-detect-virt --container': { stdout: 'none\n', exitCode: 1 },
    });
    expect(toEnvironment(report)).toEqual({
      osName: 'Ubuntu',
      osVersion: '22.04.4 LTS',
      kernel: '6.5.0-35-generic',
      arch: null,
      virtualization: 'bare_metal',
      cpuModel: 'AMD Ryzen 9 7950X 16-Core Processor',
      cpuCount: 4,
      memoryBytes: String(65758584 * 1024),
      swapBytes: String(8388604 * 1024),
      diskFreeBytes: null,
      containerRuntimeName: 'podman',
      containerRuntimeVersion: '3.4.4',
      gitVersion: '2.34.1',
      container: 'none',
      containerRuntimeRootless: true,
      buildDirFilesystem: null,
      buildDirBlockSize: null,
      tmpFilesystem: null,
      tmpBlockSize: null,
      cgroupMemoryMax: 'max',
      cgroupCpuMax: '200000 100000',
      zstdVersion: '1.4.8',
      tarVersion: '1.34',
    });
    expect(report.container.source).toBe('systemd-detect-virt --container (none)');
    expect(report.cgroupCpuMax.source).toMatch(/user\.slice.*cpu\.max/);
    expect(report.osVersion.source).toBe('/etc/os-release VERSION');
    expect(report.virtualization.source).toMatch(/dmi.*no hypervisor flag/);
    expect(report.arch.source).toMatch(/^not found/);
  });

  it('WSL2 from the kernel release, with its small RAM and swap', async () => {
    const report = await detectTree('wsl2');
    expect(report.virtualization).toEqual({
      value: 'wsl2',
      source: '/proc/sys/kernel/osrelease (microsoft-standard-WSL2)',
    });
    expect(report.osVersion.value).toBe('22.04.2 LTS');
    expect(report.memoryBytes.value).toBe(String(8133740 * 1024));
    expect(report.swapBytes.value).toBe(String(2097152 * 1024));
  });

  it('WSL2 from /proc/version alone', () => {
    const report = detectEnvironment({
      platform: 'linux',
      files: {
        '/proc/version':
          'Linux version 5.15.153.1-microsoft-standard-WSL2 (root@941d701f84f1) #1 SMP',
      },
      exists: {},
      commands: {},
      nodeOs: null,
      diskFree: null,
    });
    expect(report.virtualization).toEqual({ value: 'wsl2', source: '/proc/version (WSL2)' });
    expect(report.kernel.value).toBe('5.15.153.1-microsoft-standard-WSL2');
  });

  it('VirtualBox and KVM from their DMI files', async () => {
    expect((await detectTree('virtualbox')).virtualization.value).toBe('virtualbox');
    const kvm = await detectTree('kvm');
    expect(kvm.virtualization).toEqual({
      value: 'kvm',
      source:
        '/sys/class/dmi/id (sys_vendor "QEMU", product_name "Standard PC (Q35 + ICH9, 2009)")',
    });
  });

  it('a Docker container from the cgroup of PID 1, apart from the VM under it', async () => {
    const report = await detectTree('docker-container', {
      'systemd-detect-virt --vm': { stdout: 'kvm\n', exitCode: 0 },
    });
    expect(report.container).toEqual({ value: 'docker', source: '/proc/1/cgroup (docker)' });
    expect(report.virtualization).toEqual({
      value: 'kvm',
      source: 'systemd-detect-virt --vm (kvm)',
    });
    // cgroup v1 in the container: the memory limit of its own cgroup (8 GiB).
    expect(report.cgroupMemoryMax.value).toBe(String(8 * 1024 ** 3));
    expect(report.osName.value).toBe('Debian GNU/Linux');
    expect(report.osVersion.value).toBe('12');
    expect(report.swapBytes.value).toBe('0');
  });

  it('systemd-detect-virt wins over DMI guessing, and its unknown answers stay unknown', () => {
    const base = { platform: 'linux', files: {}, exists: {}, nodeOs: null, diskFree: null };
    expect(
      detectEnvironment({
        ...base,
        commands: { 'systemd-detect-virt --vm': { stdout: 'oracle\n', exitCode: 0 } },
      }).virtualization.value,
    ).toBe('virtualbox');
    expect(
      detectEnvironment({
        ...base,
        commands: { 'systemd-detect-virt --vm': { stdout: 'none\n', exitCode: 1 } },
      }).virtualization,
    ).toEqual({
      value: 'bare_metal',
      source: 'systemd-detect-virt --vm (none)',
    });
    expect(
      detectEnvironment({
        ...base,
        commands: { 'systemd-detect-virt --vm': { stdout: 'bochs\n', exitCode: 0 } },
      }).virtualization.value,
    ).toBe('unknown');
    const podmanContainer = detectEnvironment({
      ...base,
      exists: { '/run/.containerenv': true },
      commands: {},
    });
    expect(podmanContainer.container.value).toBe('podman');
    expect(podmanContainer.virtualization.value).toBe('unknown');
  });

  it('a hypervisor flag without an identified hypervisor is unknown, not bare metal', () => {
    const report = detectEnvironment({
      platform: 'linux',
      files: {
        '/proc/cpuinfo': 'processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu hypervisor\n',
      },
      exists: {},
      commands: {},
      nodeOs: null,
      diskFree: null,
    });
    expect(report.virtualization.value).toBe('unknown');
  });

  it('an empty tree yields unknowns everywhere, each saying where it looked, and is still a valid environment', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'repro-empty-root-'));
    const facts = await probeHost({
      root: empty,
      buildDir: empty,
      runCommands: false,
      useNodeOs: false,
      platform: 'linux',
    });
    const report = detectEnvironment(facts);
    const environment = toEnvironment(report);
    expect(environment).toMatchObject({
      osName: null,
      kernel: null,
      virtualization: 'unknown',
      cpuCount: null,
      memoryBytes: null,
      gitVersion: null,
    });
    expect(environment.diskFreeBytes).toMatch(/^\d+$/);
    for (const [field, detected] of Object.entries(report)) {
      if (detected.value === null)
        expect(detected.source, field).toMatch(/^not found \(looked at .+\)$/);
    }
    expect(environment.container).toBe('unknown');
    const checked = validatePredicate({
      proposal: { id: '1', commit: 'a'.repeat(40) },
      builder: { id: 'x', publicKey: 'x' },
      artifacts: [],
      tool: { name: 'repro-check', version: '1', scriptSha256: null, exitCode: null },
      environment,
      build: {
        startedOn: '2025-01-01T00:00:00Z',
        finishedOn: '2025-01-01T00:00:00Z',
        cleanCache: null,
        failure: null,
      },
    });
    // The predicate as a whole is invalid here (no artifacts, fake builder): only the environment must pass.
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error.field ?? '').not.toMatch(/^predicate\.environment/);
  });

  it('macOS from sw_vers and sysctl', () => {
    const out = (stdout: string) => ({ stdout, exitCode: 0 });
    const report = detectEnvironment({
      platform: 'darwin',
      files: {},
      exists: {},
      commands: {
        sw_vers: out('ProductName:\t\tmacOS\nProductVersion:\t\t14.5\nBuildVersion:\t\t23F79\n'),
        'sysctl -n machdep.cpu.brand_string': out('Apple M2 Pro\n'),
        'sysctl -n hw.ncpu': out('12\n'),
        'sysctl -n hw.memsize': out('34359738368\n'),
        'sysctl -n vm.swapusage': out(
          'total = 2048.00M  used = 1024.50M  free = 1023.50M  (encrypted)\n',
        ),
        'sysctl -n kern.hv_vmm_present': out('0\n'),
      },
      nodeOs: {
        machine: 'arm64',
        release: '23.5.0',
        cpuModel: 'Apple M2 Pro',
        cpuCount: 12,
        totalMemBytes: 34359738368,
      },
      diskFree: null,
    });
    expect(toEnvironment(report)).toMatchObject({
      osName: 'macOS',
      osVersion: '14.5',
      kernel: '23.5.0',
      arch: 'arm64',
      virtualization: 'bare_metal',
      cpuModel: 'Apple M2 Pro',
      cpuCount: 12,
      memoryBytes: '34359738368',
      swapBytes: String(2048 * 1024 * 1024),
    });
  });
});

describe('the container engine, file systems, cgroups and tools', () => {
  const base = { platform: 'linux', files: {}, exists: {}, nodeOs: null, diskFree: null };
  it('a docker client whose daemon does not answer is no engine; a docker server is, with its own version', () => {
    const noDaemon = detectEnvironment({
      ...base,
      commands: {
        'podman info --format json': null,
        'docker version --format {{json .}}': {
          stdout: '{"Client":{"Version":"28.2.2"},"Server":null}\n',
          exitCode: 1,
        },
      },
    });
    expect(noDaemon.containerRuntimeName.value).toBeNull();
    expect(noDaemon.containerRuntimeVersion.source).toMatch(/daemon does not answer/);
    const server = detectEnvironment({
      ...base,
      commands: {
        'docker version --format {{json .}}': {
          stdout: '{"Client":{"Version":"28.2.2"},"Server":{"Version":"27.5.1"}}',
          exitCode: 0,
        },
        'docker info --format {{json .SecurityOptions}}': {
          stdout: '["name=seccomp,profile=builtin","name=rootless","name=cgroupns"]',
          exitCode: 0,
        },
      },
    });
    expect(toEnvironment(server)).toMatchObject({
      containerRuntimeName: 'docker',
      containerRuntimeVersion: '27.5.1',
      containerRuntimeRootless: true,
    });
  });

  it('file system from findmnt, else from the statfs magic; block size from statfs', () => {
    const fs = (type: bigint, findmnt: string | null) => ({
      path: '/build',
      type,
      blockSize: 4096n,
      findmnt: findmnt === null ? null : { stdout: `${findmnt}\n`, exitCode: 0 },
    });
    const report = detectEnvironment({
      ...base,
      commands: {},
      filesystems: { buildDir: fs(0x58465342n, 'xfs'), tmp: fs(0x01021994n, null) },
    });
    expect(report.buildDirFilesystem).toEqual({ value: 'xfs', source: 'findmnt -T /build FSTYPE' });
    expect(report.tmpFilesystem).toEqual({
      value: 'tmpfs',
      source: 'statfs(/build) f_type 0x1021994',
    });
    expect(report.buildDirBlockSize.value).toBe('4096');
    const odd = detectEnvironment({
      ...base,
      commands: {},
      filesystems: { buildDir: fs(0x1234n, null), tmp: null },
    });
    expect(odd.buildDirFilesystem.value).toBeNull();
    expect(odd.buildDirFilesystem.source).toMatch(/0x1234/);
  });

  it('cgroup v2: the tightest limit of the cgroup and its ancestors', () => {
    const report = detectEnvironment({
      ...base,
      commands: {},
      files: {
        '/proc/self/cgroup': '0::/user.slice/user-1000.slice/session-3.scope\n',
        '/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope/memory.max': 'max\n',
        '/sys/fs/cgroup/user.slice/user-1000.slice/memory.max': '17179869184\n',
        '/sys/fs/cgroup/user.slice/memory.max': '34359738368\n',
        '/sys/fs/cgroup/user.slice/cpu.max': '400000 100000\n',
        '/sys/fs/cgroup/user.slice/user-1000.slice/cpu.max': 'max 100000\n',
      },
    });
    expect(report.cgroupMemoryMax.value).toBe('17179869184');
    expect(report.cgroupCpuMax.value).toBe('400000 100000');
    const none = detectEnvironment({ ...base, commands: {} });
    expect(none.cgroupMemoryMax.value).toBeNull();
    expect(none.zstdVersion.source).toMatch(/^not found/);
  });
});

describe('probeHost on the live machine', () => {
  it('records something for every field or says where it looked, without root', async () => {
    const facts = await probeHost({
      root: '/',
      buildDir: os.tmpdir(),
      runCommands: true,
      useNodeOs: true,
    });
    const report = detectEnvironment(facts);
    expect(report.arch.value).toBe(os.machine());
    expect(report.diskFreeBytes.value).toMatch(/^\d+$/);
    for (const detected of Object.values(report)) expect(detected.source.length).toBeGreaterThan(3);
  });
});
