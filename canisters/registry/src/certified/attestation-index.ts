/**
 * The certified index of each proposal's attestations, so a page of `list_attestations` is
 * provably complete (a node cannot leave one out, nor lower `total` or move `next_cursor`):
 *
 *   proposal_attestation_count/<proposal>    u64: attestations the proposal holds
 *   proposal_attestations/<proposal>/<chunk> the ids (u64 each) that arrived at positions
 *                                            16·chunk … 16·chunk + 15 (from 0), in order
 *
 * Positions are kept 16 to an entry (`POSITIONS_PER_CHUNK`): a page's proof then reveals one
 * entry per 16 items (a page of 100 shows 7–8), where one entry per position cost ~0.85 M
 * instructions each to prove. New labels beside the existing ones (the attestation records and the log stay byte-identical).
 * Positions only grow (a proposal's attestations are never removed: superseded and hidden ones
 * stay listed), so certification adds the positions after the count it certified last. Data
 * stored before the index existed is indexed by a sweep over every proposal, resumed across
 * certification messages (`more()`): until a proposal is indexed its pages fail verification,
 * as in the one-message lag after an update.
 *
 * Log store: 'I' — the sweep's state, `{ next: proposal id | null }` (null: done).
 */
import { utf8Decode, utf8Encode } from '@repro-registry/attestation';
import type { NodeStore, StoredLabeledTree } from '@repro-registry/certification';
import {
  LABELS,
  POSITIONS_PER_CHUNK,
  u64FromLabel,
  u64Label,
} from '@repro-registry/transparency-log';

import type { RegistryStore } from '../core/store';
import { compositeKey, u64FromKey, u64Key } from '../core/tables';

/** What the index reads from the registry. */
export interface AttestationIndexSource {
  /** How many attestations the proposal holds (0 when unknown). */
  proposalAttestationCount(proposalId: bigint): bigint;
  /** The id of the proposal's attestation at arrival `position` (from 0). */
  attestationAt(proposalId: bigint, position: bigint): bigint | undefined;
  proposalIds(): bigint[];
}

export function attestationIndexSource(
  registry: RegistryStore,
): Omit<AttestationIndexSource, 'proposalIds'> {
  return {
    proposalAttestationCount: (id) => proposalAttestationCountIn(registry, id),
    attestationAt: (id, position) => attestationAtIn(registry, id, position),
  };
}

export const proposalAttestationCountIn = (registry: RegistryStore, id: bigint): bigint =>
  BigInt(registry.proposalRecord(id)?.attestationCount ?? 0);

export function attestationAtIn(
  registry: RegistryStore,
  id: bigint,
  position: bigint,
): bigint | undefined {
  const key = registry.tables.proposalAttestations.get(compositeKey(u64Key(id), Number(position)));
  return key === undefined ? undefined : u64FromKey(key);
}

const SWEEP_KEY = Uint8Array.of(0x49);

/** Whether proposals wait to be indexed (a sweep not finished, or never started). */
export function attestationIndexPending(store: NodeStore): boolean {
  const saved = store.get(SWEEP_KEY);
  return saved === undefined || (JSON.parse(utf8Decode(saved)) as { next: unknown }).next !== null;
}

/** Paths a page's proof reveals: the count, and the chunks of positions `end - items` to `end`. */
export function attestationPagePaths(args: {
  proposalId: bigint;
  end: bigint;
  items: number;
}): (string | Uint8Array)[][] {
  const proposal = u64Label(args.proposalId);
  const paths: (string | Uint8Array)[][] = [[LABELS.proposalAttestationCount, proposal]];
  if (args.items === 0) return paths;
  const first = (args.end - BigInt(args.items)) / POSITIONS_PER_CHUNK;
  const last = (args.end - 1n) / POSITIONS_PER_CHUNK;
  for (let chunk = first; chunk <= last; chunk++) {
    paths.push([LABELS.proposalAttestations, proposal, u64Label(chunk)]);
  }
  return paths;
}

/** Indexes one proposal's new positions while `more()`; true when it is indexed up to date. */
function indexProposal(
  tree: StoredLabeledTree,
  source: AttestationIndexSource,
  id: bigint,
  more: () => boolean,
): boolean {
  const proposal = u64Label(id);
  const certified = tree.get([LABELS.proposalAttestationCount, proposal]);
  const from = certified === undefined ? 0n : u64FromLabel(certified);
  const count = source.proposalAttestationCount(id);
  let position = from;
  while (position < count && more()) {
    // The chunk holding `position`: the ids certified before it, then the new ones.
    const chunk = position / POSITIONS_PER_CHUNK;
    const start = chunk * POSITIONS_PER_CHUNK;
    const stop = count < start + POSITIONS_PER_CHUNK ? count : start + POSITIONS_PER_CHUNK;
    const path = [LABELS.proposalAttestations, proposal, u64Label(chunk)];
    const value = new Uint8Array(Number(stop - start) * 8);
    value.set((tree.get(path) ?? new Uint8Array(0)).subarray(0, Number(position - start) * 8));
    let filled = position;
    for (; filled < stop; filled++) {
      const attestation = source.attestationAt(id, filled);
      if (attestation === undefined) break;
      value.set(u64Label(attestation), Number(filled - start) * 8);
    }
    tree.set(path, value.subarray(0, Number(filled - start) * 8));
    const stuck = filled < stop;
    position = filled;
    if (stuck) break;
  }
  if (certified === undefined || position !== from) {
    tree.set([LABELS.proposalAttestationCount, proposal], u64Label(position));
  }
  return position === count;
}

/**
 * In the certification message: indexes the proposals whose attestations changed, and sweeps
 * the proposals stored before the index existed (or left behind by a message out of budget).
 */
export function certifyAttestationIndex(args: {
  tree: StoredLabeledTree;
  store: NodeStore;
  source: AttestationIndexSource;
  proposals: Iterable<bigint>;
  more: () => boolean;
}): void {
  const { tree, store, source, more } = args;
  const saved = store.get(SWEEP_KEY);
  let sweep: bigint | null =
    saved === undefined
      ? 0n
      : ((n: string | null) => (n === null ? null : BigInt(n)))(
          (JSON.parse(utf8Decode(saved)) as { next: string | null }).next,
        );
  for (const id of args.proposals) {
    // A proposal left behind is swept again from there.
    if (!indexProposal(tree, source, id, more) && (sweep === null || id < sweep)) sweep = id;
  }
  if (sweep !== null) {
    let next: bigint | null = null;
    for (const id of source.proposalIds()) {
      if (id < sweep) continue;
      if (!more() || !indexProposal(tree, source, id, more)) {
        next = id;
        break;
      }
    }
    sweep = next;
  }
  const text = JSON.stringify({ next: sweep === null ? null : sweep.toString() });
  if (saved === undefined || utf8Decode(saved) !== text) store.insert(SWEEP_KEY, utf8Encode(text));
}
