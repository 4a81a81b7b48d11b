// Where else the expected hash of an artifact comes from (version 2, optional): the release's
// `SHA256SUMS` file and the bytes each of the proposal's `release_package_urls` serves. DFINITY's
// repro-check downloads both (ci/tools/repro-check at dfinity/ic@653da0da: `cached_download`
// into `<cache>/<commit>/<host>/{guest-os,host-os,setup-os,proposal}/`); recording them lets a
// reader see when the proposal's second URL serves other bytes or the published sums disagree.
import { FormatErrorCode } from './codes';
import { LIMITS, SOURCE_KINDS } from './constants';
import { reject } from './errors';
import { join, readArray, readEnum, readNullableSha256, readObject, readString } from './read';
import type { ArtifactSource } from './types';

/**
 * An absolute http(s) URL of printable ASCII without spaces, quotes or angle brackets, within
 * `LIMITS.sourceUrlBytes`: enough for every CDN and mirror URL, and nothing a viewer could
 * mistake for markup.
 */
export function isSourceUrl(url: string): boolean {
  if (url.length > LIMITS.sourceUrlBytes) return false;
  const m = /^https?:\/\/([A-Za-z0-9.-]+)(:[0-9]{1,5})?(\/[^\s]*)?$/.exec(url);
  if (m === null || m[1].length === 0 || m[1].startsWith('.') || m[1].endsWith('.')) return false;
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x5c)
      return false;
  }
  return true;
}

export function readSources(value: unknown, at: string): ArtifactSource[] {
  const items = readArray(value, at);
  if (items.length < 1 || items.length > LIMITS.sourcesPerArtifact) {
    reject(
      FormatErrorCode.SOURCE_COUNT,
      `${at} must list 1 to ${LIMITS.sourcesPerArtifact} sources (omit it when none), got ${items.length}`,
      at,
    );
  }
  const seen = new Set<string>();
  const sources: ArtifactSource[] = [];
  for (let i = 0; i < items.length; i++) {
    const sAt = join(at, i);
    const s = readObject({ value: items[i], at: sAt, required: ['kind', 'url', 'sha256'] });
    const kind = readEnum({
      value: s['kind'],
      at: join(sAt, 'kind'),
      allowed: SOURCE_KINDS,
      code: FormatErrorCode.SOURCE_KIND_UNKNOWN,
    });
    const urlAt = join(sAt, 'url');
    const url = readString(s['url'], urlAt);
    if (!isSourceUrl(url)) {
      reject(
        FormatErrorCode.SOURCE_URL_INVALID,
        `${urlAt} must be an http(s) URL of printable ASCII, at most ${LIMITS.sourceUrlBytes} bytes`,
        urlAt,
      );
    }
    const key = `${kind} ${url}`;
    if (seen.has(key))
      reject(FormatErrorCode.SOURCE_DUPLICATE, `${sAt} repeats an earlier ${kind} source`, sAt);
    seen.add(key);
    sources.push({ kind, url, sha256: readNullableSha256(s['sha256'], join(sAt, 'sha256')) });
  }
  return sources;
}

/** A source whose hash is not the reference hash, or (without one) not the others'. */
export interface SourceDisagreement {
  source: ArtifactSource;
  /** The hash it was compared with: the proposal's (or the artifact's expected), else null. */
  reference: string | null;
}

/**
 * The sources of an artifact that disagree: with `reference` (the proposal's hash when the
 * reader knows it, else the artifact's `expectedSha256`), or, with no reference, every source
 * when they do not all give the same hash. Sources without a hash (a download that failed, a
 * file SHA256SUMS does not list) disagree with nothing. The one rule the registry, the CLI and
 * the frontend use.
 */
export function sourceDisagreements(
  sources: readonly ArtifactSource[] | undefined,
  reference: string | null,
): SourceDisagreement[] {
  if (sources === undefined) return [];
  const hashed = sources.filter((s) => s.sha256 !== null);
  if (reference !== null)
    return hashed.filter((s) => s.sha256 !== reference).map((source) => ({ source, reference }));
  const distinct = new Set(hashed.map((s) => s.sha256));
  return distinct.size > 1 ? hashed.map((source) => ({ source, reference })) : [];
}
