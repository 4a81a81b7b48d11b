/**
 * An upgrade from stable layout 1 keeps every record and rebuilds what is derived. The layout-1
 * state is written here as that version wrote it: records without the fields layout 2 added,
 * aggregates with a commit per cell, a proposal read as "other" with an attestation held before.
 */
import { base64Encode, signAttestation, verifyAttestation } from '@repro-registry/attestation';
import { describe, expect, it } from 'vitest';

import {
  COMMIT,
  GUESTOS_HASH,
  artifact,
  hashOf,
  predicate,
  testBuilder,
} from '../../test/builders';
import { T0, onChain } from '../../test/core-support';
import type { AttestationRecordJson, ProposalRecordJson } from './records';
import { Registry } from './registry';
import { emptySync, newProposal } from './store';
import { compositeKey, memoryTables, u64Key } from './tables';
import type { ArtifactKind, UnsignedPredicate } from '@repro-registry/attestation';

const WSL = hashOf('wsl2 image');

/** A proposal record as layout 1 wrote it: without the fields layout 2 added. */
function layout1Proposal(id: string): ProposalRecordJson {
  const { recounting, rejection, rejectedCount, ...record } = newProposal(BigInt(id));
  void [recounting, rejection, rejectedCount];
  const { attempts, ...sync } = record.sync;
  void attempts;
  return { ...record, sync };
}

function layout1(): Registry {
  const tables = memoryTables();
  const proposals = new Map<string, ProposalRecordJson>();
  let nextId = 1;
  const builders = new Set<string>();
  const current = new Map<string, string>();
  const write = (
    name: string,
    p: UnsignedPredicate,
    extra: Partial<AttestationRecordJson> = {},
  ) => {
    const b = testBuilder(name);
    const signed = signAttestation({ predicate: p, secretKey: b.secretKey });
    const verified = verifyAttestation(signed.envelopeBytes);
    if (!verified.ok) throw new Error('setup');
    const proposal = proposals.get(p.proposal.id) ?? layout1Proposal(p.proposal.id);
    const id = String(nextId++);
    const verdict = p.artifacts[0].verdict;
    const record = {
      id,
      proposalId: p.proposal.id,
      commit: p.proposal.commit,
      builder: b.principal.toText(),
      submittedAt: T0.toString(),
      verdict,
      seq: proposal.attestationCount,
      verdictSeq: proposal.verdictCounts[verdict],
      artifacts: p.artifacts.map((a) => ({
        kind: a.kind as ArtifactKind, // the IC-OS predicates of this test
        name: a.name,
        sha256: a.sha256,
        expectedSha256: a.expectedSha256,
        verdict: a.verdict,
        memberCount: 0,
      })),
      environment: p.environment,
      tool: p.tool,
      build: p.build,
      note: p.note ?? '',
      supersedes: null,
      supersededBy: null,
      hidden: null,
      ...extra,
    };
    const pKey = u64Key(BigInt(p.proposal.id));
    const idKey = u64Key(BigInt(id));
    const currentKey = `${p.proposal.id}/${name}`;
    const previous = current.get(currentKey);
    if (previous !== undefined) {
      const old = tables.attestations.get(u64Key(BigInt(previous))) as AttestationRecordJson;
      old.supersededBy = id;
      record.supersedes = previous;
      tables.attestations.insert(u64Key(BigInt(previous)), old);
      proposal.supersededCount++;
    }
    current.set(currentKey, id);
    tables.currentAttestation.insert(compositeKey(pKey, b.principal.toUint8Array()), idKey);
    tables.proposalAttestations.insert(compositeKey(pKey, proposal.attestationCount), idKey);
    proposal.attestationCount++;
    proposal.verdictCounts[verdict]++;
    // Layout 1's aggregate: one cell per (commit, kind, hash, claim, verdict), no environment.
    proposal.cells.push({
      commit: p.proposal.commit,
      kind: 'guestos',
      sha256: GUESTOS_HASH,
      claimed: null,
      verdict: 'match',
      n: 1,
    });
    tables.attestations.insert(idKey, record);
    tables.envelopes.insert(idKey, signed.envelopeBytes);
    tables.signatureIndex.insert(verified.value.signature, idKey);
    const builderKey = b.principal.toUint8Array();
    const builder = tables.builders.get(builderKey) ?? {
      principal: b.principal.toText(),
      publicKey: base64Encode(b.publicKey),
      displayName: name === 'alice' ? 'Alice' : null,
      url: null,
      firstSeen: T0.toString(),
      lastSeen: T0.toString(),
      attestationCount: 0,
    };
    tables.builderAttestations.insert(compositeKey(builderKey, builder.attestationCount), idKey);
    builder.attestationCount++;
    tables.builders.insert(builderKey, builder);
    builders.add(name);
    proposals.set(p.proposal.id, proposal);
  };

  write('alice', predicate());
  write('erin', predicate({ artifacts: [artifact({ kind: 'guestos', sha256: WSL })] }));
  write(
    'erin',
    predicate({
      artifacts: [artifact({ kind: 'guestos', sha256: null, verdict: 'build_failed' })],
    }),
  );
  write('mallory', predicate(), {
    hidden: { reason: 'sybil', at: T0.toString(), by: testBuilder('admin').principal.toText() },
  });
  write('early', predicate({ proposalId: '200000' }));
  write('motion', predicate({ proposalId: '777' }));

  const confirmed = proposals.get('134567') as ProposalRecordJson;
  confirmed.onChain = onChain();
  confirmed.sync = { ...emptySync(), state: 'ok', final: false };
  delete confirmed.sync.attempts;
  const motion = proposals.get('777') as ProposalRecordJson;
  motion.onChain = onChain({
    kind: 'other',
    os: null,
    electedCommit: null,
    releasePackageSha256Hex: null,
  });
  for (const p of proposals.values()) tables.proposals.insert(u64Key(BigInt(p.id)), p);
  tables.meta.insert(new Uint8Array([0x6d]), {
    nextAttestationId: String(nextId),
    governanceCanisterId: null,
    builderCount: builders.size,
    refreshCursor: '0',
    rateLimit: null,
    refreshSeconds: null,
    staleRenderings: [],
  });
  return new Registry(tables);
}

describe('upgrade from layout 1', () => {
  it('keeps every record and recounts under the new rules', () => {
    const r = layout1();
    const before = r.stats().attestations;
    const envelopes = [1, 2, 3, 4, 5, 6].map((id) => r.tables.envelopes.get(u64Key(BigInt(id))));
    expect(r.migrate()).toBe(true);
    expect(r.migrate()).toBe(false); // once
    expect(r.meta().staleRenderings.sort()).toEqual(['134567', '200000', '777']);
    while (r.renderStale(2) > 0);

    expect(r.stats().attestations).toBe(before);
    expect([1, 2, 3, 4, 5, 6].map((id) => r.tables.envelopes.get(u64Key(BigInt(id))))).toEqual(
      envelopes,
    );
    const summary = r.summary(134567n);
    if (!summary.ok) throw new Error(summary.error.code);
    // Erin's retry failed: her mismatch stands. Mallory's attestation stays hidden.
    expect(summary.value.builderCount).toBe(2);
    expect(summary.value.consensus.artifacts[0]?.hashGroups).toEqual([
      { sha256: GUESTOS_HASH, builderCount: 1, matchesExpected: true, environmentClasses: 1 },
      { sha256: WSL, builderCount: 1, matchesExpected: false, environmentClasses: 1 },
    ]);
    expect(summary.value.record.cells.every((c) => c.commit === undefined)).toBe(true);
    const erin = r.attestation(2n);
    expect(erin.ok && erin.value.effective[0]).toMatchObject({
      counted: true,
      laterAttemptFailed: true,
    });

    expect(r.summary(200000n).ok || r.summary(200000n)).toMatchObject({
      error: { code: 'PROPOSAL_PENDING' },
    });
    expect(r.stats()).toMatchObject({ proposals: 1n, pendingProposals: 1n });
    const held = r.attestation(5n);
    expect(held.ok && held.value.held).toBe(true);
    const rejected = r.attestation(6n);
    expect(rejected.ok && rejected.value.rejection).toMatch(/does not elect an IC-OS version/);
    expect(r.openProposalsToRefresh(5)).toEqual([134567n]);
    expect(r.tables.names.containsKey(new TextEncoder().encode('alice'))).toBe(true);
    expect(COMMIT).toBe(summary.value.commit);
  });
});
