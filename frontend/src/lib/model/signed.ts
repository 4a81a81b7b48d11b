/**
 * One shape of an attestation: the registry returns the signed envelope plus what it derives
 * (`ListedAttestation`); everything the attestation says is read from the signed statement
 * (`SignedContent`, taken from the envelope where it is verified) and the page's
 * `Attestation` is the two joined. Pure, so the verification worker and the page share it.
 */
import {
  UNKNOWN_ENVIRONMENT,
  environmentClass,
  overallVerdict,
  type VerifiedAttestation,
} from '@repro-registry/attestation';

import type { Attestation, ListedAttestation } from './types';

/** What the builder signed, in the page's terms. */
export type SignedContent = Pick<
  Attestation,
  | 'proposalId'
  | 'commit'
  | 'verdict'
  | 'environment'
  | 'tool'
  | 'build'
  | 'note'
  | 'environmentClass'
> & {
  artifacts: Pick<
    Attestation['artifacts'][number],
    'kind' | 'name' | 'sha256' | 'expectedSha256' | 'verdict' | 'memberCount'
  >[];
};

export function contentOf(signed: Pick<VerifiedAttestation, 'predicate'>): SignedContent {
  const p = signed.predicate;
  return {
    proposalId: BigInt(p.proposal.id),
    commit: p.proposal.commit,
    verdict: overallVerdict(p.artifacts.map((a) => a.verdict)),
    artifacts: p.artifacts.map((a) => ({
      kind: a.kind,
      name: a.name,
      sha256: a.sha256,
      expectedSha256: a.expectedSha256,
      verdict: a.verdict,
      memberCount: a.members?.length ?? 0,
    })),
    environment: p.environment,
    tool: { name: p.tool.name, version: p.tool.version, scriptSha256: p.tool.scriptSha256 },
    build: {
      startedOn: p.build.startedOn,
      finishedOn: p.build.finishedOn,
      cleanCache: p.build.cleanCache,
    },
    note: p.note ?? '',
    environmentClass: environmentClass(p.environment),
  };
}

/**
 * Content for an envelope that could not be read at all: nothing the builder said is shown
 * (the page flags the attestation as failed verification).
 */
export function unreadableContent(listed: ListedAttestation, proposalId: bigint): SignedContent {
  return {
    proposalId,
    commit: '',
    verdict: listed.effectiveVerdict,
    artifacts: listed.standings.map((s) => ({
      kind: 'unknown',
      name: '',
      sha256: null,
      expectedSha256: null,
      verdict: s.effectiveVerdict,
      memberCount: 0,
    })),
    environment: { ...UNKNOWN_ENVIRONMENT },
    tool: { name: '', version: '', scriptSha256: null },
    build: { startedOn: '', finishedOn: '', cleanCache: null },
    note: '',
    environmentClass: 'unknown',
  };
}

/** The registry's derived fields and the signed content, joined for the page. */
export function attestationOf(listed: ListedAttestation, content: SignedContent): Attestation {
  const { standings, ...derived } = listed;
  return {
    ...derived,
    ...content,
    artifacts: content.artifacts.map((a, i) => {
      const s = standings[i];
      return {
        ...a,
        effectiveVerdict: s?.effectiveVerdict ?? a.verdict,
        expectedDiffersFromProposal: s?.expectedDiffersFromProposal ?? false,
        counted: s?.counted ?? false,
        laterAttemptFailed: s?.laterAttemptFailed ?? false,
      };
    }),
  };
}
