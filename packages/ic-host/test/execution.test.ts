import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, RejectCode } from '../src/index';
import {
  alice,
  anonymous,
  bob,
  call,
  enc,
  expectReject,
  probeHost,
  query,
  replyOf,
  type ProbeSetup,
} from './helpers';

describe('message execution (plain mode)', () => {
  let s: ProbeSetup;
  beforeAll(async () => {
    s = await probeHost();
  });

  it('answers queries and updates, and updates keep their state', async () => {
    expect(
      replyOf<string>(await query(s.host, { id: s.id, method: 'getGreeting' }), IDL.Text),
    ).toBe('hello');
    const before = replyOf<bigint>(
      await query(s.host, { id: s.id, method: 'getCount' }),
      IDL.Nat64,
    );
    expect(replyOf<bigint>(await call(s.host, { id: s.id, method: 'increment' }), IDL.Nat64)).toBe(
      before + 1n,
    );
    expect(replyOf<bigint>(await call(s.host, { id: s.id, method: 'increment' }), IDL.Nat64)).toBe(
      before + 2n,
    );
    expect(replyOf<bigint>(await query(s.host, { id: s.id, method: 'getCount' }), IDL.Nat64)).toBe(
      before + 2n,
    );
  });

  it('keeps processing messages after waiting for an empty queue', async () => {
    // Regression: idle() or tick() with nothing queued once left the queue pump stuck, so the
    // next update never ran.
    await s.host.idle();
    await s.host.tick();
    await s.host.idle();
    const before = replyOf<bigint>(
      await query(s.host, { id: s.id, method: 'getCount' }),
      IDL.Nat64,
    );
    expect(replyOf<bigint>(await call(s.host, { id: s.id, method: 'increment' }), IDL.Nat64)).toBe(
      before + 1n,
    );
  });

  it('tells the canister who calls and who it is', async () => {
    const who = (r: Awaited<ReturnType<typeof query>>) =>
      replyOf<Principal>(r, IDL.Principal).toText();
    expect(who(await query(s.host, { id: s.id, method: 'whoami', sender: bob }))).toBe(
      bob.toText(),
    );
    expect(who(await query(s.host, { id: s.id, method: 'whoami', sender: anonymous }))).toBe(
      '2vxsx-fae',
    );
    expect(who(await call(s.host, { id: s.id, method: 'whoamiUpdate', sender: alice }))).toBe(
      alice.toText(),
    );
    expect(who(await query(s.host, { id: s.id, method: 'self' }))).toBe(s.id.toText());
  });

  it('gives the host clock as time', async () => {
    const t0 = replyOf<bigint>(await query(s.host, { id: s.id, method: 'now' }), IDL.Nat64);
    expect(t0).toBe(s.clock.t);
    s.clock.advanceSeconds(3);
    expect(replyOf<bigint>(await query(s.host, { id: s.id, method: 'now' }), IDL.Nat64)).toBe(
      t0 + 3_000_000_000n,
    );
  });

  it('keeps stable memory across messages', async () => {
    await call(s.host, {
      id: s.id,
      method: 'put',
      types: [IDL.Text, IDL.Text],
      values: ['k1', 'v1'],
    });
    await call(s.host, {
      id: s.id,
      method: 'put',
      types: [IDL.Text, IDL.Text],
      values: ['k2', 'v2'],
    });
    expect(
      replyOf(
        await query(s.host, { id: s.id, method: 'get', types: [IDL.Text], values: ['k1'] }),
        IDL.Opt(IDL.Text),
      ),
    ).toEqual(['v1']);
    expect(
      replyOf(
        await query(s.host, { id: s.id, method: 'get', types: [IDL.Text], values: ['k2'] }),
        IDL.Opt(IDL.Text),
      ),
    ).toEqual(['v2']);
  });

  it('rolls back heap and stable memory when a message traps, and the next call works', async () => {
    const count = replyOf<bigint>(await query(s.host, { id: s.id, method: 'getCount' }), IDL.Nat64);
    const size = replyOf<bigint>(await query(s.host, { id: s.id, method: 'size' }), IDL.Nat64);
    const r = expectReject(
      await call(s.host, {
        id: s.id,
        method: 'putThenThrow',
        types: [IDL.Text, IDL.Text],
        values: ['lost', 'value'],
      }),
      ErrorCode.CanisterCalledTrap,
      RejectCode.CanisterError,
    );
    expect(r.rejectMessage).toContain(
      `Error from Canister ${s.id.toText()}: Canister called \`ic0.trap\` with message:`,
    );
    expect(r.rejectMessage).toContain('refusing lost');
    expect(replyOf<bigint>(await query(s.host, { id: s.id, method: 'getCount' }), IDL.Nat64)).toBe(
      count,
    );
    expect(replyOf<bigint>(await query(s.host, { id: s.id, method: 'size' }), IDL.Nat64)).toBe(
      size,
    );
    expect(
      replyOf(
        await query(s.host, { id: s.id, method: 'get', types: [IDL.Text], values: ['lost'] }),
        IDL.Opt(IDL.Text),
      ),
    ).toEqual([]);
    // Several traps in a row must not corrupt the JS engine's state either.
    for (let i = 0; i < 3; i++) {
      await call(s.host, {
        id: s.id,
        method: 'putThenThrow',
        types: [IDL.Text, IDL.Text],
        values: ['again', 'x'],
      });
    }
    expect(replyOf<bigint>(await call(s.host, { id: s.id, method: 'increment' }), IDL.Nat64)).toBe(
      count + 1n,
    );
    await call(s.host, {
      id: s.id,
      method: 'put',
      types: [IDL.Text, IDL.Text],
      values: ['after', 'trap'],
    });
    expect(
      replyOf(
        await query(s.host, { id: s.id, method: 'get', types: [IDL.Text], values: ['after'] }),
        IDL.Opt(IDL.Text),
      ),
    ).toEqual(['trap']);
  });

  it('reports ic0.trap with the replica wording', async () => {
    const count = replyOf<bigint>(await query(s.host, { id: s.id, method: 'getCount' }), IDL.Nat64);
    const r = expectReject(
      await call(s.host, { id: s.id, method: 'callTrap', types: [IDL.Text], values: ['boom'] }),
      ErrorCode.CanisterCalledTrap,
      RejectCode.CanisterError,
    );
    expect(r.rejectMessage).toBe(
      `Error from Canister ${s.id.toText()}: Canister called \`ic0.trap\` with message: 'boom'.\n` +
        'Consider gracefully handling failures from this canister or altering the canister to handle exceptions. ' +
        'See documentation: https://internetcomputer.org/docs/current/references/execution-errors#trapped-explicitly',
    );
    expect(replyOf<bigint>(await query(s.host, { id: s.id, method: 'getCount' }), IDL.Nat64)).toBe(
      count,
    );
  });

  it('passes an explicit reject through with CANISTER_REJECT', async () => {
    const r = expectReject(
      await call(s.host, {
        id: s.id,
        method: 'rejectWith',
        types: [IDL.Text],
        values: ['not today'],
      }),
      ErrorCode.CanisterRejectedMessage,
      RejectCode.CanisterReject,
    );
    expect(r.rejectMessage).toBe('not today');
  });

  it('never keeps the state changes of a query', async () => {
    const count = replyOf<bigint>(await query(s.host, { id: s.id, method: 'getCount' }), IDL.Nat64);
    expect(
      replyOf<bigint>(await query(s.host, { id: s.id, method: 'queryMutates' }), IDL.Nat64),
    ).toBe(count + 1n);
    expect(
      replyOf<bigint>(await query(s.host, { id: s.id, method: 'queryMutates' }), IDL.Nat64),
    ).toBe(count + 1n);
    // Called as an update (replicated query) it keeps nothing either.
    expect(
      replyOf<bigint>(await call(s.host, { id: s.id, method: 'queryMutates' }), IDL.Nat64),
    ).toBe(count + 1n);
    expect(replyOf<bigint>(await query(s.host, { id: s.id, method: 'getCount' }), IDL.Nat64)).toBe(
      count,
    );
    expect(
      replyOf(
        await query(s.host, { id: s.id, method: 'get', types: [IDL.Text], values: ['fromQuery'] }),
        IDL.Opt(IDL.Text),
      ),
    ).toEqual([]);
  });

  it('rejects unknown methods with IC0536 and the replica wording', async () => {
    const u = expectReject(
      await call(s.host, { id: s.id, method: 'nope' }),
      ErrorCode.CanisterMethodNotFound,
      RejectCode.CanisterError,
    );
    expect(u.rejectMessage).toBe(
      `Error from Canister ${s.id.toText()}: Canister has no update method 'nope'..\n` +
        'Check that the method being called is exported by the target canister. ' +
        'See documentation: https://internetcomputer.org/docs/current/references/execution-errors#method-not-found',
    );
    const q = expectReject(
      await query(s.host, { id: s.id, method: 'increment' }),
      ErrorCode.CanisterMethodNotFound,
      RejectCode.CanisterError,
    );
    expect(q.rejectMessage).toContain("Canister has no query method 'increment'");
  });

  it('rejects calls to a canister that does not exist', async () => {
    const missing = Principal.fromText('aax3a-h4aaa-aaaaa-qaahq-cai');
    const r = expectReject(
      await call(s.host, { id: missing, method: 'x' }),
      ErrorCode.CanisterNotFound,
      RejectCode.DestinationInvalid,
    );
    expect(r.rejectMessage).toBe(`Canister ${missing.toText()} not found`);
    expectReject(
      await query(s.host, { id: missing, method: 'x' }),
      ErrorCode.CanisterNotFound,
      RejectCode.DestinationInvalid,
    );
  });

  it('runs inspect_message: accepts, rejects, and keeps no state', async () => {
    expect(
      await s.host.inspectMessage({
        canisterId: s.id,
        method: 'increment',
        arg: enc([], []),
        sender: alice,
      }),
    ).toEqual({ accepted: true });
    const denied = await s.host.inspectMessage({
      canisterId: s.id,
      method: 'forbidden',
      arg: enc([], []),
      sender: alice,
    });
    expect(denied).toEqual({
      accepted: false,
      rejectCode: RejectCode.CanisterReject,
      errorCode: ErrorCode.CanisterRejectedMessage,
      rejectMessage: `Error from Canister ${s.id.toText()}: Canister rejected the message`,
    });
  });

  it('rejects an ingress argument over 2 MiB and accepts one just under', async () => {
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    const r = await s.host.update({ canisterId: s.id, method: 'measure', arg: big, sender: alice });
    expectReject(r, ErrorCode.CanisterContractViolation, RejectCode.CanisterError);
    const size = 2 * 1024 * 1024 - 100;
    const fits = enc([IDL.Vec(IDL.Nat8)], [new Uint8Array(size)]);
    expect(
      replyOf<number>(
        await s.host.update({ canisterId: s.id, method: 'measure', arg: fits, sender: alice }),
        IDL.Nat32,
      ),
    ).toBe(size);
  });

  it('limits replies to 2 MiB for updates and 3 MiB for queries', async () => {
    const twoAndAHalf = 2.5 * 1024 * 1024;
    expect(
      replyOf<Uint8Array>(
        await query(s.host, {
          id: s.id,
          method: 'blob',
          types: [IDL.Nat32],
          values: [twoAndAHalf],
        }),
        IDL.Vec(IDL.Nat8),
      ).length,
    ).toBe(twoAndAHalf);
    const tooBigForQuery = expectReject(
      await query(s.host, {
        id: s.id,
        method: 'blob',
        types: [IDL.Nat32],
        values: [3 * 1024 * 1024],
      }),
      ErrorCode.CanisterContractViolation,
      RejectCode.CanisterError,
    );
    expect(tooBigForQuery.rejectMessage).toContain('cannot be larger than 3145728');
    const tooBigForUpdate = expectReject(
      await call(s.host, {
        id: s.id,
        method: 'blobUpdate',
        types: [IDL.Nat32],
        values: [twoAndAHalf],
      }),
      ErrorCode.CanisterContractViolation,
      RejectCode.CanisterError,
    );
    expect(tooBigForUpdate.rejectMessage).toContain('cannot be larger than 2097152');
  });

  it('sets certified data and shows a data certificate to queries only when one is given', async () => {
    const data = new Uint8Array(32).fill(0xab);
    await call(s.host, {
      id: s.id,
      method: 'setCertified',
      types: [IDL.Vec(IDL.Nat8)],
      values: [data],
    });
    expect(s.host.canister(s.id)!.certifiedData).toEqual(data);
    const cert = new Uint8Array([1, 2, 3, 4, 5]);
    const withCert = replyOf<[] | [Uint8Array]>(
      await query(s.host, { id: s.id, method: 'certificate', dataCertificate: cert }),
      IDL.Opt(IDL.Vec(IDL.Nat8)),
    );
    expect(withCert.map((c) => [...c])).toEqual([[1, 2, 3, 4, 5]]);
    expect(
      replyOf(await query(s.host, { id: s.id, method: 'certificate' }), IDL.Opt(IDL.Vec(IDL.Nat8))),
    ).toEqual([]);
    const tooLong = expectReject(
      await call(s.host, {
        id: s.id,
        method: 'setCertified',
        types: [IDL.Vec(IDL.Nat8)],
        values: [new Uint8Array(33)],
      }),
      ErrorCode.CanisterContractViolation,
      RejectCode.CanisterError,
    );
    expect(tooLong.rejectMessage).toContain('no larger than 32 bytes');
    expect(s.host.canister(s.id)!.certifiedData).toEqual(data);
  });

  it('sends debug_print to the log sink with the canister id', async () => {
    await call(s.host, { id: s.id, method: 'shout', types: [IDL.Text], values: ['hello log'] });
    expect(
      s.logs.some((l) => l.canisterId === s.id.toText() && l.message.includes('hello log')),
    ).toBe(true);
  });

  it('refuses arguments that are not bytes with a stable code', async () => {
    await expect(
      s.host.update({
        canisterId: s.id,
        method: 'increment',
        arg: 'x' as unknown as Uint8Array,
        sender: alice,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
