/**
 * The `icp` and `curl` commands the READMEs print, run exactly as printed against the test
 * network: only the network's address and the canister ids (which differ per network) are put
 * in. Commands with a `<placeholder>` the reader fills in are run with a value for it; commands
 * for mainnet (`-n ic`) are not run here.
 */
import { PROJECT_ROOT } from '@repro-registry/deploy';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNetwork } from '../support/network-context';
import { icpCli, shell, type Icp } from '../support/icp';

/** The shell lines of the ```sh blocks of a Markdown file (continuations joined). */
async function shellCommands(file: string): Promise<string[]> {
  const text = await readFile(join(PROJECT_ROOT, file), 'utf8');
  const lines: string[] = [];
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let current = '';
    for (const raw of block[1].split('\n')) {
      const line = raw.replace(/\s+#.*$/, '');
      current += line.endsWith('\\') ? line.slice(0, -1) : line;
      if (!line.endsWith('\\')) {
        if (current.trim()) lines.push(current.trim());
        current = '';
      }
    }
  }
  return lines;
}

const README_IDS = {
  registry: 'bd3sg-teaaa-aaaaa-qaaba-cai',
  consumer: 'be2us-64aaa-aaaaa-qaabq-cai',
};

describe('the README’s commands', () => {
  let icp: Icp;
  let commands: { file: string; line: string }[];
  beforeAll(async () => {
    icp = await icpCli();
    commands = [];
    for (const file of ['README.md', 'examples/consumer/README.md']) {
      for (const line of await shellCommands(file)) {
        if (/^(npx icp|icp|curl) /.test(line) && !/ -n ic\b/.test(line))
          commands.push({ file, line });
      }
    }
  });
  afterAll(() => icp?.dispose());

  function asRun(line: string): string {
    const { url, port, canisterIds } = localNetwork();
    return line
      .replaceAll('http://127.0.0.1:4943', url)
      .replaceAll('.localhost:4943', `.localhost:${port}`)
      .replaceAll(README_IDS.registry, canisterIds.registry)
      .replaceAll(README_IDS.consumer, canisterIds.consumer)
      .replaceAll('<principal>', localNetwork().deployer);
  }

  it('prints the icp and curl commands this test runs', () => {
    expect(commands.filter((c) => c.line.startsWith('npx icp')).length).toBeGreaterThanOrEqual(5);
    expect(commands.filter((c) => c.line.startsWith('curl')).length).toBeGreaterThanOrEqual(6);
  });

  it('runs every one of them successfully', async () => {
    for (const { file, line } of commands) {
      const r = await shell(`cd ${JSON.stringify(PROJECT_ROOT)} && ${asRun(line)}`, icp);
      const errors = r.stderr.split('\n').filter((l) => /error/i.test(l));
      expect({ file, line, code: r.code, errors }).toEqual({ file, line, code: 0, errors: [] });
      expect(r.stdout.length).toBeGreaterThan(0);
    }
  });
});
