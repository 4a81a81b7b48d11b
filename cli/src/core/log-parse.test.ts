import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseReproCheckLog } from './log-parse';

const log = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../test/fixtures/logs/${name}`, import.meta.url)), 'utf8');

const GUESTOS = '2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1';
const HOSTOS = '230d1e5beccd3f07c1c6e2b00eb4083117dc42fd035ca93887f9ba567e426253';

describe('parseReproCheckLog on recorded logs', () => {
  it('reads a successful GuestOS run of the current script', () => {
    const parsed = parseReproCheckLog(log('python-logging-guestos-success.log'));
    expect(parsed.format).toBe('python-logging');
    expect(parsed.results).toEqual([
      {
        kind: 'guestos',
        label: 'GuestOS',
        localSha256: GUESTOS,
        remoteSha256: GUESTOS,
        verdict: 'match',
        reported: 'success',
        consistent: true,
      },
    ]);
    expect(parsed.buildFailed).toBe(false);
    expect(parsed.aborted).toBe(false);
    expect(parsed.tempDirectory).toBe('/home/builder/.cache/repro-check/tmp-1763629920');
    expect(parsed.compression).toBe('zst');
    expect(parsed.proposalCheck.status).toBe('match');
    expect(parsed.lastEpochSeconds! - parsed.firstEpochSeconds!).toBeGreaterThan(5000);
  });

  it('reads all four OSes and the GuestOS mismatch, though that script exited 0', () => {
    const parsed = parseReproCheckLog(log('python-logging-all-guestos-mismatch.log'));
    expect(parsed.results.map((r) => [r.kind, r.verdict])).toEqual([
      ['guestos', 'mismatch'],
      ['hostos', 'match'],
      ['setupos', 'match'],
      ['guestos-recovery', 'match'],
    ]);
    const guestos = parsed.results[0];
    expect(guestos.localSha256).toBe(
      '6f0e2d1c3b4a59687766554433221100ffeeddccbbaa99887766554433221100',
    );
    expect(guestos.remoteSha256).toBe(GUESTOS);
    expect(guestos.reported).toBe('failure');
    expect(parsed.results[1].localSha256).toBe(HOSTOS);
    expect(parsed.results[3].label).toBe('Recovery-GuestOS');
  });

  it('recognises a failed build and keeps its last error line', () => {
    const parsed = parseReproCheckLog(log('python-logging-build-failure.log'));
    expect(parsed.results).toEqual([]);
    expect(parsed.buildFailed).toBe(true);
    expect(parsed.aborted).toBe(true);
    expect(parsed.lastErrorLine).toBe(
      "subprocess.CalledProcessError: Command '['./ci/container/build-ic.sh', '--icos']' returned non-zero exit status 1.",
    );
  });

  it('recognises a run that stopped on a verification error before building', () => {
    const parsed = parseReproCheckLog(log('python-logging-proposal-hash-error.log'));
    expect(parsed.results).toEqual([]);
    expect(parsed.aborted).toBe(true);
    expect(parsed.buildFailed).toBe(false);
    expect(parsed.lastErrorLine).toMatch(/^The proposal's artifact hash for .* does not match!$/);
  });

  it('recognises a download error', () => {
    const parsed = parseReproCheckLog(log('python-logging-download-error.log'));
    expect(parsed.aborted).toBe(true);
    expect(parsed.lastErrorLine).toMatch(/^Could not download .*HTTP Error 404: Not Found$/);
  });

  it('reads the print-based Python script (CDN wording, three OSes)', () => {
    const parsed = parseReproCheckLog(log('python-script-all-success.log'));
    expect(parsed.format).toBe('python-script');
    expect(parsed.results.map((r) => [r.kind, r.verdict])).toEqual([
      ['guestos', 'match'],
      ['hostos', 'match'],
      ['setupos', 'match'],
    ]);
    expect(parsed.results[1].remoteSha256).toBe(HOSTOS);
    expect(parsed.tempDirectory).toBe('/tmp/tmp8x2k1q0c');
  });

  it('finds the mismatch the old bash script logged before claiming success and exiting 0', () => {
    const parsed = parseReproCheckLog(log('bash-guestos-mismatch-exit0.log'));
    expect(parsed.format).toBe('bash');
    expect(parsed.results.map((r) => [r.kind, r.verdict])).toEqual([
      ['guestos', 'mismatch'],
      ['hostos', 'match'],
      ['setupos', 'match'],
    ]);
    // "The sha256 sum from the CDN: <hash>." ends with a period that is not part of the hash.
    expect(parsed.results[0].remoteSha256).toBe(
      'c2d4f7f5c3a1a1b0e3d9b9e4f2a6c8d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f70',
    );
    expect(parsed.aborted).toBe(false);
  });

  it('reads the .tar.gz era and the hash a forum builder reported', () => {
    const parsed = parseReproCheckLog(log('bash-targz-guestos-mismatch-exit0.log'));
    expect(parsed.compression).toBe('gz');
    expect(parsed.results[0]).toMatchObject({
      kind: 'guestos',
      localSha256: '05cd757019e276af68a7e2e178dec73ae095131af841d0b44a9c03c947c2d399',
      verdict: 'mismatch',
    });
  });
});

describe('parseReproCheckLog details', () => {
  const line = (epoch: number, text: string) => `2025/01/01 | 00:00:00 | ${epoch} ${text}`;

  it('strips colours and progress-bar redraws', () => {
    const h = 'ab'.repeat(32);
    const text = [
      `\x1b[32m${line(1, '[ℹ️] Verification successful for HostOS!')}\x1b[0m`,
      `\x1b[32m${line(2, '[ℹ️] The sha256 sum for HostOS from the artifact built locally and the one fetched from remote match:')}`,
      `\tLocal = ${h}`,
      `\tRemote = ${h}\x1b[0m`,
      'downloading [████.....]\rdownloading [█████████]\r',
    ].join('\n');
    const parsed = parseReproCheckLog(text);
    expect(parsed.results).toEqual([
      {
        kind: 'hostos',
        label: 'HostOS',
        localSha256: h,
        remoteSha256: h,
        verdict: 'match',
        reported: 'success',
        consistent: true,
      },
    ]);
  });

  it('trusts the hashes over the words when they disagree', () => {
    const text = [
      line(1, '[ℹ️] Verification successful for GuestOS!'),
      line(
        2,
        '[ℹ️] The sha256 sum for GuestOS from the artifact built locally and the one fetched from remote match:',
      ),
      `\tLocal = ${'aa'.repeat(32)}`,
      `\tRemote = ${'bb'.repeat(32)}`,
    ].join('\n');
    const [result] = parseReproCheckLog(text).results;
    expect(result).toMatchObject({ verdict: 'mismatch', reported: 'success', consistent: false });
  });

  it('leaves the verdict open when the hashes are missing', () => {
    const [result] = parseReproCheckLog(
      line(1, '[ℹ️] Verification successful for SetupOS!'),
    ).results;
    expect(result).toMatchObject({ kind: 'setupos', localSha256: null, verdict: null });
  });

  it('ignores OS names it does not know and text that is not a repro-check log', () => {
    expect(
      parseReproCheckLog(line(1, '[ℹ️] Verification successful for WindowsOS!')).results,
    ).toEqual([]);
    const parsed = parseReproCheckLog('hello\nworld\n');
    expect(parsed.format).toBe('unknown');
    expect(parsed.results).toEqual([]);
    expect(parsed.lastErrorLine).toBeNull();
  });
});
