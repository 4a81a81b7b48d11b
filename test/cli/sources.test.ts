/**
 * The release's other sources of a hash, end to end on the local network: `repro attest`
 * reads the proposal's hash from governance, downloads the release's SHA256SUMS over HTTP,
 * hashes what the proposal's second URL served, signs and submits; the registry's summary (and
 * its JSON API) says that the sources disagree with the proposal — a reason to reject.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { createRegistryClient } from '@repro-registry/client';
import { identityFromPem } from '@repro-registry/local-network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { localNetwork } from '../support/network-context';
import { confirmProposals } from '../support/proposals';
import { newConfigDir, reproInProcess } from '../support/run-cli';

const COMMIT = 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4';
const IMAGE = 'stand-in update image\n';
const HASH = createHash('sha256').update(IMAGE).digest('hex');
const OTHER_BYTES = 'other bytes on the second URL\n';
// An id no other test file uses.
const ID = 7_600_000n + BigInt(Math.floor(Math.random() * 100_000));
const dir = `ic/${COMMIT}/guest-os/update-img`;

describe("the release's other sources (local network)", () => {
  let server: Server;
  let cdn: string;
  beforeAll(async () => {
    // A CDN stand-in serving the release's SHA256SUMS in sha256sum's form (as repro-check
    // fetches it from https://<cdn>/ic/<commit>/guest-os/update-img/SHA256SUMS).
    server = createServer((req, res) => {
      if (req.url === `/${dir}/SHA256SUMS`) res.end(`${HASH}  update-img.tar.zst\n`);
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cdn = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const net = localNetwork();
    await confirmProposals({
      url: net.url,
      governanceId: net.canisterIds['governance'],
      registryId: net.canisterIds['registry'],
      controller: identityFromPem(readFileSync(net.deployerPemPath, 'utf8')),
      proposals: [
        {
          id: ID,
          commit: COMMIT,
          sha256: HASH,
          urls: [
            `https://download.dfinity.systems/${dir}/update-img.tar.zst`,
            `https://download.dfinity.network/${dir}/update-img.tar.zst`,
          ],
        },
      ],
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("attest records SHA256SUMS and the URLs' bytes; the registry flags the second URL", async () => {
    const configDir = newConfigDir();
    expect((await reproInProcess(['key', 'new'], { configDir, network: false })).code).toBe(0);
    const served = join(configDir, 'from-network.tar.zst');
    writeFileSync(served, OTHER_BYTES);
    const second = `https://download.dfinity.network/${dir}/update-img.tar.zst`;
    const run = await reproInProcess(
      [
        ...['attest', '--proposal', ID.toString(), '--commit', COMMIT],
        ...['--artifact', `guestos=${HASH}`],
        ...['--sha256sums', `guestos=${cdn}/${dir}/SHA256SUMS`],
        ...[
          '--package-url-hash',
          `https://download.dfinity.systems/${dir}/update-img.tar.zst=${HASH}`,
        ],
        ...['--package-url-hash', `${second}=${served}`],
        '--json',
      ],
      { configDir },
    );
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- CLI JSON
    expect(out.warnings).toEqual([
      `guestos: the release's sources disagree with the expected hash (${second}) — a reason to reject the proposal`,
    ]);

    const net = localNetwork();
    const registry = await createRegistryClient({
      host: net.url,
      canisterId: net.canisterIds['registry'],
      fetchRootKey: true,
      retryTimes: 0,
    });
    const summary = await registry.getProposalSummary(ID);
    if (!summary.ok) throw new Error(summary.error.code);
    expect(summary.value.sources_disagree).toBe(true);
    expect(summary.value.release_sources).toEqual([
      expect.objectContaining({
        source: 'sha256sums',
        url: `${cdn}/${dir}/SHA256SUMS`,
        sha256: [HASH],
        agrees: [true],
      }),
      expect.objectContaining({ source: 'package_url', sha256: [HASH], agrees: [true] }),
      {
        kind: 'guestos',
        source: 'package_url',
        url: second,
        sha256: [createHash('sha256').update(OTHER_BYTES).digest('hex')],
        builder_count: 1n,
        agrees: [false],
      },
    ]);

    // The JSON API says the same (as feed readers and bots read it).
    const api = await fetch(
      `${net.url}/api/v1/proposals/${ID}?canisterId=${net.canisterIds['registry']}`,
    );
    const body = (await api.json()) as { sources_disagree: boolean; release_sources: unknown[] };
    expect(body.sources_disagree).toBe(true);
    expect(body.release_sources).toHaveLength(3);

    // And `repro watch` (the event stream) tells it, once, with the URL.
    const watched = await reproInProcess(['watch', '--once', '--json', '--since', '0'], {
      configDir,
    });
    const events = watched.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; proposalId: string; summary: string })
      .filter((e) => e.type === 'sources_disagree' && e.proposalId === ID.toString());
    expect(events).toHaveLength(1);
    expect(events[0]?.summary).toContain(
      `${second} gives another guestos hash than proposal ${ID}`,
    );
  });
});
