import { describe, expect, it } from 'vitest';

import { environmentClass } from './environment-class';

const ubuntu = {
  osName: 'Ubuntu',
  virtualization: 'bare_metal',
  containerRuntimeName: 'podman',
} as const;

describe('environmentClass', () => {
  it('names operating system, virtualization and container runtime', () => {
    expect(environmentClass(ubuntu)).toBe('ubuntu / bare_metal / podman');
  });

  it('puts machines of one kind in one class whatever their spelling', () => {
    expect(environmentClass({ ...ubuntu, osName: '  UBUNTU ' })).toBe(environmentClass(ubuntu));
    expect(environmentClass({ ...ubuntu, containerRuntimeName: 'Podman' })).toBe(
      environmentClass(ubuntu),
    );
    // Full-width letters are the same name after NFKC.
    expect(environmentClass({ ...ubuntu, osName: 'Ｕｂｕｎｔｕ' })).toBe(environmentClass(ubuntu));
  });

  it('tells virtualization, operating systems and runtimes apart', () => {
    const classes = new Set([
      environmentClass(ubuntu),
      environmentClass({ ...ubuntu, virtualization: 'wsl2' }),
      environmentClass({ ...ubuntu, virtualization: 'kvm' }),
      environmentClass({ ...ubuntu, osName: 'Debian GNU/Linux' }),
      environmentClass({ ...ubuntu, containerRuntimeName: 'docker' }),
    ]);
    expect(classes.size).toBe(5);
  });

  it('says unknown for what the builder could not detect', () => {
    expect(
      environmentClass({ osName: null, virtualization: 'unknown', containerRuntimeName: null }),
    ).toBe('unknown / unknown / unknown');
    expect(environmentClass({ ...ubuntu, osName: '   ' })).toBe('unknown / bare_metal / podman');
  });
});

describe('environmentClass of a version 2 environment', () => {
  it('tells a container inside a VM from the bare VM, and from another container', () => {
    const vm = { ...ubuntu, virtualization: 'kvm', container: 'none' } as const;
    expect(environmentClass(vm)).toBe('ubuntu / kvm / podman');
    expect(environmentClass({ ...vm, container: 'unknown' })).toBe('ubuntu / kvm / podman');
    expect(environmentClass({ ...vm, container: 'docker' })).toBe('ubuntu / kvm+docker / podman');
    expect(
      new Set([
        environmentClass(vm),
        environmentClass({ ...vm, container: 'docker' }),
        environmentClass({ ...vm, container: 'lxc' }),
      ]).size,
    ).toBe(3);
  });
});
