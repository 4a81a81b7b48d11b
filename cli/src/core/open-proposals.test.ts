import pc from 'picocolors';
import type { ProposalSummary } from '@repro-registry/proposals';
import { describe, expect, it } from 'vitest';

import { fixtureSummary } from '../../test/proposal-fixtures';
import { formatOpenProposals } from '../commands/proposals';
import { openProposalsView, timeLeft, type RegistryAnswer } from './open-proposals';

const summaryOf = (name: string): ProposalSummary =>
  fixtureSummary(
    name.startsWith('install-code') ? 'canister-proposals.json' : 'proposal-info.json',
    name,
  );
/** A fixture as if open with the given deadline (the real ones were decided long ago). */
const openAt = (s: ProposalSummary, deadlineNs: bigint): ProposalSummary => ({
  ...s,
  status: 'open',
  deadlineTimestampNs: deadlineNs,
});

const SECOND = 1_000_000_000n;
const NOW = 1_764_000_000n * SECOND;
const GUESTOS_HASH = '2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1';
const CMC_HASH = '57f2cbbdbc2d8943173acc6ebd55aca9b9c12e2140b38ff5f20aea7b101ea570';

describe('open proposals view', () => {
  const election = summaryOf('open-guestos-election');
  const cmc = openAt(summaryOf('install-code-133311-cycles-minting'), NOW + 3_600n * SECOND);
  const motion = summaryOf('executed-motion');

  it('keeps what can be reproduced, soonest deadline first, with commit and expected hashes', () => {
    const view = openProposalsView({
      proposals: [openAt(election, NOW + 2n * 86_400n * SECOND), cmc, motion],
      registry: () => ({ state: 'not-asked' }),
      nowNs: NOW,
    });
    expect(view.rows.map((r) => [r.id, r.family, r.secondsLeft])).toEqual([
      [133311n, 'canister-install', 3600],
      [139768n, 'icos-election', 2 * 86_400],
    ]);
    expect(view.rows[0]).toMatchObject({
      topic: 'protocol_canister_management',
      target: {
        canisterId: 'rkp4c-7iaaa-aaaaa-aaaca-cai',
        name: 'cycles-minting',
        installMode: 'upgrade',
      },
      expected: [{ kind: 'canister:cycles-minting', expectedSha256: CMC_HASH }],
    });
    expect(view.rows[1]).toMatchObject({
      commit: 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4',
      commitSource: 'payload',
      expected: [{ kind: 'guestos', expectedSha256: GUESTOS_HASH }],
    });
    expect(view.skipped).toHaveLength(1);
    expect(view.skipped[0]?.reason).toMatch(/^nothing to reproduce \(NOT_ICOS_ELECTION\//);
  });

  it('counts builders on the proposal’s hash apart from those on another', () => {
    const answers: Record<string, RegistryAnswer> = {
      '139768': {
        state: 'summary',
        summary: {
          builder_count: 5n,
          attestation_count: 6n,
          artifacts: [
            {
              kind: 'guestos',
              hash_groups: [
                { sha256: 'ab'.repeat(32), builder_count: 1n },
                { sha256: GUESTOS_HASH, builder_count: 3n },
                { sha256: 'cd'.repeat(32), builder_count: 2n },
              ],
            },
          ],
        },
      },
      '133311': { state: 'none' },
    };
    const view = openProposalsView({
      proposals: [election, cmc],
      registry: (id) => answers[id.toString()] ?? { state: 'not-asked' },
      nowNs: NOW,
    });
    const row = view.rows.find((r) => r.id === 139768n)!;
    expect(row.registry).toEqual({
      state: 'summary',
      builders: 5,
      attestations: 6,
      artifacts: [
        {
          kind: 'guestos',
          expectedSha256: GUESTOS_HASH,
          agreeing: 3,
          others: [
            { sha256: 'cd'.repeat(32), builders: 2 },
            { sha256: 'ab'.repeat(32), builders: 1 },
          ],
        },
      ],
    });
    const text = formatOpenProposals(pc.createColors(false), view);
    expect(text).toMatch(/^2 open for voting/);
    expect(text).toMatch(/guestos: 3 agree, other hashes: 2 on cdcdcdcdcdcd…, 1 on abababababab…/);
    expect(text).toMatch(/133311 .*\n(.*\n)*\s+registry\s+no attestations yet/);
    expect(text).toMatch(/target\s+cycles-minting \(rkp4c-7iaaa-aaaaa-aaaca-cai\), upgrade/);
  });

  it('says how long is left', () => {
    expect(timeLeft(null)).toBe('no deadline');
    expect(timeLeft(0)).toBe('closed');
    expect(timeLeft(59)).toBe('1m');
    expect(timeLeft(3 * 3600 + 125)).toBe('3h 2m');
    expect(timeLeft(4 * 86_400 + 7200)).toBe('4d 2h');
  });
});
