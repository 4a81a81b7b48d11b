import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { fetchScriptAtCommit, isEmptyDirectory, removeKeptTemporary } from './run-script';

const COMMIT = 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4';

/** Answers like raw.githubusercontent.com: 404 for paths that do not exist at the commit. */
function githubRaw(files: Record<string, string>): typeof fetch {
  const serve = async (input: string | URL | Request): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const prefix = `https://raw.githubusercontent.com/dfinity/ic/${COMMIT}/`;
    const body = url.startsWith(prefix) ? files[url.slice(prefix.length)] : undefined;
    return body === undefined
      ? new Response('404: Not Found', { status: 404 })
      : new Response(body, { status: 200 });
  };
  return serve;
}

describe("fetching repro-check from the proposal's commit", () => {
  it('takes the newest path that exists at that commit and makes it executable', async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'repro-scripts-'));
    const script = '#!/usr/bin/env bash\necho old\n';
    const fetched = await fetchScriptAtCommit({
      commit: COMMIT,
      cacheDir,
      fetchImpl: githubRaw({ 'ci/tools/repro-check.sh': script }),
    });
    expect(fetched.origin).toBe(`dfinity/ic@${COMMIT}:ci/tools/repro-check.sh`);
    expect(fetched.sha256).toBe(createHash('sha256').update(script).digest('hex'));
    expect(readFileSync(fetched.path, 'utf8')).toBe(script);
    expect(statSync(fetched.path).mode & 0o111).not.toBe(0);
    const newer = await fetchScriptAtCommit({
      commit: COMMIT,
      cacheDir,
      fetchImpl: githubRaw({ 'ci/tools/repro-check': 'py', 'ci/tools/repro-check.sh': script }),
    });
    expect(newer.origin).toContain('ci/tools/repro-check');
    expect(newer.text).toBe('py');
  });

  it('fails with a usage error when the commit has none, and a network error when unreachable', async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'repro-scripts-'));
    await expect(
      fetchScriptAtCommit({ commit: COMMIT, cacheDir, fetchImpl: githubRaw({}) }),
    ).rejects.toMatchObject({ exitCode: 2 });
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(
      fetchScriptAtCommit({ commit: COMMIT, cacheDir, fetchImpl: offline }),
    ).rejects.toMatchObject({ exitCode: 3 });
  });
});

describe('build directory housekeeping', () => {
  it('knows an empty or missing cache, and removes only directories that look temporary', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'repro-house-'));
    expect(await isEmptyDirectory(path.join(parent, 'missing'))).toBe(true);
    expect(await isEmptyDirectory(parent)).toBe(true);
    const kept = mkdtempSync(path.join(parent, 'tmp-'));
    expect(await isEmptyDirectory(parent)).toBe(false);
    expect(await removeKeptTemporary(path.join(parent, '..'), [parent])).toBe(false);
    expect(await removeKeptTemporary(parent, [os.homedir()])).toBe(false);
    expect(await removeKeptTemporary(kept, [parent])).toBe(true);
    expect(await isEmptyDirectory(parent)).toBe(true);
  });
});
