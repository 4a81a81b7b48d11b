import { describe, expect, it } from 'vitest';

import {
  BAD_HASH,
  GOOD_HASH,
  WSL2,
  attestation,
  onChainProposal,
  summaryOf,
  testBuilder,
} from '../test-support/fixtures';
import { parseThreshold, primaryArtifact, thresholdStatus } from './consensus';
import { decideHeadline } from './headline';
import { environmentsByHash, tallyFromSummary } from './tally';
import type { ProposalSummary } from './types';

const builders = Array.from({ length: 6 }, (_, i) => testBuilder(`b${i}`));

function summaryWith(hashes: (string | null)[]): ProposalSummary {
  return summaryOf({
    attestations: hashes.map((sha256, i) =>
      attestation({ id: BigInt(i + 1), builder: builders[i], sha256 }),
    ),
  });
}

/** The list's badge: the headline rule applied to the registry's summary. */
function consensusBadge(summary: ProposalSummary, threshold: number) {
  const h = decideHeadline(tallyFromSummary(summary), threshold);
  return { tone: h.tone, text: h.badge, description: h.sentence };
}

describe('the list badge', () => {
  it('is green with the builder count when the threshold is met and nothing differs', () => {
    const badge = consensusBadge(
      summaryWith([GOOD_HASH, GOOD_HASH, GOOD_HASH, GOOD_HASH, GOOD_HASH]),
      3,
    );
    expect(badge).toMatchObject({ tone: 'good', text: 'reproduced · 5 builders' });
  });

  it('is amber when some differ and the summary does not say on which machines', () => {
    const badge = consensusBadge(summaryWith([GOOD_HASH, GOOD_HASH, GOOD_HASH, BAD_HASH]), 3);
    expect(badge).toMatchObject({ tone: 'warn', text: '3 match · 1 differ' });
  });

  it('is green with an outlier once the machines show the difference is the builder’s', () => {
    const attestations = [GOOD_HASH, GOOD_HASH, GOOD_HASH, BAD_HASH].map((sha256, i) =>
      attestation({
        id: BigInt(i + 1),
        builder: builders[i],
        sha256,
        ...(sha256 === BAD_HASH ? { environment: WSL2 } : {}),
      }),
    );
    const summary = summaryOf({ attestations });
    const tally = tallyFromSummary(summary, environmentsByHash(attestations, 'guestos'));
    expect(decideHeadline(tally, 3)).toMatchObject({
      tone: 'good',
      badge: 'reproduced · 3 builders · 1 outlier',
    });
  });

  it('is red when builders agree on another hash', () => {
    const badge = consensusBadge(summaryWith([BAD_HASH, BAD_HASH]), 3);
    expect(badge).toMatchObject({ tone: 'bad', text: '2 agree on another hash' });
  });

  it('says whose count it is when a trust list is chosen: the list’s builders, then all', () => {
    const attestations = [GOOD_HASH, GOOD_HASH, BAD_HASH, BAD_HASH, GOOD_HASH].map((sha256, i) =>
      attestation({ id: BigInt(i + 1), builder: builders[i], sha256 }),
    );
    const onList = summaryOf({
      attestations,
      trustList: {
        ref: { id: 3n, name: 'CodeGov', version: 1, owner: 'aaaaa-aa' },
        members: new Set([builders[0].principal, builders[1].principal]),
      },
    });
    const badge = consensusBadge(onList, 2);
    expect(badge).toMatchObject({
      tone: 'good',
      text: 'reproduced · 2 builders on list CodeGov; 3 in all',
    });
    expect(badge.description).toMatch(
      /^Reproduced: 2 builders on list CodeGov got the proposal's GuestOS hash.*; 3 in all\.$/,
    );
  });

  it('is grey before any reproduction', () => {
    const badge = consensusBadge(summaryOf({ attestations: [] }), 3);
    expect(badge).toMatchObject({ tone: 'none', text: 'no reproduction yet' });
  });

  it('is not green while matching builders are fewer than the threshold', () => {
    const two = summaryWith([GOOD_HASH, GOOD_HASH]);
    expect(consensusBadge(two, 3)).toMatchObject({ tone: 'pending', text: '2 of 3 needed' });
    expect(consensusBadge(two, 2).tone).toBe('good');
  });

  it('counts failed builds apart from differing ones', () => {
    const badge = consensusBadge(summaryWith([GOOD_HASH, GOOD_HASH, GOOD_HASH, null]), 3);
    expect(badge).toMatchObject({ tone: 'good', text: 'reproduced · 3 builders · 1 failed' });
  });

  it('says when the proposal has no hash on chain instead of "match"', () => {
    const attestations = [1n, 2n].map((id, i) => attestation({ id, builder: builders[i] }));
    const summary = summaryOf({
      attestations,
      onChain: onChainProposal({ releasePackageSha256: null }),
    });
    expect(consensusBadge(summary, 3)).toMatchObject({
      tone: 'none',
      text: 'no hash on chain · 2 agree',
    });
  });
});

describe('primaryArtifact', () => {
  it('takes the artifact whose hash the proposal states', () => {
    const summary = summaryWith([GOOD_HASH]);
    const hostos = { ...summary.artifacts[0], kind: 'hostos', expectedSource: 'builders' as const };
    const guestos = summary.artifacts[0];
    expect(primaryArtifact({ ...summary, artifacts: [hostos, guestos] })?.kind).toBe('guestos');
  });

  it('falls back to the proposal OS, then to the most reported artifact', () => {
    const summary = summaryOf({
      attestations: [attestation({ id: 1n, builder: builders[0] })],
      onChain: null,
    });
    expect(summary.artifacts[0]?.expectedSource).toBe('builders');
    expect(primaryArtifact(summary)?.kind).toBe('guestos');
    const setupos = { ...summary.artifacts[0], kind: 'setupos' };
    expect(primaryArtifact({ ...summary, artifacts: [setupos] })?.kind).toBe('setupos');
    expect(primaryArtifact({ ...summary, artifacts: [] })).toBeNull();
  });
});

describe('thresholdStatus', () => {
  it('counts the builders in the expected group', () => {
    const artifact = summaryWith([GOOD_HASH, GOOD_HASH, BAD_HASH, BAD_HASH, BAD_HASH]).artifacts[0];
    expect(thresholdStatus(artifact, 3)).toMatchObject({
      agreeing: 2,
      met: false,
      againstExpected: true,
    });
    expect(thresholdStatus(artifact, 2).met).toBe(true);
  });

  it('counts the largest group when no hash is expected', () => {
    // The registry sends `expected_source: "none"` when neither the proposal nor any builder
    // states an expected hash.
    const artifact = {
      ...summaryWith([GOOD_HASH]).artifacts[0],
      expectedSha256: null,
      expectedSource: 'none' as const,
      hashGroups: [
        { sha256: GOOD_HASH, builderCount: 1, matchesExpected: null, environmentClasses: 1 },
        { sha256: BAD_HASH, builderCount: 2, matchesExpected: null, environmentClasses: 1 },
      ],
    };
    expect(thresholdStatus(artifact, 2)).toMatchObject({
      agreeing: 2,
      met: true,
      againstExpected: false,
    });
    expect(thresholdStatus(artifact, 2).group?.sha256).toBe(BAD_HASH);
  });
});

describe('parseThreshold', () => {
  it('accepts whole numbers from 1 to 99 only', () => {
    expect(parseThreshold('3')).toBe(3);
    expect(parseThreshold(' 12 ')).toBe(12);
    for (const bad of ['0', '-1', '2.5', '100', '', 'three', '1e1'])
      expect(parseThreshold(bad)).toBeNull();
  });
});
