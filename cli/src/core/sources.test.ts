import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliError } from './errors';
import {
  attachSources,
  kindOfReleaseUrl,
  parsePackageUrlHash,
  parseSha256Sums,
  parseSha256SumsArgument,
  sha256SumsUrl,
} from './sources';
import type { ArtifactInput } from './predicate';

// Written by GNU sha256sum (cli/test/fixtures/sources/README.md).
const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/sources/${name}`, import.meta.url), 'utf8');
const UPDATE = '0e8f3b37ed36c84bf47d7e96046c218d51b0e728b3d7c97db287e232532ce323';
const COMMIT = 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('SHA256SUMS', () => {
  it("reads sha256sum's text and binary forms as repro-check does", () => {
    for (const name of ['SHA256SUMS.text', 'SHA256SUMS.binary']) {
      const sums = parseSha256Sums(fixture(name));
      expect(sums.get('update-img.tar.zst')).toBe(UPDATE);
      expect(sums.get('update-img-test.tar.zst')).toMatch(/^9fbee615/);
      expect(sums.size).toBe(2);
    }
    expect(parseSha256Sums(`${UPDATE.toUpperCase()}  a b.tar\r\n\n`).get('a b.tar')).toBe(UPDATE);
  });
  it('refuses what is not a list of sums, with a stable code', () => {
    for (const bad of [
      '',
      '<html>404 Not Found</html>',
      `${UPDATE} update-img.tar.zst`.replace(' ', ''),
      `${UPDATE.slice(1)}  update-img.tar.zst`,
      `${UPDATE}  `,
      'x'.repeat(1024 * 1024 + 1),
    ])
      expect(codeOf(() => parseSha256Sums(bad))).toBe('SHA256SUMS_INVALID');
  });
});

describe('source URLs and arguments', () => {
  it('builds the URL repro-check fetches the sums from, per OS', () => {
    expect(
      sha256SumsUrl({ cdn: 'download.dfinity.systems', commit: COMMIT, kind: 'guestos' }),
    ).toBe(`https://download.dfinity.systems/ic/${COMMIT}/guest-os/update-img/SHA256SUMS`);
    expect(
      sha256SumsUrl({ cdn: 'download.dfinity.network', commit: COMMIT, kind: 'setupos' }),
    ).toBe(`https://download.dfinity.network/ic/${COMMIT}/setup-os/disk-img/SHA256SUMS`);
    expect(kindOfReleaseUrl(`https://x/ic/${COMMIT}/host-os/update-img/update-img.tar.zst`)).toBe(
      'hostos',
    );
    expect(kindOfReleaseUrl('https://example.org/image.tar.zst')).toBeNull();
  });
  it('splits <url>=<hash> at the last = and refuses bad URLs', () => {
    expect(parsePackageUrlHash(`https://m.example/x?a=b=${UPDATE}`)).toEqual({
      url: 'https://m.example/x?a=b',
      value: UPDATE,
    });
    expect(codeOf(() => parsePackageUrlHash(UPDATE))).toBe('SOURCE_ARGUMENT_INVALID');
    expect(codeOf(() => parsePackageUrlHash(`file:///etc/passwd=${UPDATE}`))).toBe(
      'SOURCE_URL_INVALID',
    );
    expect(codeOf(() => parsePackageUrlHash('https://a.b/x='))).toBe('SOURCE_ARGUMENT_INVALID');
    expect(parseSha256SumsArgument('guestos=https://a.b/SHA256SUMS')).toEqual({
      kind: 'guestos',
      value: 'https://a.b/SHA256SUMS',
    });
    expect(codeOf(() => parseSha256SumsArgument('./SHA256SUMS'))).toBe('SOURCE_ARGUMENT_INVALID');
  });
  it('attaches sources once per (kind, URL), within the bound, and reports the rest', () => {
    const artifacts: ArtifactInput[] = [
      {
        kind: 'guestos',
        name: 'update-img.tar.zst',
        sha256: UPDATE,
        expectedSha256: UPDATE,
        attempted: true,
      },
    ];
    const source = (i: number) => ({
      kind: 'guestos' as const,
      source: { kind: 'package_url' as const, url: `https://m${i}.example/x`, sha256: UPDATE },
    });
    const dropped = attachSources(artifacts, [
      source(0),
      source(0),
      ...Array.from({ length: 8 }, (_, i) => source(i + 1)),
      { kind: 'hostos', source: source(20).source },
    ]);
    expect(artifacts[0].sources).toHaveLength(8);
    expect(dropped).toEqual([
      'https://m8.example/x (more than 8 sources for guestos)',
      'https://m20.example/x (no hostos artifact in this attestation)',
    ]);
  });
});
