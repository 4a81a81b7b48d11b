/**
 * Stable memory stored sparsely by 64 KiB page, with copy-on-write transactions: the first
 * write to a page inside a transaction replaces it with a copy and keeps the original, so a
 * rollback is a pointer swap and a committed page object is never written again (it can be
 * handed to the store without copying).
 */

export const STABLE_PAGE_SIZE = 65536;
/** 500 GiB, the replica's maximum stable memory. */
export const MAX_STABLE_PAGES = (500 * 1024 * 1024 * 1024) / STABLE_PAGE_SIZE;

const ZERO_PAGE = new Uint8Array(STABLE_PAGE_SIZE);

export class StableMemory {
  private pages = new Map<number, Uint8Array>();
  private size = 0;
  /** Page contents before the current transaction's first write (undefined: page absent). */
  private journal: Map<number, Uint8Array | undefined> | null = null;
  private journalSize = 0;
  private journalReset = false;
  /** Pages changed by committed transactions and not yet taken by `takeDirty`. */
  private dirty = new Set<number>();
  private resetPending = false;

  /** Size in 64 KiB pages. */
  get sizePages(): number {
    return this.size;
  }

  get inTransaction(): boolean {
    return this.journal !== null;
  }

  begin(): void {
    if (this.journal) throw new Error('stable memory transaction already open');
    this.journal = new Map();
    this.journalSize = this.size;
    this.journalReset = false;
  }

  commit(): void {
    const journal = this.journal;
    if (!journal) throw new Error('no stable memory transaction open');
    if (this.journalReset) {
      this.resetPending = true;
      this.dirty.clear();
    }
    for (const index of journal.keys()) {
      // After a reset the journal also holds the pages it dropped; those are not dirty.
      if (this.pages.has(index)) this.dirty.add(index);
    }
    this.journal = null;
  }

  rollback(): void {
    const journal = this.journal;
    if (!journal) throw new Error('no stable memory transaction open');
    if (this.journalReset) {
      // `reset` moved every page into the journal.
      this.pages.clear();
    }
    for (const [index, page] of journal) {
      if (page === undefined) this.pages.delete(index);
      else this.pages.set(index, page);
    }
    this.size = this.journalSize;
    this.journal = null;
  }

  /** Empties the memory (install and reinstall), inside the open transaction. */
  reset(): void {
    const journal = this.requireTransaction();
    for (const [index, page] of this.pages) {
      if (!journal.has(index)) journal.set(index, page);
    }
    this.pages.clear();
    this.size = 0;
    this.journalReset = true;
  }

  /** Replaces the whole memory (a snapshot being loaded), inside the open transaction. */
  replace(args: { sizePages: number; pages: ReadonlyMap<number, Uint8Array> }): void {
    this.reset();
    const journal = this.requireTransaction();
    for (const [index, page] of args.pages) {
      if (!journal.has(index)) journal.set(index, undefined);
      this.pages.set(index, page);
    }
    this.size = args.sizePages;
  }

  /**
   * The committed pages (a snapshot being taken). Pages are copied on their first write in a
   * transaction, never changed in place afterwards, so sharing them is safe.
   */
  committedPages(): Map<number, Uint8Array> {
    if (this.journal) throw new Error('stable memory has an open transaction');
    return new Map(this.pages);
  }

  /** Returns the old size, or -1 if the new size would exceed the maximum. */
  grow(newPages: number): number {
    const old = this.size;
    if (newPages < 0 || old + newPages > MAX_STABLE_PAGES) return -1;
    this.size = old + newPages;
    return old;
  }

  /** Whether [offset, offset + length) lies inside the memory. */
  inBounds(offset: bigint, length: bigint): boolean {
    return offset + length <= BigInt(this.size) * BigInt(STABLE_PAGE_SIZE);
  }

  /** `inBounds` for offsets and lengths as Numbers (exact below 2^53; larger ones are out). */
  inBoundsBytes(offset: number, length: number): boolean {
    return offset + length <= this.size * STABLE_PAGE_SIZE;
  }

  /**
   * `read` into `heap[at, at + length)` without making views: a page read of the registry makes
   * ~100,000 stable reads, nearly all of 4–64 bytes inside one page, and a view per read was a
   * fifth of the host's time in garbage collection.
   */
  readInto(offset: number, heap: Uint8Array, at: number, length: number): void {
    const index = Math.floor(offset / STABLE_PAGE_SIZE);
    const within = offset - index * STABLE_PAGE_SIZE;
    if (length > 64 || within + length > STABLE_PAGE_SIZE) {
      this.read(offset, heap.subarray(at, at + length));
      return;
    }
    const page = this.pages.get(index) ?? ZERO_PAGE;
    for (let i = 0; i < length; i++) heap[at + i] = page[within + i];
  }

  read(offset: number, dst: Uint8Array): void {
    let done = 0;
    while (done < dst.length) {
      const at = offset + done;
      const index = Math.floor(at / STABLE_PAGE_SIZE);
      const within = at - index * STABLE_PAGE_SIZE;
      const n = Math.min(STABLE_PAGE_SIZE - within, dst.length - done);
      const page = this.pages.get(index) ?? ZERO_PAGE;
      dst.set(page.subarray(within, within + n), done);
      done += n;
    }
  }

  write(offset: number, src: Uint8Array): void {
    const journal = this.requireTransaction();
    let done = 0;
    while (done < src.length) {
      const at = offset + done;
      const index = Math.floor(at / STABLE_PAGE_SIZE);
      const within = at - index * STABLE_PAGE_SIZE;
      const n = Math.min(STABLE_PAGE_SIZE - within, src.length - done);
      let page = this.pages.get(index);
      if (!journal.has(index)) {
        journal.set(index, page);
        page = page ? page.slice() : new Uint8Array(STABLE_PAGE_SIZE);
        this.pages.set(index, page);
      } else if (!page) {
        page = new Uint8Array(STABLE_PAGE_SIZE);
        this.pages.set(index, page);
      }
      page.set(src.subarray(done, done + n), within);
      done += n;
    }
  }

  /**
   * The pages changed since the last call (committed transactions only), and whether the memory
   * was emptied before them.
   */
  takeDirty(): { reset: boolean; pages: { index: number; data: Uint8Array }[] } | undefined {
    if (this.dirty.size === 0 && !this.resetPending) return undefined;
    const pages = [...this.dirty]
      .sort((a, b) => a - b)
      .map((index) => ({ index, data: this.pages.get(index) ?? ZERO_PAGE }));
    const reset = this.resetPending;
    this.dirty.clear();
    this.resetPending = false;
    return { reset, pages };
  }

  /** Number of pages that hold data (touched at least once). */
  get residentPages(): number {
    return this.pages.size;
  }

  /** Restores memory from stored pages (restart); not journaled. */
  static restore(args: { sizePages: number; pages: Iterable<[number, Uint8Array]> }): StableMemory {
    const m = new StableMemory();
    m.size = args.sizePages;
    for (const [index, data] of args.pages) m.pages.set(index, data);
    return m;
  }

  private requireTransaction(): Map<number, Uint8Array | undefined> {
    if (!this.journal) throw new Error('stable memory written outside a transaction');
    return this.journal;
  }
}
