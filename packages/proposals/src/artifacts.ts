import { SNS_WASM_ARTIFACT_KIND } from '@repro-registry/attestation';

import type { CanisterInstall } from './canister-install';
import type { IcOsElection } from './decode';
import type { DecodeResult } from './result';
import type { SnsWasmPublication } from './sns-wasm';

/*
 * Artifact kinds of the proposals that install or publish canister modules (the attestation
 * format adds them in its next version; see README "Artifact kinds for canister modules"):
 *
 *   canister:<target>      the module an InstallCode (or older upgrade) proposal installs;
 *                          expected hash = the proposal's wasm_module_hash
 *   canister-arg:<target>  the install argument's Candid bytes, when the proposal has one;
 *                          expected hash = the proposal's arg_hash
 *   sns-wasm:<type>        the module an AddSnsWasm proposal publishes to SNS-W;
 *                          expected hash = the payload's hash
 *
 * <target> is the well-known name of the NNS canister (`governance`, `cycles-minting`, …, see
 * nns-canisters.ts) or, for any other canister, its id in text form; <type> is SNS-W's canister
 * type name (`root`, `governance`, `ledger`, `swap`, `archive`, `index`). The target is part of
 * the kind because it is what the vote is about: a governance module reproduced for a proposal
 * that installs into the ledger is a mismatch, whatever the file was called.
 */

// The kinds' syntax is the attestation format's (canister reproductions): one place per rule.
export {
  CANISTER_ARTIFACT_KIND,
  SNS_WASM_ARTIFACT_KIND,
  isCanisterArtifactKind,
} from '@repro-registry/attestation';

/** `canister:<target>` for an install's target. */
export function canisterArtifactKind(
  install: Pick<CanisterInstall, 'targetCanisterId' | 'targetName'>,
): string {
  return `canister:${install.targetName ?? install.targetCanisterId ?? 'new'}`;
}

/** What a proposal asks builders to reproduce, with the hash it expects of each. */
export interface ExpectedArtifact {
  kind: string;
  /** Lowercase hex SHA-256, or null when the proposal states none. */
  expectedSha256: string | null;
}

/**
 * The artifacts each decoded family expects. For an IC-OS election this is the release package
 * (its launch measurements are hashed in the attestation format's canonical form, not here).
 */
export function expectedArtifacts(decoded: {
  icOsElection: DecodeResult<IcOsElection>;
  canisterInstall: DecodeResult<CanisterInstall>;
  snsWasm: DecodeResult<SnsWasmPublication>;
}): ExpectedArtifact[] {
  if (decoded.icOsElection.ok) {
    const e = decoded.icOsElection.value;
    return e.electedCommit === null
      ? []
      : [{ kind: e.os, expectedSha256: e.releasePackageSha256Hex }];
  }
  if (decoded.canisterInstall.ok) {
    const c = decoded.canisterInstall.value;
    const kind = canisterArtifactKind(c);
    const target = kind.slice('canister:'.length);
    return [
      { kind, expectedSha256: c.wasmModuleHashHex },
      ...(c.argHashHex === null
        ? []
        : [{ kind: `canister-arg:${target}`, expectedSha256: c.argHashHex }]),
    ];
  }
  if (decoded.snsWasm.ok) {
    const s = decoded.snsWasm.value;
    const kind = `sns-wasm:${s.canisterTypeName}`;
    // A type SNS-W does not know names no canister anyone could build for.
    return SNS_WASM_ARTIFACT_KIND.test(kind) ? [{ kind, expectedSha256: s.wasmHashHex }] : [];
  }
  return [];
}

/**
 * The git commit a canister proposal's summary says the module was built from. Not on-chain
 * data: the summary is the proposer's text, and only a reproduction shows it is true. DFINITY's
 * templates write it as `__Source code__: [<commit>]` (since 2024) or `### Git Hash: <commit>`
 * (2023); "Current git hash" (the version being replaced) is never taken.
 */
export function claimedCommit(summary: string): string | null {
  const patterns = [
    /__Source code__:\s*\[([0-9a-f]{40})\]/i,
    /^#+\s*Git Hash:\s*([0-9a-f]{40})\b/im,
    /^#+\s*Source code:\s*\[?([0-9a-f]{40})\b/im,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(summary);
    if (match?.[1] !== undefined) return match[1].toLowerCase();
  }
  return null;
}
