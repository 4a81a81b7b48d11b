/**
 * `repro` end to end against the local network with the real agent: the built CLI runs as a
 * subprocess, as builders run it. key → attest → submit → status → verify, `check` with a
 * stand-in repro-check printing a recorded log, resubmission, rejection with the registry's
 * code, and an unreachable registry.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- reads the CLI's JSON output */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { createRegistryClient } from '@repro-registry/client';
import { identityFromPem } from '@repro-registry/local-network';
import { localNetwork } from '../support/network-context';
import { confirmProposals } from '../support/proposals';
import { COMMIT, attestArgs } from '../../cli/test/scenarios';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'cli', 'bin', 'repro.js');
const FIXTURES = join(ROOT, 'cli', 'test', 'fixtures');
const IMAGE_A = join(FIXTURES, 'archives', 'update-img-a.tar.zst');
const IMAGE_B = join(FIXTURES, 'archives', 'update-img-b.tar.zst');
const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function repro(
  args: string[],
  options: { configDir: string; env?: NodeJS.ProcessEnv; network?: boolean },
): Promise<Run> {
  const net = localNetwork();
  const networkArgs =
    options.network === false
      ? []
      : ['--network', net.url, '--canister-id', net.canisterIds['registry']];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args, ...networkArgs],
      {
        cwd: options.configDir,
        env: {
          PATH: process.env['PATH'],
          HOME: options.configDir,
          REPRO_CONFIG_DIR: options.configDir,
          ...options.env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON output is untyped by nature
const json = (run: Run) => JSON.parse(run.stdout) as Record<string, any>;

beforeAll(async () => {
  // The tests run the bundle builders get; build it from the current sources.
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [join(ROOT, 'cli', 'build.mjs')], (error) =>
      error ? reject(new Error(`building the CLI failed: ${error.message}`)) : resolve(),
    ),
  );
  // The proposals the builders reproduce, as governance has them (the registry counts only
  // proposals it confirmed on chain): image A is what they elect.
  const net = localNetwork();
  await confirmProposals({
    url: net.url,
    governanceId: net.canisterIds['governance'],
    registryId: net.canisterIds['registry'],
    controller: identityFromPem(readFileSync(net.deployerPemPath, 'utf8')),
    proposals: [
      { id: 139768n, commit: COMMIT, sha256: sha256Of(IMAGE_A) },
      { id: 139769n, commit: COMMIT, sha256: sha256Of(IMAGE_A) },
      { id: 139770n, os: 'hostos', commit: COMMIT, sha256: null },
    ],
  });
}, 120_000);

describe('repro against the local network', () => {
  it('key → attest → submit → status → verify, and a resubmission is a duplicate', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'repro-e2e-'));
    const key = json(await repro(['key', 'new', '--json'], { configDir, network: false }));
    const expected = sha256Of(IMAGE_A);

    const attested = await repro(
      attestArgs(
        { proposal: '139768', artifact: `guestos=${IMAGE_A}`, expected: `guestos=${expected}` },
        '--offline',
        '--json',
      ),
      { configDir },
    );
    expect(attested.stderr).toBe('');
    expect(attested.code).toBe(0);
    const { receipt, envelopePath } = json(attested);
    expect(receipt.duplicate).toBe(false);
    expect(receipt.builder).toBe(key.principal);
    const attestationId = String(receipt.attestationId);

    const status = await repro(['status', '139768', '--threshold', '1', '--json'], { configDir });
    expect(status.code).toBe(0);
    const s = json(status);
    const guestos = s.summary.artifacts.find((a: { kind: string }) => a.kind === 'guestos');
    expect(guestos.hashGroups).toEqual([
      expect.objectContaining({ sha256: expected, builderCount: '1' }),
    ]);
    expect(s.artifacts.find((a: { kind: string }) => a.kind === 'guestos').thresholdMet).toBe(true);
    // Checked against the IC's certificate (the summary's hash in the certified tree).
    expect(s.certified).toMatchObject({ at: expect.stringMatching(/^20\d\d-/) });
    expect(s.certified.logSize).toBeGreaterThan(0);
    const human = await repro(['status', '139768'], { configDir });
    expect(human.stdout).toMatch(/ certified by the IC at /);
    expect(human.stdout).toContain(expected);
    expect(human.stdout).toMatch(/verdicts: 1 match, 0 mismatch/);

    // A trust list holding this builder: `--list` counts only its builders and says so.
    const lead = await createRegistryClient({
      host: localNetwork().url,
      canisterId: localNetwork().canisterIds['registry'],
      identity: Ed25519KeyIdentity.generate(),
      fetchRootKey: true,
      retryTimes: 0,
    });
    const trusted = await lead.publishTrustList({
      name: `CLI reviewers ${key.principal.slice(0, 5)}`,
      description: 'the builders this test trusts',
      members: [key.principal],
    });
    if (!trusted.ok) throw new Error(trusted.error.code);
    for (let i = 0; i < 50; i++) {
      const s = await lead.getProposalSummary(139768n, {
        trustList: trusted.value.id,
        verify: false, // only waiting for the count here (verified reads: verified-reads.test.ts)
      });
      if (s.ok && s.value.scope.up_to_date) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const onList = await repro(['status', '139768', '--list', String(trusted.value.id), '--json'], {
      configDir,
    });
    expect(onList.code).toBe(0);
    expect(json(onList).summary.scope.trustList.name).toBe(trusted.value.name);
    expect(json(onList).summary.builderCount).toBe('1');
    expect(json(onList).certified).toBeNull(); // trust-list counts are not certified
    const onListHuman = await repro(['status', '139768', '--list', String(trusted.value.id)], {
      configDir,
    });
    expect(onListHuman.stdout).toContain(`1 builder(s) on list ${trusted.value.name}`);
    const noList = await repro(['status', '139768', '--list', '999999', '--json'], { configDir });
    expect(noList.code).toBe(4);
    expect(json(noList).error.code).toBe('TRUST_LIST_NOT_FOUND');

    const verified = await repro(['verify', '--attestation', attestationId, '--json'], {
      configDir,
    });
    expect(verified.code).toBe(0);
    expect(json(verified)).toMatchObject({ valid: true, builder: key.principal });
    // Its record and envelope hash certified, its acceptance proven in the certified log.
    expect(json(verified).certified.leafIndex).toBeLessThan(json(verified).certified.logSize);
    expect(
      json(verified).predicate.artifacts[0].members.map((m: { path: string }) => m.path),
    ).toEqual(['VERSION.TXT', 'boot.img', 'root.img']);

    // The registry's copy on either side of a diff: the same archive, down to every layer.
    const sameAsRegistry = await repro(
      ['diff', IMAGE_A, '--attestation', attestationId, '--json'],
      { configDir },
    );
    expect(sameAsRegistry.code).toBe(0);
    expect(json(sameAsRegistry)).toMatchObject({ identical: true, layer: 'none' });

    const again = await repro(['submit', envelopePath, '--json'], { configDir });
    expect(again.code).toBe(0);
    expect(json(again).receipt).toMatchObject({
      duplicate: true,
      attestationId: receipt.attestationId,
    });

    const unknown = await repro(['status', '987654321', '--json'], { configDir });
    expect(unknown.code).toBe(4);
    expect(json(unknown).error.code).toBe('PROPOSAL_NOT_FOUND');

    const list = await repro(['list', '--json'], { configDir });
    expect(json(list).proposals.map((p: { proposalId: string }) => p.proposalId)).toContain(
      '139768',
    );
    // One JSON style: camelCase, null for absent, u64 as decimal strings.
    const first = json(await repro(['list', '--limit', '1', '--json'], { configDir }));
    expect(first.proposals).toHaveLength(1);
    expect(typeof first.total).toBe('string');
    if (first.nextCursor !== null) {
      const next = json(
        await repro(['list', '--limit', '1', '--cursor', first.nextCursor, '--json'], {
          configDir,
        }),
      );
      expect(next.proposals[0].proposalId).not.toBe(first.proposals[0].proposalId);
    }
  });

  it('check with a stand-in repro-check: submits the reproduction with member hashes, and a mismatch exits 1', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'repro-e2e-check-'));
    await repro(['key', 'new'], { configDir, network: false });
    const builds = mkdtempSync(join(tmpdir(), 'repro-e2e-builds-'));
    const standIn = join(FIXTURES, 'stand-in-repro-check.mjs');
    const env = {
      STANDIN_LOG: join(FIXTURES, 'logs', 'python-logging-guestos-success.log'),
      STANDIN_EXIT: '0',
      STANDIN_IMAGE: IMAGE_B,
      STANDIN_COMMIT: COMMIT,
      STANDIN_TMP_PARENT: builds,
    };
    // The proposal expects image A: the stand-in "built" image B, which differs in root.img.
    const run = await repro(
      [
        'check',
        '139769',
        '--script',
        standIn,
        '--commit',
        COMMIT,
        '--expected',
        sha256Of(IMAGE_A),
        '--guestos',
        '--cache-dir',
        builds,
        '--json',
      ],
      { configDir, env },
    );
    expect(run.code).toBe(1);
    const result = json(run);
    expect(result.submitted).toBe(true);
    expect(result.verdicts).toEqual([{ kind: 'guestos', verdict: 'mismatch' }]);
    expect(run.stderr).toContain('Verification successful for GuestOS!'); // the script's output was streamed

    const att = json(
      await repro(['verify', '--attestation', String(result.receipt.attestationId), '--json'], {
        configDir,
      }),
    );
    const diff = await repro(['diff', IMAGE_A, result.envelopePath, '--json'], {
      configDir,
      network: false,
    });
    expect(diff.code).toBe(1);
    expect(json(diff).differences.map((d: { path: string }) => d.path)).toEqual(['root.img']);
    expect(att.predicate.tool.scriptSha256).toBe(sha256Of(standIn));
  });

  it('a rejected submission exits 4 with the registry code', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'repro-e2e-reject-'));
    await repro(['key', 'new'], { configDir, network: false });
    let last: Run | null = null;
    // The registry lets a builder submit 10 attestations at once (rate_limit.ts); the 11th is refused.
    for (let i = 0; i < 11; i++) {
      const h = createHash('sha256').update(`hostos build ${i}`).digest('hex');
      last = await repro(
        attestArgs(
          { proposal: '139770', artifact: `hostos=${h}`, expected: `hostos=${h}` },
          '--offline',
          '--json',
        ),
        { configDir },
      );
      if (last.code !== 0) break;
    }
    expect(last!.code).toBe(4);
    expect(json(last!).error.code).toBe('RATE_LIMITED');
    // Its meaning and what to do, with the time to retry from the registry's own rule.
    expect(json(last!).error.message).toMatch(/^RATE_LIMITED: this builder sent more attestations/);
    expect(json(last!).error.hint).toMatch(/^retry after \d\d:\d\d UTC/);
  });

  it('an unreachable registry exits 3 and keeps the signed envelope for `repro submit`', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'repro-e2e-down-'));
    await repro(['key', 'new'], { configDir, network: false });
    const h = 'cd'.repeat(32);
    const down = await repro(
      attestArgs(
        { proposal: '139768', artifact: `guestos=${h}`, expected: `guestos=${h}` },
        '--offline',
        '--network',
        'http://127.0.0.1:9',
        '--canister-id',
        localNetwork().canisterIds['registry'],
      ),
      { configDir, network: false },
    );
    expect(down.code).toBe(3);
    // One line that says what happened and where the envelope is.
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    expect(down.stderr).toMatch(
      /^error: cannot reach the registry at http:\/\/127\.0\.0\.1:9: .* the signed envelope is saved at (\S+) \(send it later with `repro submit/,
    );
    const saved = /saved at (\S+) /.exec(down.stderr)?.[1];
    expect(saved).toBeDefined();
    const stillDown = await repro(
      [
        'submit',
        saved!,
        '--network',
        'http://127.0.0.1:9',
        '--canister-id',
        localNetwork().canisterIds['registry'],
      ],
      { configDir, network: false },
    );
    expect(stillDown.code).toBe(3);
    const noCanister = await repro(['submit', saved!, '--network', 'local'], {
      configDir,
      network: false,
    });
    expect(noCanister.code).toBe(2);
    expect(noCanister.stderr).toContain(
      'no registry canister id configured — pass --canister-id <id>, set REPRO_CANISTER_ID',
    );
    const later = await repro(['submit', saved!, '--json'], { configDir });
    expect(later.code).toBe(0);
    expect(json(later).receipt.duplicate).toBe(false);
  });

  it('repro log: a certified checkpoint, saved, consistent next time; a rewritten history fails verification (exit 6)', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'repro-e2e-log-'));
    const first = await repro(['log', '--json'], { configDir });
    expect(first.code).toBe(0);
    expect(json(first).consistency).toMatch(/^first checkpoint/);
    const savedPath = json(first).saved as string;
    const saved = readFileSync(savedPath, 'utf8');
    expect(saved.split('\n').slice(0, 3)).toEqual([
      `${localNetwork().canisterIds['registry']}.icp0.io/log`,
      String(json(first).size),
      json(first).root,
    ]);
    const second = await repro(['log', '--json'], { configDir });
    expect(second.code).toBe(0);
    expect(json(second).consistency).toMatch(/^consistent with the checkpoint saved before/);
    // What a registry that rewrote its log looks like to a builder who saved a checkpoint:
    // the saved root is not one the current log extends.
    const lines = readFileSync(savedPath, 'utf8').split('\n');
    lines[2] = Buffer.alloc(32, 7).toString('base64');
    writeFileSync(savedPath, lines.join('\n'));
    const rewritten = await repro(['log', '--json'], { configDir });
    expect(rewritten.code).toBe(6);
    expect(json(rewritten).error.code).toMatch(/ROOT_MISMATCH/);
  });
});
