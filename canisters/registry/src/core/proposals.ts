/**
 * Proposals as governance tells them: confirming a proposal (its held attestations are then
 * checked and counted), rejecting one that does not exist or elects nothing to reproduce, the
 * walk that recounts and re-renders a proposal's attestations in bounded chunks, and which
 * proposals the refresh timer reads.
 */
import { noteExecution } from './deployed';
import { isReproducible } from './families';
import type { ReadOutcome } from './governance';
import { countAttestation, rejectionOf } from './counting';
import type { OnChainProposalJson, ProposalRecordJson, ProposalRejectionJson } from './records';
import type { RegistryStore } from './store';
import { RecordCache, newProposal, proposalState } from './store';
import { compositeKey, u64FromKey, u64Key } from './tables';

/** Timer reads of governance an unconfirmed proposal gets (then only `sync_proposal` reads it). */
export const PENDING_TIMER_READS = 10;

const NOTHING = new Uint8Array();

export { isReproducible };

function unsupported(proposalId: bigint, onChain: OnChainProposalJson): ProposalRejectionJson {
  const title = onChain.title ? ` ("${onChain.title}")` : '';
  return {
    code: 'PROPOSAL_NOT_ICOS_ELECTION',
    reason:
      onChain.kind === 'icos_election'
        ? `proposal ${proposalId}${title} elects no IC-OS version (it only unelects): there is nothing to reproduce`
        : `proposal ${proposalId}${title} neither elects an IC-OS version nor installs or publishes a canister module: there is nothing to reproduce`,
  };
}

/**
 * Records the outcome of reading a proposal from governance. A proposal nobody attested is
 * stored only when it is one to reproduce (so reading arbitrary ids stores nothing). Returns the
 * record, or null when nothing is stored.
 */
export function recordProposalRead(
  store: RegistryStore,
  args: { proposalId: bigint; now: bigint; outcome: ReadOutcome },
): ProposalRecordJson | null {
  const { proposalId, outcome } = args;
  const existing = store.proposalRecord(proposalId);
  if (existing === undefined && (!outcome.ok || !isReproducible(outcome.onChain))) return null;
  const proposal = existing ?? newProposal(proposalId);
  if (proposalState(proposal) === 'rejected') return proposal;

  const now = args.now.toString();
  proposal.sync.lastAttemptAt = now;
  proposal.sync.attempts = (proposal.sync.attempts ?? 0) + 1;
  const wasPending = proposalState(proposal) === 'pending';
  if (outcome.ok) {
    proposal.sync.state = 'ok';
    proposal.sync.lastSuccessAt = now;
    proposal.sync.error = null;
    if (wasPending && !isReproducible(outcome.onChain)) {
      proposal.onChain = outcome.onChain;
      reject(store, proposal, unsupported(proposalId, outcome.onChain));
    } else {
      proposal.onChain = outcome.onChain;
      const status = outcome.onChain.status;
      proposal.sync.final = status !== 'open' && status !== 'unknown';
      if (wasPending) confirm(store, proposal);
      setOpen(store, proposal.id, !proposal.sync.final);
      // An executed canister install: what its target runs is read next (`deployed.ts`).
      noteExecution(store, proposal);
    }
  } else {
    proposal.sync.state = 'error';
    proposal.sync.error = outcome.error;
    if (wasPending && outcome.final) {
      reject(store, proposal, {
        code: outcome.absent ? 'PROPOSAL_NOT_ON_CHAIN' : 'PROPOSAL_NOT_ICOS_ELECTION',
        reason: outcome.error,
      });
    }
  }
  store.saveProposal(proposal);
  return proposal;
}

/** Confirmed: listed from now on, and its held attestations are checked and counted. */
function confirm(store: RegistryStore, proposal: ProposalRecordJson): void {
  store.tables.confirmedProposals.insert(u64Key(BigInt(proposal.id)), NOTHING);
  setPending(store, proposal.id, false);
  proposal.rejection = null;
  if (proposal.attestationCount > 0) {
    proposal.recounting = true;
    proposal.renderCursor = 0;
    walkSome(store, proposal, store.rerenderPerMessage);
  }
}

/** Rejected: held attestations stay in the history, marked with the reason; none counts. */
function reject(
  store: RegistryStore,
  proposal: ProposalRecordJson,
  rejection: ProposalRejectionJson,
): void {
  setPending(store, proposal.id, false);
  proposal.rejection = rejection;
  proposal.sync.final = true;
  proposal.recounting = false;
  if (proposal.attestationCount > 0) {
    proposal.renderCursor = 0;
    walkSome(store, proposal, store.rerenderPerMessage);
  }
}

export function setPending(store: RegistryStore, id: string, pending: boolean): void {
  const meta = store.meta();
  const list = meta.pendingProposals ?? [];
  if (list.includes(id) === pending) return;
  meta.pendingProposals = pending ? [...list, id] : list.filter((x) => x !== id);
  store.saveMeta(meta);
}

function setOpen(store: RegistryStore, id: string, open: boolean): void {
  const meta = store.meta();
  const list = meta.openProposals ?? [];
  if (list.includes(id) === open) return;
  meta.openProposals = open ? [...list, id] : list.filter((x) => x !== id);
  store.saveMeta(meta);
}

/**
 * Walks up to `max` of the proposal's attestations from its `renderCursor`: counts each (when
 * `recounting`) and redoes its stored rendering. Returns how many it walked; the caller saves
 * the proposal.
 */
export function walkSome(store: RegistryStore, proposal: ProposalRecordJson, max: number): number {
  const start = proposal.renderCursor;
  if (start === null) return 0;
  if (!store.renders && proposal.recounting !== true) {
    proposal.renderCursor = null;
    return 0;
  }
  const key = u64Key(BigInt(proposal.id));
  const end = Math.min(proposal.attestationCount, start + max);
  const records = new RecordCache(store);
  const onChain = proposal.onChain;
  for (let seq = start; seq < end; seq++) {
    const idKey = store.tables.proposalAttestations.get(compositeKey(key, seq)) as Uint8Array;
    const record = records.touch(u64FromKey(idKey).toString());
    // Counted and rendered as reached: what the walk has passed is no longer held.
    proposal.renderCursor = seq + 1;
    if (proposal.recounting !== true || onChain === null) continue;
    const rejection = record.rejection ?? rejectionOf(record, onChain);
    if (rejection !== null) {
      if (record.rejection == null) proposal.rejectedCount = (proposal.rejectedCount ?? 0) + 1;
      record.rejection = rejection;
      for (const a of record.artifacts) a.current = false;
    } else {
      countAttestation({ store, proposal, records }, record);
    }
  }
  const done = end - start;
  const finished = end >= proposal.attestationCount;
  proposal.renderCursor = finished ? null : end;
  if (finished) proposal.recounting = false;
  records.saveAll(proposal);
  const meta = store.meta();
  const queued = meta.staleRenderings.includes(proposal.id);
  if (!finished && !queued) meta.staleRenderings.push(proposal.id);
  if (finished && queued)
    meta.staleRenderings = meta.staleRenderings.filter((id) => id !== proposal.id);
  if (queued !== meta.staleRenderings.includes(proposal.id)) store.saveMeta(meta);
  return done;
}

/** Continues unfinished walks, at most `max` attestations per call (the refresh timer calls it). */
export function walkStale(store: RegistryStore, max: number): number {
  let done = 0;
  for (const id of [...store.meta().staleRenderings]) {
    if (done >= max) break;
    const proposal = store.proposalRecord(BigInt(id)) as ProposalRecordJson;
    done += walkSome(store, proposal, max - done);
    store.saveProposal(proposal);
  }
  return done;
}

/** Up to `max` confirmed proposals still open for voting, round robin from `meta.refreshCursor`. */
export function openProposalsToRefresh(store: RegistryStore, max: number): bigint[] {
  const meta = store.meta();
  const open = meta.openProposals ?? [];
  if (open.length === 0 || max <= 0) return [];
  const start = Number(meta.refreshCursor) % open.length;
  const due: bigint[] = [];
  for (let i = 0; i < Math.min(max, open.length); i++)
    due.push(BigInt(open[(start + i) % open.length]));
  meta.refreshCursor = ((start + due.length) % open.length).toString();
  store.saveMeta(meta);
  return due;
}

/**
 * Up to `max` unconfirmed proposals to read, round robin; each gets `PENDING_TIMER_READS` timer
 * reads at most, so ids governance never answers for cost a bounded number of calls.
 */
export function pendingProposalsToRead(store: RegistryStore, max: number): bigint[] {
  const meta = store.meta();
  const pending = meta.pendingProposals ?? [];
  if (pending.length === 0 || max <= 0) return [];
  const start = (meta.pendingCursor ?? 0) % pending.length;
  const due: bigint[] = [];
  let visited = 0;
  for (; visited < pending.length && due.length < max; visited++) {
    const id = pending[(start + visited) % pending.length];
    const p = store.proposalRecord(BigInt(id));
    if (p !== undefined && (p.sync.attempts ?? 0) < PENDING_TIMER_READS) due.push(BigInt(id));
  }
  meta.pendingCursor = (start + visited) % pending.length;
  store.saveMeta(meta);
  return due;
}
