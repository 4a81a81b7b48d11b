/**
 * An attestation in the HTTP API's JSON, rendered from the stored record and its derived
 * state directly (the Candid `Attestation` carries only the envelope and derived fields; apps
 * reading JSON keep the documented content). Keys keep the order the API has always had
 * (Candid's field-hash order of the former record, pinned by test/fixtures/http-api.json);
 * u64 as decimal strings, absent values as null, blobs as base64, principals as text.
 */
import { base64Encode, overallVerdict } from '@repro-registry/attestation';

import type { AttestationView, Page } from './core/registry';
import type { U64String } from './core/records';

const u64 = (v: U64String | null): string | null => (v === null ? null : BigInt(v).toString());

export function attestationJson(v: AttestationView): Record<string, unknown> {
  const r = v.record;
  const e = r.environment;
  return {
    id: u64(r.id),
    envelope: v.envelope === null ? null : base64Encode(v.envelope),
    superseded_by: u64(r.supersededBy),
    artifacts: r.artifacts.map((a, i) => ({
      sha256: a.sha256,
      counted: v.effective[i]?.counted ?? false,
      kind: a.kind,
      name: a.name,
      effective_verdict: v.effective[i]?.verdict ?? a.verdict,
      verdict: a.verdict,
      later_attempt_failed: v.effective[i]?.laterAttemptFailed ?? false,
      expected_differs_from_proposal: v.effective[i]?.expectedDiffersFromProposal ?? false,
      expected_sha256: a.expectedSha256,
      member_count: a.memberCount,
    })),
    commit_differs_from_proposal: v.commitDiffersFromProposal,
    held: v.held,
    supersedes: u64(r.supersedes),
    note: r.note,
    hidden:
      r.hidden === null ? null : { at: u64(r.hidden.at), by: r.hidden.by, reason: r.hidden.reason },
    tool: { name: r.tool.name, version: r.tool.version, script_sha256: r.tool.scriptSha256 },
    effective_verdict: overallVerdict(v.effective.map((x) => x.verdict)),
    rejection: v.rejection,
    builder: r.builder,
    verdict: r.verdict,
    environment_class: v.environmentClass,
    proposal_id: u64(r.proposalId),
    environment: {
      git_version: e.gitVersion,
      memory_bytes: u64(e.memoryBytes),
      swap_bytes: u64(e.swapBytes),
      kernel: e.kernel,
      arch: e.arch,
      container_runtime_version: e.containerRuntimeVersion,
      cpu_model: e.cpuModel,
      container_runtime_name: e.containerRuntimeName,
      os_version: e.osVersion,
      cpu_count: e.cpuCount,
      disk_free_bytes: u64(e.diskFreeBytes),
      virtualization: e.virtualization,
      os_name: e.osName,
    },
    build: {
      started_on: r.build.startedOn,
      clean_cache: r.build.cleanCache,
      finished_on: r.build.finishedOn,
    },
    commit: r.commit,
    submitted_at: u64(r.submittedAt),
  };
}

export function attestationPageJson(p: Page<AttestationView>): Record<string, unknown> {
  return {
    attestations: p.items.map(attestationJson),
    total: p.total.toString(),
    next_cursor: p.next === null ? null : p.next.toString(),
  };
}
