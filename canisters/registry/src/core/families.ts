/**
 * Proposal families: which artifacts a proposal asks builders to reproduce, and the hash it
 * expects of each. IC-OS elections expect their release package (`guestos` / `hostos`); canister
 * installs (InstallCode and the older upgrade forms) expect `canister:<target>` = the proposal's
 * `wasm_module_hash` and, with an argument, `canister-arg:<target>` = its `arg_hash`; AddSnsWasm
 * expects `sns-wasm:<type>` = the payload's hash. Kind names follow packages/attestation
 * (`canister-kinds.ts`) and are derived by packages/proposals (`expectedArtifacts`).
 */
import { ARTIFACT_KINDS_BY_OS } from '@repro-registry/attestation';
import { claimedCommit, expectedArtifacts, type ProposalSummary } from '@repro-registry/proposals';

import type { ArtifactKind, ExpectedArtifactJson, OnChainProposalJson } from './records';

/** What a proposal of a canister family adds to the on-chain record; null for other proposals. */
export function canisterFamilyOf(
  summary: ProposalSummary,
): Pick<
  OnChainProposalJson,
  'kind' | 'canisterInstall' | 'snsWasm' | 'claimedCommit' | 'expected'
> | null {
  const expected = expectedArtifacts(summary).map((e): ExpectedArtifactJson => ({
    kind: e.kind as ArtifactKind,
    sha256: e.expectedSha256 ?? '',
  }));
  if (expected.length === 0 || expected.some((e) => e.sha256 === '')) return null;
  // Not on-chain data: the proposer's text. Only a reproduction shows it is true.
  const claimed = claimedCommit(summary.summary);
  if (summary.canisterInstall.ok) {
    const c = summary.canisterInstall.value;
    return {
      kind: 'canister_install',
      canisterInstall: {
        source: c.source,
        targetCanisterId: c.targetCanisterId,
        targetName: c.targetName,
        installMode: c.installMode,
        wasmModuleHashHex: c.wasmModuleHashHex,
        argHashHex: c.argHashHex,
      },
      snsWasm: null,
      claimedCommit: claimed,
      expected,
    };
  }
  if (summary.snsWasm.ok) {
    const s = summary.snsWasm.value;
    return {
      kind: 'sns_wasm',
      canisterInstall: null,
      snsWasm: { canisterType: s.canisterTypeName, wasmHashHex: s.wasmHashHex },
      claimedCommit: claimed,
      expected,
    };
  }
  return null;
}

export function isCanisterFamily(onChain: OnChainProposalJson): boolean {
  return onChain.kind === 'canister_install' || onChain.kind === 'sns_wasm';
}

/** Whether the proposal is one the registry counts reproductions of. */
export function isReproducible(onChain: OnChainProposalJson): boolean {
  if (onChain.kind === 'icos_election')
    return onChain.electedCommit !== null && onChain.os !== null;
  return isCanisterFamily(onChain) && (onChain.expected ?? []).length > 0;
}

/**
 * The commit attestations must be for: the one an IC-OS election elects, or the one a canister
 * proposal's summary claims (the CLI refuses any other: a reproduction from another commit
 * says nothing about what the proposer built).
 */
export function commitOf(onChain: OnChainProposalJson | null | undefined): string | null {
  if (!onChain) return null;
  return onChain.electedCommit ?? onChain.claimedCommit ?? null;
}

/** The hash the proposal states for `kind`, or null. */
export function expectedHashOf(
  onChain: OnChainProposalJson | null,
  kind: ArtifactKind,
): string | null {
  if (onChain === null) return null;
  if (onChain.kind === 'icos_election') {
    const os = onChain.os;
    return os !== null && os === kind ? onChain.releasePackageSha256Hex : null;
  }
  return (onChain.expected ?? []).find((e) => e.kind === kind)?.sha256 ?? null;
}

/** The artifact the proposal's main hash is about (the release package, the module). */
export function primaryKindOf(onChain: OnChainProposalJson | null): ArtifactKind | null {
  if (onChain === null) return null;
  if (onChain.kind === 'icos_election') {
    if (onChain.releasePackageSha256Hex === null) return null;
    return onChain.os === 'hostos' ? 'hostos' : onChain.os === 'guestos' ? 'guestos' : null;
  }
  return (onChain.expected ?? [])[0]?.kind ?? null;
}

/** Kinds the proposal expects in its order (empty for IC-OS elections: their order is fixed). */
export function expectedKindsOf(onChain: OnChainProposalJson | null): ArtifactKind[] {
  return onChain === null ? [] : (onChain.expected ?? []).map((e) => e.kind);
}

/** An artifact kind a proposal does not accept, with what it accepts and how to say why. */
export interface ForeignArtifact {
  kind: string;
  allowed: readonly string[];
  /** "elects a GuestOS version", "installs a module into governance", … */
  proposalDoes: string;
  /** "a GuestOS election", "an install into governance", … */
  proposalIs: string;
}

/**
 * The first of these kinds that does not belong to the proposal, or null: an IC-OS election
 * accepts its OS's kinds; a canister proposal exactly the kinds it expects (a module for another
 * target is another kind: the target is what the vote is about).
 */
export function foreignArtifact(
  onChain: OnChainProposalJson,
  kinds: readonly string[],
): ForeignArtifact | null {
  if (onChain.kind === 'icos_election') {
    const os = onChain.os;
    if (os === null) return null;
    const allowed = ARTIFACT_KINDS_BY_OS[os] as readonly string[];
    const kind = kinds.find((k) => !allowed.includes(k));
    const name = os === 'guestos' ? 'GuestOS' : 'HostOS';
    return kind === undefined
      ? null
      : {
          kind,
          allowed,
          proposalDoes: `elects a ${name} version`,
          proposalIs: `a ${name} election`,
        };
  }
  if (!isCanisterFamily(onChain)) return null;
  const allowed = expectedKindsOf(onChain) as readonly string[];
  const kind = kinds.find((k) => !allowed.includes(k));
  if (kind === undefined) return null;
  const install = onChain.canisterInstall;
  const target = install?.targetName ?? install?.targetCanisterId ?? 'a new canister';
  const sns = onChain.snsWasm?.canisterType ?? '';
  return onChain.kind === 'canister_install'
    ? {
        kind,
        allowed,
        proposalDoes: `installs a module into ${target}`,
        proposalIs: `an install into ${target}`,
      }
    : {
        kind,
        allowed,
        proposalDoes: `publishes an SNS ${sns} module`,
        proposalIs: `an SNS ${sns} module publication`,
      };
}
