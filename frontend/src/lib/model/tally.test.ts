import type { Environment } from '@repro-registry/attestation';
import { describe, expect, it } from 'vitest';

import {
  BAD_HASH,
  BARE_METAL,
  GOOD_HASH,
  WSL2,
  attestation,
  summaryOf,
  testBuilder,
} from '../test-support/fixtures';
import { verifyStoredAttestation, type VerificationOutcome } from '../verification/verify';
import { decideHeadline } from './headline';
import { defaultRows, standingsFor } from './standing';
import {
  environmentsByHash,
  summaryDifferences,
  tallyFromSummary,
  tallyFromVerified,
} from './tally';
import type { Attestation } from './types';

const builders = Array.from({ length: 8 }, (_, i) => testBuilder(`tally${i}`));
const VIRTUALBOX: Environment = { ...BARE_METAL, virtualization: 'virtualbox' };

function verifyAll(attestations: Attestation[]): Map<string, VerificationOutcome> {
  return new Map(
    attestations.map((a) => [a.id.toString(), verifyStoredAttestation(a, a.envelope)]),
  );
}

describe('tallyFromVerified', () => {
  it('counts each builder once, from the verified signed environment', () => {
    const attestations = [
      attestation({ id: 1n, builder: builders[0] }),
      attestation({ id: 2n, builder: builders[1] }),
      attestation({
        id: 3n,
        builder: builders[2],
        environment: { ...BARE_METAL, virtualization: 'kvm' },
      }),
      attestation({ id: 4n, builder: builders[3], sha256: BAD_HASH, environment: VIRTUALBOX }),
    ];
    const summary = summaryOf({ attestations });
    const result = tallyFromVerified({
      summary,
      attestations,
      verification: verifyAll(attestations),
      members: null,
    });
    if (result.status !== 'ready') throw new Error('not ready');
    expect(result.failed).toEqual([]);
    expect(decideHeadline(result.tally, 3).sentence).toBe(
      "Reproduced: 3 builders got the proposal's GuestOS hash on 2 kinds of machine; 1 builder on VirtualBox differs (see below).",
    );
    expect(summaryDifferences(tallyFromSummary(summary), result.tally)).toEqual([]);
  });

  it('waits until every standing attestation has been checked', () => {
    const attestations = [1n, 2n].map((id, i) => attestation({ id, builder: builders[i] }));
    const verification = verifyAll(attestations.slice(0, 1));
    expect(
      tallyFromVerified({
        summary: summaryOf({ attestations }),
        attestations,
        verification,
        members: null,
      }),
    ).toEqual({ status: 'pending', checked: 1, total: 2 });
  });

  it('leaves out and reports an attestation that fails verification, and the summary then disagrees', () => {
    const attestations = [1n, 2n, 3n].map((id, i) => attestation({ id, builder: builders[i] }));
    // The registry names another builder than the one who signed it.
    const altered = { ...attestations[1], builder: 'aaaaa-aa' };
    const shown = [attestations[0], altered, attestations[2]] as Attestation[];
    const summary = summaryOf({ attestations });
    const result = tallyFromVerified({
      summary,
      attestations: shown,
      verification: verifyAll(shown),
      members: null,
    });
    if (result.status !== 'ready') throw new Error('not ready');
    expect(result.failed.map((f) => f.attestation.id)).toEqual([2n]);
    expect(decideHeadline(result.tally, 3).state).toBe('not_yet');
    expect(summaryDifferences(tallyFromSummary(summary), result.tally)).toEqual([
      "The registry's summary counts 3 builders with the proposal's hash; the attestations verified here show 2.",
    ]);
  });

  it('catches a summary that claims more than the attestations show', () => {
    const attestations = [1n, 2n].map((id, i) => attestation({ id, builder: builders[i] }));
    const summary = summaryOf({ attestations });
    const inflated = {
      ...summary,
      artifacts: summary.artifacts.map((a) => ({
        ...a,
        hashGroups: a.hashGroups.map((g) => ({ ...g, builderCount: 5 })),
        verdicts: { ...a.verdicts, match: 5 },
      })),
    };
    const result = tallyFromVerified({
      summary: inflated,
      attestations,
      verification: verifyAll(attestations),
      members: null,
    });
    if (result.status !== 'ready') throw new Error('not ready');
    // The registry says reproduced; the page counts what it verified.
    expect(decideHeadline(tallyFromSummary(inflated), 3).state).toBe('reproduced');
    expect(decideHeadline(result.tally, 3).state).toBe('not_yet');
    expect(summaryDifferences(tallyFromSummary(inflated), result.tally)).toEqual([
      "The registry's summary counts 5 builders with the proposal's hash; the attestations verified here show 2.",
    ]);
  });

  it('counts only the trust list’s builders when one is chosen', () => {
    const attestations = [1n, 2n, 3n].map((id, i) => attestation({ id, builder: builders[i] }));
    const result = tallyFromVerified({
      summary: summaryOf({ attestations }),
      attestations,
      verification: verifyAll(attestations),
      members: new Set([builders[0].principal]),
    });
    if (result.status !== 'ready') throw new Error('not ready');
    expect(result.tally.groups).toMatchObject([{ sha256: GOOD_HASH, builders: 1 }]);
  });
});

describe('standings', () => {
  it('keeps a builder’s hash standing after a later failed attempt, and shows one row per builder', () => {
    const first = attestation({ id: 1n, builder: builders[0] });
    const retry = attestation({ id: 2n, builder: builders[0], sha256: null });
    const other = attestation({ id: 3n, builder: builders[1], sha256: BAD_HASH });
    const newer = attestation({ id: 4n, builder: builders[1] });
    first.supersededBy = 2n;
    other.supersededBy = 4n;
    const hidden = {
      ...attestation({ id: 5n, builder: builders[2] }),
      hidden: { reason: 'test', at: 0, by: 'aaaaa-aa' },
    };
    const all = [newer, hidden, other, retry, first];
    const standings = standingsFor(all, 'guestos');
    expect(standings.map((s) => [s.builder, s.attestation.id, s.laterAttemptFailed])).toEqual([
      [builders[1].principal, 4n, false],
      [builders[0].principal, 1n, true],
    ]);
    expect(defaultRows(all).map((a) => a.id)).toEqual([4n, 1n]);
  });

  it('reads the machines behind each hash from listed attestations (for the list’s badges)', () => {
    const all = [
      attestation({ id: 1n, builder: builders[0] }),
      attestation({ id: 2n, builder: builders[1], sha256: BAD_HASH, environment: WSL2 }),
    ];
    const envs = environmentsByHash(all, 'guestos');
    expect(envs.get(BAD_HASH)?.machines).toEqual(['WSL2']);
    expect([...(envs.get(GOOD_HASH)?.classes ?? [])]).toEqual([all[0]?.environmentClass]);
  });
});
