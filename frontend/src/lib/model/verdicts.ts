import type { Verdict } from './types';

/** An attestation's overall verdict: the worst of its artifacts (the registry's rule). */
export function overallVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('mismatch')) return 'mismatch';
  if (verdicts.includes('build_failed')) return 'build_failed';
  if (verdicts.includes('match')) return 'match';
  return 'not_built';
}

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
