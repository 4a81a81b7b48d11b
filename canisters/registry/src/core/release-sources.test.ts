import type { ArtifactSource } from '@repro-registry/attestation';
import { describe, expect, it } from 'vitest';

import {
  COMMIT,
  GUESTOS_HASH,
  artifact,
  hashOf,
  predicate,
  testBuilder,
} from '../../test/builders';
import { T0, accepted, confirm, newRegistry, submit } from '../../test/core-support';
import { candidReleaseSources } from '../replies-sources';
import type { Registry } from './registry';
import { SOURCE_REPORTS_PER_PROPOSAL } from './release-sources';

const P = 134567n;
// The URLs repro-check reads (ci/tools/repro-check at dfinity/ic@653da0da).
const dir = `ic/${COMMIT}/guest-os/update-img`;
const SUMS = `https://download.dfinity.systems/${dir}/SHA256SUMS`;
const SYSTEMS = `https://download.dfinity.systems/${dir}/update-img.tar.zst`;
const NETWORK = `https://download.dfinity.network/${dir}/update-img.tar.zst`;
const OTHER = hashOf('other bytes served by the second URL');

function withSources(sources: ArtifactSource[]) {
  return predicate({ artifacts: [artifact({ kind: 'guestos', sources })] });
}
const agreeing = (): ArtifactSource[] => [
  { kind: 'sha256sums', url: SUMS, sha256: GUESTOS_HASH },
  { kind: 'package_url', url: SYSTEMS, sha256: GUESTOS_HASH },
  { kind: 'package_url', url: NETWORK, sha256: GUESTOS_HASH },
];
const controller = { principal: testBuilder('controller').principal, isController: true };

function sourcesOf(r: Registry) {
  const summary = r.summary(P);
  if (!summary.ok) throw new Error(summary.error.code);
  return candidReleaseSources(summary.value.record, summary.value.consensus);
}

describe("the release's other sources of the hash, per proposal", () => {
  it('agreeing sources: listed with their builders, no disagreement', () => {
    const r = newRegistry();
    confirm(r, P);
    accepted(submit(r, testBuilder('alice'), withSources(agreeing())));
    accepted(submit(r, testBuilder('bob'), withSources(agreeing().slice(0, 1))));
    const { release_sources, sources_disagree } = sourcesOf(r);
    expect(sources_disagree).toBe(false);
    expect(release_sources).toEqual([
      {
        kind: 'guestos',
        source: 'sha256sums',
        url: SUMS,
        sha256: [GUESTOS_HASH],
        builder_count: 2n,
        agrees: [true],
      },
      {
        kind: 'guestos',
        source: 'package_url',
        url: SYSTEMS,
        sha256: [GUESTOS_HASH],
        builder_count: 1n,
        agrees: [true],
      },
      {
        kind: 'guestos',
        source: 'package_url',
        url: NETWORK,
        sha256: [GUESTOS_HASH],
        builder_count: 1n,
        agrees: [true],
      },
    ]);
  });

  it('a second URL serving other bytes flags the proposal; hiding the attestation takes it back, unhiding restores it', () => {
    const r = newRegistry();
    confirm(r, P);
    accepted(submit(r, testBuilder('alice'), withSources(agreeing())));
    const bad = agreeing();
    bad[2] = { kind: 'package_url', url: NETWORK, sha256: OTHER };
    bad.push({ kind: 'sha256sums', url: SUMS.replace('.systems', '.network'), sha256: null });
    const bob = accepted(submit(r, testBuilder('bob'), withSources(bad)));
    let view = sourcesOf(r);
    expect(view.sources_disagree).toBe(true);
    expect(view.release_sources.find((s) => s.sha256[0] === OTHER)).toMatchObject({
      url: NETWORK,
      agrees: [false],
      builder_count: 1n,
    });
    expect(view.release_sources.find((s) => s.sha256.length === 0)).toMatchObject({ agrees: [] });
    // The event stream tells feed readers and `repro watch`, once.
    const told = r
      .noteEvents({ proposalIds: [P], now: T0 })
      .filter((e) => e.type === 'sources_disagree');
    expect(told).toEqual([
      expect.objectContaining({
        kind: 'guestos',
        sha256: OTHER,
        expectedSha256: GUESTOS_HASH,
        builders: 1,
        summary: expect.stringMatching(
          new RegExp(
            `^${NETWORK.replace(/[.]/g, '\\.')} gives another guestos hash than proposal ${P} states: a reason to reject`,
          ),
        ) as unknown,
      }),
    ]);
    expect(
      r.noteEvents({ proposalIds: [P], now: T0 }).filter((e) => e.type === 'sources_disagree'),
    ).toEqual([]);

    expect(
      r.hide({ caller: controller, attestationId: bob.attestationId, reason: 'test', now: T0 }).ok,
    ).toBe(true);
    view = sourcesOf(r);
    expect(view.sources_disagree).toBe(false);
    expect(view.release_sources.map((s) => s.builder_count)).toEqual([1n, 1n, 1n]);
    expect(r.unhide({ caller: controller, attestationId: bob.attestationId }).ok).toBe(true);
    expect(sourcesOf(r).sources_disagree).toBe(true);
  });

  it("measures against the proposal's hash, not the builder's claim", () => {
    const r = newRegistry();
    confirm(r, P);
    const claimed = hashOf('a hash the builder expected');
    const p = predicate({
      artifacts: [
        artifact({
          kind: 'guestos',
          expectedSha256: claimed,
          sha256: claimed,
          sources: [{ kind: 'sha256sums', url: SUMS, sha256: claimed }],
        }),
      ],
    });
    accepted(submit(r, testBuilder('carol'), p));
    expect(sourcesOf(r)).toMatchObject({
      sources_disagree: true,
      release_sources: [{ agrees: [false] }],
    });
  });

  it(`keeps at most ${SOURCE_REPORTS_PER_PROPOSAL} distinct reports`, () => {
    const r = newRegistry();
    confirm(r, P);
    for (let b = 0; b < 5; b++) {
      const sources = Array.from({ length: 8 }, (_, i) => ({
        kind: 'package_url' as const,
        url: `https://mirror${b}-${i}.example/${dir}/update-img.tar.zst`,
        sha256: GUESTOS_HASH,
      }));
      accepted(submit(r, testBuilder(`mirror-${b}`), withSources(sources)));
    }
    const summary = r.summary(P);
    expect(summary.ok && summary.value.record.sourceReports).toHaveLength(
      SOURCE_REPORTS_PER_PROPOSAL,
    );
    expect(summary.ok && summary.value.record.sourceReportsDropped).toBe(8);
  });
});
