import { describe, expect, it } from 'vitest';

import { environmentClass } from './environment';

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
