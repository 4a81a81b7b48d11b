/**
 * Trust lists and their summaries in the certified tree (beside `certified-state.ts`, run by its
 * `certify`):
 *
 *   trust_list/<id>/<version>/record   SHA-256 of the version's record text (never changes)
 *   trust_list/<id>/<version>/members  SHA-256 of its members' text (never changes)
 *   trust_list/<id>/status             SHA-256 of {counted_version, counting}
 *   scoped/<list id>/<proposal id>     SHA-256 of the Candid message of the proposal's summary
 *                                      counted over the list's builders, without `certified`
 *
 * (texts: `trust-list-records.ts` in packages/transparency-log). A scoped summary depends on the
 * proposal (everything it shares with everyone's summary) and on the list (its tally, version,
 * name, counting), so the work is queued two ways: a proposal's summaries for every list (its
 * summary was certified again, or the trust-list queue counted a builder's change to it), and a
 * list's summaries for every confirmed proposal (it was published, or its counted version or
 * counting changed). Work waits while the trust-list queue holds uncounted changes: every
 * summary says `up_to_date = false` then, and certifying that would leave it certified after the
 * queue is counted (which re-notes only the proposals it touched). So what is certified is what
 * the lists counted, with `up_to_date` as of then.
 *
 * Store record (in the log's store): 'T' the pending work, JSON.
 */
import { sha256 } from '@repro-registry/attestation';
import type { NodeStore, StoredLabeledTree } from '@repro-registry/certification';
import { LABELS, trustListStatusBytes, u64Label } from '@repro-registry/transparency-log';

/** What the scoped certification reads from the registry. */
export interface ScopeSource {
  /** Ids of the trust lists, ascending. */
  trustListIds(): bigint[];
  /** A list's newest version and counting status; undefined for an unknown list. */
  trustList(id: bigint): { version: number; countedVersion: number; counting: boolean } | undefined;
  /** A version's certified texts: its record and its members. */
  trustListVersion(
    id: bigint,
    version: number,
  ): { record: Uint8Array; members: Uint8Array } | undefined;
  /** Confirmed proposals at positions `start`.. of the ascending list, at most `length`. */
  confirmedProposalIds(start: number, length: number): bigint[];
  confirmed(proposalId: bigint): boolean;
  /** The scoped summary's Candid message (`CertifiedSummaryShape`); null when it has none. */
  scopedSummaryMessage(listId: bigint, proposalId: bigint): Uint8Array | null;
  /** The trust-list queue is empty: every stored change is counted by the lists. */
  listsCounted(): boolean;
}

interface ScopeWork {
  /** Existing lists were queued once (install, or the upgrade that brought this code). */
  started: boolean;
  /** Versions whose record and members are to be certified: [list id, version]. */
  versions: [string, number][];
  /** Lists whose status and summaries (from position `next` of the confirmed proposals) are due. */
  lists: { id: string; next: number }[];
  /** Proposals whose summaries are due for every list. */
  proposals: string[];
}

const WORK_KEY = Uint8Array.of(0x54);
/** Proposals of a list certified between two budget checks. */
const LIST_CHUNK = 20;

const versionPath = (id: bigint, version: number, part: string) => [
  LABELS.trustList,
  u64Label(id),
  u64Label(version),
  part,
];

export class ScopedCertification {
  constructor(
    private readonly store: NodeStore,
    private readonly tree: StoredLabeledTree,
    private readonly source: ScopeSource,
  ) {}

  private work(): ScopeWork {
    const bytes = this.store.get(WORK_KEY);
    return bytes === undefined
      ? { started: false, versions: [], lists: [], proposals: [] }
      : (JSON.parse(new TextDecoder().decode(bytes)) as ScopeWork);
  }

  private save(work: ScopeWork): void {
    this.store.insert(WORK_KEY, new TextEncoder().encode(JSON.stringify(work)));
  }

  /**
   * Whether work can be done now: summaries wait for the trust-list queue (the message that
   * counts it notes what it changed). The first certification after install or upgrade queues
   * the lists stored before (`started`).
   */
  hasWork(): boolean {
    const w = this.work();
    if (w.versions.length > 0) return true;
    return w.lists.length + w.proposals.length > 0 && this.source.listsCounted();
  }

  /**
   * What changed for readers: a list's new version (`published`), lists whose counted version or
   * counting changed, proposals the trust-list queue counted changes to.
   */
  note(changes: {
    published?: { id: bigint; version: number };
    lists?: Iterable<bigint>;
    proposals?: Iterable<bigint>;
  }): void {
    const work = this.work();
    const { published } = changes;
    if (published !== undefined) {
      work.versions.push([published.id.toString(), published.version]);
      queueList(work, published.id.toString());
    }
    for (const id of changes.lists ?? []) queueList(work, id.toString());
    for (const id of changes.proposals ?? []) queueProposal(work, id.toString());
    this.save(work);
  }

  /**
   * Certifies what is due while `more()` allows. `proposals`: proposals whose summary (everyone)
   * was certified again in this message: their scoped summaries share its fields.
   */
  certify(proposals: Iterable<bigint>, more: () => boolean): void {
    const source = this.source;
    const work = this.work();
    for (const id of proposals) if (source.confirmed(id)) queueProposal(work, id.toString());
    if (!work.started) {
      // Lists published before this code: every version, status and summary, in id order.
      for (const id of source.trustListIds()) {
        const list = source.trustList(id);
        for (let v = 1; v <= (list?.version ?? 0); v++) work.versions.push([id.toString(), v]);
        queueList(work, id.toString());
      }
      work.started = true;
    }
    while (work.versions.length > 0 && more()) {
      const [id, version] = work.versions[0];
      const texts = source.trustListVersion(BigInt(id), version);
      if (texts !== undefined) {
        this.tree.set(versionPath(BigInt(id), version, LABELS.record), sha256(texts.record));
        this.tree.set(versionPath(BigInt(id), version, LABELS.members), sha256(texts.members));
      }
      work.versions.shift();
    }
    if (source.listsCounted()) {
      this.certifyLists(source, work, more);
      this.certifyProposals(source, work, more);
    }
    this.save(work);
  }

  private certifyLists(source: ScopeSource, work: ScopeWork, more: () => boolean): void {
    while (work.lists.length > 0 && more()) {
      const task = work.lists[0];
      const id = BigInt(task.id);
      const list = source.trustList(id);
      if (list === undefined) {
        work.lists.shift();
        continue;
      }
      if (task.next === 0) {
        const status = trustListStatusBytes({
          counted_version: list.countedVersion,
          counting: list.counting,
        });
        this.tree.set([LABELS.trustList, u64Label(id), LABELS.status], sha256(status));
      }
      const ids = source.confirmedProposalIds(task.next, LIST_CHUNK);
      for (const proposalId of ids) this.certifyScoped(source, id, proposalId);
      task.next += ids.length;
      if (ids.length < LIST_CHUNK) work.lists.shift();
    }
  }

  private certifyProposals(source: ScopeSource, work: ScopeWork, more: () => boolean): void {
    if (work.proposals.length === 0) return;
    const lists = source.trustListIds();
    while (work.proposals.length > 0 && more()) {
      const proposalId = BigInt(work.proposals[0]);
      for (const id of lists) this.certifyScoped(source, id, proposalId);
      work.proposals.shift();
    }
  }

  private certifyScoped(source: ScopeSource, listId: bigint, proposalId: bigint): void {
    const path = [LABELS.scoped, u64Label(listId), u64Label(proposalId)];
    const message = source.scopedSummaryMessage(listId, proposalId);
    if (message === null) this.tree.delete(path);
    else this.tree.set(path, sha256(message));
  }
}

function queueList(work: ScopeWork, id: string): void {
  const task = work.lists.find((t) => t.id === id);
  if (task === undefined) work.lists.push({ id, next: 0 });
  else task.next = 0;
}

function queueProposal(work: ScopeWork, id: string): void {
  if (!work.proposals.includes(id)) work.proposals.push(id);
}
