import { describe, expect, it } from 'vitest';
import { decide, type ArtifactView } from './decision';

const HASH = 'a'.repeat(64);
const artifact = (kind: string, groups: [string, bigint, boolean][]): ArtifactView => ({
  kind,
  expected_sha256: [HASH],
  hash_groups: groups.map(([sha256, builder_count, matches]) => ({
    sha256,
    builder_count,
    matches_expected: [matches],
  })),
});
const ok = (...artifacts: ArtifactView[]) => ({ Ok: { proposal_id: 7n, artifacts } });

describe('decide', () => {
  it('approves when every artifact has the threshold of matching builders and no other hash', () => {
    const d = decide({
      proposalId: 7n,
      threshold: 3n,
      result: ok(artifact('guestos', [[HASH, 3n, true]]), artifact('hostos', [[HASH, 5n, true]])),
    });
    expect(d).toEqual({
      proposal_id: 7n,
      approve: true,
      reason: 'every artifact (guestos, hostos) reproduced by at least 3 builders, no other hash',
    });
  });

  it('refuses below the threshold, on another hash, without an expected hash or attestations', () => {
    expect(
      decide({ proposalId: 7n, threshold: 3n, result: ok(artifact('guestos', [[HASH, 2n, true]])) })
        .reason,
    ).toBe('guestos: 2 builders reproduced the expected hash, 3 required');
    const split = ok(
      artifact('guestos', [
        [HASH, 4n, true],
        ['b'.repeat(64), 1n, false],
      ]),
    );
    expect(decide({ proposalId: 7n, threshold: 3n, result: split })).toMatchObject({
      approve: false,
      reason: 'guestos: 1 builder built a different hash',
    });
    const unknown = ok({ ...artifact('hostos', [[HASH, 5n, true]]), expected_sha256: [] });
    expect(decide({ proposalId: 7n, threshold: 1n, result: unknown }).reason).toBe(
      'hostos: no expected hash is known',
    );
    expect(decide({ proposalId: 7n, threshold: 1n, result: ok() }).reason).toBe(
      'nobody has attested a reproduction yet',
    );
  });

  it('refuses with the registry’s error code when the registry answers an error', () => {
    const d = decide({
      proposalId: 7n,
      threshold: 1n,
      result: { Err: { code: 'PROPOSAL_NOT_FOUND', message: 'no such proposal' } },
    });
    expect(d).toEqual({
      proposal_id: 7n,
      approve: false,
      reason: 'the registry answered PROPOSAL_NOT_FOUND: no such proposal',
    });
  });
});
