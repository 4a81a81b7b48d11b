/**
 * Trust lists: any principal publishes a named, versioned list of builders (a review group's
 * members, say), and every consensus read can count only them. Free keys can then add
 * themselves to "everyone" but not to a list someone else keeps.
 *
 * Each list keeps an aggregate per proposal for the version it counts (`readyVersion`). A new
 * version is counted member by member in messages of their own (`job`), then the previous
 * version's aggregates are removed; readers see the old version until the new one is complete.
 * A builder's changed standing reaches the lists holding them through `listQueue`.
 */
import { Principal } from '@dfinity/principal';
import { ErrorCode } from '@repro-registry/registry-api';

import { applyCell } from './consensus';
import { countedCells, listedCells } from './counting';
import type { Result } from './errors';
import { err, ok } from './errors';
import { nameKey, nameProblem, normalizeName } from './names';
import type {
  CellKey,
  ListTallyJson,
  MembershipsJson,
  TrustListJson,
  TrustListVersionJson,
} from './records';
import type { RegistryStore } from './store';
import { compositeKey, u64FromKey, u64Key } from './tables';
import { checkPlainText } from './text';
import { takeCallerToken } from './submission';

export const TRUST_LIST_TEXT = { nameBytes: 64, descriptionBytes: 1_000 } as const;

/** Work units (standings or aggregates touched) per message for list upkeep. */
export const LIST_WORK_PER_MESSAGE = 2_000;

export interface TrustListView {
  list: TrustListJson;
  /** The version asked for (the newest by default), with its members. */
  version: TrustListVersionJson;
  versions: number;
}

function listKey(id: bigint): Uint8Array {
  return u64Key(id);
}

function versionKey(id: bigint, version: number): Uint8Array {
  return compositeKey(u64Key(id), version);
}

export function tallyKey(id: bigint, version: number, proposalId: bigint): Uint8Array {
  return compositeKey(u64Key(id), version, u64Key(proposalId));
}

function principalKey(text: string): Uint8Array {
  return Principal.fromText(text).toUint8Array();
}

/** Publishes a new list (no `id`) or a new version of the caller's list. */
export function publishTrustList(
  store: RegistryStore,
  args: {
    caller: Principal;
    id: bigint | null;
    name: string;
    description: string;
    members: Principal[];
    now: bigint;
  },
): Result<TrustListView> {
  const { caller } = args;
  if (caller.isAnonymous())
    return err(ErrorCode.ANONYMOUS_CALLER, 'sign in to publish a trust list: it is yours to keep');
  const meta = store.meta();
  const token = takeCallerToken(store, caller, args.now, meta);
  if (!token.ok) return token;
  const limits = store.limits(meta);

  const name = normalizeName(args.name);
  const problem = nameProblem(name, TRUST_LIST_TEXT.nameBytes);
  if (problem !== null) {
    return err(
      problem.kind === 'confusable' ? ErrorCode.NAME_CONFUSABLE : ErrorCode.TRUST_LIST_INVALID,
      `name ${problem.message}`,
    );
  }
  const description = args.description.trim();
  const descriptionProblem =
    description === ''
      ? null
      : checkPlainText(description, {
          maxBytes: TRUST_LIST_TEXT.descriptionBytes,
          allowNewlines: true,
        });
  if (descriptionProblem !== null)
    return err(ErrorCode.TRUST_LIST_INVALID, `description: ${descriptionProblem}`);
  const members = [...new Set(args.members.map((m) => m.toText()))].sort();
  if (members.length === 0 || members.length > limits.trustListMembers) {
    return err(
      ErrorCode.TRUST_LIST_INVALID,
      `a trust list holds 1 to ${limits.trustListMembers} builders, not ${members.length}`,
    );
  }
  if (args.members.some((m) => m.isAnonymous()))
    return err(ErrorCode.TRUST_LIST_INVALID, 'the anonymous principal is no builder');

  const owner = caller.toText();
  const ownerKey = caller.toUint8Array();
  const owned = store.tables.trustListOwners.get(ownerKey) ?? [];
  let list: TrustListJson;
  if (args.id !== null) {
    const existing = store.tables.trustLists.get(listKey(args.id));
    if (existing === undefined)
      return err(ErrorCode.TRUST_LIST_NOT_FOUND, `there is no trust list ${args.id}`);
    if (existing.owner !== owner)
      return err(ErrorCode.NOT_LIST_OWNER, `trust list ${args.id} belongs to ${existing.owner}`);
    if (existing.job !== null) {
      return err(
        ErrorCode.TRUST_LIST_BUSY,
        `version ${existing.job.phase === 'build' ? existing.job.version : existing.version} of trust list ${args.id} is still being counted: publish again in a moment`,
      );
    }
    list = existing;
  } else {
    if (owned.length >= limits.trustListsPerOwner) {
      return err(
        ErrorCode.TRUST_LIST_LIMIT,
        `a principal may publish ${limits.trustListsPerOwner} trust lists; publish new versions of yours instead`,
      );
    }
    const total = store.tables.trustLists.len();
    if (total >= limits.trustListsTotal)
      return err(ErrorCode.TRUST_LIST_LIMIT, `the registry holds ${total} trust lists, its most`);
    const id = BigInt(meta.nextTrustListId ?? '1');
    meta.nextTrustListId = (id + 1n).toString();
    list = {
      id: id.toString(),
      owner,
      name,
      description,
      version: 0,
      readyVersion: 0,
      createdAt: args.now.toString(),
      publishedAt: args.now.toString(),
      job: null,
    };
  }

  const key = nameKey(name);
  const holder = store.tables.names.get(key);
  if (holder !== undefined && !(holder.kind === 'trust_list' && holder.id === list.id)) {
    return err(
      ErrorCode.NAME_TAKEN,
      `"${name}" is taken (by a ${holder.kind === 'builder' ? 'builder' : 'trust list'}): names are compared ignoring case`,
    );
  }
  if (list.version > 0 && list.name !== name) store.tables.names.remove(nameKey(list.name));
  store.tables.names.insert(key, { kind: 'trust_list', id: list.id });

  const id = BigInt(list.id);
  const version: TrustListVersionJson = {
    version: list.version + 1,
    name,
    description,
    members,
    publishedAt: args.now.toString(),
  };
  store.tables.trustListVersions.insert(versionKey(id, version.version), version);
  list.version = version.version;
  list.name = name;
  list.description = description;
  list.publishedAt = version.publishedAt;
  list.job = { phase: 'build', version: version.version, member: 0 };
  store.tables.trustLists.insert(listKey(id), list);
  if (args.id === null) store.tables.trustListOwners.insert(ownerKey, [...owned, list.id]);

  // Where each member stands in this version: the queue and the job read it.
  members.forEach((member, index) => {
    const memberKey = principalKey(member);
    const memberships: MembershipsJson = store.tables.memberships.get(memberKey) ?? {};
    memberships[list.id] = { ...(memberships[list.id] ?? {}), [version.version]: index };
    store.tables.memberships.insert(memberKey, memberships);
  });
  meta.listJobs = [...(meta.listJobs ?? []).filter((x) => x !== list.id), list.id];
  store.saveMeta(meta);
  return ok({ list, version, versions: list.version });
}

export function getTrustList(
  store: RegistryStore,
  args: { id: bigint; version?: number },
): Result<TrustListView> {
  const list = store.tables.trustLists.get(listKey(args.id));
  if (list === undefined)
    return err(ErrorCode.TRUST_LIST_NOT_FOUND, `there is no trust list ${args.id}`);
  const wanted = args.version ?? list.version;
  const version = store.tables.trustListVersions.get(versionKey(args.id, wanted));
  if (version === undefined) {
    return err(
      ErrorCode.TRUST_LIST_NOT_FOUND,
      `trust list ${args.id} has versions 1 to ${list.version}, not ${wanted}`,
    );
  }
  return ok({ list, version, versions: list.version });
}

/** Lists by id, `cursor` = lists already seen. */
export function listTrustLists(
  store: RegistryStore,
  args: { cursor: number; limit: number },
): { items: (TrustListJson & { memberCount: number })[]; next: bigint | null; total: bigint } {
  const total = store.tables.trustLists.len();
  const start = Math.min(args.cursor, total);
  const keys = store.tables.trustLists.keys(start, args.limit);
  const items = keys.map((k) => {
    const list = store.tables.trustLists.get(k) as TrustListJson;
    const version = store.tables.trustListVersions.get(versionKey(u64FromKey(k), list.version));
    return { ...list, memberCount: version?.members.length ?? 0 };
  });
  const end = start + items.length;
  return { items, next: end < total ? BigInt(end) : null, total: BigInt(total) };
}

/** A list's aggregate for a proposal in the version it counts, and whether it is current. */
export function listTally(
  store: RegistryStore,
  list: TrustListJson,
  proposalId: bigint,
): ListTallyJson {
  if (list.readyVersion === 0) return { cells: [], builders: 0 };
  return (
    store.tables.listTallies.get(tallyKey(BigInt(list.id), list.readyVersion, proposalId)) ?? {
      cells: [],
      builders: 0,
    }
  );
}

function applyToTally(
  store: RegistryStore,
  key: Uint8Array,
  change: { remove: CellKey[]; add: CellKey[] },
): void {
  const tally = store.tables.listTallies.get(key) ?? { cells: [], builders: 0 };
  for (const c of change.remove) applyCell(tally.cells, c, -1);
  for (const c of change.add) applyCell(tally.cells, c, 1);
  tally.builders += Number(change.add.length > 0) - Number(change.remove.length > 0);
  if (tally.cells.length === 0 && tally.builders <= 0) store.tables.listTallies.remove(key);
  else store.tables.listTallies.insert(key, tally);
}

/** Whether `version` of `list` counts the member at `index` now. */
function counts(list: TrustListJson, version: number, index: number): boolean {
  if (version === list.readyVersion) return true;
  return list.job?.phase === 'build' && list.job.version === version && index < list.job.member;
}

/**
 * What list upkeep changed for readers (the certified state re-certifies it): a proposal whose
 * counted standings changed, a list whose counted version or counting changed.
 */
export interface TrustListChanges {
  proposal(id: bigint): void;
  list(id: bigint): void;
}

const NO_CHANGES: TrustListChanges = { proposal: () => {}, list: () => {} };

/**
 * Brings the trust lists up to date with queued standing changes and continues list jobs, about
 * `budget` work units in all. Returns whether work remains.
 */
export function processTrustListWork(
  store: RegistryStore,
  budget = LIST_WORK_PER_MESSAGE,
  changes: TrustListChanges = NO_CHANGES,
): boolean {
  let work = 0;
  while (work < budget) {
    const [key] = store.tables.listQueue.keys(0, 1);
    if (key === undefined) break;
    work += applyQueuedStanding(store, key);
    changes.proposal(u64FromKey(key));
  }
  const meta = store.meta();
  for (const id of [...(meta.listJobs ?? [])]) {
    while (work < budget) {
      const step = stepJob(store, BigInt(id), changes);
      if (step === null) break;
      work += step;
    }
    if (work >= budget) break;
  }
  return store.tables.listQueue.len() > 0 || (store.meta().listJobs ?? []).length > 0;
}

function applyQueuedStanding(store: RegistryStore, key: Uint8Array): number {
  store.tables.listQueue.remove(key);
  const standing = store.tables.standings.get(key);
  if (standing === undefined) return 1;
  const proposalId = u64FromKey(key);
  const builder = key.subarray(8);
  const cells = countedCells(standing);
  const memberships = store.tables.memberships.get(builder) ?? {};
  let work = 1;
  for (const [listId, versions] of Object.entries(memberships)) {
    const list = store.tables.trustLists.get(listKey(BigInt(listId)));
    if (list === undefined) continue;
    for (const [version, index] of Object.entries(versions)) {
      if (!counts(list, Number(version), index)) continue;
      applyToTally(store, tallyKey(BigInt(listId), Number(version), proposalId), {
        remove: listedCells(standing),
        add: cells,
      });
      work += 1;
    }
  }
  delete standing.listed;
  store.tables.standings.insert(key, standing);
  return work;
}

/** One member of a list's job; null when the list has no job. Returns the work done. */
function stepJob(store: RegistryStore, id: bigint, changes: TrustListChanges): number | null {
  const list = store.tables.trustLists.get(listKey(id));
  const job = list?.job ?? null;
  if (list === undefined || job === null) {
    finishJob(store, id);
    return null;
  }
  const version = store.tables.trustListVersions.get(versionKey(id, job.version));
  const members = version?.members ?? [];
  let work = 1;
  const member = members[job.member];
  if (member !== undefined) {
    const memberKey = principalKey(member);
    const count = store.tables.builders.get(memberKey)?.proposalCount ?? 0;
    for (let seq = 0; seq < count; seq++) {
      const proposalKey = store.tables.builderProposals.get(compositeKey(memberKey, seq));
      if (proposalKey === undefined) continue;
      const key = tallyKey(id, job.version, u64FromKey(proposalKey));
      if (job.phase === 'build') {
        const standing = store.tables.standings.get(compositeKey(proposalKey, memberKey));
        const listed = standing === undefined ? [] : listedCells(standing);
        if (listed.length > 0) applyToTally(store, key, { remove: [], add: listed });
      } else {
        store.tables.listTallies.remove(key);
      }
      work += 1;
    }
    if (job.phase === 'clean') {
      const memberships = store.tables.memberships.get(memberKey) ?? {};
      const versions = memberships[list.id] ?? {};
      delete versions[job.version];
      if (Object.keys(versions).length === 0) delete memberships[list.id];
      else memberships[list.id] = versions;
      if (Object.keys(memberships).length === 0) store.tables.memberships.remove(memberKey);
      else store.tables.memberships.insert(memberKey, memberships);
    }
    job.member += 1;
  }
  if (job.member >= members.length) {
    changes.list(id); // the counted version, or counting, changes
    if (job.phase === 'build') {
      const previous = list.readyVersion;
      list.readyVersion = job.version;
      list.job = previous > 0 ? { phase: 'clean', version: previous, member: 0 } : null;
    } else {
      list.job = null;
    }
  }
  store.tables.trustLists.insert(listKey(id), list);
  if (list.job === null) finishJob(store, id);
  return work;
}

function finishJob(store: RegistryStore, id: bigint): void {
  const meta = store.meta();
  const jobs = meta.listJobs ?? [];
  if (!jobs.includes(id.toString())) return;
  meta.listJobs = jobs.filter((x) => x !== id.toString());
  store.saveMeta(meta);
}
