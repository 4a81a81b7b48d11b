// @vitest-environment node
import { HttpAgent } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import type * as W from '@repro-registry/client';
import { describe, expect, it } from 'vitest';

import { ApiError, describeApiError } from './errors';
import { ROOT_MEMBERS, WSL2, attestation, testBuilder } from '../test-support/fixtures';
import {
  createRegistryApi,
  readListed,
  shareSubnetKeyReads,
  toAttestation,
  toListedAttestation,
  toProposalSummary,
} from './registry.api';

const builder = Principal.fromText(
  'sxl7k-grunh-wofzi-r6mgo-anglt-5nekn-tymug-or2pa-fnjyp-u6unz-jae',
);
const counts = (m: number, x: number): W.VerdictCounts => ({
  match: BigInt(m),
  mismatch: BigInt(x),
  build_failed: 0n,
  not_built: 0n,
});
const SEC = 1_000_000_000n;

describe('wire → model', () => {
  it('undoes Candid encodings in a proposal summary', () => {
    const wire: W.ProposalSummary = {
      proposal_id: 139768n,
      commit: ['0ef2aebde4ff735a1a93efa342dcf966b6df5061'],
      attestation_count: 3n,
      builder_count: 2n,
      superseded_count: 1n,
      hidden_count: 0n,
      other_commit_count: 0n,
      first_attestation_at: [1_700_000_000n * SEC],
      last_attestation_at: [],
      totals: counts(1, 1),
      artifacts: [
        {
          kind: 'guestos',
          expected_sha256: ['a'.repeat(64)],
          expected_source: 'proposal',
          hash_groups: [
            {
              sha256: 'a'.repeat(64),
              builder_count: 1n,
              matches_expected: [true],
              environment_classes: 1n,
            },
          ],
          verdicts: counts(1, 1),
          expected_claim_mismatches: 0n,
          untracked_builder_count: 0n,
        },
      ],
      on_chain: [
        {
          kind: 'icos_election',
          title: ['Elect'],
          os: ['guestos'],
          payload_type: [],
          nns_function: [38],
          elected_commit: [],
          release_package_sha256_hex: ['a'.repeat(64)],
          release_package_urls: ['https://x'],
          launch_measurements: [],
          status: 'something_new',
          proposed_at: [],
          deadline_at: [1_700_000_100n * SEC],
          decided_at: [],
          executed_at: [],
          failed_at: [],
          canister_install: [],
          sns_wasm: [],
          claimed_commit: [],
          expected: [],
        },
      ],
      sync: { state: 'ok', last_attempt_at: [], last_success_at: [], error: [], final: false },
      scope: {
        trust_list: [{ id: 3n, name: 'CodeGov', version: 2, owner: builder }],
        builders_in_all: 7n,
        matching_in_all: 6n,
        up_to_date: true,
      },
      rejected_count: 1n,
      deployed: [
        {
          canister_id: builder,
          state: 'differs',
          proposed_sha256: 'a'.repeat(64),
          deployed_sha256: ['b'.repeat(64)],
          reproduced_sha256: [],
          reproduced_builder_count: 0n,
          agreement: 'no builder has reproduced the module yet; canister x runs another module',
          checked_at: [1_700_000_200n * SEC],
          error: [],
          replaced_by: [],
          deployed_at: [],
        },
      ],
      release_sources: [
        {
          kind: 'guestos',
          source: 'package_url',
          url: 'https://download.dfinity.network/x/update-img.tar.zst',
          sha256: ['b'.repeat(64)],
          builder_count: 2n,
          agrees: [false],
        },
        {
          kind: 'guestos',
          source: 'sha256sums',
          url: 'https://x/SHA256SUMS',
          sha256: [],
          builder_count: 1n,
          agrees: [],
        },
      ],
      sources_disagree: true,
      certified: [],
    };
    const s = toProposalSummary(wire);
    expect(s.sourcesDisagree).toBe(true);
    expect(s.releaseSources).toEqual([
      {
        kind: 'guestos',
        source: 'package_url',
        url: 'https://download.dfinity.network/x/update-img.tar.zst',
        sha256: 'b'.repeat(64),
        builderCount: 2,
        agrees: false,
      },
      {
        kind: 'guestos',
        source: 'sha256sums',
        url: 'https://x/SHA256SUMS',
        sha256: null,
        builderCount: 1,
        agrees: null,
      },
    ]);
    expect(s.deployed).toEqual({
      canisterId: builder.toText(),
      state: 'differs',
      proposedSha256: 'a'.repeat(64),
      deployedSha256: 'b'.repeat(64),
      reproducedSha256: null,
      reproducedBuilders: 0,
      agreement: 'no builder has reproduced the module yet; canister x runs another module',
      checkedAt: 1_700_000_200_000,
      error: null,
    });
    expect(s.scope).toEqual({
      trustList: { id: 3n, name: 'CodeGov', version: 2, owner: builder.toText() },
      buildersInAll: 7,
      matchingInAll: 6,
      upToDate: true,
    });
    expect(s.firstAttestationAt).toBe(1_700_000_000_000);
    expect(s.lastAttestationAt).toBeNull();
    expect(s.artifacts[0]?.hashGroups[0]).toEqual({
      sha256: 'a'.repeat(64),
      builderCount: 1,
      matchesExpected: true,
      environmentClasses: 1,
    });
    // A status the registry adds later reads as unknown rather than breaking the page.
    expect(s.onChain).toMatchObject({
      status: 'unknown',
      title: 'Elect',
      deadlineAt: 1_700_000_100_000,
      electedCommit: null,
      expected: [],
      canisterTarget: null,
    });
    // A canister install: its target by name, else by id.
    const install = (target_name: [] | [string]) =>
      toProposalSummary({
        ...wire,
        on_chain: [
          {
            ...wire.on_chain[0]!,
            kind: 'canister_install',
            canister_install: [
              {
                source: 'InstallCode',
                target_canister_id: [builder],
                target_name,
                install_mode: 'upgrade',
                wasm_module_hash: 'c'.repeat(64),
                arg_hash: [],
              },
            ],
            expected: [{ kind: 'canister:governance', sha256: 'c'.repeat(64) }],
          },
        ],
      }).onChain;
    expect(install(['governance'])).toMatchObject({
      canisterTarget: 'governance',
      expected: [{ kind: 'canister:governance', sha256: 'c'.repeat(64) }],
    });
    expect(install([])?.canisterTarget).toBe(builder.toText());
  });

  it("reads an attestation from its envelope and the registry's derived fields, and refuses unknown verdicts", () => {
    const signed = attestation({
      id: 7n,
      builder: testBuilder('wire'),
      environment: WSL2,
      note: '<script>alert(1)</script>',
      members: ROOT_MEMBERS,
    });
    const wire: W.Attestation = {
      id: 7n,
      builder: Principal.fromText(signed.builder),
      submitted_at: 1_700_000_000n * SEC,
      artifacts: [
        {
          effective_verdict: 'mismatch',
          expected_differs_from_proposal: true,
          counted: false,
          later_attempt_failed: true,
        },
      ],
      supersedes: [],
      superseded_by: [3n],
      hidden: [],
      commit_differs_from_proposal: false,
      held: false,
      rejection: ['artifact kind hostos does not belong to a GuestOS election'],
      envelope: signed.envelope,
      certified: [],
    };
    const listed = toListedAttestation(wire);
    expect(listed).toMatchObject({
      builder: signed.builder,
      submittedAt: 1_700_000_000_000,
      supersededBy: 3n,
      effectiveVerdict: 'mismatch',
      standings: [
        {
          effectiveVerdict: 'mismatch',
          expectedDiffersFromProposal: true,
          counted: false,
          laterAttemptFailed: true,
        },
      ],
    });
    expect(listed.rejection).toMatch(/does not belong/);
    expect(listed.envelope).toEqual(signed.envelope);
    // Everything the builder said comes from the envelope.
    const a = toAttestation(wire);
    expect(a).toMatchObject({
      proposalId: signed.proposalId,
      commit: signed.commit,
      verdict: 'match',
      effectiveVerdict: 'mismatch',
      note: '<script>alert(1)</script>',
      environment: { memoryBytes: WSL2.memoryBytes, virtualization: 'wsl2' },
      environmentClass: signed.environmentClass,
      build: signed.build,
    });
    expect(a.artifacts[0]).toMatchObject({
      sha256: signed.artifacts[0]?.sha256,
      memberCount: 2,
      verdict: 'match',
      effectiveVerdict: 'mismatch',
      counted: false,
      laterAttemptFailed: true,
    });
    const bad = { ...wire, artifacts: [{ ...wire.artifacts[0], effective_verdict: 'maybe' }] };
    expect(() => toListedAttestation(bad)).toThrow(ApiError);
  });

  it('shows nothing a builder did not sign when the envelope cannot be read', () => {
    const a = readListed(
      {
        id: 1n,
        builder: 'aaaaa-aa',
        submittedAt: 0,
        effectiveVerdict: 'match',
        standings: [
          {
            effectiveVerdict: 'match',
            expectedDiffersFromProposal: false,
            counted: true,
            laterAttemptFailed: false,
          },
        ],
        supersedes: null,
        supersededBy: null,
        hidden: null,
        commitDiffersFromProposal: false,
        held: false,
        rejection: null,
        envelope: new Uint8Array([1, 2, 3]),
      },
      139768n,
    );
    expect(a).toMatchObject({ proposalId: 139768n, commit: '', note: '' });
    expect(a.artifacts[0]).toMatchObject({ sha256: null, counted: true });
  });
});

describe('createRegistryApi', () => {
  it('reports an unreachable network as such, and can retry', async () => {
    // Nothing listens on port 9 (discard) here: the connection is refused at once.
    const api = createRegistryApi({
      canisterId: 'bkyz2-fmaaa-aaaaa-qaaaq-cai',
      host: 'http://127.0.0.1:9',
      fetchRootKey: true,
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await api.listProposals({}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).kind).toBe('unreachable');
      expect(describeApiError(error as ApiError).title).toBe('The registry cannot be reached');
    }
  });
});

describe('shareSubnetKeyReads', () => {
  it('lets queries that start together share one read of the node keys', async () => {
    const agent = HttpAgent.createSync({ host: 'http://127.0.0.1:1' });
    let reads = 0;
    let answer!: () => void;
    // Stands in for the read_state: it is the agent's own method that is shared.
    agent.fetchSubnetKeys = () => {
      reads++;
      return new Promise((resolve) => (answer = () => resolve(undefined)));
    };
    shareSubnetKeyReads(agent);
    const together = [1, 2, 3].map(() => agent.fetchSubnetKeys(builder));
    expect(reads).toBe(1);
    answer();
    await Promise.all(together);
    // Once read, the agent keeps the keys itself; a later refresh reads again.
    const later = agent.fetchSubnetKeys(builder.toText());
    expect(reads).toBe(2);
    answer();
    await later;
  });
});
