/**
 * The order of reads while a page opens. A replica answers a canister's queries one after
 * another, so what the page is about (a proposal's attestations) must not queue behind what can
 * wait: the footer's registry facts, the log checkpoint, the trust-list menu. Each of those also
 * costs the main thread a BLS certificate check. A page holds the order while its own data
 * loads; deferred reads start once every hold has settled, and at the latest after `maxWaitMs`
 * (a page that never finishes loading does not hide the footer for good).
 */
export class ReadOrder {
  private holds = 0;
  private waiting: (() => void)[] = [];

  constructor(private readonly options: { maxWaitMs?: number } = {}) {}

  /** Deferred reads wait until `work` settles. */
  hold(work: Promise<unknown>): void {
    this.holds++;
    const release = () => {
      this.holds--;
      this.drain();
    };
    work.then(release, release);
  }

  /**
   * Runs `read` once nothing holds the order. Decided after the current task, so a page that
   * holds the order while it mounts is waited for even when its sibling asked first.
   */
  later(read: () => unknown): void {
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      void read();
    };
    this.waiting.push(run);
    setTimeout(() => this.drain(), 0);
    setTimeout(run, this.options.maxWaitMs ?? 5000);
  }

  private drain(): void {
    if (this.holds > 0) return;
    const ready = this.waiting;
    this.waiting = [];
    for (const run of ready) run();
  }
}
