// The other places an IC-OS release states its hash, as DFINITY's repro-check reads them
// (ci/tools/repro-check at dfinity/ic@653da0da): the release's `SHA256SUMS` next to each image on
// every CDN, and the proposal's `release_package_urls`. Pure: parsing, URLs, cache paths.
import {
  LIMITS,
  isSourceUrl,
  type Artifact,
  type ArtifactKind,
  type ArtifactSource,
} from '@repro-registry/attestation';
import type { BuildableKind } from './artifacts';
import { CliError, ExitCode } from './errors';

/** Stable codes of the CLI's source errors (printed with `--json` as `error.code`). */
export const SourceErrorCode = {
  /** A SHA256SUMS file is not `<64 hex> [ *]<file name>` lines, or larger than 1 MiB. */
  SHA256SUMS_INVALID: 'SHA256SUMS_INVALID',
  /** The SHA256SUMS file does not list the artifact's file. */
  SHA256SUMS_NO_ENTRY: 'SHA256SUMS_NO_ENTRY',
  /** `--package-url-hash` / `--sha256sums` is not `<url>=<sha256|file>` / `<kind>=<url|file>`. */
  SOURCE_ARGUMENT_INVALID: 'SOURCE_ARGUMENT_INVALID',
  /** A URL is not an http(s) URL the attestation format accepts. */
  SOURCE_URL_INVALID: 'SOURCE_URL_INVALID',
  /** Downloading a SHA256SUMS file or a package URL failed. */
  SOURCE_DOWNLOAD_FAILED: 'SOURCE_DOWNLOAD_FAILED',
} as const;
export type SourceErrorCode = (typeof SourceErrorCode)[keyof typeof SourceErrorCode];

export function sourceError(code: SourceErrorCode, message: string, hint?: string): CliError {
  return new CliError({
    message,
    exitCode: ExitCode.USAGE,
    code,
    ...(hint === undefined ? {} : { hint }),
  });
}

export const SHA256SUMS_MAX_BYTES = 1024 * 1024;

/**
 * `sha256sum`'s output, read as repro-check's `verify_sha256_against_sums` does (hash, then the
 * name with a leading `*` of binary mode removed), but strictly: every non-empty line must be
 * `<64 hex> <space or *><name>`, or the file is refused (a truncated or HTML error page is not a
 * list of sums). Hashes are lowercased. The first entry of a name wins, as in repro-check.
 */
export function parseSha256Sums(text: string): Map<string, string> {
  if (text.length > SHA256SUMS_MAX_BYTES)
    throw sourceError(SourceErrorCode.SHA256SUMS_INVALID, 'the SHA256SUMS file is over 1 MiB');
  const sums = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '') continue;
    const m = /^([0-9a-fA-F]{64}) [ *](\S(?:.*\S)?)$/.exec(line);
    if (m === null)
      throw sourceError(
        SourceErrorCode.SHA256SUMS_INVALID,
        `SHA256SUMS line ${i + 1} is not "<sha256>  <file>": ${JSON.stringify(line.slice(0, 80))}`,
        'give the file sha256sum wrote (as published next to the image)',
      );
    if (!sums.has(m[2])) sums.set(m[2], m[1].toLowerCase());
  }
  if (sums.size === 0)
    throw sourceError(SourceErrorCode.SHA256SUMS_INVALID, 'the SHA256SUMS file lists nothing');
  return sums;
}

/** repro-check's directory of each OS on the CDN and in its cache. */
export const OS_DIRECTORIES: Record<BuildableKind, { os: string; image: string }> = {
  guestos: { os: 'guest-os', image: 'update-img' },
  hostos: { os: 'host-os', image: 'update-img' },
  setupos: { os: 'setup-os', image: 'disk-img' },
  'guestos-recovery': { os: 'guest-os', image: 'update-img-recovery' },
};

/** The CDNs repro-check downloads from (`--download-source systems|network|both`). */
export const RELEASE_CDNS = ['download.dfinity.systems', 'download.dfinity.network'] as const;

/** `https://<cdn>/ic/<commit>/<os>/<image>/SHA256SUMS`, where the release publishes its sums. */
export function sha256SumsUrl(args: { cdn: string; commit: string; kind: BuildableKind }): string {
  const d = OS_DIRECTORIES[args.kind];
  return `https://${args.cdn}/ic/${args.commit}/${d.os}/${d.image}/SHA256SUMS`;
}

/** The IC-OS kind a release URL is for, from its path (`/guest-os/update-img/…`), or null. */
export function kindOfReleaseUrl(url: string): BuildableKind | null {
  if (url.includes('/guest-os/update-img-recovery/')) return 'guestos-recovery';
  if (url.includes('/guest-os/')) return 'guestos';
  if (url.includes('/host-os/')) return 'hostos';
  if (url.includes('/setup-os/')) return 'setupos';
  return null;
}

export function checkedUrl(url: string, flag: string): string {
  if (!isSourceUrl(url))
    throw sourceError(
      SourceErrorCode.SOURCE_URL_INVALID,
      `${flag}: "${url.slice(0, 100)}" is not an http(s) URL of printable ASCII (≤ ${LIMITS.sourceUrlBytes} bytes)`,
    );
  return url;
}

/** `<url>=<sha256|file>`: split at the last `=` (URLs may hold `=` in their query). */
export function parsePackageUrlHash(text: string): { url: string; value: string } {
  const at = text.lastIndexOf('=');
  if (at <= 0 || at === text.length - 1)
    throw sourceError(
      SourceErrorCode.SOURCE_ARGUMENT_INVALID,
      `--package-url-hash needs <url>=<sha256|file>, got "${text.slice(0, 100)}"`,
      'e.g. --package-url-hash https://download.dfinity.network/ic/<commit>/guest-os/update-img/update-img.tar.zst=<sha256>',
    );
  return {
    url: checkedUrl(text.slice(0, at), '--package-url-hash'),
    value: text.slice(at + 1),
  };
}

/** `<kind>=<url|file>` of `--sha256sums`. */
export function parseSha256SumsArgument(text: string): { kind: string; value: string } {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1)
    throw sourceError(
      SourceErrorCode.SOURCE_ARGUMENT_INVALID,
      `--sha256sums needs <kind>=<url|file>, got "${text.slice(0, 100)}"`,
      'e.g. --sha256sums guestos=https://download.dfinity.systems/ic/<commit>/guest-os/update-img/SHA256SUMS',
    );
  return { kind: text.slice(0, at), value: text.slice(at + 1) };
}

/**
 * Adds sources to the artifacts they are for: unique (kind, URL) per artifact, the format's
 * bound kept (the first ones win; the rest are reported so nothing is dropped silently).
 */
export function attachSources(
  artifacts: { kind: Artifact['kind']; sources?: ArtifactSource[] }[],
  sources: readonly { kind: ArtifactKind; source: ArtifactSource }[],
): string[] {
  const dropped: string[] = [];
  for (const { kind, source } of sources) {
    const artifact = artifacts.find((a) => a.kind === kind);
    if (artifact === undefined) {
      dropped.push(`${source.url} (no ${kind} artifact in this attestation)`);
      continue;
    }
    const list = (artifact.sources ??= []);
    if (list.some((s) => s.kind === source.kind && s.url === source.url)) continue;
    if (list.length >= LIMITS.sourcesPerArtifact) {
      dropped.push(`${source.url} (more than ${LIMITS.sourcesPerArtifact} sources for ${kind})`);
      continue;
    }
    list.push(source);
  }
  return dropped;
}

/** One line per source for the terminal: what it says and whether that is the expected hash. */
export function describeSource(source: ArtifactSource, expected: string | null): string {
  const what = source.kind === 'sha256sums' ? 'SHA256SUMS' : 'package URL';
  if (source.sha256 === null)
    return `${what} ${source.url}: ${source.kind === 'sha256sums' ? 'does not list the file' : 'download failed'}`;
  const agrees =
    expected === null
      ? ''
      : source.sha256 === expected
        ? ' (agrees)'
        : ' (DIFFERS from the proposal)';
  return `${what} ${source.url}: ${source.sha256}${agrees}`;
}
