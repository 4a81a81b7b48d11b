/**
 * `npm start` as a newcomer runs it (the same script, as a child process, on its own port and
 * state directory): what it prints is where things are, the page is the frontend canister's on
 * the verified gateway host, 127.0.0.1 redirects there, and a restart keeps the canisters.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { PROJECT_ROOT } from '@repro-registry/deploy';
import { httpRequest } from '../support/http';

interface Started {
  child: ChildProcess;
  output: string;
  lines: Record<string, string>;
}

/** Runs scripts/start.ts until it prints "Press Ctrl-C"; the printed `Label: value` lines. */
function startScript(stateDir: string): Promise<Started> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/start.ts', '--port', '0', '--state-dir', stateDir],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not get ready:\n${output}`)),
      240_000,
    );
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      if (!output.includes('Press Ctrl-C to stop.')) return;
      clearTimeout(timer);
      const lines: Record<string, string> = {};
      for (const m of output.matchAll(/^ {2}([A-Z][A-Za-z ]+?):\s+(\S+)/gm)) lines[m[1]] = m[2];
      resolve({ child, output, lines });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

function stop(started: Started): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.on('exit', (code) => resolve(code));
    started.child.kill('SIGTERM');
  });
}

/** GET through the network's port, naming the URL's host (Node does not resolve *.localhost). */
async function get(
  url: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const u = new URL(url);
  const r = await httpRequest({ port: u.port, path: u.pathname + u.search, host: u.host });
  return {
    status: r.status,
    headers: Object.fromEntries(r.headers.map(([k, v]) => [k.toLowerCase(), v])),
    body: r.body.toString(),
  };
}

const stateDirs: string[] = [];
afterAll(async () => {
  for (const d of stateDirs) await rm(d, { recursive: true, force: true });
});

describe('npm start', () => {
  it('prints the frontend canister URL, redirects 127.0.0.1 there, and restarts with the same canisters', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'repro-start-'));
    stateDirs.push(stateDir);
    const first = await startScript(stateDir);
    let firstLines: Record<string, string>;
    try {
      firstLines = first.lines;
      const network = firstLines['IC HTTP interface'];
      const frontend = firstLines['Frontend'];
      const registry = firstLines['Registry canister'];
      expect(network).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const port = new URL(network).port;
      expect(frontend).toMatch(new RegExp(`^http://[a-z0-9-]+\\.localhost:${port}/$`));
      expect(firstLines['Registry JSON API']).toBe(
        `http://${registry}.localhost:${port}/api/v1/proposals`,
      );
      expect(first.output).toContain(`(uncertified: http://${registry}.raw.localhost:${port}/`);
      expect(firstLines['Badges']).toBe(`http://${registry}.localhost:${port}/badge/<proposal`);
      expect(first.output).toContain(`(http://127.0.0.1:${port}/ redirects there)`);

      const page = await get(frontend);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(String(page.headers['ic-certificate'])).toMatch(/^certificate=:/);
      expect(page.body).toContain('<div id="app">');

      const redirect = await get(`${network}/proposal/900001?x=1`);
      expect(redirect.status).toBe(307);
      expect(redirect.headers['location']).toBe(`${frontend}proposal/900001?x=1`);

      const api = await get(firstLines['Registry JSON API']);
      expect(api.status).toBe(200);
      expect(JSON.parse(api.body)).toHaveProperty('proposals');
      // A page depends on its query: served under a no_certification expression. The counts
      // are certified: the verified host serves them.
      expect(api.headers['ic-certificateexpression']).toMatch(/no_certification/);
      const info = await get(`http://${registry}.localhost:${port}/api/v1/info`);
      expect(info.status).toBe(200);
      expect(String(info.headers['ic-certificateexpression'])).toMatch(/\{certification:/);
    } finally {
      expect(await stop(first)).toBe(0);
    }

    const second = await startScript(stateDir);
    try {
      expect(second.lines['Registry canister']).toBe(firstLines['Registry canister']);
      const frontendId = (url: string) => new URL(url).hostname.split('.')[0];
      expect(frontendId(second.lines['Frontend'])).toBe(frontendId(firstLines['Frontend']));
      // Nothing changed in between: nothing is installed again.
      expect(second.output).not.toMatch(/: (install|upgrade) \.azle\//);
      const page = await get(second.lines['Frontend']);
      expect(page.status).toBe(200);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  }, 600_000);
});
