/**
 * Canister reproductions end to end on the local network: the governance stand-in `npm start`
 * installed is the target of local proposal 900004, which states its module hash. `repro
 * proposal` reads the module the target runs from the certified state (proposed = deployed),
 * and `repro attest --canister` hashes the built module, takes the expected hash from the
 * proposal, signs a canister reproduction that verifies; `repro submit` hands it to the
 * registry, which reads 900004 from governance, counts it per canister kind, and reads the module
 * the stand-in runs on chain: proposed = reproduced = deployed.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access -- reads the CLI's JSON output */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { PROJECT_ROOT } from '@repro-registry/deploy';
import { beforeAll, describe, expect, it } from 'vitest';

import { createRegistryClient, type ProposalSummary } from '@repro-registry/client';

import { localNetwork } from '../support/network-context';
import { newConfigDir, reproInProcess } from '../support/run-cli';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON output is untyped by nature
type Json = Record<string, any>;
const json = (stdout: string) => JSON.parse(stdout) as Json;

const MODULE = join(PROJECT_ROOT, '.azle', 'governance', 'governance.wasm');
// The stand-in is not built from a dfinity/ic commit and 900004's summary claims none: any
// commit is taken. This one names the proposal-verification document the summary links.
const COMMIT = '4b7cde9a0e3b5ad4725e75cbc36ce635be6fa6a8';

describe('canister reproductions (local network)', () => {
  let configDir: string;
  let standIn: string;
  let moduleSha256: string;

  const attest = (args: string[]) =>
    reproInProcess(['attest', '--proposal', '900004', '--commit', COMMIT, ...args], {
      configDir,
    });

  beforeAll(async () => {
    configDir = newConfigDir();
    standIn = localNetwork().canisterIds['governance']!;
    moduleSha256 = createHash('sha256').update(readFileSync(MODULE)).digest('hex');
    expect((await reproInProcess(['key', 'new'], { configDir, network: false })).code).toBe(0);
  });

  it('repro proposal shows proposed = deployed for the upgrade that installed the stand-in', async () => {
    const run = await reproInProcess(['proposal', '900004', '--json']);
    expect(run.code).toBe(0);
    const out = json(run.stdout);
    expect(out.canisterInstall).toMatchObject({
      targetCanisterId: standIn,
      wasmModuleHashHex: moduleSha256,
    });
    expect(out.deployed).toEqual({
      canisterId: standIn,
      proposedSha256: moduleSha256,
      deployedSha256: moduleSha256,
      state: 'deployed',
    });
    const text = await reproInProcess(['proposal', '900004'], { configDir });
    expect(text.stdout).toMatch(
      /deployed\s+[0-9a-f]{64} \(= proposed: the canister runs this module\)/,
    );

    // 900005 upgrades NNS governance's id, which runs nothing on this network.
    const open = json(
      (await reproInProcess(['proposal', '900005', '--json'], { configDir })).stdout,
    );
    expect(open.deployed).toMatchObject({ state: 'not-yet', deployedSha256: null });
  });

  it('attests the built module against the proposal, signs a canister reproduction that verifies, and the registry counts it and finds it deployed', async () => {
    const dryRun = await attest(['--canister', `${standIn}=${MODULE}`, '--dry-run', '--json']);
    expect(dryRun.code).toBe(0);
    const statement = json(dryRun.stdout).statement as Json;
    expect(statement.predicateType).toBe(
      'https://repro-registry.org/attestation/canister-reproduction/v1',
    );
    expect(statement.predicate.artifacts).toEqual([
      {
        kind: `canister:${standIn}`,
        name: 'governance.wasm',
        sha256: moduleSha256,
        expectedSha256: moduleSha256,
        verdict: 'match',
      },
    ]);

    // The argument hash a builder computed, given bare: the proposal's is that of `()`.
    const argHash = createHash('sha256').update(Buffer.from('4449444c0000', 'hex')).digest('hex');
    const out = join(configDir, 'canister-attestation.json');
    const signed = await attest([
      '--canister',
      `${standIn}=${MODULE}`,
      '--canister-arg',
      `${standIn}=${argHash}`,
      '--expected',
      `canister:${standIn}=${moduleSha256}`,
      '--expected',
      `canister-arg:${standIn}=${argHash}`,
      '--out',
      out,
    ]);
    expect(signed.code).toBe(0);
    expect((await reproInProcess(['verify', out], { configDir, network: false })).code).toBe(0);

    const submitted = await reproInProcess(['submit', out, '--json'], { configDir });
    expect(submitted.code).toBe(0);

    // The registry reads 900004 from governance (executed), counts the reproduction under its
    // canister kind, and reads the module the stand-in runs with canister_info.
    const registry = await createRegistryClient({
      host: localNetwork().url,
      canisterId: localNetwork().canisterIds['registry'],
      fetchRootKey: true,
      retryTimes: 0,
    });
    let summary: ProposalSummary | undefined;
    for (let i = 0; i < 150 && summary?.deployed[0]?.state !== 'deployed'; i++) {
      const s = await registry.getProposalSummary(900004n);
      if (s.ok) summary = s.value;
      else expect(s.error.code).toBe('PROPOSAL_PENDING');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(summary?.on_chain[0]).toMatchObject({
      kind: 'canister_install',
      expected: [
        { kind: `canister:${standIn}`, sha256: moduleSha256 },
        { kind: `canister-arg:${standIn}`, sha256: argHash },
      ],
    });
    const byKind = new Map(summary?.artifacts.map((a) => [a.kind, a]));
    expect(byKind.get(`canister:${standIn}`)).toMatchObject({
      expected_sha256: [moduleSha256],
      expected_source: 'proposal',
      hash_groups: [expect.objectContaining({ sha256: moduleSha256, matches_expected: [true] })],
    });
    expect(byKind.get(`canister-arg:${standIn}`)?.verdicts.match).toBeGreaterThanOrEqual(1n);
    expect(summary?.deployed[0]).toMatchObject({
      state: 'deployed',
      proposed_sha256: moduleSha256,
      deployed_sha256: [moduleSha256],
      reproduced_sha256: [moduleSha256],
      agreement: 'proposed = reproduced = deployed',
    });
  });

  it('repro check --canister-script runs the build script, hashes the module it leaves and attests it', async () => {
    // A stand-in for cli/examples/build-nns-canister.sh: it "builds" by copying the module
    // npm start installed, named as dfinity/ic names modules, next to another one.
    const script = join(configDir, 'build-stand-in.sh');
    writeFileSync(
      script,
      `#!/usr/bin/env bash\nset -eu\ntest "$1" = "$REPRO_COMMIT"\ncp ${MODULE} "$2/$REPRO_CANISTER.wasm.gz"\necho other > "$2/ledger-canister.wasm.gz"\n`,
      { mode: 0o755 },
    );
    const run = await reproInProcess(
      ['check', '900004', '--canister-script', script, '--commit', COMMIT, '--dry-run', '--json'],
      { configDir },
    );
    expect(run.code).toBe(0);
    const statement = json(run.stdout).statement as Json;
    expect(statement.predicate.tool).toMatchObject({ name: 'build-stand-in.sh' });
    expect(statement.predicate.artifacts).toEqual([
      {
        kind: `canister:${standIn}`,
        name: `${standIn}.wasm.gz`,
        sha256: moduleSha256,
        expectedSha256: moduleSha256,
        verdict: 'match',
      },
    ]);

    const failing = join(configDir, 'build-fails.sh');
    writeFileSync(failing, '#!/usr/bin/env bash\necho "no space left on device" >&2\nexit 3\n', {
      mode: 0o755,
    });
    const failed = await reproInProcess(
      ['check', '900004', '--canister-script', failing, '--commit', COMMIT, '--dry-run', '--json'],
      { configDir },
    );
    expect(failed.code).toBe(1);
    expect(json(failed.stdout).statement.predicate.artifacts[0]).toMatchObject({
      verdict: 'build_failed',
      sha256: null,
    });
  });

  it('exits 1 on another module and refuses a target the proposal does not install into', async () => {
    const other = join(configDir, 'other.wasm');
    writeFileSync(other, Buffer.from('0061736d01000000', 'hex'));
    const mismatch = await attest(['--canister', `${standIn}=${other}`, '--dry-run', '--json']);
    expect(mismatch.code).toBe(1);
    expect(json(mismatch.stdout).statement.predicate.artifacts[0].verdict).toBe('mismatch');

    const wrongTarget = await attest(['--canister', `ledger=${MODULE}`, '--dry-run']);
    expect(wrongTarget.code).toBe(2);
    expect(wrongTarget.stderr).toContain(
      `asks for canister:${standIn}, canister-arg:${standIn}, not canister:ledger`,
    );
  });
});
