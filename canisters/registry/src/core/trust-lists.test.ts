import type { Principal } from '@dfinity/principal';
import { ErrorCode } from '@repro-registry/registry-api';
import { describe, expect, it } from 'vitest';

import { artifact, hashOf, predicate, testBuilder } from '../../test/builders';
import {
  MINUTE,
  T0,
  accepted,
  codeOf,
  confirm,
  newRegistry,
  submit,
} from '../../test/core-support';
import type { Registry } from './registry';

const P = 134567n;
const WSL = hashOf('wsl2 image');

function publish(
  r: Registry,
  owner: Principal,
  args: { id?: bigint; name: string; members: Principal[]; description?: string },
) {
  return r.publishTrustList({
    caller: owner,
    id: args.id ?? null,
    name: args.name,
    description: args.description ?? '',
    members: args.members,
    now: T0,
  });
}

function listId(result: ReturnType<typeof publish>): bigint {
  if (!result.ok) throw new Error(`${result.error.code} ${result.error.message}`);
  return BigInt(result.value.list.id);
}

function settle(r: Registry): void {
  for (let i = 0; i < 100 && r.processTrustListWork(); i++);
}

function consensus(r: Registry, trustList?: bigint) {
  const s = r.summary({ proposalId: P, ...(trustList === undefined ? {} : { trustList }) });
  if (!s.ok) throw new Error(s.error.code);
  return s.value;
}

describe('trust lists', () => {
  const reviewers = [0, 1, 2, 3, 4].map((i) => testBuilder(`reviewer-${i}`));
  const owner = testBuilder('codegov-lead');

  it('count only their members: free keys add to everyone, not to the list', () => {
    const r = newRegistry();
    confirm(r, P);
    for (const b of reviewers) accepted(submit(r, b));
    const id = listId(
      publish(r, owner.principal, { name: 'CodeGov', members: reviewers.map((b) => b.principal) }),
    );
    // Twenty fresh keys report another hash.
    for (let i = 0; i < 20; i++)
      accepted(
        submit(
          r,
          testBuilder(`sybil-${i}`),
          predicate({ artifacts: [artifact({ kind: 'guestos', sha256: WSL })] }),
        ),
      );
    settle(r);
    const onList = consensus(r, id);
    expect(onList.scope).toMatchObject({
      trustList: { id: id.toString(), name: 'CodeGov', version: 1 },
      buildersInAll: 25,
      matchingInAll: 5,
      upToDate: true,
    });
    expect(onList.builderCount).toBe(5);
    expect(onList.consensus.artifacts[0]?.verdicts).toMatchObject({ match: 5, mismatch: 0 });
    const everyone = consensus(r);
    expect(everyone.consensus.artifacts[0]?.verdicts).toMatchObject({ match: 5, mismatch: 20 });
  });

  it('follow their members’ new attestations after the queued update', () => {
    const r = newRegistry();
    confirm(r, P);
    const id = listId(
      publish(r, owner.principal, { name: 'CodeGov', members: reviewers.map((b) => b.principal) }),
    );
    settle(r);
    accepted(submit(r, reviewers[0]));
    expect(consensus(r, id).scope.upToDate).toBe(false);
    settle(r);
    expect(consensus(r, id).builderCount).toBe(1);
    // A member's newer hash replaces the older on the list too.
    accepted(
      submit(
        r,
        reviewers[0],
        predicate({ artifacts: [artifact({ kind: 'guestos', sha256: WSL })] }),
        T0 + MINUTE,
      ),
    );
    settle(r);
    expect(consensus(r, id).consensus.artifacts[0]?.hashGroups.map((g) => g.sha256)).toEqual([WSL]);
    const admin = { principal: testBuilder('admin').principal, isController: true };
    const latest = r.listAttestations({ proposalId: P, limit: 1 });
    if (!latest.ok) throw new Error('no page');
    r.hide({
      caller: admin,
      attestationId: BigInt(latest.value.items[0].record.id),
      reason: 'test',
      now: T0,
    });
    settle(r);
    expect(consensus(r, id).builderCount).toBe(0);
  });

  it('keep every version; a new version is counted before it replaces the old', () => {
    const r = newRegistry();
    confirm(r, P);
    for (const b of reviewers) accepted(submit(r, b));
    const first = reviewers.slice(0, 2).map((b) => b.principal);
    const id = listId(publish(r, owner.principal, { name: 'CodeGov', members: first }));
    settle(r);
    expect(consensus(r, id).builderCount).toBe(2);
    const second = publish(r, owner.principal, {
      id,
      name: 'CodeGov',
      description: 'all five reviewers',
      members: reviewers.map((b) => b.principal),
    });
    expect(second.ok && second.value.version.version).toBe(2);
    // Until version 2 is counted, readers see version 1, marked as not up to date.
    const during = consensus(r, id);
    expect(during.scope).toMatchObject({ trustList: { version: 1 }, upToDate: false });
    expect(during.builderCount).toBe(2);
    expect(codeOf(publish(r, owner.principal, { id, name: 'CodeGov', members: first }))).toBe(
      ErrorCode.TRUST_LIST_BUSY,
    );
    settle(r);
    const after = consensus(r, id);
    expect(after.scope).toMatchObject({ trustList: { version: 2 }, upToDate: true });
    expect(after.builderCount).toBe(5);
    const v1 = r.getTrustList({ id, version: 1 });
    expect(v1.ok && v1.value.version.members.length).toBe(2);
    const v2 = r.getTrustList({ id });
    expect(v2.ok && v2.value.version).toMatchObject({
      version: 2,
      description: 'all five reviewers',
    });
    // Version 1's aggregates are gone; its members' memberships name version 2 only.
    expect(r.tables.listTallies.len()).toBe(1);
  });

  it('belong to their owner, have unique names and bounded sizes', () => {
    const r = newRegistry({
      limits: { trustListsPerOwner: 1, trustListMembers: 3, trustListsTotal: 2 },
    });
    const members = reviewers.slice(0, 3).map((b) => b.principal);
    const id = listId(publish(r, owner.principal, { name: 'CodeGov', members }));
    const mallory = testBuilder('mallory').principal;
    expect(codeOf(publish(r, mallory, { id, name: 'CodeGov', members: [mallory] }))).toBe(
      ErrorCode.NOT_LIST_OWNER,
    );
    expect(codeOf(publish(r, mallory, { name: 'codegov', members }))).toBe(ErrorCode.NAME_TAKEN);
    expect(codeOf(publish(r, mallory, { name: 'СodeGov', members }))).toBe(
      ErrorCode.NAME_CONFUSABLE,
    );
    expect(
      codeOf(publish(r, mallory, { name: 'Sybils', members: reviewers.map((b) => b.principal) })),
    ).toBe(ErrorCode.TRUST_LIST_INVALID);
    expect(codeOf(publish(r, mallory, { name: 'Sybils', members: [] }))).toBe(
      ErrorCode.TRUST_LIST_INVALID,
    );
    expect(codeOf(publish(r, owner.principal, { name: 'Second', members }))).toBe(
      ErrorCode.TRUST_LIST_LIMIT,
    );
    listId(publish(r, mallory, { name: 'Sybils', members: [mallory] }));
    expect(codeOf(publish(r, testBuilder('third').principal, { name: 'Third', members }))).toBe(
      ErrorCode.TRUST_LIST_LIMIT,
    );
    expect(codeOf(r.getTrustList({ id: 99n }))).toBe(ErrorCode.TRUST_LIST_NOT_FOUND);
    expect(codeOf(r.summary({ proposalId: P, trustList: 99n }))).toBe(ErrorCode.PROPOSAL_NOT_FOUND);
    confirm(r, P);
    expect(codeOf(r.summary({ proposalId: P, trustList: 99n }))).toBe(
      ErrorCode.TRUST_LIST_NOT_FOUND,
    );
    const page = r.listTrustLists({ cursor: 0, limit: 10 });
    expect(page.items.map((l) => [l.name, l.memberCount])).toEqual([
      ['CodeGov', 3],
      ['Sybils', 1],
    ]);
  });

  it('count held attestations of members when the proposal is confirmed', () => {
    const r = newRegistry();
    const id = listId(
      publish(r, owner.principal, { name: 'CodeGov', members: reviewers.map((b) => b.principal) }),
    );
    settle(r);
    for (const b of reviewers.slice(0, 3)) accepted(submit(r, b));
    confirm(r, P);
    settle(r);
    expect(consensus(r, id).builderCount).toBe(3);
  });
});
