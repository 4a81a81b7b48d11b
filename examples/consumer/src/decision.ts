/**
 * The consumer's decision, pure: is a proposal reproduced by at least `threshold` independent
 * builders on every artifact, with nobody reproducing another hash? Only the fields of the
 * registry's `ProposalSummary` the decision reads are named here: Candid decodes a record into
 * a type with fewer fields, so the registry may add fields without breaking this canister.
 */

export interface HashGroupView {
  sha256: string;
  builder_count: bigint;
  matches_expected: [] | [boolean];
}

export interface ArtifactView {
  kind: string;
  expected_sha256: [] | [string];
  hash_groups: HashGroupView[];
}

export interface SummaryView {
  proposal_id: bigint;
  artifacts: ArtifactView[];
}

export type SummaryResult = { Ok: SummaryView } | { Err: { code: string; message: string } };

export interface Decision {
  proposal_id: bigint;
  approve: boolean;
  reason: string;
}

const builders = (n: bigint) => `${n} builder${n === 1n ? '' : 's'}`;

/** Why one artifact is not reproduced enough, or undefined when it is. */
function artifactProblem(a: ArtifactView, threshold: bigint): string | undefined {
  if (a.expected_sha256.length === 0) return `${a.kind}: no expected hash is known`;
  const matching = a.hash_groups
    .filter((g) => g.matches_expected[0] === true)
    .reduce((n, g) => n + g.builder_count, 0n);
  const other = a.hash_groups
    .filter((g) => g.matches_expected[0] === false)
    .reduce((n, g) => n + g.builder_count, 0n);
  if (other > 0n) return `${a.kind}: ${builders(other)} built a different hash`;
  if (matching < threshold) {
    return `${a.kind}: ${builders(matching)} reproduced the expected hash, ${threshold} required`;
  }
  return undefined;
}

export function decide(args: {
  proposalId: bigint;
  result: SummaryResult;
  threshold: bigint;
}): Decision {
  const { proposalId, result, threshold } = args;
  const no = (reason: string): Decision => ({ proposal_id: proposalId, approve: false, reason });
  if ('Err' in result) return no(`the registry answered ${result.Err.code}: ${result.Err.message}`);
  const { artifacts } = result.Ok;
  if (artifacts.length === 0) return no('nobody has attested a reproduction yet');
  const problems = artifacts
    .map((a) => artifactProblem(a, threshold))
    .filter((p): p is string => p !== undefined);
  if (problems.length > 0) return no(problems.join('; '));
  return {
    proposal_id: proposalId,
    approve: true,
    reason: `every artifact (${artifacts.map((a) => a.kind).join(', ')}) reproduced by at least ${builders(threshold)}, no other hash`,
  };
}
