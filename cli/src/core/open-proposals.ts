/**
 * `repro proposals --open`, the pure part: from the proposals governance lists as open and what
 * the registry holds on each, one row per proposal with something to reproduce — deadline,
 * commit, expected hashes, and how far independent builders agree so far.
 */
import {
  claimedCommit,
  expectedArtifacts,
  type ExpectedArtifact,
  type ProposalSummary,
} from '@repro-registry/proposals';

export type ProposalFamily = 'icos-election' | 'canister-install' | 'sns-wasm';

/** The part of the registry's proposal summary read here (a subset of its Candid type). */
export interface RegistryProposalView {
  builder_count: bigint;
  attestation_count: bigint;
  artifacts: Array<{
    kind: string;
    hash_groups: Array<{ sha256: string; builder_count: bigint }>;
  }>;
}

/** What the registry said about a proposal: nothing asked, nothing yet, a summary, or an error. */
export type RegistryAnswer =
  | { state: 'not-asked' }
  | { state: 'none' }
  | { state: 'error'; code: string; message: string }
  | { state: 'summary'; summary: RegistryProposalView };

export interface ArtifactProgress {
  kind: string;
  expectedSha256: string | null;
  /** Builders whose hash is the proposal's. */
  agreeing: number;
  /** Builders with another hash, per hash (most builders first). */
  others: Array<{ sha256: string; builders: number }>;
}

export interface OpenProposalRow {
  id: bigint;
  title: string | null;
  topic: string;
  family: ProposalFamily;
  deadlineTimestampNs: bigint | null;
  /** Seconds left to vote at `nowNs` (0 once past); null without a deadline. */
  secondsLeft: number | null;
  commit: string | null;
  /** `payload` for elections; `summary` for canister modules (the proposer's text, unproven). */
  commitSource: 'payload' | 'summary' | null;
  /** For canister installs: the target and how it is installed. */
  target: { canisterId: string | null; name: string | null; installMode: string } | null;
  expected: ExpectedArtifact[];
  registry:
    | { state: 'not-asked' }
    | { state: 'none' }
    | { state: 'error'; code: string; message: string }
    | { state: 'summary'; builders: number; attestations: number; artifacts: ArtifactProgress[] };
}

export interface OpenProposalsView {
  rows: OpenProposalRow[];
  /** Open proposals of those topics with nothing to reproduce (motions, other functions). */
  skipped: Array<{ id: bigint | null; title: string | null; reason: string }>;
}

function familyOf(s: ProposalSummary): ProposalFamily | null {
  if (s.icOsElection.ok) return 'icos-election';
  if (s.canisterInstall.ok) return 'canister-install';
  if (s.snsWasm.ok) return 'sns-wasm';
  return null;
}

function commitOf(s: ProposalSummary): Pick<OpenProposalRow, 'commit' | 'commitSource'> {
  if (s.icOsElection.ok)
    return { commit: s.icOsElection.value.electedCommit, commitSource: 'payload' };
  const claimed = claimedCommit(s.summary);
  return { commit: claimed, commitSource: claimed === null ? null : 'summary' };
}

function progressOf(
  expected: ExpectedArtifact[],
  summary: RegistryProposalView,
): ArtifactProgress[] {
  const kinds = [
    ...expected.map((e) => e.kind),
    ...summary.artifacts.map((a) => a.kind).filter((k) => !expected.some((e) => e.kind === k)),
  ];
  return kinds.map((kind) => {
    const expectedSha256 = expected.find((e) => e.kind === kind)?.expectedSha256 ?? null;
    const groups = summary.artifacts.find((a) => a.kind === kind)?.hash_groups ?? [];
    const agreeing = groups
      .filter((g) => expectedSha256 !== null && g.sha256 === expectedSha256)
      .reduce((n, g) => n + Number(g.builder_count), 0);
    const others = groups
      .filter((g) => expectedSha256 === null || g.sha256 !== expectedSha256)
      .map((g) => ({ sha256: g.sha256, builders: Number(g.builder_count) }))
      .sort((a, b) => b.builders - a.builders);
    return { kind, expectedSha256, agreeing, others };
  });
}

function registryOf(
  expected: ExpectedArtifact[],
  answer: RegistryAnswer,
): OpenProposalRow['registry'] {
  if (answer.state !== 'summary') return answer;
  return {
    state: 'summary',
    builders: Number(answer.summary.builder_count),
    attestations: Number(answer.summary.attestation_count),
    artifacts: progressOf(expected, answer.summary),
  };
}

/** Rows for the open proposals with something to reproduce, soonest deadline first. */
export function openProposalsView(args: {
  proposals: ProposalSummary[];
  registry: (id: bigint) => RegistryAnswer;
  nowNs: bigint;
}): OpenProposalsView {
  const rows: OpenProposalRow[] = [];
  const skipped: OpenProposalsView['skipped'] = [];
  for (const s of args.proposals) {
    const family = familyOf(s);
    if (family === null || s.id === null) {
      const why = [s.icOsElection, s.canisterInstall, s.snsWasm]
        .map((r) => (r.ok ? '' : r.code))
        .join('/');
      skipped.push({ id: s.id, title: s.title, reason: `nothing to reproduce (${why})` });
      continue;
    }
    const expected = expectedArtifacts(s);
    const install = s.canisterInstall.ok ? s.canisterInstall.value : null;
    rows.push({
      id: s.id,
      title: s.title,
      topic: s.topic,
      family,
      deadlineTimestampNs: s.deadlineTimestampNs,
      secondsLeft:
        s.deadlineTimestampNs === null
          ? null
          : Math.max(0, Number((s.deadlineTimestampNs - args.nowNs) / 1_000_000_000n)),
      ...commitOf(s),
      target:
        install === null
          ? null
          : {
              canisterId: install.targetCanisterId,
              name: install.targetName,
              installMode: install.installMode,
            },
      expected,
      registry: registryOf(expected, args.registry(s.id)),
    });
  }
  const deadline = (r: OpenProposalRow) => r.deadlineTimestampNs ?? BigInt(Number.MAX_SAFE_INTEGER);
  rows.sort((a, b) =>
    deadline(a) !== deadline(b) ? (deadline(a) < deadline(b) ? -1 : 1) : a.id < b.id ? -1 : 1,
  );
  return { rows, skipped };
}

/** "3d 4h", "5h 12m", "40m", "closed". */
export function timeLeft(seconds: number | null): string {
  if (seconds === null) return 'no deadline';
  if (seconds <= 0) return 'closed';
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return `${Math.max(m, 1)}m`;
}
