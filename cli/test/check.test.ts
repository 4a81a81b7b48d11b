/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- tests read the CLI's JSON output, which is untyped by nature */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixturesDir, repro, tempDir } from './helpers';

const COMMIT = 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4';
const GUESTOS = '2292b72f5e3cad65651fb8a7858cd5efdbb537b20a7388bb8a01e31f8f047bb1';
const standIn = path.join(fixturesDir, 'stand-in-repro-check.mjs');
const cases = JSON.parse(
  readFileSync(path.join(fixturesDir, 'logs', 'cases.json'), 'utf8'),
) as Record<string, { exitCode: number; commit: string }>;

async function checkWith(logName: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const configDir = tempDir('check');
  await repro(['key', 'new'], { configDir });
  const argvOut = path.join(configDir, 'argv.json');
  const result = await repro(
    [
      'check',
      '139768',
      '--script',
      standIn,
      '--commit',
      cases[logName].commit,
      '--cache-dir',
      path.join(configDir, 'cache'),
      '--log',
      'run.log',
      '--dry-run',
      '--json',
      ...extra,
    ],
    {
      configDir,
      env: {
        STANDIN_LOG: path.join(fixturesDir, 'logs', logName),
        STANDIN_EXIT: String(cases[logName].exitCode),
        STANDIN_ARGV_OUT: argvOut,
        ...env,
      },
    },
  );
  return {
    result,
    configDir,
    argv: () =>
      JSON.parse(readFileSync(argvOut, 'utf8')) as { args: string[]; debugEnv: string | null },
  };
}

describe('repro check with a stand-in script printing recorded repro-check logs', () => {
  it('success: runs the script with -c <commit>, keeps the full log, attests a match with times, exit code and environment', async () => {
    const { result, configDir, argv } = await checkWith('python-logging-guestos-success.log', [
      '--guestos',
      '--expected',
      GUESTOS,
    ]);
    expect(result.code).toBe(0);
    expect(argv().args).toEqual([
      '-c',
      COMMIT,
      '--guestos',
      '--cache-dir',
      path.join(configDir, 'cache'),
    ]);
    expect(argv().debugEnv).toBe('1'); // the stand-in has no --debug flag: DEBUG keeps the build directory
    expect(readFileSync(path.join(configDir, 'run.log'), 'utf8')).toBe(
      readFileSync(path.join(fixturesDir, 'logs', 'python-logging-guestos-success.log'), 'utf8'),
    );
    const { statement } = result.json();
    const p = statement.predicate;
    expect(p.artifacts).toEqual([
      {
        kind: 'guestos',
        name: 'update-img.tar.zst',
        sha256: GUESTOS,
        expectedSha256: GUESTOS,
        verdict: 'match',
      },
    ]);
    expect(p.tool.name).toBe('repro-check');
    expect(p.tool.version).toBe('python-logging; local script');
    expect(p.tool.scriptSha256).toBe(
      createHash('sha256').update(readFileSync(standIn)).digest('hex'),
    );
    expect(p.tool.exitCode).toBe(0);
    expect(p.build.failure).toBeNull();
    expect(result.json().statement.predicateType).toBe(
      'https://repro-registry.org/attestation/icos-reproduction/v2',
    );
    expect(p.build.cleanCache).toBe(true); // the cache directory did not exist
    expect(Date.parse(p.build.finishedOn)).toBeGreaterThanOrEqual(Date.parse(p.build.startedOn));
    expect(p.environment.arch).toBeTruthy();
  });

  it("records the release's SHA256SUMS repro-check cached, per CDN, and says when one disagrees", async () => {
    // repro-check's cache layout (ci/tools/repro-check at dfinity/ic@653da0da, cached_download):
    // <cache>/<commit>/<url host>/<os dir>/SHA256SUMS; the sums in sha256sum's form.
    const other = 'ab'.repeat(32);
    const { result } = await checkWith(
      'python-logging-guestos-success.log',
      ['--guestos', '--expected', GUESTOS],
      {
        STANDIN_CACHE_JSON: JSON.stringify({
          [`${COMMIT}/download.dfinity.systems/guest-os/SHA256SUMS`]: `${GUESTOS}  update-img.tar.zst\n${other}  update-img-test.tar.zst\n`,
          [`${COMMIT}/download.dfinity.network/guest-os/SHA256SUMS`]: `${other} *update-img.tar.zst\n`,
          [`${COMMIT}/download.dfinity.systems/host-os/SHA256SUMS`]: 'not a sums file',
        }),
      },
    );
    expect(result.code).toBe(0);
    const base = `ic/${COMMIT}/guest-os/update-img/SHA256SUMS`;
    expect(result.json().statement.predicate.artifacts[0].sources).toEqual([
      { kind: 'sha256sums', url: `https://download.dfinity.systems/${base}`, sha256: GUESTOS },
      { kind: 'sha256sums', url: `https://download.dfinity.network/${base}`, sha256: other },
    ]);
    expect(result.json().warnings).toEqual([
      `guestos: the release's sources disagree with the expected hash (https://download.dfinity.network/${base}) — a reason to reject the proposal`,
    ]);
  });

  it('mismatch in a log whose script exited 0: the log decides, exit 1, all four OSes', async () => {
    const { result } = await checkWith('python-logging-all-guestos-mismatch.log');
    expect(result.code).toBe(1);
    const p = result.json().statement.predicate;
    expect(p.artifacts.map((a: { kind: string; verdict: string }) => [a.kind, a.verdict])).toEqual([
      ['guestos', 'mismatch'],
      ['hostos', 'match'],
      ['setupos', 'match'],
      ['guestos-recovery', 'match'],
    ]);
    expect(p.artifacts[2].name).toBe('disk-img.tar.zst');
  });

  it('old bash format: mismatch logged, exit 0, "All images are validated successfully" — still a mismatch', async () => {
    const { result } = await checkWith('bash-guestos-mismatch-exit0.log');
    expect(result.code).toBe(1);
    expect(result.json().statement.predicate.artifacts[0]).toMatchObject({
      kind: 'guestos',
      verdict: 'mismatch',
    });
  });

  it('.tar.gz era: the artifact is named update-img.tar.gz', async () => {
    const { result } = await checkWith('bash-targz-guestos-mismatch-exit0.log');
    expect(result.json().statement.predicate.artifacts[0]).toMatchObject({
      name: 'update-img.tar.gz',
      sha256: '05cd757019e276af68a7e2e178dec73ae095131af841d0b44a9c03c947c2d399',
      verdict: 'mismatch',
    });
  });

  it('build failure: "build_failed" with its first real error as cause, classified', async () => {
    const { result } = await checkWith('python-logging-build-failure.log', ['--guestos']);
    expect(result.code).toBe(1);
    const p = result.json().statement.predicate;
    expect(p.artifacts).toEqual([
      {
        kind: 'guestos',
        name: 'update-img.tar.zst',
        sha256: null,
        expectedSha256: null,
        verdict: 'build_failed',
      },
    ]);
    expect(p.build.failure).toEqual({
      category: 'environment',
      cause: "PermissionError: [Errno 1] Operation not permitted: '/tmp/tmp55m02r00.tar'",
    });
    expect(p.tool.exitCode).toBe(1);
  });

  it('disk full under the current script: environment; a failed commit fetch (exit 2): download', async () => {
    const full = (await checkWith('python-current-no-space-exit1.log', ['--guestos'])).result;
    expect(full.code).toBe(1);
    expect(full.json().statement.predicate.build.failure).toMatchObject({
      category: 'environment',
      cause: expect.stringMatching(/no space left on device$/),
    });
    const fetch = (await checkWith('python-current-fetch-error-exit2.log', ['--guestos'])).result;
    expect(fetch.code).toBe(1);
    const p = fetch.json().statement.predicate;
    expect(p.build.failure.category).toBe('download');
    expect(p.tool.exitCode).toBe(2);
  });

  it('bash build failure (no line of its own, exit 1): build_failed, cause from podman', async () => {
    const { result } = await checkWith('bash-build-failure.log');
    expect(result.code).toBe(1);
    const p = result.json().statement.predicate;
    // Neither an OS flag nor a result says which images it built: the one the proposal elects.
    expect(p.artifacts.map((a: { verdict: string }) => a.verdict)).toEqual(['build_failed']);
    expect(p.build.failure.category).toBe('environment');
    expect(p.build.failure.cause).toMatch(/no subuid ranges found/);
  });

  it('launch measurements are their own artifact, next to a GuestOS match', async () => {
    const { result } = await checkWith('python-measurements-mismatch-exit0.log', ['--guestos']);
    expect(result.code).toBe(1);
    const p = result.json().statement.predicate;
    expect(p.artifacts.map((a: { kind: string; verdict: string }) => [a.kind, a.verdict])).toEqual([
      ['guestos', 'match'],
      ['launch-measurements', 'mismatch'],
    ]);
    expect(p.artifacts[1].name).toBe('launch-measurements.json');
    expect(p.artifacts[1].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.json().warnings).toEqual([
      'repro-check exited 0, but its log shows a mismatch (older versions do this): the log is what counts.',
    ]);
  });

  it('the current script: every comparison and its closing error agree', async () => {
    const { result } = await checkWith('python-current-mismatches-exit1.log');
    expect(result.code).toBe(1);
    const p = result.json().statement.predicate;
    expect(p.artifacts.map((a: { kind: string; verdict: string }) => [a.kind, a.verdict])).toEqual([
      ['guestos', 'mismatch'],
      ['hostos', 'match'],
      ['setupos', 'mismatch'],
      ['guestos-recovery', 'match'],
      ['launch-measurements', 'mismatch'],
    ]);
    expect(p.note).toBeUndefined();
    expect(p.build.failure).toBeNull();
    expect(p.tool.exitCode).toBe(1);
  });

  it("refuses to sign when the log checked out another commit than the proposal's", async () => {
    const configDir = tempDir('othercommit');
    await repro(['key', 'new'], { configDir });
    const result = await repro(
      [
        'check',
        '5',
        '--script',
        standIn,
        '--commit',
        'ec35ebd252d4ffb151d2cfceba3a86c4fb87c6d6',
        '--dry-run',
        '--no-members',
      ],
      {
        configDir,
        env: { STANDIN_LOG: path.join(fixturesDir, 'logs', 'python-logging-guestos-success.log') },
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /repro-check built commit bcac7ca3862fd8409d56d9dcda919a5f25acbbd4, not ec35ebd2.* nothing was signed/,
    );
    expect(result.stdout).toBe('');
  });

  it('never signs a log it cannot read: exit 2 naming the saved log; --force signs it as not built', async () => {
    const { result, configDir } = await checkWith('unrecognised-gitlab-2022.log', ['--guestos']);
    expect(result.code).toBe(2);
    expect(result.json().error).toMatchObject({ exitCode: 2, code: null });
    expect(result.json().error.message).toContain(path.join(configDir, 'run.log'));
    const forced = (await checkWith('unrecognised-gitlab-2022.log', ['--guestos', '--force']))
      .result;
    expect(forced.code).toBe(0);
    const p = forced.json().statement.predicate;
    expect(p.artifacts).toEqual([
      expect.objectContaining({ kind: 'guestos', verdict: 'not_built', sha256: null }),
    ]);
    expect(p.note).toMatch(
      /could not read repro-check's log .* signed it with --force as not built/,
    );
  });

  it('passes --recovery, --download-source, --cache-dir and --clean through; refuses flags the script lacks', async () => {
    const { result, argv, configDir } = await checkWith('python-current-all-success.log', [
      '--guestos',
      '--recovery',
      '--download-source',
      'both',
    ]);
    expect(result.code).toBe(0);
    expect(argv().args).toEqual([
      '-c',
      COMMIT,
      '--guestos',
      '--recovery',
      '--cache-dir',
      path.join(configDir, 'cache'),
      '--download-source',
      'both',
    ]);
    const old = tempDir('oldscript');
    await repro(['key', 'new'], { configDir: old });
    const oldScript = path.join(old, 'repro-check.sh');
    writeFileSync(
      oldScript,
      '#!/bin/sh\n# a bash repro-check: --guestos --hostos --setupos -p -c\n',
      { mode: 0o755 },
    );
    const refused = await repro(
      [
        'check',
        '5',
        '--script',
        oldScript,
        '--commit',
        COMMIT,
        '--download-source',
        'network',
        '--dry-run',
      ],
      { configDir: old },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /this repro-check \(local script\) has no --download-source option/,
    );
  });

  it('--clean is passed on and recorded; it cannot be combined with --cache-dir', async () => {
    const configDir = tempDir('clean');
    await repro(['key', 'new'], { configDir });
    const argvOut = path.join(configDir, 'argv.json');
    const env = {
      STANDIN_LOG: path.join(fixturesDir, 'logs', 'python-script-all-success.log'),
      STANDIN_EXIT: '0',
      STANDIN_ARGV_OUT: argvOut,
    };
    const clean = await repro(
      [
        'check',
        '5',
        '--script',
        standIn,
        '--commit',
        COMMIT,
        '--clean',
        '--dry-run',
        '--json',
        '--no-members',
      ],
      { configDir, env },
    );
    expect(clean.code).toBe(0);
    expect(JSON.parse(readFileSync(argvOut, 'utf8')).args).toEqual(['-c', COMMIT, '--clean']);
    expect(clean.json().statement.predicate.build.cleanCache).toBe(true);
    const both = await repro(
      ['check', '5', '--script', standIn, '--commit', COMMIT, '--clean', '--cache-dir', configDir],
      { configDir, env },
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--clean cannot be combined with --cache-dir');
  });

  it('hashes the members of the image it built and cleans up the build directory it asked to keep', async () => {
    const tmpParent = tempDir('builds');
    const tmpOut = path.join(tmpParent, 'tmp-path.txt');
    const image = path.join(fixturesDir, 'archives', 'update-img-a.tar.zst');
    const imageSha = createHash('sha256').update(readFileSync(image)).digest('hex');
    const { result } = await checkWith(
      'python-logging-guestos-success.log',
      ['--guestos', '--cache-dir', tmpParent, '--expected', imageSha],
      {
        STANDIN_IMAGE: image,
        STANDIN_COMMIT: COMMIT,
        STANDIN_TMP_PARENT: tmpParent,
        STANDIN_TMP_OUT: tmpOut,
      },
    );
    expect(result.code).toBe(0);
    const [artifact] = result.json().statement.predicate.artifacts;
    expect(artifact).toMatchObject({ sha256: imageSha, verdict: 'match' });
    expect(artifact.members.map((m: { path: string }) => m.path)).toEqual([
      'VERSION.TXT',
      'boot.img',
      'root.img',
    ]);
    // The tar layer: the uncompressed stream of the image it built.
    const tar = execFileSync('zstd', ['-dc', image]);
    expect(artifact.tarSha256).toBe(createHash('sha256').update(tar).digest('hex'));
    expect(existsSync(readFileSync(tmpOut, 'utf8'))).toBe(false);
  });

  it('a script that cannot run is a usage error naming it', async () => {
    const configDir = tempDir('noscript');
    await repro(['key', 'new'], { configDir });
    const result = await repro(
      [
        'check',
        '5',
        '--script',
        path.join(configDir, 'missing-script'),
        '--commit',
        COMMIT,
        '--dry-run',
      ],
      { configDir },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot read the repro-check script .*missing-script: ENOENT/);
  });
});
