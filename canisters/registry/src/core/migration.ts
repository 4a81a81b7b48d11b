/**
 * Stable layout 1 → 2, run by post_upgrade. Layout 1 counted every attestation at once and
 * superseded whole attestations; layout 2 confirms proposals on chain first, counts per
 * artifact, and keeps environment classes in its aggregates. Nothing stored is changed or
 * lost: records gain fields with defaults (`current` reads as "not superseded"), and each
 * proposal's aggregate is rebuilt by the bounded walk (`walkSome`) as if its attestations
 * arrived again, in order, under the new rules.
 */
import type { ProposalRecordJson } from './records';
import { isReproducible, setPending } from './proposals';
import type { RegistryStore } from './store';
import { LAYOUT, RENDERING_SHAPE, proposalState } from './store';
import { nameKey, normalizeName } from './names';
import { u64FromKey, u64Key } from './tables';

const NOTHING = new Uint8Array();

/** Marks a fresh registry as having the current layout (init). */
export function markCurrentLayout(store: RegistryStore): void {
  const meta = store.meta();
  if (meta.layout === undefined) {
    meta.layout = LAYOUT;
    meta.renderingShape = RENDERING_SHAPE;
    store.saveMeta(meta);
  }
}

/** Brings older state to the current layout and renderings; returns whether anything changed. */
export function migrate(store: RegistryStore): boolean {
  const layout = migrateLayout(store);
  const renderings = redoRenderings(store);
  return layout || renderings;
}

/**
 * Renderings of another shape (`RENDERING_SHAPE`) are redone by the bounded walk, proposal by
 * proposal; until then a read renders the attestation it needs itself.
 */
function redoRenderings(store: RegistryStore): boolean {
  if ((store.meta().renderingShape ?? 0) === RENDERING_SHAPE) return false;
  const proposals = store.tables.proposals;
  for (const key of proposals.keys(0, proposals.len())) {
    const proposal = store.proposalRecord(u64FromKey(key)) as ProposalRecordJson;
    if (proposal.attestationCount === 0 || proposal.renderCursor !== null) continue;
    proposal.renderCursor = 0;
    store.saveProposal(proposal);
    const meta = store.meta();
    if (!meta.staleRenderings.includes(proposal.id)) {
      meta.staleRenderings.push(proposal.id);
      store.saveMeta(meta);
    }
  }
  const meta = store.meta();
  meta.renderingShape = RENDERING_SHAPE;
  store.saveMeta(meta);
  return true;
}

function migrateLayout(store: RegistryStore): boolean {
  const before = store.meta();
  if ((before.layout ?? 1) >= LAYOUT) return false;
  const proposals = store.tables.proposals;
  for (const key of proposals.keys(0, proposals.len())) {
    const proposal = store.proposalRecord(u64FromKey(key)) as ProposalRecordJson;
    migrateProposal(store, proposal);
    store.saveProposal(proposal);
  }
  // Display names chosen before names were unique: the first holder keeps the name's key.
  const builders = store.tables.builders;
  for (const key of builders.keys(0, builders.len())) {
    const builder = builders.get(key);
    const name = builder?.displayName ?? null;
    if (builder === undefined || name === null) continue;
    const normalized = normalizeName(name);
    const nk = nameKey(normalized);
    if (!store.tables.names.containsKey(nk))
      store.tables.names.insert(nk, { kind: 'builder', id: builder.principal });
  }
  const meta = store.meta();
  meta.layout = LAYOUT;
  store.saveMeta(meta);
  return true;
}

function migrateProposal(store: RegistryStore, proposal: ProposalRecordJson): void {
  proposal.cells = [];
  proposal.commits = {};
  proposal.currentBuilders = 0;
  proposal.recounting = false;
  const onChain = proposal.onChain;
  if (onChain !== null && !isReproducible(onChain)) {
    proposal.rejection = {
      code: 'PROPOSAL_NOT_ICOS_ELECTION',
      reason: `proposal ${proposal.id} does not elect an IC-OS version: there is nothing to reproduce`,
    };
    proposal.sync.final = true;
  }
  const state = proposalState(proposal);
  if (state === 'confirmed') {
    store.tables.confirmedProposals.insert(u64Key(BigInt(proposal.id)), NOTHING);
    proposal.recounting = proposal.attestationCount > 0;
    if (!proposal.sync.final) {
      const meta = store.meta();
      meta.openProposals = [...(meta.openProposals ?? []), proposal.id];
      store.saveMeta(meta);
    }
  } else if (state === 'pending') {
    setPending(store, proposal.id, true);
  }
  // Every rendering shows new fields (held, rejection, per-artifact counting): redo them all.
  if (proposal.attestationCount > 0) {
    proposal.renderCursor = 0;
    const meta = store.meta();
    if (!meta.staleRenderings.includes(proposal.id)) {
      meta.staleRenderings.push(proposal.id);
      store.saveMeta(meta);
    }
  }
}
