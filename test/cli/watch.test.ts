/**
 * `repro watch` against the local network: the registry's event stream through the real agent
 * (the JSON API's `/api/v1/events` read with the `http_request` query), resumed from its saved
 * cursor, and `--exec` running a program per event without a shell. The network is shared with
 * other test files, so only this file's proposal is looked at.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BARE_METAL, testArtifact, testPredicate } from '@repro-registry/attestation/testing';
import { identityFromPem } from '@repro-registry/local-network';
import { beforeAll, describe, expect, it } from 'vitest';

import { localNetwork } from '../support/network-context';
import { confirmProposals, submitAsNewBuilder } from '../support/proposals';
import { newConfigDir, reproInProcess } from '../support/run-cli';

const COMMIT = '3d0b3f10417fc6708e8b5d844a0bac5e86f3e17d';
const HASH = 'c'.repeat(64);
const OTHER = 'd'.repeat(63) + 'e';
const ID = 7_600_000n + BigInt(Math.floor(Math.random() * 100_000));
/** User text from governance, as hostile as a title can be. */
const TITLE = 'Elect $(touch PWNED); `touch PWNED2` | rm -rf x "quoted"';

interface Event {
  seq: string;
  type: string;
  proposalId: string;
  proposalTitle: string | null;
}

const lines = (stdout: string): Event[] =>
  stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Event);

const mine = (events: Event[]) => events.filter((e) => e.proposalId === ID.toString());

async function submitOther(machine: 'bare_metal' | 'kvm'): Promise<void> {
  const net = localNetwork();
  await submitAsNewBuilder({
    url: net.url,
    registryId: net.canisterIds['registry'],
    predicate: testPredicate({
      proposalId: ID.toString(),
      commit: COMMIT,
      artifacts: [testArtifact({ kind: 'guestos', sha256: OTHER, expectedSha256: HASH })],
      environment: {
        ...BARE_METAL,
        virtualization: machine,
        osName: machine === 'kvm' ? 'Fedora' : 'Ubuntu',
      },
    }),
  });
}

describe('repro watch (local network)', () => {
  const configDir = newConfigDir();
  const work = mkdtempSync(join(tmpdir(), 'repro-watch-'));
  const cursorFile = join(work, 'cursor.json');

  beforeAll(async () => {
    const net = localNetwork();
    await confirmProposals({
      url: net.url,
      governanceId: net.canisterIds['governance'],
      registryId: net.canisterIds['registry'],
      controller: identityFromPem(readFileSync(net.deployerPemPath, 'utf8')),
      proposals: [{ id: ID, commit: COMMIT, sha256: HASH, title: TITLE }],
    });
  });

  it('prints the events, resumes from its saved cursor and raises the red alert', async () => {
    const first = await reproInProcess(
      ['watch', '--once', '--json', '--since', '0', '--cursor-file', cursorFile],
      { configDir },
    );
    expect(first.code, first.stderr).toBe(0);
    expect(mine(lines(first.stdout))).toMatchObject([
      { type: 'proposal_seen', proposalTitle: TITLE },
    ]);
    const saved = JSON.parse(readFileSync(cursorFile, 'utf8')) as { cursor: string };
    expect(saved.cursor).toBe(lines(first.stdout).at(-1)?.seq);

    await submitOther('bare_metal');
    await submitOther('kvm');
    const second = await reproInProcess(
      ['watch', '--once', '--json', '--cursor-file', cursorFile],
      { configDir },
    );
    expect(second.code, second.stderr).toBe(0);
    const after = lines(second.stdout);
    // Resumed: nothing at or before the saved cursor again.
    expect(after.every((e) => BigInt(e.seq) > BigInt(saved.cursor))).toBe(true);
    expect(mine(after).map((e) => e.type)).toEqual([
      'first_attestation',
      'first_mismatch',
      'red_alert',
    ]);

    // People read lines; the red alert says how many builders and how long is left.
    const human = await reproInProcess(['watch', '--once', '--since', saved.cursor], { configDir });
    expect(human.stdout).toMatch(
      new RegExp(
        `#\\d+  proposal ${ID}  red_alert  RED ALERT: 2 builders on 2 kinds of machine .* 3 days \\d+ hours? left to vote`,
      ),
    );
  });

  it('runs --exec per event without a shell: the event in REPRO_EVENT_* and on stdin', async () => {
    const script = join(work, 'record.mjs');
    const log = join(work, 'log.jsonl');
    writeFileSync(
      script,
      [
        "import { appendFileSync, readFileSync } from 'node:fs';",
        'const stdin = readFileSync(0, "utf8");',
        'const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("REPRO_EVENT_")));',
        'appendFileSync(process.argv[2], JSON.stringify({ argv: process.argv.slice(3), env, stdin: JSON.parse(stdin) }) + "\\n");',
      ].join('\n'),
    );
    const run = await reproInProcess(
      [
        'watch',
        '--once',
        '--since',
        '0',
        '--cursor-file',
        join(work, 'exec-cursor.json'),
        '--exec',
        `${process.execPath} ${script} ${log} 'two words' "it's"`,
      ],
      { configDir },
    );
    expect(run.code, run.stderr).toBe(0);
    const calls = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { argv: string[]; env: Record<string, string>; stdin: Event });
    const ours = calls.filter((c) => c.env['REPRO_EVENT_PROPOSAL_ID'] === ID.toString());
    expect(ours.map((c) => c.env['REPRO_EVENT_TYPE'])).toEqual([
      'proposal_seen',
      'first_attestation',
      'first_mismatch',
      'red_alert',
    ]);
    for (const call of ours) {
      expect(call.argv).toEqual(['two words', "it's"]);
      expect(call.env['REPRO_EVENT_TITLE']).toBe(TITLE);
      expect(call.stdin.seq).toBe(call.env['REPRO_EVENT_SEQ']);
      expect(call.stdin.proposalTitle).toBe(TITLE);
    }
    expect(ours.at(-1)?.env).toMatchObject({
      REPRO_EVENT_BUILDERS: '2',
      REPRO_EVENT_SHA256: OTHER,
    });
    // The title's shell syntax ran nowhere.
    expect(existsSync(join(process.cwd(), 'PWNED'))).toBe(false);
    expect(existsSync(join(work, 'PWNED'))).toBe(false);
    expect(existsSync(join(configDir, 'PWNED'))).toBe(false);

    const refused = await reproInProcess(['watch', '--once', '--exec', 'echo $REPRO_EVENT_TYPE'], {
      configDir,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('runs the command without a shell');
  });
});
