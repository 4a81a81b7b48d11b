/**
 * What the registry counts for a proposal, in its readers' shape (camelCase, numbers): the
 * canister computes these (`canisters/registry/src/core/consensus.ts`) and the frontend shows
 * them after undoing Candid's encodings. Their Candid forms, of the same names, are in
 * `registry.did` (hence their own entry point, `@repro-registry/registry-api/consensus`).
 */

/** How many attestations reached each verdict. */
export interface VerdictCounts {
  match: number;
  mismatch: number;
  build_failed: number;
  not_built: number;
}

/** One hash of an artifact and who built it. */
export interface HashGroup {
  sha256: string;
  /** Distinct builders whose current attestation reports this hash. */
  builderCount: number;
  /** Whether this is the expected hash; null when no expected hash is known. */
  matchesExpected: boolean | null;
  /** Distinct environment classes (OS + virtualization + container runtime) among them. */
  environmentClasses: number;
}

/** `proposal`: read from the proposal on chain; `builders`: the hash most builders expected. */
export type ExpectedSource = 'proposal' | 'builders' | 'none';

/**
 * What the registry counts for one artifact of a proposal. `Kind` is the canister's
 * `ArtifactKind`; readers take any text (a newer registry may count kinds they don't know).
 */
export interface ArtifactConsensus<Kind extends string = string> {
  kind: Kind;
  expectedSha256: string | null;
  expectedSource: ExpectedSource;
  hashGroups: HashGroup[];
  verdicts: VerdictCounts;
  /** Builders whose stated expected hash differs from the on-chain one: counted apart. */
  expectedClaimMismatches: number;
  /** Builders whose hash is not in `hashGroups`: the proposal has more distinct results than
   *  the registry tracks one by one (too many distinct results, as a flood of keys would make). */
  untrackedBuilders: number;
}

export {
  ALERT_MIN_BUILDERS,
  ALERT_MIN_ENVIRONMENTS,
  independentDisagreements,
  type IndependentDisagreement,
} from './alerts';
