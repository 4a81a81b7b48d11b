/**
 * The release's other sources of a hash in the real wasm (issue 12): what sources cost at
 * submit, and the proposal's summary saying that the proposal's second URL served other bytes.
 */
import type { ArtifactSource } from '@repro-registry/attestation';
import type * as T from '@repro-registry/client';
import { beforeAll, describe, expect, it } from 'vitest';

import { COMMIT, GUESTOS_HASH, artifact, hashOf, predicate, sign, testBuilder } from './builders';
import { startWithGovernance } from './governance-standin';
import type { RegistryUnderTest } from './harness';
import { CONTROLLER, okOf } from './harness';

const P = 910001n;
const SUBMIT_BUDGET = 300_000_000n;
// The URLs repro-check reads (ci/tools/repro-check at dfinity/ic@653da0da).
const dir = `ic/${COMMIT}/guest-os/update-img`;
const cdn = (host: string, file: string) => `https://${host}/${dir}/${file}`;

describe("the release's other sources (real wasm)", () => {
  let registry: RegistryUnderTest;
  beforeAll(async () => {
    ({ registry } = await startWithGovernance({ instrumented: true, confirmed: [P] }));
  });

  const submit = async (seed: string, sources: ArtifactSource[], note?: string) => {
    const builder = testBuilder(seed);
    const envelope = sign(
      builder,
      predicate({
        proposalId: P.toString(),
        artifacts: [artifact({ kind: 'guestos', ...(sources.length > 0 ? { sources } : {}) })],
        ...(note === undefined ? {} : { note }),
      }),
    );
    const receipt = okOf(
      await registry.call<{ Ok: T.SubmitReceipt } | { Err: T.RegistryError }>(
        'submit',
        [{ envelope }],
        builder.principal,
      ),
    );
    return { receipt, instructions: registry.lastInstructions ?? 0n };
  };
  const summary = async () =>
    okOf(await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [P]));

  it('8 sources within the submit budget; a second URL serving other bytes flags the proposal', async () => {
    const agreeing: ArtifactSource[] = [
      {
        kind: 'sha256sums',
        url: cdn('download.dfinity.systems', 'SHA256SUMS'),
        sha256: GUESTOS_HASH,
      },
      {
        kind: 'sha256sums',
        url: cdn('download.dfinity.network', 'SHA256SUMS'),
        sha256: GUESTOS_HASH,
      },
      {
        kind: 'package_url',
        url: cdn('download.dfinity.systems', 'update-img.tar.zst'),
        sha256: GUESTOS_HASH,
      },
    ];
    const none = await submit('sources-0', []);
    const first = await submit('sources-1', agreeing);
    expect((await summary()).sources_disagree).toBe(false);

    const eight: ArtifactSource[] = [
      ...agreeing.slice(0, 2),
      {
        kind: 'package_url',
        url: cdn('download.dfinity.network', 'update-img.tar.zst'),
        sha256: hashOf('other bytes'),
      },
      ...Array.from({ length: 5 }, (_, i) => ({
        kind: 'package_url' as const,
        url: cdn(`mirror-${i}.example.org`, 'update-img.tar.zst'),
        sha256: GUESTOS_HASH,
      })),
    ];
    const second = await submit('sources-2', eight);
    const noted = await submit('sources-note', [], 'x'.repeat(JSON.stringify(eight).length));
    console.log(`the same bytes as a note: ${noted.instructions}`);
    console.log(
      `submit instructions: no sources ${none.instructions}, 3 sources ${first.instructions}, 8 sources ${second.instructions}`,
    );
    // What repro-check downloads by default (one CDN's SHA256SUMS, the proposal's URLs) fits the
    // budget; beyond that a source costs what any envelope byte costs (a note as long as the 8
    // sources costs the same), ~12 M per source: the sources' own handling adds under 10 M
    // (with the one `sources_disagree` event this submission raises).
    expect(first.instructions).toBeLessThanOrEqual(SUBMIT_BUDGET);
    expect(second.instructions).toBeLessThanOrEqual(noted.instructions + 10_000_000n);
    const s = await summary();
    expect(s.sources_disagree).toBe(true);
    expect(s.release_sources).toHaveLength(9);
    expect(s.release_sources.find((r) => r.agrees[0] === false)).toEqual({
      kind: 'guestos',
      source: 'package_url',
      url: cdn('download.dfinity.network', 'update-img.tar.zst'),
      sha256: [hashOf('other bytes')],
      builder_count: 1n,
      agrees: [false],
    });
    expect(s.release_sources[0]).toMatchObject({
      source: 'sha256sums',
      builder_count: 2n,
      agrees: [true],
    });

    // A controller hides the report: the flag goes with it.
    okOf(
      await registry.call(
        'hide_attestation',
        [{ attestation_id: second.receipt.attestation_id, reason: 'test' }],
        CONTROLLER,
      ),
    );
    expect((await summary()).sources_disagree).toBe(false);
  });
});
