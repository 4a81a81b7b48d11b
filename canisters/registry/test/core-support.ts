/**
 * Helpers for the logic tests of `src/core` (in-memory tables, no canister): a registry with
 * test limits, proposals confirmed as governance would answer, submissions as a builder.
 */
import type { Principal } from '@dfinity/principal';

import type { Result } from '../src/core/errors';
import type { OnChainProposalJson, RegistryLimitsJson } from '../src/core/records';
import type { AttestationRenderer, SubmitReceipt } from '../src/core/registry';
import { Registry } from '../src/core/registry';
import { memoryTables, u64FromKey, u64Key } from '../src/core/tables';
import type { RegistrySource } from '../src/certified/certified-state';
import { attestationIndexSource } from '../src/certified/attestation-index';
import { COMMIT, GUESTOS_HASH, sign, type TestBuilder } from './builders';
import { utf8Encode, type UnsignedPredicate } from '@repro-registry/attestation';

/** 2025-11-24, after the test builds (2025-11-20). */
export const T0 = 1_764_000_000_000_000_000n;
export const MINUTE = 60_000_000_000n;
/** A canister balance well above the registry's minimum. */
export const PLENTY = 10n ** 15n;

export function newRegistry(
  options: {
    capacity?: number;
    limits?: Partial<RegistryLimitsJson>;
    renderer?: AttestationRenderer;
    rerenderPerMessage?: number;
  } = {},
): Registry {
  const r = new Registry(memoryTables(), options.renderer, {
    ...(options.rerenderPerMessage === undefined
      ? {}
      : { rerenderPerMessage: options.rerenderPerMessage }),
  });
  r.markCurrentLayout();
  const meta = r.meta();
  meta.rateLimit = { capacity: options.capacity ?? 1000, refillSeconds: 360 };
  if (options.limits) meta.limits = options.limits;
  r.saveMeta(meta);
  return r;
}

export const onChain = (over: Partial<OnChainProposalJson> = {}): OnChainProposalJson => ({
  kind: 'icos_election',
  title: 'Elect new IC/Replica revision',
  os: 'guestos',
  payloadType: 'ReviseElectedGuestosVersionsPayload',
  nnsFunction: 38,
  electedCommit: COMMIT,
  releasePackageSha256Hex: GUESTOS_HASH,
  releasePackageUrls: [
    'https://download.dfinity.systems/ic/x/guest-os/update-img/update-img.tar.zst',
  ],
  launchMeasurementsHex: [],
  status: 'open',
  proposedAt: T0.toString(),
  deadlineAt: (T0 + 4n * 24n * 60n * MINUTE).toString(),
  decidedAt: null,
  executedAt: null,
  failedAt: null,
  ...over,
});

/** Governance's answer that confirms the proposal (a GuestOS election of `COMMIT` by default). */
export function confirm(
  r: Registry,
  proposalId: bigint,
  over: Partial<OnChainProposalJson> = {},
  now = T0,
): void {
  r.recordProposalRead({ proposalId, now, outcome: { ok: true, onChain: onChain(over) } });
}

export function submit(
  r: Registry,
  builder: TestBuilder | { principal: Principal; envelope: Uint8Array },
  what: UnsignedPredicate | Uint8Array | undefined = undefined,
  now = T0,
): Result<SubmitReceipt> {
  const envelope =
    what instanceof Uint8Array
      ? what
      : 'secretKey' in builder
        ? sign(builder, what)
        : builder.envelope;
  const result = r.submit({ caller: builder.principal, envelope, now, cycles: PLENTY });
  return result.ok ? { ok: true, value: result.value.receipt } : result;
}

export function accepted(result: Result<SubmitReceipt>): SubmitReceipt {
  if (!result.ok) throw new Error(`rejected: ${result.error.code} ${result.error.message}`);
  return result.value;
}

export function codeOf(result: Result<unknown>): string {
  if (result.ok) throw new Error('expected a refusal, got Ok');
  return result.error.code;
}

/** The registry as the certified state reads it; summaries as a marker (Candid is the wasm's). */
export function certifiedSourceOf(r: Registry): RegistrySource {
  return {
    attestation: (id) => r.tables.attestations.get(u64Key(id)),
    envelope: (id) => r.tables.envelopes.get(u64Key(id)),
    proposal: (id) => r.proposal(id),
    summaryMessage: (id) => {
      const s = r.summary(id);
      return s.ok ? utf8Encode(`summary ${id} of ${s.value.record.attestationCount}`) : null;
    },
    attestationCount: () => r.stats().attestations,
    proposalIds: () =>
      r.tables.proposals.keys(0, r.tables.proposals.len()).map((k) => u64FromKey(k)),
    confirmedProposalCount: () => r.stats().proposals,
    ...attestationIndexSource(r),
  };
}
