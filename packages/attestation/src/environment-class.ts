import type { Container, Environment } from './types';

/**
 * The environment class of a build: operating system + virtualization + container runtime.
 * Consensus counts how many distinct classes reproduced each hash, so ten keys on one machine
 * don't look like ten machines. This is the one definition: the canister, the CLI and the
 * frontend all call it (a new environment field that tells machines apart belongs here).
 *
 * Virtualization is the VM and, in version 2 attestations, the container the build ran in
 * (`kvm+docker`): a container inside a VM is another kind of machine than the bare VM. An
 * unknown container adds nothing: not knowing is no evidence of another machine.
 * Versions, CPU and memory are left out on purpose: they tell builds apart, not machines of a
 * different kind, and a builder controls them freely. Names are compared case-insensitively
 * with runs of white space collapsed; an unknown part is `unknown`.
 */
export function environmentClass(
  environment: Pick<Environment, 'osName' | 'virtualization' | 'containerRuntimeName'> & {
    container?: Container;
  },
): string {
  const container = environment.container;
  const virtualization =
    container === undefined || container === 'none' || container === 'unknown'
      ? environment.virtualization
      : `${environment.virtualization}+${container}`;
  return [part(environment.osName), virtualization, part(environment.containerRuntimeName)].join(
    ' / ',
  );
}

function part(value: string | null): string {
  if (value === null) return 'unknown';
  const normalized = value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  return normalized === '' ? 'unknown' : normalized;
}
