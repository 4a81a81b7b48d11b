import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchMissingSources, hashUrl, sourcesFromReproCheckCache } from './sources';

const COMMIT = 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
// Written by GNU sha256sum (cli/test/fixtures/sources/README.md): lists update-img.tar.zst.
const SUMS = readFileSync(
  new URL('../../test/fixtures/sources/SHA256SUMS.text', import.meta.url),
  'utf8',
);
const LISTED = SUMS.split('  ')[0];

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/image') return void res.end('served bytes');
    if (req.url === '/SHA256SUMS') return void res.end(SUMS);
    res.statusCode = 404;
    res.end('<html>not found</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("reading sources from repro-check's cache", () => {
  it('hashes each package URL download, reads each CDN sums entry, skips URLs sharing a host', async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'repro-sources-'));
    const put = (relative: string, text: string) => {
      mkdirSync(path.dirname(path.join(cache, relative)), { recursive: true });
      writeFileSync(path.join(cache, relative), text);
    };
    put(`${COMMIT}/download.dfinity.systems/guest-os/SHA256SUMS`, SUMS);
    put(`${COMMIT}/download.dfinity.systems/proposal/update-img.tar.zst`, 'systems bytes');
    put(`${COMMIT}/download.dfinity.network/proposal/update-img.tar.zst`, 'network bytes');
    const url = (host: string) =>
      `https://${host}/ic/${COMMIT}/guest-os/update-img/update-img.tar.zst`;
    const { sources, skipped } = await sourcesFromReproCheckCache({
      cacheDir: cache,
      commit: COMMIT,
      kinds: ['guestos'],
      fileNameOf: () => 'update-img.tar.zst',
      packageKind: 'guestos',
      packageUrls: [
        url('download.dfinity.systems'),
        url('download.dfinity.network'),
        `${url('mirror.example')}?a`,
        `${url('mirror.example')}?b`,
      ],
    });
    expect(sources.map((s) => s.source)).toEqual([
      {
        kind: 'sha256sums',
        url: `https://download.dfinity.systems/ic/${COMMIT}/guest-os/update-img/SHA256SUMS`,
        sha256: LISTED,
      },
      { kind: 'package_url', url: url('download.dfinity.systems'), sha256: sha('systems bytes') },
      { kind: 'package_url', url: url('download.dfinity.network'), sha256: sha('network bytes') },
    ]);
    expect(skipped).toHaveLength(2);
  });
});

describe('downloading sources (--fetch-sources) from a real HTTP server', () => {
  it('streams a URL into its hash; a failed download is recorded as null with the reason', async () => {
    expect(await hashUrl(`${base}/image`)).toBe(sha('served bytes'));
    const { sources, problems } = await fetchMissingSources({
      have: [],
      commit: COMMIT,
      kinds: [],
      fileNameOf: () => 'update-img.tar.zst',
      packageKind: 'guestos',
      packageUrls: [`${base}/image`, `${base}/gone`],
    });
    expect(sources.map((s) => s.source.sha256)).toEqual([sha('served bytes'), null]);
    expect(problems).toEqual([`cannot download ${base}/gone: HTTP 404`]);
  });
});
