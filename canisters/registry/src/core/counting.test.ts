import { describe, expect, it } from 'vitest';

import { GUESTOS_HASH, artifact, hashOf, predicate, testBuilder } from '../../test/builders';
import { MINUTE, T0, accepted, confirm, newRegistry, submit } from '../../test/core-support';
import { CELL_LIMIT } from './consensus';
import { UNTRACKED } from './records';

const P = 134567n;
const RECOVERY = hashOf('recovery image');

function guestosSummary(r: ReturnType<typeof newRegistry>) {
  const summary = r.summary(P);
  if (!summary.ok) throw new Error(summary.error.code);
  return summary.value;
}

describe('what stands per builder and artifact', () => {
  it('keeps a mismatch counted when the builder’s retry fails to build', () => {
    const r = newRegistry();
    confirm(r, P);
    const erin = testBuilder('erin');
    const wsl = hashOf('wsl2 image');
    const mismatch = accepted(
      submit(r, erin, predicate({ artifacts: [artifact({ kind: 'guestos', sha256: wsl })] })),
    );
    const failed = accepted(
      submit(
        r,
        erin,
        predicate({
          artifacts: [artifact({ kind: 'guestos', sha256: null, verdict: 'build_failed' })],
          note: 'podman: no space left on device',
        }),
        T0 + MINUTE,
      ),
    );
    expect(failed.supersedes).toBe(mismatch.attestationId);
    const s = guestosSummary(r);
    expect(s.consensus.artifacts[0]?.hashGroups).toEqual([
      { sha256: wsl, builderCount: 1, matchesExpected: false, environmentClasses: 1 },
    ]);
    expect(s.consensus.artifacts[0]?.verdicts).toMatchObject({ mismatch: 1, build_failed: 0 });
    const older = r.attestation(mismatch.attestationId);
    expect(older.ok && older.value.effective[0]).toMatchObject({
      counted: true,
      laterAttemptFailed: true,
    });
    const newer = r.attestation(failed.attestationId);
    expect(newer.ok && newer.value.effective[0]?.counted).toBe(false);

    // A later result with a hash does replace it, and the mark goes.
    accepted(submit(r, erin, predicate(), T0 + 2n * MINUTE));
    expect(guestosSummary(r).consensus.artifacts[0]?.hashGroups.map((g) => g.sha256)).toEqual([
      GUESTOS_HASH,
    ]);
    const after = r.attestation(mismatch.attestationId);
    expect(after.ok && after.value.effective[0]).toMatchObject({
      counted: false,
      laterAttemptFailed: false,
    });
  });

  it('counts a failure when the builder never had a hash', () => {
    const r = newRegistry();
    confirm(r, P);
    const grace = testBuilder('grace');
    accepted(
      submit(
        r,
        grace,
        predicate({
          artifacts: [artifact({ kind: 'guestos', sha256: null, verdict: 'build_failed' })],
        }),
      ),
    );
    accepted(
      submit(
        r,
        grace,
        predicate({
          artifacts: [artifact({ kind: 'guestos', sha256: null, verdict: 'not_built' })],
        }),
        T0 + MINUTE,
      ),
    );
    const s = guestosSummary(r);
    expect(s.builderCount).toBe(1);
    expect(s.consensus.artifacts[0]?.verdicts).toMatchObject({ build_failed: 0, not_built: 1 });
  });

  it('replaces per artifact: a newer attestation of one kind keeps the builder’s other kind', () => {
    const r = newRegistry();
    confirm(r, P);
    const bob = testBuilder('bob');
    accepted(
      submit(
        r,
        bob,
        predicate({
          artifacts: [
            artifact({ kind: 'guestos' }),
            artifact({ kind: 'guestos-recovery', sha256: RECOVERY, expectedSha256: RECOVERY }),
          ],
        }),
      ),
    );
    accepted(submit(r, bob, predicate({ note: 'guestos again' }), T0 + MINUTE));
    const kinds = guestosSummary(r).consensus.artifacts.map((a) => [
      a.kind,
      a.hashGroups[0]?.builderCount,
    ]);
    expect(kinds).toEqual([
      ['guestos', 1],
      ['guestos-recovery', 1],
    ]);
    expect(guestosSummary(r).builderCount).toBe(1);
  });

  it('hiding the attestation that holds a builder’s hash stops counting it', () => {
    const r = newRegistry();
    confirm(r, P);
    const dave = testBuilder('dave');
    const { attestationId } = accepted(submit(r, dave));
    const admin = { principal: testBuilder('admin').principal, isController: true };
    r.hide({ caller: admin, attestationId, reason: 'sybil', now: T0 });
    // A later failure of a hidden result counts: nothing of the builder's is visible otherwise.
    accepted(
      submit(
        r,
        dave,
        predicate({
          artifacts: [artifact({ kind: 'guestos', sha256: null, verdict: 'build_failed' })],
        }),
        T0 + MINUTE,
      ),
    );
    const s = guestosSummary(r);
    expect(s.builderCount).toBe(1);
    expect(s.consensus.artifacts[0]?.verdicts).toMatchObject({ match: 0, build_failed: 1 });
  });
});

describe('free keys and the aggregate', () => {
  it(`tracks at most about ${CELL_LIMIT} distinct results; the proposal's hash always counts`, () => {
    const r = newRegistry();
    confirm(r, P);
    for (let i = 0; i < CELL_LIMIT + 40; i++) {
      const p = predicate({
        artifacts: [artifact({ kind: 'guestos', sha256: hashOf(`junk-${i}`) })],
      });
      p.environment.osName = `Sybil OS ${i}`;
      accepted(submit(r, testBuilder(`sybil-${i}`), p));
    }
    const honest = predicate();
    honest.environment.osName = 'A new OS nobody used';
    accepted(submit(r, testBuilder('honest'), honest));
    const s = guestosSummary(r);
    expect(s.record.cells.length).toBeLessThanOrEqual(CELL_LIMIT + 20);
    const guestos = s.consensus.artifacts[0];
    expect(guestos?.hashGroups.length).toBeLessThanOrEqual(CELL_LIMIT + 1);
    expect(guestos?.untrackedBuilders).toBeGreaterThan(0);
    expect(guestos?.verdicts.match).toBe(1);
    expect(guestos?.hashGroups[0]).toMatchObject({ sha256: GUESTOS_HASH, builderCount: 1 });
    expect(s.record.cells.some((c) => c.sha256 === UNTRACKED)).toBe(true);
    expect(guestos?.verdicts.mismatch).toBe(CELL_LIMIT + 40);
  });
});
