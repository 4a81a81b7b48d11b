/**
 * The Candid forms of what the registry knows of canister families (issue 12): the install or
 * SNS publication a proposal states, the artifacts it expects, and the deployed-hash check.
 */
import { Principal } from '@dfinity/principal';
import type * as C from '@repro-registry/registry-api';

import type { Consensus } from './core/consensus';
import { deployedView } from './core/deployed';
import type { OnChainProposalJson, ProposalRecordJson } from './core/records';

const opt = <T>(v: T | null | undefined): [] | [T] => (v === null || v === undefined ? [] : [v]);

export function candidFamilies(
  p: OnChainProposalJson,
): Pick<C.OnChainProposal, 'canister_install' | 'sns_wasm' | 'claimed_commit' | 'expected'> {
  const install = p.canisterInstall;
  return {
    canister_install:
      install == null
        ? []
        : [
            {
              source: install.source,
              target_canister_id:
                install.targetCanisterId === null
                  ? []
                  : [Principal.fromText(install.targetCanisterId)],
              target_name: opt(install.targetName),
              install_mode: install.installMode,
              wasm_module_hash: install.wasmModuleHashHex,
              arg_hash: opt(install.argHashHex),
            },
          ],
    sns_wasm:
      p.snsWasm == null
        ? []
        : [{ canister_type: p.snsWasm.canisterType, wasm_hash: p.snsWasm.wasmHashHex }],
    claimed_commit: opt(p.claimedCommit),
    expected: (p.expected ?? []).map((e) => ({ kind: e.kind, sha256: e.sha256 })),
  };
}

export function candidDeployed(
  record: ProposalRecordJson,
  consensus: Consensus,
): [] | [C.DeployedCheck] {
  const view = deployedView(record, consensus);
  if (view === null) return [];
  const { check } = view;
  return [
    {
      canister_id: Principal.fromText(check.canisterId),
      state: check.state,
      proposed_sha256: view.proposedSha256 ?? '',
      deployed_sha256: opt(check.moduleHashHex),
      reproduced_sha256: opt(view.reproducedSha256),
      reproduced_builder_count: BigInt(view.reproducedBuilders),
      agreement: view.agreement,
      checked_at: check.checkedAt === null ? [] : [BigInt(check.checkedAt)],
      error: opt(check.error),
      replaced_by: check.replacedBy == null ? [] : [BigInt(check.replacedBy)],
      deployed_at: check.deployedAt == null ? [] : [BigInt(check.deployedAt)],
    },
  ];
}
