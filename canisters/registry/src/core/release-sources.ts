// What builders read from the release's other sources of an artifact's hash (the `sources` of
// a version 2 artifact: SHA256SUMS entries and what each package URL served), kept per proposal
// so its summary says at once when a source disagrees with the proposal — e.g. the proposal's
// second URL serving other bytes, a reason to reject. Pure over the proposal record.
import {
  sourceDisagreements,
  type Artifact,
  type ArtifactSource,
  type SourceKind,
} from '@repro-registry/attestation';
import { onChainExpected, type Consensus } from './consensus';
import type { ArtifactKind, ProposalRecordJson } from './records';
import { proposalState } from './store';

/** Distinct (artifact, source, URL, hash) reports kept per proposal; the rest are counted as dropped. */
export const SOURCE_REPORTS_PER_PROPOSAL = 32;
/** Attestations remembered per report (enough to tell one builder from several). */
export const SOURCE_REPORTERS = 8;

export interface SourceReportJson {
  kind: ArtifactKind;
  source: SourceKind;
  url: string;
  sha256: string | null;
  /** [attestation id, builder principal] of those who reported it, first `SOURCE_REPORTERS`. */
  by: [string, string][];
}

export interface SourceReportView extends Omit<SourceReportJson, 'by'> {
  /** Distinct builders among the remembered reporters. */
  builderCount: number;
  /** Whether the hash is the reference (the proposal's, else the builders' expected); null: no hash or no reference. */
  agrees: boolean | null;
}

export interface ReleaseSourcesView {
  reports: SourceReportView[];
  /** A source disagrees with the proposal's hash, or (without one) sources disagree with each other. */
  disagree: boolean;
  /** Reports not kept for the bound. */
  dropped: number;
}

/** The sources an accepted attestation carries, as the artifact record stores them. */
export function storedSources(artifact: Pick<Artifact, 'sources'>): { sources?: ArtifactSource[] } {
  return artifact.sources === undefined ? {} : { sources: artifact.sources };
}

/** Adds an attestation's sources to its proposal's reports. */
export function noteSources(
  proposal: ProposalRecordJson,
  args: {
    attestationId: string;
    builder: string;
    artifacts: readonly { kind: ArtifactKind; sources?: ArtifactSource[] }[];
  },
): void {
  for (const a of args.artifacts) {
    for (const s of a.sources ?? []) {
      const reports = (proposal.sourceReports ??= []);
      let report = reports.find(
        (r) => r.kind === a.kind && r.source === s.kind && r.url === s.url && r.sha256 === s.sha256,
      );
      if (report === undefined) {
        if (reports.length >= SOURCE_REPORTS_PER_PROPOSAL) {
          proposal.sourceReportsDropped = (proposal.sourceReportsDropped ?? 0) + 1;
          continue;
        }
        report = { kind: a.kind, source: s.kind, url: s.url, sha256: s.sha256, by: [] };
        reports.push(report);
      }
      if (
        report.by.length < SOURCE_REPORTERS &&
        !report.by.some(([id]) => id === args.attestationId)
      )
        report.by.push([args.attestationId, args.builder]);
    }
  }
}

/** A hidden attestation's reports no longer count; a report nobody else made goes. */
export function dropSources(proposal: ProposalRecordJson, attestationId: string): void {
  if (proposal.sourceReports === undefined) return;
  for (const r of proposal.sourceReports) r.by = r.by.filter(([id]) => id !== attestationId);
  proposal.sourceReports = proposal.sourceReports.filter((r) => r.by.length > 0);
}

/**
 * The reports with what follows from them. `referenceOf(kind)`: the proposal's hash for the
 * artifact when it states one, else what most builders expected, else null. The rule is the
 * format's `sourceDisagreements`.
 */
export function releaseSourcesView(
  proposal: ProposalRecordJson,
  referenceOf: (kind: ArtifactKind) => string | null,
): ReleaseSourcesView {
  const reports = proposal.sourceReports ?? [];
  let disagree = false;
  const kinds = [...new Set(reports.map((r) => r.kind))];
  for (const kind of kinds) {
    const sources = reports
      .filter((r) => r.kind === kind)
      .map((r) => ({ kind: r.source, url: r.url, sha256: r.sha256 }));
    if (sourceDisagreements(sources, referenceOf(kind)).length > 0) disagree = true;
  }
  return {
    reports: reports.map((r) => {
      const reference = referenceOf(r.kind);
      return {
        kind: r.kind,
        source: r.source,
        url: r.url,
        sha256: r.sha256,
        builderCount: new Set(r.by.map(([, builder]) => builder)).size,
        agrees: r.sha256 === null || reference === null ? null : r.sha256 === reference,
      };
    }),
    disagree,
    dropped: proposal.sourceReportsDropped ?? 0,
  };
}

/** The hash a source is measured against: the proposal's for the kind, else the builders' expected one. */
export function sourceReference(
  record: ProposalRecordJson,
  consensus: Consensus,
): (kind: ArtifactKind) => string | null {
  const onChain = proposalState(record) === 'confirmed' ? record.onChain : null;
  return (kind) =>
    onChainExpected(onChain, kind) ??
    consensus.artifacts.find((a) => a.kind === kind)?.expectedSha256 ??
    null;
}
