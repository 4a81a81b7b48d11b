/**
 * "Proposed = deployed": what a canister-upgrade proposal asked to install against the module
 * its target runs now (read from the chain's certified state).
 */
import type { ProposalSummary } from '@repro-registry/proposals';

export interface DeployedCheck {
  canisterId: string;
  proposedSha256: string;
  /** The module hash the canister runs now; null when it has none. */
  deployedSha256: string | null;
  /**
   * - `deployed`: the target runs the proposed module;
   * - `not-yet`: the proposal is not executed (yet), and the target runs something else;
   * - `differs`: executed, but the target runs another module (a later upgrade, or this one
   *   did not install what it said);
   * - `no-module`: the target runs no module.
   */
  state: 'deployed' | 'not-yet' | 'differs' | 'no-module';
}

export function deployedCheck(
  summary: ProposalSummary,
  deployedSha256: string | null,
): DeployedCheck | null {
  if (!summary.canisterInstall.ok) return null;
  const install = summary.canisterInstall.value;
  if (install.targetCanisterId === null) return null;
  const proposed = install.wasmModuleHashHex;
  const state =
    deployedSha256 === proposed
      ? 'deployed'
      : summary.status !== 'executed'
        ? 'not-yet'
        : deployedSha256 === null
          ? 'no-module'
          : 'differs';
  return {
    canisterId: install.targetCanisterId,
    proposedSha256: proposed,
    deployedSha256,
    state,
  };
}

export function deployedLine(check: DeployedCheck): string {
  const runs = check.deployedSha256 ?? 'no module';
  switch (check.state) {
    case 'deployed':
      return `${runs} (= proposed: the canister runs this module)`;
    case 'not-yet':
      return `${runs} (not the proposed module: the proposal is not executed)`;
    case 'no-module':
      return 'no module: the canister runs nothing';
    case 'differs':
      return `${runs} (NOT the proposed module: a later upgrade, or this one did not install it)`;
  }
}
