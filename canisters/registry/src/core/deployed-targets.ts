/**
 * Which executed install is current on each canister: a later upgrade of the same canister (a
 * newer executed proposal, or an install outside governance) changes what is deployed, so an
 * older proposal's "deployed" must become "was deployed, since replaced". The registry keeps,
 * per target, the executed install proposals it knows (oldest first by execution time), and
 * re-reads the newest one's target now and then to notice installs outside governance. Pure.
 */
import type { DeployedCheckJson, ProposalRecordJson } from './records';
import type { RegistryStore } from './store';

/** Executed install proposals remembered per target canister. */
export const INSTALLS_PER_TARGET = 16;
/** Target canisters remembered (NNS has a few dozen). */
export const DEPLOYED_TARGETS = 128;
/** How often the newest install's target is read again (installs outside governance). */
export const DEPLOYED_RECHECK_SECONDS = 86_400n;

const NS = 1_000_000_000n;

/** Execution order: executed time, then proposal id. */
function orderKey(p: ProposalRecordJson | undefined, id: string): [bigint, bigint] {
  return [BigInt(p?.onChain?.executedAt ?? '0'), BigInt(id)];
}

function isNewer(a: [bigint, bigint], b: [bigint, bigint]): boolean {
  return a[0] !== b[0] ? a[0] > b[0] : a[1] > b[1];
}

/**
 * Records that `proposal` was executed into `canisterId`; returns the id of the newest executed
 * install known for that canister (possibly `proposal`'s own).
 */
export function registerInstall(
  store: RegistryStore,
  proposal: ProposalRecordJson,
  canisterId: string,
): string {
  const meta = store.meta();
  const targets = meta.deployedTargets ?? {};
  const ids = targets[canisterId] ?? [];
  if (!ids.includes(proposal.id)) {
    const key = orderKey(proposal, proposal.id);
    let at = ids.length;
    while (at > 0) {
      const prior = ids[at - 1];
      if (!isNewer(orderKey(store.proposalRecord(BigInt(prior)), prior), key)) break;
      at--;
    }
    ids.splice(at, 0, proposal.id);
    if (ids.length > INSTALLS_PER_TARGET) ids.splice(0, ids.length - INSTALLS_PER_TARGET);
    targets[canisterId] = ids;
    const names = Object.keys(targets);
    if (names.length > DEPLOYED_TARGETS) delete targets[names[0]];
    meta.deployedTargets = targets;
    store.saveMeta(meta);
  }
  return ids[ids.length - 1] ?? proposal.id;
}

/** `check` marked as replaced by `by` (a newer install proposal). */
export function replacedCheck(
  check: DeployedCheckJson | null | undefined,
  canisterId: string,
  by: string,
): DeployedCheckJson {
  return {
    canisterId,
    moduleHashHex: check?.moduleHashHex ?? null,
    checkedAt: check?.checkedAt ?? null,
    error: null,
    attempts: check?.attempts ?? 0,
    deployedAt: check?.deployedAt ?? null,
    state: 'replaced',
    replacedBy: by,
  };
}

/**
 * Marks every install older than `newest` on `canisterId` as replaced by it (except `skip`,
 * which the caller saves); returns the ids changed.
 */
export function replaceOlderInstalls(
  store: RegistryStore,
  args: { canisterId: string; newest: string; skip: string },
): string[] {
  const changed: string[] = [];
  for (const id of store.meta().deployedTargets?.[args.canisterId] ?? []) {
    if (id === args.newest || id === args.skip) continue;
    const record = store.proposalRecord(BigInt(id));
    if (record === undefined || record.deployed?.replacedBy === args.newest) continue;
    record.deployed = replacedCheck(record.deployed, args.canisterId, args.newest);
    store.saveProposal(record);
    changed.push(id);
  }
  return changed;
}

/**
 * The newest install per target whose last read is older than `DEPLOYED_RECHECK_SECONDS` (and
 * not waiting for a first read or out of retries): up to `max`, with the canister to read.
 */
export function deployedRechecksDue(
  store: RegistryStore,
  args: { now: bigint; max: number },
): { proposalId: bigint; canisterId: string }[] {
  const meta = store.meta();
  const waiting = new Set(meta.deployedDue ?? []);
  const due: { proposalId: bigint; canisterId: string }[] = [];
  for (const [canisterId, ids] of Object.entries(meta.deployedTargets ?? {})) {
    if (due.length >= args.max) break;
    const id = ids[ids.length - 1];
    if (id === undefined || waiting.has(id)) continue;
    const check = store.proposalRecord(BigInt(id))?.deployed;
    if (check == null || check.state === 'due' || check.state === 'error') continue;
    if (check.replacedBy != null) continue;
    const last = BigInt(check.checkedAt ?? '0');
    if (last + DEPLOYED_RECHECK_SECONDS * NS <= args.now)
      due.push({ proposalId: BigInt(id), canisterId });
  }
  return due;
}
