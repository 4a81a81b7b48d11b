/**
 * How often a builder agreed with the other builders: for each proposal the builder currently
 * attests, whether their hash is the one most *other* builders got. Counting others only keeps
 * a lone builder from agreeing with themselves.
 */
import type { Attestation, ProposalSummary } from './types';

export type AgreementOutcome = 'agreed' | 'disagreed' | 'no_majority' | 'alone' | 'not_built';

export interface AgreementEntry {
  attestationId: string;
  proposalId: bigint;
  outcome: AgreementOutcome;
}

export interface AgreementStats {
  entries: AgreementEntry[];
  agreed: number;
  disagreed: number;
  /** Proposals where the comparison says nothing (no other builders, no majority, nothing built). */
  undecided: number;
  /** agreed / (agreed + disagreed); null when there is nothing to compare. */
  rate: number | null;
}

export function agreementOf(attestation: Attestation, summary: ProposalSummary): AgreementOutcome {
  const built = attestation.artifacts.filter((a) => a.sha256 !== null);
  if (built.length === 0) return 'not_built';
  let sawOthers = false;
  for (const artifact of built) {
    const consensus = summary.artifacts.find((c) => c.kind === artifact.kind);
    if (consensus === undefined) continue;
    // Take the builder out of their own group.
    const others = consensus.hashGroups
      .map((g) => ({
        sha256: g.sha256,
        n: g.builderCount - (g.sha256 === artifact.sha256 ? 1 : 0),
      }))
      .filter((g) => g.n > 0)
      .sort((a, b) => b.n - a.n);
    const top = others[0];
    if (top === undefined) continue;
    sawOthers = true;
    if (others[1] !== undefined && others[1].n === top.n) return 'no_majority';
    if (top.sha256 !== artifact.sha256) return 'disagreed';
  }
  return sawOthers ? 'agreed' : 'alone';
}

/** Over the builder's attestations that count (current, visible), given each proposal's summary. */
export function agreementStats(args: {
  attestations: Attestation[];
  summaries: Map<bigint, ProposalSummary>;
}): AgreementStats {
  const entries: AgreementEntry[] = [];
  for (const a of args.attestations) {
    if (a.supersededBy !== null || a.hidden !== null || a.commitDiffersFromProposal) continue;
    const summary = args.summaries.get(a.proposalId);
    if (summary === undefined) continue;
    entries.push({
      attestationId: a.id.toString(),
      proposalId: a.proposalId,
      outcome: agreementOf(a, summary),
    });
  }
  const agreed = entries.filter((e) => e.outcome === 'agreed').length;
  const disagreed = entries.filter((e) => e.outcome === 'disagreed').length;
  return {
    entries,
    agreed,
    disagreed,
    undecided: entries.length - agreed - disagreed,
    rate: agreed + disagreed === 0 ? null : agreed / (agreed + disagreed),
  };
}
