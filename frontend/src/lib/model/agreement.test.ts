import { describe, expect, it } from 'vitest';

import { BAD_HASH, attestation, summaryOf, testBuilder } from '../test-support/fixtures';
import { agreementOf, agreementStats } from './agreement';

const me = testBuilder('me');
const others = Array.from({ length: 4 }, (_, i) => testBuilder(`other${i}`));

describe('agreementOf', () => {
  it('agrees when the builder has the hash most other builders got', () => {
    const mine = attestation({ id: 1n, builder: me });
    const all = [
      mine,
      ...others.slice(0, 2).map((b, i) => attestation({ id: BigInt(i + 2), builder: b })),
    ];
    expect(agreementOf(mine, summaryOf({ attestations: all }))).toBe('agreed');
  });

  it('disagrees when the others mostly got another hash', () => {
    const mine = attestation({ id: 1n, builder: me, sha256: BAD_HASH });
    const all = [
      mine,
      ...others.slice(0, 2).map((b, i) => attestation({ id: BigInt(i + 2), builder: b })),
    ];
    expect(agreementOf(mine, summaryOf({ attestations: all }))).toBe('disagreed');
  });

  it('does not let a builder agree with themselves', () => {
    const mine = attestation({ id: 1n, builder: me });
    expect(agreementOf(mine, summaryOf({ attestations: [mine] }))).toBe('alone');
  });

  it('sees no majority in a tie among the others', () => {
    const mine = attestation({ id: 1n, builder: me });
    const all = [
      mine,
      attestation({ id: 2n, builder: others[0] }),
      attestation({ id: 3n, builder: others[1], sha256: BAD_HASH }),
    ];
    expect(agreementOf(mine, summaryOf({ attestations: all }))).toBe('no_majority');
  });

  it('has nothing to compare when nothing was built', () => {
    const mine = attestation({ id: 1n, builder: me, sha256: null });
    expect(agreementOf(mine, summaryOf({ attestations: [mine] }))).toBe('not_built');
  });
});

describe('agreementStats', () => {
  it('rates agreement over the proposals that count', () => {
    const p1 = [
      attestation({ id: 1n, builder: me, proposalId: 1n }),
      attestation({ id: 2n, builder: others[0], proposalId: 1n }),
    ];
    const p2 = [
      attestation({ id: 3n, builder: me, proposalId: 2n, sha256: BAD_HASH }),
      attestation({ id: 4n, builder: others[0], proposalId: 2n }),
    ];
    const p3 = [attestation({ id: 5n, builder: me, proposalId: 3n })];
    const summaries = new Map([
      [1n, summaryOf({ proposalId: 1n, attestations: p1 })],
      [2n, summaryOf({ proposalId: 2n, attestations: p2 })],
      [3n, summaryOf({ proposalId: 3n, attestations: p3 })],
    ]);
    const superseded = {
      ...attestation({ id: 6n, builder: me, proposalId: 1n }),
      supersededBy: 1n,
    };
    const stats = agreementStats({ attestations: [p1[0], p2[0], p3[0], superseded], summaries });
    expect(stats).toMatchObject({ agreed: 1, disagreed: 1, undecided: 1, rate: 0.5 });
    expect(stats.entries).toHaveLength(3);
  });
});
