import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, RejectCode } from '../src/index';
import {
  bob,
  call,
  expectReject,
  installProbe,
  probeHost,
  query,
  replyOf,
  type ProbeSetup,
} from './helpers';

describe('calls between canisters in one host', () => {
  let s: ProbeSetup;
  let other: Principal;
  beforeAll(async () => {
    s = await probeHost({}, 'from A');
    other = await installProbe(s.host, 'from B');
  });

  const report = async (method: string, target = other) =>
    replyOf<string>(
      await call(s.host, {
        id: s.id,
        method: 'callAndReport',
        types: [IDL.Principal, IDL.Text, IDL.Text],
        values: [target, method, 'deep'],
      }),
      IDL.Text,
    );

  it('delivers a call and its reply (a query method called by a canister)', async () => {
    const r = await call(s.host, {
      id: s.id,
      method: 'callGreeting',
      types: [IDL.Principal, IDL.Text],
      values: [other, 'getGreeting'],
    });
    expect(replyOf<string>(r, IDL.Text)).toBe('from B');
  });

  it('commits the callee state and the caller state across the await', async () => {
    const before = replyOf<bigint>(
      await query(s.host, { id: other, method: 'getCount' }),
      IDL.Nat64,
    );
    const r = await call(s.host, {
      id: s.id,
      method: 'incrementOther',
      types: [IDL.Principal],
      values: [other],
    });
    expect(replyOf<bigint>(r, IDL.Nat64)).toBe(before + 1n);
    expect(replyOf<bigint>(await query(s.host, { id: other, method: 'getCount' }), IDL.Nat64)).toBe(
      before + 1n,
    );
  });

  it('hands an explicit reject of the callee to the caller', async () => {
    const countA = replyOf<bigint>(
      await query(s.host, { id: s.id, method: 'getCount' }),
      IDL.Nat64,
    );
    expect(await report('rejectWith')).toBe('CallRejected 4: deep');
    // callAndReport incremented its own count before awaiting; that survives.
    expect(replyOf<bigint>(await query(s.host, { id: s.id, method: 'getCount' }), IDL.Nat64)).toBe(
      countA + 1n,
    );
  });

  it('reports a trap in the callee as CANISTER_ERROR with the trap message, rolling back the callee', async () => {
    const countB = replyOf<bigint>(
      await query(s.host, { id: other, method: 'getCount' }),
      IDL.Nat64,
    );
    const text = await report('callTrap');
    expect(text).toBe(
      `CallRejected 5: Error from Canister ${other.toText()}: Canister called \`ic0.trap\` with message: 'deep'.\n` +
        'Consider gracefully handling failures from this canister or altering the canister to handle exceptions. ' +
        'See documentation: https://internetcomputer.org/docs/current/references/execution-errors#trapped-explicitly',
    );
    expect(replyOf<bigint>(await query(s.host, { id: other, method: 'getCount' }), IDL.Nat64)).toBe(
      countB,
    );
  });

  it('rejects calls to missing methods and missing canisters', async () => {
    expect(await report('noSuchMethod')).toContain('CallRejected 5: Error from Canister');
    expect(await report('noSuchMethod')).toContain("has no update method 'noSuchMethod'");
    const nobody = Principal.fromText('aax3a-h4aaa-aaaaa-qaahq-cai');
    expect(await report('x', nobody)).toBe(`CallRejected 3: Canister ${nobody.toText()} not found`);
  });

  it('rolls back a reply callback that traps, keeps what was committed before the call', async () => {
    const countA = replyOf<bigint>(
      await query(s.host, { id: s.id, method: 'getCount' }),
      IDL.Nat64,
    );
    const countB = replyOf<bigint>(
      await query(s.host, { id: other, method: 'getCount' }),
      IDL.Nat64,
    );
    const r = await call(s.host, {
      id: s.id,
      method: 'incrementOtherThenThrow',
      types: [IDL.Principal],
      values: [other],
    });
    expect(r).toMatchObject({
      status: 'rejected',
      errorCode: ErrorCode.CanisterCalledTrap,
      rejectCode: RejectCode.CanisterError,
    });
    expect((r as { rejectMessage: string }).rejectMessage).toContain('failed after the await');
    // +1 before the await was committed with the outgoing call; +10 after it was rolled back.
    expect(replyOf<bigint>(await query(s.host, { id: s.id, method: 'getCount' }), IDL.Nat64)).toBe(
      countA + 1n,
    );
    expect(replyOf<bigint>(await query(s.host, { id: other, method: 'getCount' }), IDL.Nat64)).toBe(
      countB + 1n,
    );
    // And the canister still works (no poisoned JS engine state).
    expect((await call(s.host, { id: s.id, method: 'increment' })).status).toBe('replied');
  });

  it('answers composite queries that call other canisters, keeping no state anywhere', async () => {
    const countA = replyOf<bigint>(
      await query(s.host, { id: s.id, method: 'getCount' }),
      IDL.Nat64,
    );
    const r = await query(s.host, {
      id: s.id,
      method: 'compositeGreeting',
      types: [IDL.Principal],
      values: [other],
    });
    expect(replyOf<string>(r, IDL.Text)).toBe(`from A+from B+${countA + 1n}`);
    expect(replyOf<bigint>(await query(s.host, { id: s.id, method: 'getCount' }), IDL.Nat64)).toBe(
      countA,
    );
    const report = async (method: string, target = other) =>
      replyOf<string>(
        await query(s.host, {
          id: s.id,
          method: 'compositeReport',
          types: [IDL.Principal, IDL.Text],
          values: [target, method],
        }),
        IDL.Text,
      );
    expect(await report('increment')).toContain("has no query method 'increment'");
    // A composite query calling back into a canister already on the call path is a loop.
    expect(await report('compositeReport', s.id)).toBe(
      `CallRejected 5: Loop detected: canister ${s.id.toText()} is already in the query call graph`,
    );
    expectReject(
      await call(s.host, {
        id: s.id,
        method: 'compositeGreeting',
        types: [IDL.Principal],
        values: [other],
      }),
      ErrorCode.CompositeQueryCalledInReplicatedMode,
      RejectCode.CanisterError,
    );
  });

  it('keeps the original caller visible in the callback', async () => {
    const r = await call(s.host, {
      id: s.id,
      method: 'callerAfterCall',
      types: [IDL.Principal],
      values: [other],
      sender: bob,
    });
    expect(replyOf<Principal>(r, IDL.Principal).toText()).toBe(bob.toText());
    // The callee sees the calling canister.
    const seen = await call(s.host, {
      id: s.id,
      method: 'callerSeenBy',
      types: [IDL.Principal],
      values: [other],
      sender: bob,
    });
    expect(replyOf<Principal>(seen, IDL.Principal).toText()).toBe(s.id.toText());
  });

  it('lets a canister call itself', async () => {
    const r = await call(s.host, {
      id: s.id,
      method: 'callGreeting',
      types: [IDL.Principal, IDL.Text],
      values: [s.id, 'getGreeting'],
    });
    expect(replyOf<string>(r, IDL.Text)).toBe('from A');
  });
});
