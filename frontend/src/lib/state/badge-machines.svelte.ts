/**
 * The machines behind a badge. The registry's summary says how many kinds of machine each hash
 * group ran on, not which; when a list badge's verdict depends on it (reproduced with outliers,
 * or a split — see `needsEnvironments`), this reads that proposal's attestations once (their
 * hashes and machines from the envelopes, unverified) so the badge applies the same rule as the
 * proposal page.
 */
import { SvelteMap } from 'svelte/reactivity';

import { readListed, type RegistryApi } from '../api/registry.api';
import { environmentsByHash, type GroupEnvironments } from '../model/tally';
import type { Attestation, ProposalSummary } from '../model/types';

/** Pages of 100 read at most per proposal; beyond that the machines stay unknown. */
const MAX_PAGES = 5;

export class BadgeMachines {
  /** Per proposal (and attestation count, so a new attestation reads again): machines per hash. */
  private readonly known = new SvelteMap<string, ReadonlyMap<string, GroupEnvironments> | null>();
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly api: RegistryApi,
    private readonly members: () => ReadonlySet<string> | null = () => null,
  ) {}

  private key(summary: ProposalSummary): string {
    return `${summary.proposalId}:${summary.attestationCount}:${summary.hiddenCount}`;
  }

  /** Machines per hash when read (null: not read, or too many to read). */
  get(summary: ProposalSummary, kind: string): ReadonlyMap<string, GroupEnvironments> | null {
    const found = this.known.get(`${this.key(summary)}:${kind}`);
    return found ?? null;
  }

  /** Reads the machines of a proposal's builders unless read or being read. */
  request(summary: ProposalSummary, kind: string): void {
    const key = `${this.key(summary)}:${kind}`;
    if (this.known.has(key) || this.inFlight.has(key)) return;
    this.inFlight.add(key);
    void this.read(summary.proposalId)
      .then((attestations) => {
        this.known.set(
          key,
          attestations === null ? null : environmentsByHash(attestations, kind, this.members()),
        );
      })
      .catch(() => {
        // The badge keeps saying the machines are not known; the next summary change retries.
      })
      .finally(() => this.inFlight.delete(key));
  }

  private async read(proposalId: bigint): Promise<Attestation[] | null> {
    const all: Attestation[] = [];
    let cursor: bigint | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await this.api.listAttestations({
        proposalId,
        limit: 100,
        ...(cursor === undefined ? {} : { cursor }),
      });
      all.push(...result.attestations.map((a) => readListed(a, proposalId)));
      if (result.nextCursor === null) return all;
      cursor = result.nextCursor;
    }
    return null;
  }
}
