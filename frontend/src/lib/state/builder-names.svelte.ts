/**
 * Builders' display names, read from their profiles as pages show them. The registry has no
 * query for many profiles at once, so each name costs one small `get_builder` call: names are
 * read only for builders a page actually shows, a few at a time, once per visit.
 */
import { untrack } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';

import type { RegistryApi } from '../api/registry.api';
import { nameKey } from '../model/names';

const CONCURRENCY = 4;

export class BuilderNames {
  /** Principal → display name (null: the builder set none). Absent: not read (yet). */
  private readonly names = new SvelteMap<string, string | null>();
  /** Name key → principals using it, among the names read. */
  private readonly holders = new SvelteMap<string, ReadonlySet<string>>();
  private readonly queue: string[] = [];
  private readonly requested = new Set<string>();
  private running = 0;
  /** Names wait for this: a page's own data comes first (one query per name adds up). */
  private gate: Promise<void> = Promise.resolve();

  constructor(private readonly api: Pick<RegistryApi, 'getBuilder'>) {}

  /** The builder's name when read; null when they set none or it is not read yet. */
  name(principal: string): string | null {
    return this.names.get(principal) ?? null;
  }

  /** Another builder read in this visit has the same name (ignoring case and Unicode forms). */
  isShared(principal: string): boolean {
    const name = this.names.get(principal);
    if (name === null || name === undefined) return false;
    return (this.holders.get(nameKey(name))?.size ?? 0) > 1;
  }

  /**
   * Holds name reads back until `work` settles: the proposal page's attestations (up to ten
   * pages of them) matter more than the names shown beside them.
   */
  after(work: Promise<unknown>): void {
    const before = this.gate;
    this.gate = Promise.all([before, work]).then(
      () => {},
      () => {},
    );
  }

  /** Reads the names of these builders (once each). */
  request(principals: Iterable<string>): void {
    for (const p of principals) {
      if (this.requested.has(p)) continue;
      this.requested.add(p);
      this.queue.push(p);
    }
    while (this.running < CONCURRENCY && this.queue.length > 0) {
      this.running++;
      void this.work().finally(() => this.running--);
    }
  }

  /**
   * Records a profile read elsewhere (the builder page reads it anyway). Pages call this from an
   * effect: nothing here is tracked, so recording never re-runs the effect that recorded.
   */
  remember(principal: string, displayName: string | null): void {
    untrack(() => {
      this.requested.add(principal);
      const before = this.names.get(principal);
      if (before === displayName) return;
      if (before !== undefined && before !== null) {
        const key = nameKey(before);
        const rest = new Set(this.holders.get(key));
        rest.delete(principal);
        this.holders.set(key, rest);
      }
      this.names.set(principal, displayName);
      if (displayName !== null) {
        const key = nameKey(displayName);
        this.holders.set(key, new Set([...(this.holders.get(key) ?? []), principal]));
      }
    });
  }

  private async work(): Promise<void> {
    await this.gate;
    for (let p = this.queue.shift(); p !== undefined; p = this.queue.shift()) {
      try {
        const page = await this.api.getBuilder({ builder: p, limit: 1 });
        this.remember(p, page.profile.displayName);
      } catch {
        // Shown by principal; a later visit reads it again.
      }
    }
  }
}
