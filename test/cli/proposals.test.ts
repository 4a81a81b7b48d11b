/**
 * `repro proposals --open` against the local network: governance's `list_proposals` (the
 * stand-in seeded as `npm start` seeds it) and the registry, through the real agent. The CLI
 * runs in this process (`runCli`), as its bundle would.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- reads the CLI's JSON output */
import { readFileSync } from 'node:fs';

import { testArtifact, testPredicate } from '@repro-registry/attestation/testing';
import { identityFromPem } from '@repro-registry/local-network';
import { beforeAll, describe, expect, it } from 'vitest';

import { localNetwork } from '../support/network-context';
import { confirmProposals, submitAsNewBuilder } from '../support/proposals';
import { reproInProcess } from '../support/run-cli';

const COMMIT = '2f2c53b7c1cd1a0ba0c3f4b5ca3d7e51c4b2a0d9';
const HASH = 'e5a4c1c3d1bb2d6a1b3c1e7f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b';
const OTHER = '0'.repeat(63) + '1';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON output is untyped by nature
type Row = Record<string, any>;
// An id no other test file uses.
const ID = 7_500_000n + BigInt(Math.floor(Math.random() * 100_000));

const repro = (args: string[]) => reproInProcess(args);

describe('repro proposals --open (local network)', () => {
  beforeAll(async () => {
    const net = localNetwork();
    await confirmProposals({
      url: net.url,
      governanceId: net.canisterIds['governance'],
      registryId: net.canisterIds['registry'],
      controller: identityFromPem(readFileSync(net.deployerPemPath, 'utf8')),
      proposals: [{ id: ID, commit: COMMIT, sha256: HASH }],
    });
    // Two builders: one reproduces the proposal's hash, one another.
    for (const sha256 of [HASH, OTHER])
      await submitAsNewBuilder({
        url: net.url,
        registryId: net.canisterIds['registry'],
        predicate: testPredicate({
          proposalId: ID.toString(),
          commit: COMMIT,
          artifacts: [testArtifact({ kind: 'guestos', sha256, expectedSha256: HASH })],
        }),
      });
  });

  it('lists open elections and canister upgrades with deadline, commit, hashes and the registry’s counts', async () => {
    const run = await repro(['proposals', '--open', '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { proposals: Row[] };
    const byId = new Map<string, Row>(out.proposals.map((p) => [p.id as string, p]));
    // Seeds: open IC-OS releases and the open governance release; executed ones are not open.
    expect(byId.get('900001')).toMatchObject({ family: 'icos-election', commitSource: 'payload' });
    expect(byId.get('900005')).toMatchObject({
      family: 'canister-install',
      topic: 'protocol_canister_management',
      commit: '4b7cde9a0e3b5ad4725e75cbc36ce635be6fa6a8',
      commitSource: 'summary',
      target: { canisterId: 'rrkah-fqaaa-aaaaa-aaaaq-cai', name: 'governance' },
      expected: [
        {
          kind: 'canister:governance',
          expectedSha256: 'e774351d97bf02469a7c469264be533b3696d21930fc11e9e5cb87a747813aa1',
        },
      ],
    });
    expect(byId.has('133311')).toBe(false);
    expect(byId.has('900004')).toBe(false);
    const mine = byId.get(ID.toString());
    expect(mine).toMatchObject({
      commit: COMMIT,
      expected: [{ kind: 'guestos', expectedSha256: HASH }],
      registry: {
        state: 'summary',
        builders: 2,
        artifacts: [{ kind: 'guestos', agreeing: 1, others: [{ sha256: OTHER, builders: 1 }] }],
      },
    });
    expect(Number(mine?.secondsLeft)).toBeGreaterThan(3 * 86_400);
    // The registry read the seeded canister upgrade when it started (it counts canister
    // reproductions): known, with its expected module hash, and nobody on it yet.
    expect(byId.get('900005')?.registry).toMatchObject({
      state: 'summary',
      builders: 0,
      attestations: 0,
      artifacts: [{ kind: 'canister:governance', agreeing: 0, others: [] }],
    });

    const text = await repro(['proposals', '--open']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`${ID} .*\\n(.*\\n)*?\\s+guestos: 1 agree, other hashes: 1 on 000000000000…`),
    );
  });

  it('filters by topic group and refuses what it does not know', async () => {
    const run = await repro(['proposals', '--open', '--topic', 'canisters', '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.topics).toEqual([8, 17]);
    expect(out.proposals.length).toBeGreaterThan(0);
    expect(out.proposals.every((p: Row) => p.family === 'canister-install')).toBe(true);

    expect((await repro(['proposals', '--open', '--topic', 'motions'])).code).toBe(2);
    const without = await repro(['proposals']);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/add --open/);
  });
});
