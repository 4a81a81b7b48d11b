// The one rule for an attestation's overall verdict, used by the registry (stored and
// effective verdicts), the frontend (checking what the registry shows against the signed
// statement) and the CLI.
import type { Verdict } from './types';

/** Worst first: one mismatching artifact makes the whole attestation a mismatch. */
const SEVERITY: readonly Verdict[] = ['mismatch', 'build_failed', 'match'];

/** An attestation's overall verdict: the worst of its artifacts' (`not_built` when none was). */
export function overallVerdict(verdicts: readonly Verdict[]): Verdict {
  return SEVERITY.find((v) => verdicts.includes(v)) ?? 'not_built';
}
