import { IDL } from '@dfinity/candid';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, RejectCode, type CallResult } from '../src/index';
import { call, expectReject, probeHost, query, replyOf, type ProbeSetup } from './helpers';

const instructionsOf = (r: CallResult): bigint => {
  if (r.instructions === undefined) throw new Error('no instruction count');
  return r.instructions;
};

describe('instrumented mode', () => {
  let s: ProbeSetup;
  beforeAll(async () => {
    s = await probeHost({
      instrumented: true,
      limits: { updateInstructions: 200_000_000n, queryInstructions: 100_000_000n },
    });
  });

  it('counts deterministically: the same messages on the same state cost the same', async () => {
    // A query leaves no state behind, so repeating it repeats the count exactly.
    const q1 = await query(s.host, { id: s.id, method: 'getGreeting' });
    const q2 = await query(s.host, { id: s.id, method: 'getGreeting' });
    expect(instructionsOf(q1)).toBe(instructionsOf(q2));
    // Updates change the heap (allocator, GC), so compare two hosts fed the same messages.
    const run = async () => {
      const h = await probeHost({ instrumented: true });
      const counts: bigint[] = [];
      for (const n of [1000, 1000, 2000]) {
        counts.push(
          instructionsOf(
            await call(h.host, { id: h.id, method: 'spin', types: [IDL.Nat32], values: [n] }),
          ),
        );
      }
      counts.push(
        instructionsOf(
          await call(h.host, {
            id: h.id,
            method: 'put',
            types: [IDL.Text, IDL.Text],
            values: ['a', 'b'],
          }),
        ),
      );
      return counts;
    };
    const [first, second] = [await run(), await run()];
    expect(first).toEqual(second);
    expect(first[2]).toBeGreaterThan(first[1]);
  });

  it('stays within budgets for small messages', async () => {
    // Reference: a no-op azle update measured about 1.3 M instructions; a query about the same.
    const inc = instructionsOf(await call(s.host, { id: s.id, method: 'increment' }));
    expect(inc).toBeGreaterThan(500_000n);
    expect(inc).toBeLessThan(3_000_000n);
    const q = instructionsOf(await query(s.host, { id: s.id, method: 'getCount' }));
    expect(q).toBeLessThan(3_000_000n);
    const put = instructionsOf(
      await call(s.host, {
        id: s.id,
        method: 'put',
        types: [IDL.Text, IDL.Text],
        values: ['key', 'value'],
      }),
    );
    expect(put).toBeLessThan(20_000_000n);
  });

  it('gives performance_counter(0) the count so far', async () => {
    const r = await query(s.host, { id: s.id, method: 'instructionsSoFar' });
    const seen = replyOf<bigint>(r, IDL.Nat64);
    expect(seen).toBeGreaterThan(0n);
    expect(seen).toBeLessThan(instructionsOf(r));
  });

  it('traps with IC0522 past the update limit and rolls back; the canister keeps working', async () => {
    const count = replyOf<bigint>(await query(s.host, { id: s.id, method: 'getCount' }), IDL.Nat64);
    const r = expectReject(
      await call(s.host, { id: s.id, method: 'spin', types: [IDL.Nat32], values: [50_000_000] }),
      ErrorCode.CanisterInstructionLimitExceeded,
      RejectCode.CanisterError,
    );
    expect(r.rejectMessage).toContain(
      'Canister exceeded the limit of 200000000 instructions for single message execution.',
    );
    expect(r.instructions).toBeGreaterThanOrEqual(200_000_000n);
    expect(replyOf<bigint>(await call(s.host, { id: s.id, method: 'increment' }), IDL.Nat64)).toBe(
      count + 1n,
    );
  });

  it('applies the query limit to queries', async () => {
    const r = expectReject(
      await query(s.host, {
        id: s.id,
        method: 'spinQuery',
        types: [IDL.Nat32],
        values: [50_000_000],
      }),
      ErrorCode.CanisterInstructionLimitExceeded,
      RejectCode.CanisterError,
    );
    expect(r.rejectMessage).toContain('limit of 100000000 instructions');
  });

  it('reports no instruction count in plain mode', async () => {
    const plain = await probeHost();
    const r = await call(plain.host, { id: plain.id, method: 'increment' });
    expect(r.status).toBe('replied');
    expect(r.instructions).toBeUndefined();
    expect(
      replyOf<bigint>(
        await query(plain.host, { id: plain.id, method: 'instructionsSoFar' }),
        IDL.Nat64,
      ),
    ).toBe(0n);
  });
});
