// Reads the other sources of an IC-OS release's hash: SHA256SUMS files and the proposal's
// package URLs, from repro-check's download cache (what it already fetched), from files the
// builder names, or over HTTP when asked. ci/tools/repro-check at dfinity/ic@653da0da caches
// each download as `<cache>/<commit>/<url host>/<os dir|proposal>/<file name>`.
import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactSource } from '@repro-registry/attestation';
import type { BuildableKind } from '../core/artifacts';
import { normalizeSha256 } from '../core/hex';
import {
  OS_DIRECTORIES,
  RELEASE_CDNS,
  SHA256SUMS_MAX_BYTES,
  SourceErrorCode,
  parseSha256Sums,
  sha256SumsUrl,
  sourceError,
} from '../core/sources';
import { sha256File } from './hash-file';

export interface KindSource {
  kind: BuildableKind;
  source: ArtifactSource;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function fetchOk(url: string, fetchImpl: typeof fetch): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { 'user-agent': 'repro-registry' } });
  } catch (error) {
    throw sourceError(
      SourceErrorCode.SOURCE_DOWNLOAD_FAILED,
      `cannot download ${url}: ${(error as Error).message}`,
    );
  }
  if (!response.ok)
    throw sourceError(
      SourceErrorCode.SOURCE_DOWNLOAD_FAILED,
      `cannot download ${url}: HTTP ${response.status}`,
    );
  return response;
}

/** Downloads a SHA256SUMS file (at most 1 MiB) and parses it. */
export async function fetchSha256Sums(
  url: string,
  fetchImpl: typeof fetch = fetch,
): Promise<Map<string, string>> {
  const response = await fetchOk(url, fetchImpl);
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > SHA256SUMS_MAX_BYTES)
    throw sourceError(SourceErrorCode.SHA256SUMS_INVALID, `${url} is over 1 MiB`);
  return parseSha256Sums(await response.text());
}

export async function readSha256SumsFile(file: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw sourceError(
      SourceErrorCode.SOURCE_ARGUMENT_INVALID,
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return parseSha256Sums(text);
}

/** SHA-256 of what a URL serves, streamed (images are gigabytes). */
export async function hashUrl(url: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  const response = await fetchOk(url, fetchImpl);
  const hash = createHash('sha256');
  if (response.body === null) return hash.digest('hex');
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
  }
  return hash.digest('hex');
}

/** A package URL's hash given as `<sha256>` or as a file the builder downloaded from it. */
export async function packageHashOf(value: string, cwd: string): Promise<string> {
  const asHash = normalizeSha256(value);
  if (asHash !== null) return asHash;
  const file = path.resolve(cwd, value);
  if (!(await exists(file)))
    throw sourceError(
      SourceErrorCode.SOURCE_ARGUMENT_INVALID,
      `--package-url-hash: "${value}" is neither a SHA-256 nor an existing file`,
    );
  return (await sha256File({ path: file })).sha256;
}

/**
 * What repro-check left in its cache for this commit: each CDN's SHA256SUMS entry for each
 * kind's file, and the SHA-256 of what each package URL served. Only what is there is recorded
 * (a missing file says nothing); package URLs that share a host share one cache file in
 * repro-check, so those are left out (`skipped` says which).
 */
export async function sourcesFromReproCheckCache(args: {
  cacheDir: string;
  commit: string;
  kinds: readonly BuildableKind[];
  fileNameOf: (kind: BuildableKind) => string;
  packageKind: BuildableKind | null;
  packageUrls: readonly string[];
}): Promise<{ sources: KindSource[]; skipped: string[] }> {
  const base = path.join(args.cacheDir, args.commit);
  const sources: KindSource[] = [];
  const skipped: string[] = [];
  for (const kind of args.kinds) {
    // repro-check caches by OS directory only: the recovery image's sums would share guest-os's.
    if (kind === 'guestos-recovery') continue;
    for (const cdn of RELEASE_CDNS) {
      const file = path.join(base, cdn, OS_DIRECTORIES[kind].os, 'SHA256SUMS');
      if (!(await exists(file))) continue;
      const url = sha256SumsUrl({ cdn, commit: args.commit, kind });
      try {
        const sums = await readSha256SumsFile(file);
        sources.push({
          kind,
          source: { kind: 'sha256sums', url, sha256: sums.get(args.fileNameOf(kind)) ?? null },
        });
      } catch (error) {
        skipped.push(`${url}: ${(error as Error).message}`);
      }
    }
  }
  if (args.packageKind !== null) {
    const hosts = args.packageUrls.map((u) => new URL(u).hostname);
    for (let i = 0; i < args.packageUrls.length; i++) {
      const url = args.packageUrls[i];
      if (hosts.indexOf(hosts[i]) !== hosts.lastIndexOf(hosts[i])) {
        skipped.push(`${url}: another package URL has the same host (one cache file for both)`);
        continue;
      }
      const file = path.join(base, hosts[i], 'proposal', 'update-img.tar.zst');
      if (!(await exists(file))) continue;
      const { sha256 } = await sha256File({ path: file });
      sources.push({ kind: args.packageKind, source: { kind: 'package_url', url, sha256 } });
    }
  }
  return { sources, skipped };
}

/**
 * `--fetch-sources`: the SHA256SUMS of each kind on both CDNs and every package URL, downloaded
 * now for those the cache did not have. A failed download is recorded (a package URL that
 * serves nothing is a finding; a SHA256SUMS that cannot be fetched gives no source).
 */
export async function fetchMissingSources(args: {
  have: readonly KindSource[];
  commit: string;
  kinds: readonly BuildableKind[];
  fileNameOf: (kind: BuildableKind) => string;
  packageKind: BuildableKind | null;
  packageUrls: readonly string[];
  fetchImpl?: typeof fetch;
}): Promise<{ sources: KindSource[]; problems: string[] }> {
  const seen = new Set(args.have.map((s) => `${s.source.kind} ${s.source.url}`));
  const sources: KindSource[] = [];
  const problems: string[] = [];
  for (const kind of args.kinds) {
    for (const cdn of RELEASE_CDNS) {
      const url = sha256SumsUrl({ cdn, commit: args.commit, kind });
      if (seen.has(`sha256sums ${url}`)) continue;
      try {
        const sums = await fetchSha256Sums(url, args.fetchImpl);
        sources.push({
          kind,
          source: { kind: 'sha256sums', url, sha256: sums.get(args.fileNameOf(kind)) ?? null },
        });
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  if (args.packageKind !== null) {
    for (const url of args.packageUrls) {
      if (seen.has(`package_url ${url}`)) continue;
      let sha256: string | null = null;
      try {
        sha256 = await hashUrl(url, args.fetchImpl);
      } catch (error) {
        problems.push((error as Error).message);
      }
      sources.push({ kind: args.packageKind, source: { kind: 'package_url', url, sha256 } });
    }
  }
  return { sources, problems };
}
