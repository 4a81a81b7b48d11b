/**
 * The registry-side deployed-hash check: once a canister install is executed, the refresh timer
 * reads the module hash the target runs (the management canister's `canister_info`) and the
 * proposal's summary says "proposed = reproduced = deployed", or where the chain differs. Pure:
 * the canister makes the call (`../deployed.ts`) and hands the outcome here.
 */
import type { Consensus } from './consensus';
import { registerInstall, replaceOlderInstalls, replacedCheck } from './deployed-targets';
import type { DeployedCheckJson, ProposalRecordJson } from './records';
import type { RegistryStore } from './store';

/** Reads of `canister_info` a proposal gets when they fail (then only `sync_proposal` retries). */
export const DEPLOYED_READS = 5;

/** What a read of `canister_info` gave: the module hash (null: no module), or a failure. */
export type DeployedReadOutcome =
  { ok: true; moduleHashHex: string | null } | { ok: false; error: string };

/** The canister an executed install went into, when the registry should read what it runs. */
function targetOf(proposal: ProposalRecordJson): string | null {
  const onChain = proposal.onChain;
  if (onChain?.kind !== 'canister_install' || onChain.status !== 'executed') return null;
  if (proposal.rejection) return null;
  return onChain.canisterInstall?.targetCanisterId ?? null;
}

/**
 * Called after each read of governance: an executed install gets a check queued (once; a later
 * read of governance does not read the canister again unless the last read failed). A newer
 * executed install into the same canister replaces the older ones' modules
 * (`deployed-targets.ts`): they say so instead of being read.
 */
export function noteExecution(store: RegistryStore, proposal: ProposalRecordJson): void {
  const canisterId = targetOf(proposal);
  if (canisterId === null) return;
  const newest = registerInstall(store, proposal, canisterId);
  replaceOlderInstalls(store, { canisterId, newest, skip: proposal.id });
  if (newest !== proposal.id) {
    if (proposal.deployed?.replacedBy !== newest) {
      proposal.deployed = replacedCheck(proposal.deployed, canisterId, newest);
      queue(store, proposal.id, false);
    }
    return;
  }
  const check = proposal.deployed;
  if (check != null && check.canisterId === canisterId && check.state !== 'error') return;
  if (check?.state === 'error' && check.attempts >= DEPLOYED_READS) return;
  proposal.deployed = {
    canisterId,
    state: check?.state === 'error' ? 'error' : 'due',
    moduleHashHex: null,
    checkedAt: check?.checkedAt ?? null,
    error: check?.error ?? null,
    attempts: check?.attempts ?? 0,
  };
  queue(store, proposal.id, true);
}

function queue(store: RegistryStore, id: string, due: boolean): void {
  const meta = store.meta();
  const list = meta.deployedDue ?? [];
  if (list.includes(id) === due) return;
  meta.deployedDue = due ? [...list, id] : list.filter((x) => x !== id);
  store.saveMeta(meta);
}

/** Up to `max` proposals whose target the timer should read, with the canister to read. */
export function deployedChecksDue(
  store: RegistryStore,
  max: number,
): { proposalId: bigint; canisterId: string }[] {
  const due: { proposalId: bigint; canisterId: string }[] = [];
  for (const id of store.meta().deployedDue ?? []) {
    if (due.length >= max) break;
    const canisterId = store.proposalRecord(BigInt(id))?.deployed?.canisterId;
    if (canisterId !== undefined) due.push({ proposalId: BigInt(id), canisterId });
  }
  return due;
}

/** Records a read of the target's module hash; returns the proposal, or null if unknown. */
export function recordDeployedRead(
  store: RegistryStore,
  args: { proposalId: bigint; now: bigint; outcome: DeployedReadOutcome },
): ProposalRecordJson | null {
  const proposal = store.proposalRecord(args.proposalId);
  const check = proposal?.deployed;
  if (proposal === undefined || check == null) return null;
  const { outcome } = args;
  const proposed = proposal.onChain?.canisterInstall?.wasmModuleHashHex ?? null;
  const next: DeployedCheckJson = {
    ...check,
    checkedAt: args.now.toString(),
    attempts: check.attempts + 1,
  };
  if (outcome.ok) {
    next.moduleHashHex = outcome.moduleHashHex;
    next.error = null;
    // Once seen deployed (or known replaced by a newer proposal), another module means the
    // proposal's was replaced, not that it never ran.
    const wasDeployed = check.deployedAt != null || check.replacedBy != null;
    if (outcome.moduleHashHex !== null && outcome.moduleHashHex === proposed) {
      next.state = 'deployed';
      next.deployedAt = args.now.toString();
      next.replacedBy = null;
    } else if (wasDeployed) next.state = 'replaced';
    else next.state = outcome.moduleHashHex === null ? 'no_module' : 'differs';
  } else {
    next.state = 'error';
    next.error = outcome.error;
  }
  proposal.deployed = next;
  const retry = next.state === 'error' && next.attempts < DEPLOYED_READS;
  queue(store, proposal.id, retry);
  store.saveProposal(proposal);
  return proposal;
}

/** Whether a check should run now for `sync_proposal` (a caller asking to look again). */
export function deployedCheckWanted(proposal: ProposalRecordJson | undefined): string | null {
  if (proposal === undefined) return null;
  const target = targetOf(proposal);
  return target !== null && proposal.deployed?.canisterId === target ? target : null;
}

/** "proposed = reproduced = deployed", or where they differ, for a summary. */
export interface DeployedView {
  check: DeployedCheckJson;
  proposedSha256: string | null;
  /** The hash most builders reproduced for the module (the largest group), or null. */
  reproducedSha256: string | null;
  reproducedBuilders: number;
  /** One line: `proposed = reproduced = deployed`, or what differs. */
  agreement: string;
}

export function deployedView(
  proposal: ProposalRecordJson,
  consensus: Consensus,
): DeployedView | null {
  const check = proposal.deployed;
  const install = proposal.onChain?.canisterInstall;
  if (check == null || install == null) return null;
  const proposed = install.wasmModuleHashHex;
  const moduleKind = proposal.onChain?.expected?.[0]?.kind;
  const groups = consensus.artifacts.find((a) => a.kind === moduleKind)?.hashGroups ?? [];
  // Largest group first; the proposal's hash wins a tie (as the consensus orders groups).
  const top = [...groups].sort((a, b) => b.builderCount - a.builderCount)[0];
  const reproduced = top?.sha256 ?? null;
  return {
    check,
    proposedSha256: proposed,
    reproducedSha256: reproduced,
    reproducedBuilders: top?.builderCount ?? 0,
    agreement: agreementOf({ proposed, reproduced, check }),
  };
}

function agreementOf(args: {
  proposed: string;
  reproduced: string | null;
  check: DeployedCheckJson;
}): string {
  const { proposed, reproduced, check } = args;
  const built =
    reproduced === null
      ? 'no builder has reproduced the module yet'
      : reproduced === proposed
        ? null
        : 'builders reproduced another module than the proposed one';
  let chain: string | null;
  switch (check.state) {
    case 'due':
      chain = 'the deployed module is not read yet';
      break;
    case 'error':
      chain = `the deployed module could not be read (${check.error ?? 'unknown error'})`;
      break;
    case 'no_module':
      chain = `canister ${check.canisterId} runs no module`;
      break;
    case 'differs':
      chain = `canister ${check.canisterId} runs another module than the proposed one`;
      break;
    case 'replaced':
      chain =
        check.replacedBy != null
          ? `was deployed, since replaced by proposal ${check.replacedBy}`
          : `was deployed, since replaced by another module on canister ${check.canisterId}`;
      break;
    case 'deployed':
      chain = null;
  }
  if (built === null && chain === null) return 'proposed = reproduced = deployed';
  if (built !== null && chain === null) return `proposed = deployed; ${built}`;
  if (built === null && chain !== null) return `proposed = reproduced; ${chain}`;
  return `${built}; ${chain}`;
}
