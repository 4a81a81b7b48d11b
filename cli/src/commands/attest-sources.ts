// `repro attest --sha256sums <kind>=<url|file>` and `--package-url-hash <url>=<sha256|file>`:
// the other places the release states its hash, recorded next to the proposal's.
import path from 'node:path';
import { sourceDisagreements } from '@repro-registry/attestation';
import { isBuildableKind, type BuildableKind } from '../core/artifacts';
import type { ArtifactInput } from '../core/predicate';
import {
  SourceErrorCode,
  attachSources,
  checkedUrl,
  describeSource,
  kindOfReleaseUrl,
  parsePackageUrlHash,
  parseSha256SumsArgument,
  sha256SumsUrl,
  sourceError,
} from '../core/sources';
import type { KindSource } from '../io/sources';
import type { Ctx } from './shared';

export interface SourceOptions {
  sha256sums: string[];
  packageUrlHash: string[];
}

export const collectSource = (value: string, previous: string[] = []) => [...previous, value];

function buildableKind(text: string, flag: string): BuildableKind {
  if (!isBuildableKind(text))
    throw sourceError(
      SourceErrorCode.SOURCE_ARGUMENT_INVALID,
      `${flag}: "${text}" is not guestos, hostos, setupos or guestos-recovery`,
    );
  return text;
}

/** Reads the flags' sources (files, or downloads for URLs); `packageKind`: the proposal's OS. */
export async function sourcesFromFlags(args: {
  ctx: Ctx;
  options: SourceOptions;
  commit: string;
  packageKind: BuildableKind | null;
  artifacts: readonly ArtifactInput[];
}): Promise<KindSource[]> {
  const { ctx, options } = args;
  if (options.sha256sums.length === 0 && options.packageUrlHash.length === 0) return [];
  const io = await import('../io/sources');
  const sources: KindSource[] = [];
  for (const text of options.sha256sums) {
    const { kind: kindText, value } = parseSha256SumsArgument(text);
    const kind = buildableKind(kindText, '--sha256sums');
    const fileName = args.artifacts.find((a) => a.kind === kind)?.name;
    if (fileName === undefined)
      throw sourceError(
        SourceErrorCode.SOURCE_ARGUMENT_INVALID,
        `--sha256sums ${kind}: this attestation has no ${kind} artifact`,
      );
    const isUrl = /^https?:\/\//.test(value);
    // A file is recorded under the URL the release publishes it at (download.dfinity.systems).
    const url = isUrl
      ? checkedUrl(value, '--sha256sums')
      : sha256SumsUrl({ cdn: 'download.dfinity.systems', commit: args.commit, kind });
    const sums = isUrl
      ? await io.fetchSha256Sums(url)
      : await io.readSha256SumsFile(path.resolve(ctx.io.cwd, value));
    const sha256 = sums.get(fileName);
    if (sha256 === undefined)
      throw sourceError(
        SourceErrorCode.SHA256SUMS_NO_ENTRY,
        `${isUrl ? url : value} does not list ${fileName} (it lists ${[...sums.keys()].slice(0, 5).join(', ')})`,
        `give the SHA256SUMS of the ${kind} image, or name the artifact's file with --name ${kind}=<file>`,
      );
    sources.push({ kind, source: { kind: 'sha256sums', url, sha256 } });
  }
  for (const text of options.packageUrlHash) {
    const { url, value } = parsePackageUrlHash(text);
    const kind = args.packageKind ?? kindOfReleaseUrl(url);
    if (kind === null)
      throw sourceError(
        SourceErrorCode.SOURCE_ARGUMENT_INVALID,
        `--package-url-hash: cannot tell which image ${url} is (no /guest-os/ or /host-os/ in it, proposal not read)`,
        'drop --offline so the proposal says which OS it elects',
      );
    sources.push({
      kind,
      source: { kind: 'package_url', url, sha256: await io.packageHashOf(value, ctx.io.cwd) },
    });
  }
  return sources;
}

/**
 * Attaches the sources to their artifacts, says on stderr what each says, and returns the
 * warnings for the builder (shown, and in `--json` output): sources left out, disagreements.
 */
export function recordSources(
  ctx: Ctx,
  artifacts: ArtifactInput[],
  sources: readonly KindSource[],
): string[] {
  const warnings = attachSources(artifacts, sources).map((d) => `source not recorded: ${d}`);
  for (const a of artifacts) {
    if (a.sources === undefined) continue;
    for (const s of a.sources) ctx.out.info(`${a.kind}: ${describeSource(s, a.expectedSha256)}`);
    const disagreeing = sourceDisagreements(a.sources, a.expectedSha256);
    if (disagreeing.length > 0)
      warnings.push(
        `${a.kind}: the release's sources disagree with the expected hash (${disagreeing.map((d) => d.source.url).join(', ')}) — a reason to reject the proposal`,
      );
  }
  return warnings;
}

/**
 * `repro check`: what repro-check downloaded for this commit (its cache), and with
 * `--fetch-sources` what it did not, for the artifacts of the outcome.
 */
export async function sourcesFromCheck(args: {
  ctx: Ctx;
  cacheDir: string;
  commit: string;
  artifacts: readonly ArtifactInput[];
  packageKind: BuildableKind | null;
  packageUrls: readonly string[];
  fetch: boolean;
}): Promise<KindSource[]> {
  const io = await import('../io/sources');
  const kinds = args.artifacts.map((a) => a.kind).filter(isBuildableKind);
  const fileNameOf = (kind: BuildableKind) =>
    args.artifacts.find((a) => a.kind === kind)?.name ?? '';
  const packageKind =
    args.packageKind !== null && kinds.includes(args.packageKind) ? args.packageKind : null;
  const query = { commit: args.commit, kinds, fileNameOf, packageKind };
  const cached = await io.sourcesFromReproCheckCache({
    ...query,
    cacheDir: args.cacheDir,
    packageUrls: args.packageUrls,
  });
  for (const s of cached.skipped) args.ctx.out.info(args.ctx.colors.yellow(`source skipped: ${s}`));
  if (!args.fetch) return cached.sources;
  const fetched = await io.fetchMissingSources({
    ...query,
    have: cached.sources,
    packageUrls: args.packageUrls,
  });
  for (const p of fetched.problems) args.ctx.out.info(args.ctx.colors.yellow(p));
  return [...cached.sources, ...fetched.sources];
}
