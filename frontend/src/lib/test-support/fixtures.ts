/**
 * Test data signed with the real attestation package: builders with deterministic keys, their
 * attestations as the registry would show them, and summaries whose hash groups are tallied
 * from those attestations the way the registry does (expected group first, then by size).
 */
import {
  environmentClass,
  sha256Hex,
  signAttestation,
  utf8Encode,
  type Artifact,
  type Environment,
  type Verdict,
} from '@repro-registry/attestation';
import {
  BARE_METAL,
  TEST_COMMIT,
  TEST_GUESTOS_HASH,
  testKey,
  verdictOf,
  type TestKey,
} from '@repro-registry/attestation/testing';

import type * as M from '../model/types';
import { overallVerdict } from '../model/verdicts';

export const COMMIT = TEST_COMMIT;
export const GOOD_HASH = TEST_GUESTOS_HASH;
export const BAD_HASH = sha256Hex(utf8Encode('a build on a machine that differs'));
export const PROPOSAL_ID = 139768n;
export const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
export const HOUR = 3_600_000;

export type TestBuilder = TestKey;

export function testBuilder(label: string): TestBuilder {
  return testKey(`frontend test builder ${label}`);
}

export { BARE_METAL };

export const WSL2: Environment = {
  ...BARE_METAL,
  kernel: '5.15.146.1-microsoft-standard-WSL2',
  virtualization: 'wsl2',
  cpuModel: 'Intel(R) Core(TM) i5-8250U',
  cpuCount: 8,
  memoryBytes: String(Math.round(7.7 * 2 ** 30)),
  swapBytes: String(2 * 2 ** 30),
  containerRuntimeVersion: '3.4.4',
};

export const ROOT_MEMBERS = [
  { path: 'boot.img', sha256: sha256Hex(utf8Encode('boot')), size: '104857600' },
  { path: 'root.img', sha256: sha256Hex(utf8Encode('root')), size: '1073741824' },
];
export const ROOT_MEMBERS_DIFFERENT = [
  ROOT_MEMBERS[0],
  { path: 'root.img', sha256: sha256Hex(utf8Encode('root built elsewhere')), size: '1073741824' },
];

export interface AttestationSpec {
  id: bigint;
  builder: TestBuilder;
  proposalId?: bigint;
  commit?: string;
  sha256?: string | null;
  expectedSha256?: string | null;
  members?: Artifact['members'];
  environment?: Environment;
  cleanCache?: boolean | null;
  note?: string;
  submittedAt?: number;
  /** The proposal's on-chain hash: decides the effective verdict, as in the registry. */
  onChainSha256?: string | null;
}

/** An attestation as the registry shows it, with the envelope the builder signed. */
export function attestation(spec: AttestationSpec): M.Attestation {
  const sha256 = spec.sha256 === undefined ? GOOD_HASH : spec.sha256;
  const expectedSha256 = spec.expectedSha256 === undefined ? GOOD_HASH : spec.expectedSha256;
  const verdict = verdictOf(sha256, expectedSha256);
  const artifact: Artifact = {
    kind: 'guestos',
    name: 'update-img.tar.zst',
    sha256,
    expectedSha256,
    verdict,
    ...(spec.members === undefined ? {} : { members: spec.members }),
  };
  const environment = spec.environment ?? BARE_METAL;
  const build = {
    startedOn: '2026-11-20T09:12:00Z',
    finishedOn: '2026-11-20T10:40:31Z',
    cleanCache: spec.cleanCache ?? true,
  };
  const tool = { name: 'repro-check', version: '1.2.0', scriptSha256: null };
  const signed = signAttestation({
    predicate: {
      proposal: { id: String(spec.proposalId ?? PROPOSAL_ID), commit: spec.commit ?? COMMIT },
      artifacts: [artifact],
      tool,
      environment,
      build,
      ...(spec.note === undefined ? {} : { note: spec.note }),
    },
    secretKey: spec.builder.secretKey,
  });
  const onChain = spec.onChainSha256 === undefined ? GOOD_HASH : spec.onChainSha256;
  const effective: Verdict =
    sha256 === null || onChain === null ? verdict : sha256 === onChain ? 'match' : 'mismatch';
  return {
    id: spec.id,
    proposalId: spec.proposalId ?? PROPOSAL_ID,
    commit: spec.commit ?? COMMIT,
    builder: spec.builder.principal,
    submittedAt: spec.submittedAt ?? T0 + Number(spec.id) * HOUR,
    verdict,
    effectiveVerdict: effective,
    artifacts: [
      {
        kind: 'guestos',
        name: 'update-img.tar.zst',
        sha256,
        expectedSha256,
        verdict,
        effectiveVerdict: effective,
        expectedDiffersFromProposal:
          onChain !== null && expectedSha256 !== null && expectedSha256 !== onChain,
        memberCount: spec.members?.length ?? 0,
        counted: true,
        laterAttemptFailed: false,
      },
    ],
    environment,
    tool,
    build,
    note: spec.note ?? '',
    supersedes: null,
    supersededBy: null,
    hidden: null,
    commitDiffersFromProposal: false,
    held: false,
    rejection: null,
    environmentClass: environmentClass(environment),
    envelope: signed.envelopeBytes,
  };
}

export function onChainProposal(over: Partial<M.OnChainProposal> = {}): M.OnChainProposal {
  return {
    kind: 'icos_election',
    title: 'Elect new IC/Replica revision (commit 0ef2aeb)',
    os: 'guestos',
    payloadType: 'ReviseElectedGuestosVersionsPayload',
    electedCommit: COMMIT,
    releasePackageSha256: GOOD_HASH,
    releasePackageUrls: [
      `https://download.dfinity.systems/ic/${COMMIT}/guest-os/update-img/update-img.tar.zst`,
    ],
    launchMeasurements: [],
    status: 'open',
    proposedAt: T0 - 2 * HOUR,
    deadlineAt: T0 + 4 * 24 * HOUR,
    decidedAt: null,
    executedAt: null,
    failedAt: null,
    ...over,
  };
}

/**
 * A summary tallied from the attestations that count, like the registry's; with `trustList`,
 * from its members' only (and saying so).
 */
export function summaryOf(args: {
  proposalId?: bigint;
  attestations: M.Attestation[];
  onChain?: M.OnChainProposal | null;
  trustList?: { ref: M.TrustListRef; members: ReadonlySet<string> };
}): M.ProposalSummary {
  const onChain = args.onChain === undefined ? onChainProposal() : args.onChain;
  // Per artifact, what the registry counts: each builder's standing result, visible.
  const everyone = args.attestations.filter(
    (a) => a.hidden === null && a.artifacts.some((r) => r.counted),
  );
  const members = args.trustList?.members;
  const counting =
    members === undefined ? everyone : everyone.filter((a) => members.has(a.builder));
  const artifacts: M.ArtifactConsensus[] = [];
  const kinds = [
    ...new Set(counting.flatMap((a) => a.artifacts.filter((r) => r.counted).map((r) => r.kind))),
  ];
  const totals = { match: 0, mismatch: 0, build_failed: 0, not_built: 0 };
  for (const kind of kinds) {
    const results = counting.flatMap((a) =>
      a.artifacts.filter((r) => r.kind === kind && r.counted),
    );
    const expected =
      onChain?.os === kind
        ? onChain.releasePackageSha256
        : (results.find((r) => r.expectedSha256 !== null)?.expectedSha256 ?? null);
    const groups = new Map<string, number>();
    const classes = new Map<string, Set<string>>();
    const verdicts = { match: 0, mismatch: 0, build_failed: 0, not_built: 0 };
    for (const a of counting) {
      for (const r of a.artifacts.filter((x) => x.kind === kind && x.counted)) {
        if (r.sha256 !== null) {
          groups.set(r.sha256, (groups.get(r.sha256) ?? 0) + 1);
          classes.set(r.sha256, (classes.get(r.sha256) ?? new Set()).add(a.environmentClass));
        }
        verdicts[r.effectiveVerdict] += 1;
        totals[r.effectiveVerdict] += 1;
      }
    }
    artifacts.push({
      kind,
      expectedSha256: expected,
      expectedSource:
        onChain?.os === kind && expected !== null
          ? 'proposal'
          : expected === null
            ? 'none'
            : 'builders',
      hashGroups: [...groups]
        .map(([sha256, builderCount]) => ({
          sha256,
          builderCount,
          matchesExpected: expected === null ? null : sha256 === expected,
          environmentClasses: classes.get(sha256)?.size ?? 0,
        }))
        .sort(
          (a, b) =>
            Number(b.matchesExpected === true) - Number(a.matchesExpected === true) ||
            b.builderCount - a.builderCount,
        ),
      verdicts,
      expectedClaimMismatches: 0,
      untrackedBuilders: 0,
    });
  }
  const primary = onChain?.os ?? 'guestos';
  const matchingInAll = everyone.filter((a) =>
    a.artifacts.some((r) => r.kind === primary && r.counted && r.effectiveVerdict === 'match'),
  ).length;
  const times = args.attestations.map((a) => a.submittedAt);
  return {
    proposalId: args.proposalId ?? PROPOSAL_ID,
    commit: onChain?.electedCommit ?? COMMIT,
    attestationCount: args.attestations.length,
    builderCount: counting.length,
    supersededCount: args.attestations.filter((a) => a.supersededBy !== null).length,
    hiddenCount: args.attestations.filter((a) => a.hidden !== null).length,
    otherCommitCount: 0,
    firstAttestationAt: times.length === 0 ? null : Math.min(...times),
    lastAttestationAt: times.length === 0 ? null : Math.max(...times),
    totals,
    artifacts,
    onChain,
    sync: {
      state: onChain === null ? 'never' : 'ok',
      lastAttemptAt: T0,
      lastSuccessAt: onChain === null ? null : T0,
      error: null,
      final: false,
    },
    scope: {
      trustList: args.trustList?.ref ?? null,
      buildersInAll: everyone.length,
      matchingInAll,
      upToDate: true,
    },
    rejectedCount: 0,
  };
}

export { overallVerdict };
