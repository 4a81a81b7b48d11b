import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchMeasurementsSha256 } from '@repro-registry/attestation';
import { parseReproCheckLog } from './parse';

const log = (name: string) =>
  readFileSync(
    fileURLToPath(new URL(`../../../test/fixtures/logs/${name}`, import.meta.url)),
    'utf8',
  );

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
    // The first real error, not the wrapper that reports the build's exit status.
    expect(parsed.failure).toEqual({
      category: 'environment',
      cause: "PermissionError: [Errno 1] Operation not permitted: '/tmp/tmp55m02r00.tar'",
    });
    expect(parsed.checkedOutCommit).toBe('bcac7ca3862fd8409d56d9dcda919a5f25acbbd4');
    expect(parsed.unrecognised).toBeNull();
  });

  it('recognises a run that stopped on a verification error before building', () => {
    const parsed = parseReproCheckLog(log('python-logging-proposal-hash-error.log'));
    expect(parsed.results).toEqual([]);
    expect(parsed.aborted).toBe(true);
    expect(parsed.buildFailed).toBe(false);
    expect(parsed.failure?.cause).toMatch(/^The proposal's artifact hash for .* does not match!$/);
    expect(parsed.failure?.category).toBe('download');
  });

  it('recognises a download error', () => {
    const parsed = parseReproCheckLog(log('python-logging-download-error.log'));
    expect(parsed.aborted).toBe(true);
    expect(parsed.failure?.cause).toMatch(/^Could not download .*HTTP Error 404: Not Found$/);
    expect(parsed.failure?.category).toBe('download');
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
    expect(parsed.tempDirectory).toBe('/tmp/verify_script_8x2k1q0c');
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
    expect(parsed.failure).toBeNull();
    expect(parsed.unrecognised).toMatch(/no line has the log prefix/);
  });
});

const COMMIT = 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4';
/** The illustrative launch measurement the fixtures were written with (see their generator notes). */
const CMDLINE =
  'BOOT_IMAGE=(hd0,gpt5)/vmlinuz root=/dev/vda5 console=ttyS0 nomodeset dfinity.system=A';

describe('launch measurements are a result of their own', () => {
  it('2026 script: GuestOS and its measurements both match; the measurement line does not replace GuestOS', () => {
    const parsed = parseReproCheckLog(log('python-measurements-guestos-success.log'));
    expect(parsed.results).toEqual([
      expect.objectContaining({ kind: 'guestos', localSha256: GUESTOS, verdict: 'match' }),
    ]);
    const m = parsed.measurements!;
    expect(m).toMatchObject({
      verdict: 'match',
      reported: 'success',
      consistent: true,
      problem: null,
    });
    expect(m.local).toHaveLength(1);
    expect(m.local![0].measurementHex).toMatch(/^[0-9a-f]{96}$/);
    expect(m.local![0].kernelCmdline).toBe(CMDLINE);
    expect(m.localSha256).toBe(launchMeasurementsSha256(m.local!));
    expect(parsed.proposalCheck.measurements).toBe('match');
    expect(parsed.unrecognised).toBeNull();
  });

  it('2026 script exiting 0: a measurement mismatch keeps both values and the GuestOS match', () => {
    const parsed = parseReproCheckLog(log('python-measurements-mismatch-exit0.log'));
    expect(parsed.results.map((r) => [r.kind, r.verdict])).toEqual([['guestos', 'match']]);
    const m = parsed.measurements!;
    expect(m.verdict).toBe('mismatch');
    expect(m.reported).toBe('failure');
    expect(m.localSha256).not.toBe(m.remoteSha256);
    expect(m.localSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('current script: every comparison, one closing error listing what did not match', () => {
    const parsed = parseReproCheckLog(log('python-current-mismatches-exit1.log'));
    expect(parsed.results.map((r) => [r.kind, r.verdict])).toEqual([
      ['guestos', 'mismatch'],
      ['hostos', 'match'],
      ['setupos', 'mismatch'],
      ['guestos-recovery', 'match'],
    ]);
    expect(parsed.measurements?.verdict).toBe('mismatch');
    expect(parsed.reportedMismatches).toEqual([
      'GuestOS update image',
      'GuestOS launch measurements',
      'SetupOS disk image',
    ]);
    expect(parsed.aborted).toBe(true);
    expect(parsed.failure).toBeNull(); // mismatches, not a failure
    expect(parsed.checkedOutCommit).toBe(COMMIT);
  });

  it('reads the measurement as a byte list (2026) and as hex (current) to the same hash', () => {
    const ints = parseReproCheckLog(log('python-measurements-guestos-success.log')).measurements!;
    const hex = parseReproCheckLog(log('python-current-all-success.log')).measurements!;
    expect(hex.local).toEqual(ints.local);
    expect(hex.localSha256).toBe(ints.localSha256);
  });
});

describe('every generation, colours and line ends', () => {
  it('bash with colour codes: the checkout line and the results', () => {
    const parsed = parseReproCheckLog(log('bash-guestos-mismatch-exit0.log'));
    expect(log('bash-guestos-mismatch-exit0.log')).toContain('\x1b[0;31m');
    expect(parsed.checkedOutCommit).toBe('ec35ebd252d4ffb151d2cfceba3a86c4fb87c6d6');
    expect(parsed.results).toHaveLength(3);
  });

  it("bash build failure: no line of its own; the cause is podman's first error, an environment problem", () => {
    const parsed = parseReproCheckLog(log('bash-build-failure.log'));
    expect(parsed.buildFailed).toBe(true);
    expect(parsed.results).toEqual([]);
    expect(parsed.failure?.category).toBe('environment');
    expect(parsed.failure?.cause).toMatch(
      /^ERRO\[0000\] cannot find UID\/GID for user builder: no subuid ranges/,
    );
    expect(parsed.unrecognised).toBeNull();
  });

  it('the print-based script with colour codes', () => {
    expect(log('python-script-all-success.log')).toContain('\x1b[0;32m');
    const parsed = parseReproCheckLog(log('python-script-all-success.log'));
    expect(parsed.format).toBe('python-script');
    expect(parsed.checkedOutCommit).toBe(COMMIT);
  });

  it('a log saved with CRLF reads exactly like the original', () => {
    const crlf = log('python-current-all-success-crlf.log');
    expect(crlf).toContain('\r\n');
    const a = parseReproCheckLog(crlf);
    const b = parseReproCheckLog(log('python-current-all-success.log'));
    expect(a.results).toEqual(b.results);
    expect(a.measurements).toEqual(b.measurements);
    expect(a.results.map((r) => r.verdict)).toEqual(['match', 'match', 'match', 'match']);
    expect(a.checkedOutCommit).toBe(COMMIT);
  });

  it('current script, disk full during the build: the cause is the no-space line, not the exit status', () => {
    const parsed = parseReproCheckLog(log('python-current-no-space-exit1.log'));
    expect(parsed.buildFailed).toBe(true);
    expect(parsed.failure).toEqual({
      category: 'environment',
      cause:
        'Error: writing blob: storing blob to file "/var/tmp/storage2810931843/1": write /var/tmp/storage2810931843/1: no space left on device',
    });
  });

  it('current script, runtime error (exit 2): the commit cannot be fetched — a download failure', () => {
    const parsed = parseReproCheckLog(log('python-current-fetch-error-exit2.log'));
    expect(parsed.aborted).toBe(true);
    expect(parsed.buildFailed).toBe(false);
    expect(parsed.stopMessage).toBe(`Could not fetch commit ${COMMIT} from the remote repository.`);
    expect(parsed.failure?.category).toBe('download');
  });

  it('the 2022 script printed no log lines at all: not recognised', () => {
    const parsed = parseReproCheckLog(log('unrecognised-gitlab-2022.log'));
    expect(parsed.unrecognised).not.toBeNull();
    expect(parsed.results).toEqual([]);
  });

  it('a run cut off before any result or failure is not recognised', () => {
    const text = log('python-current-all-success.log').split('\n').slice(0, 20).join('\n');
    expect(parseReproCheckLog(text).unrecognised).toBe('the log reports no result and no failure');
  });

  it('a result reported twice makes the log unreadable rather than picking one', () => {
    const h = 'ab'.repeat(32);
    const twice = [1, 3]
      .flatMap((t) => [
        `2025/01/01 | 00:00:00 | ${t} [ℹ️] Verification successful for HostOS!`,
        `2025/01/01 | 00:00:00 | ${t + 1} [ℹ️] The sha256 sum for HostOS from the artifact built locally and the one fetched from remote match:`,
        `\tLocal = ${h}`,
        `\tRemote = ${h}`,
      ])
      .join('\n');
    expect(parseReproCheckLog(twice).unrecognised).toMatch(/HostOS more than once/);
  });
});
