import type { Verdict } from './types';

/** An attestation's overall verdict: the worst of its artifacts (the format's one rule). */
export { overallVerdict } from '@repro-registry/attestation';

export function verdictLabel(verdict: Verdict): string {
  switch (verdict) {
    case 'match':
      return 'match';
    case 'mismatch':
      return 'mismatch';
    case 'build_failed':
      return 'build failed';
    case 'not_built':
      return 'not built';
    default:
      return verdict satisfies never;
  }
}

const KIND_LABELS: Record<string, string> = {
  guestos: 'GuestOS',
  hostos: 'HostOS',
  setupos: 'SetupOS',
  'guestos-recovery': 'GuestOS recovery',
  'launch-measurements': 'Launch measurements',
};

/** People's name for an artifact kind; unknown kinds (added later) show as they come. */
export function artifactKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}
