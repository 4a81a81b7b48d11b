import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchMeasurementsSha256 } from '@repro-registry/attestation';
import { parseReproCheckLog } from './log/parse';
import { outcomeFromLog, type ProposalFacts } from './predicate';

const log = (name: string) =>
  parseReproCheckLog(
    readFileSync(
      fileURLToPath(new URL(`../../test/fixtures/logs/${name}`, import.meta.url)),
      'utf8',
    ),
  );
const COMMIT = 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4';
const GUESTOS = '2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1';

function guestosProposal(over: Partial<ProposalFacts> = {}): ProposalFacts {
  return {
    id: '139768',
    commit: COMMIT,
    os: 'guestos',
    releasePackageSha256: GUESTOS,
    releasePackageUrls: [
      `https://download.dfinity.systems/ic/${COMMIT}/guest-os/update-img/update-img.tar.zst`,
    ],
    launchMeasurements: null,
    ...over,
  };
}

describe('outcomeFromLog', () => {
  it("attests only the kinds of the proposal's OS, and says what it left out", () => {
    const parsed = log('python-current-all-success.log');
    const outcome = outcomeFromLog({
      parsed,
      proposal: guestosProposal(),
      requested: [],
      exitCode: 0,
    });
    expect(outcome.artifacts.map((a) => a.kind)).toEqual([
      'guestos',
      'guestos-recovery',
      'launch-measurements',
    ]);
    expect(outcome.notes).toEqual([
      'HostOS, SetupOS were compared too but belong to another election: not attested here.',
    ]);
    const hostos = outcomeFromLog({
      parsed,
      proposal: guestosProposal({ os: 'hostos', releasePackageSha256: null }),
      requested: [],
      exitCode: 0,
    });
    expect(hostos.artifacts.map((a) => a.kind)).toEqual(['hostos', 'setupos']);
  });

  it("expects the proposal's on-chain launch measurements, by their canonical hash", () => {
    const parsed = log('python-current-all-success.log');
    const local = parsed.measurements!.local!;
    const onChain = local.map((m) => ({ ...m, kernelCmdline: `${m.kernelCmdline} quiet` }));
    const outcome = outcomeFromLog({
      parsed,
      proposal: guestosProposal({ launchMeasurements: onChain }),
      requested: [],
      exitCode: 0,
    });
    const m = outcome.artifacts.find((a) => a.kind === 'launch-measurements')!;
    expect(m).toMatchObject({
      sha256: launchMeasurementsSha256(local),
      expectedSha256: launchMeasurementsSha256(onChain),
    });
    expect(outcome.notes).toContain("The published launch measurements are not the proposal's.");
  });

  it('a failed build carries its cause; a run that only found mismatches carries none', () => {
    const failed = outcomeFromLog({
      parsed: log('python-current-no-space-exit1.log'),
      proposal: guestosProposal(),
      requested: ['guestos'],
      exitCode: 1,
    });
    expect(failed.artifacts[0]).toMatchObject({ kind: 'guestos', sha256: null, attempted: true });
    expect(failed.failure?.category).toBe('environment');
    const mismatched = outcomeFromLog({
      parsed: log('python-current-mismatches-exit1.log'),
      proposal: guestosProposal(),
      requested: [],
      exitCode: 1,
    });
    expect(mismatched.failure).toBeNull();
  });
});
