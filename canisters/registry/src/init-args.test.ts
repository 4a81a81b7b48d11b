import { Principal } from '@dfinity/principal';
import type * as C from '@repro-registry/registry-api';
import { describe, expect, it } from 'vitest';

import type { MetaJson } from './core/records';
import { applyInitArgs } from './init-args';

const none: C.InitArgs = {
  governance_canister_id: [],
  rate_limit: [],
  proposal_refresh_seconds: [],
  limits: [],
};
const limits = (given: Partial<C.LimitSettings>): C.InitArgs => ({
  ...none,
  limits: [
    {
      attestations_per_builder: [],
      pending_proposals_per_builder: [],
      pending_proposals_total: [],
      held_per_proposal: [],
      trust_lists_per_owner: [],
      trust_lists_total: [],
      trust_list_members: [],
      attestations_total: [],
      min_cycles: [],
      ...given,
    },
  ],
});

describe('applyInitArgs', () => {
  const meta = {
    governanceCanisterId: null,
    limits: { heldPerProposal: 9 },
  } as unknown as MetaJson;

  it('keeps the settings when no argument is given, and does not change the one it was given', () => {
    expect(applyInitArgs(meta, [])).toEqual({ ok: true, meta });
    const before = JSON.stringify(meta);
    applyInitArgs(meta, [limits({ trust_list_members: [5] })]);
    expect(JSON.stringify(meta)).toBe(before);
  });

  it('applies governance, rate limit, refresh and limits, keeping limits not named', () => {
    const governance = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
    const r = applyInitArgs(meta, [
      {
        ...limits({ trust_list_members: [5], attestations_total: [7n], min_cycles: [10n] }),
        governance_canister_id: [governance],
        rate_limit: [{ capacity: 3, refill_interval_seconds: 60 }],
        proposal_refresh_seconds: [120],
      },
    ]);
    expect(r).toEqual({
      ok: true,
      meta: {
        governanceCanisterId: governance.toText(),
        rateLimit: { capacity: 3, refillSeconds: 60 },
        refreshSeconds: 120,
        limits: { heldPerProposal: 9, trustListMembers: 5, attestationsTotal: 7, minCycles: '10' },
      },
    });
  });

  it.each([
    [{ ...none, rate_limit: [{ capacity: 0, refill_interval_seconds: 1 }] }, 'rate_limit'],
    [{ ...none, proposal_refresh_seconds: [0] }, 'proposal_refresh_seconds'],
    [limits({ held_per_proposal: [0] }), 'limits.heldPerProposal'],
    [limits({ attestations_total: [0n] }), 'limits.attestations_total'],
  ] as [C.InitArgs, string][])('refuses a zero (%#: %s) with INVALID_ARGUMENT', (args, field) => {
    const r = applyInitArgs(meta, [args]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(new RegExp(`^INVALID_ARGUMENT: ${field}`));
  });
});
