import { describe, expect, it } from 'vitest';
import { isSourceUrl, sourceDisagreements } from './sources';
import type { ArtifactSource } from './types';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const SUMS =
  'https://download.dfinity.systems/ic/bcac7ca3862fd8409d56d9dcda919a5f25acbbd4/guest-os/update-img/SHA256SUMS';
const NET =
  'https://download.dfinity.network/ic/bcac7ca3862fd8409d56d9dcda919a5f25acbbd4/guest-os/update-img/update-img.tar.zst';

function source(kind: ArtifactSource['kind'], url: string, sha256: string | null): ArtifactSource {
  return { kind, url, sha256 };
}

describe('source URLs', () => {
  it('takes the CDN and mirror URLs repro-check downloads, with a port', () => {
    expect(isSourceUrl(SUMS)).toBe(true);
    expect(isSourceUrl(NET)).toBe(true);
    expect(isSourceUrl('http://127.0.0.1:8080/ic/x/SHA256SUMS?x=1#y')).toBe(true);
    expect(isSourceUrl('https://a.b')).toBe(true);
  });
  it('refuses other schemes, markup, spaces, non-ASCII, empty hosts and long URLs', () => {
    for (const bad of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'ftp://download.dfinity.systems/x',
      'https://',
      'https://./x',
      'https://host/<script>',
      'https://host/a b',
      'https://host/"x"',
      'https://hóst/x',
      'https://host/\u202ex',
      'https://user@host/x',
      `https://host/${'a'.repeat(512)}`,
    ])
      expect(isSourceUrl(bad), bad).toBe(false);
    expect(isSourceUrl(`https://host/${'a'.repeat(512 - 13)}`)).toBe(true);
  });
});

describe('source disagreements', () => {
  it("names every source whose hash is not the proposal's; failed reads disagree with nothing", () => {
    const sources = [
      source('sha256sums', SUMS, A),
      source('package_url', NET, B),
      source('package_url', SUMS, null),
    ];
    expect(sourceDisagreements(sources, A)).toEqual([{ source: sources[1], reference: A }]);
    expect(sourceDisagreements(sources, B).map((d) => d.source.kind)).toEqual(['sha256sums']);
  });
  it('without a reference, all sources disagree when they are not one hash', () => {
    expect(
      sourceDisagreements([source('sha256sums', SUMS, A), source('package_url', NET, A)], null),
    ).toEqual([]);
    expect(
      sourceDisagreements([source('sha256sums', SUMS, A), source('package_url', NET, B)], null),
    ).toHaveLength(2);
    expect(sourceDisagreements(undefined, A)).toEqual([]);
  });
});
