import type { Command } from 'commander';
import { usageError } from '../core/errors';
import {
  contextOf,
  examples,
  isoFromNs,
  parseProposalId,
  table,
  type CliIo,
  type Ctx,
} from './shared';
import { claimedCommit, type ProposalSummary } from '@repro-registry/proposals';
import { deployedCheck, deployedLine, type DeployedCheck } from '../core/deployed-check';

export function registerProposal(program: Command, io: CliIo): void {
  program
    .command('proposal <id>')
    .description(
      'read a proposal from NNS governance: commit, expected hash, URLs, status and voting deadline (canister upgrades: the module the target runs now)',
    )
    .addHelpText(
      'after',
      examples([
        'repro proposal 139768',
        'repro proposal 139768 --json',
        'repro proposal 5 --network local --governance-canister-id <id>',
      ]),
    )
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command, io);
      const proposalId = parseProposalId(id);
      const summary = await fetchProposal(ctx, proposalId);
      const deployed = await readDeployed(ctx, summary);
      ctx.out.result(summaryJson(summary, deployed), () =>
        formatProposal(ctx.colors, summary, deployed),
      );
    });
}

export async function fetchProposal(ctx: Ctx, proposalId: bigint): Promise<ProposalSummary> {
  const settings = await ctx.settings();
  const { readProposal } = await import('../io/governance');
  const summary = await readProposal({ settings, proposalId });
  if (summary === null) {
    throw usageError(
      `NNS governance on ${settings.networkName} has no proposal ${proposalId}`,
      'check the id (and --network)',
    );
  }
  return summary;
}

/** For a canister install: the module its target runs now, from the chain's certified state. */
async function readDeployed(ctx: Ctx, summary: ProposalSummary): Promise<DeployedCheck | null> {
  if (!summary.canisterInstall.ok || summary.canisterInstall.value.targetCanisterId === null)
    return null;
  const settings = await ctx.settings();
  const { readDeployedModuleHash } = await import('../io/deployed');
  try {
    const hash = await readDeployedModuleHash({
      settings,
      canisterId: summary.canisterInstall.value.targetCanisterId,
    });
    return deployedCheck(summary, hash);
  } catch (error) {
    ctx.out.info(
      ctx.colors.yellow(
        `warning: the deployed module of ${summary.canisterInstall.value.targetCanisterId} was not read: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
      ),
    );
    return null;
  }
}

export function summaryJson(s: ProposalSummary, deployed: DeployedCheck | null = null) {
  const { action, icOsElection, canisterInstall, snsWasm, ...rest } = s;
  const result = <T>(r: { ok: true; value: T } | { ok: false; code: string; message: string }) =>
    r.ok ? r.value : { code: r.code, message: r.message };
  return {
    ...rest,
    claimedCommit: icOsElection.ok ? null : claimedCommit(s.summary),
    canisterInstall: result(canisterInstall),
    snsWasm: result(snsWasm),
    deployed,
    action:
      action.type === 'ExecuteNnsFunction'
        ? {
            type: action.type,
            nnsFunction: action.nnsFunction,
            payloadBytes: action.payload.length,
          }
        : action,
    icOsElection: icOsElection.ok
      ? icOsElection.value
      : { code: icOsElection.code, message: icOsElection.message },
  };
}

/** The human view of a proposal: what a builder needs before building. */
export function formatProposal(
  c: Ctx['colors'],
  s: ProposalSummary,
  deployed: DeployedCheck | null = null,
): string {
  const status =
    s.status === 'open'
      ? c.green(s.status)
      : s.status === 'failed' || s.status === 'rejected'
        ? c.red(s.status)
        : s.status;
  const rows: string[][] = [
    ['proposal', `${s.id ?? '?'}  ${s.title ?? ''}`],
    ['status', status],
    ['topic', s.topic],
    ['proposed', isoFromNs(s.proposalTimestampNs)],
    ['deadline', isoFromNs(s.deadlineTimestampNs)],
  ];
  if (s.decidedTimestampNs !== null) rows.push(['decided', isoFromNs(s.decidedTimestampNs)]);
  if (s.executedTimestampNs !== null) rows.push(['executed', isoFromNs(s.executedTimestampNs)]);
  if (s.failedTimestampNs !== null)
    rows.push(['failed', `${isoFromNs(s.failedTimestampNs)} ${s.failureReason ?? ''}`]);
  if (s.icOsElection.ok) {
    const e = s.icOsElection.value;
    rows.push([
      'elects',
      `${e.os === 'guestos' ? 'GuestOS' : 'HostOS'} (${e.payloadType}, NNS function ${e.nnsFunction})`,
    ]);
    rows.push([
      'commit',
      e.electedCommit ?? c.yellow('none: this proposal only unelects versions'),
    ]);
    rows.push(['expected sha256', e.releasePackageSha256Hex ?? '-']);
    e.releasePackageUrls.forEach((url, i) => rows.push([i === 0 ? 'package urls' : '', url]));
    if (e.launchMeasurements)
      rows.push(['launch measurements', String(e.launchMeasurements.length)]);
    if (e.unelectedVersions.length > 0) rows.push(['unelects', e.unelectedVersions.join(', ')]);
  } else if (s.canisterInstall.ok) {
    const i = s.canisterInstall.value;
    rows.push([
      'installs',
      `${i.installMode} of ${i.targetName ?? '?'} (${i.targetCanisterId ?? 'a new canister'}), ${i.source}`,
    ]);
    rows.push(['commit', `${claimedCommit(s.summary) ?? '-'} (the summary's claim)`]);
    rows.push(['module sha256', i.wasmModuleHashHex]);
    rows.push(['argument sha256', i.argHashHex ?? '- (empty argument)']);
    if (deployed !== null) {
      const line = deployedLine(deployed);
      rows.push([
        'deployed',
        deployed.state === 'deployed'
          ? c.green(line)
          : deployed.state === 'differs'
            ? c.red(line)
            : line,
      ]);
    }
  } else if (s.snsWasm.ok) {
    const w = s.snsWasm.value;
    rows.push(['publishes', `SNS ${w.canisterTypeName} module to SNS-W`]);
    rows.push(['commit', `${claimedCommit(s.summary) ?? '-'} (the summary's claim)`]);
    rows.push(['module sha256', w.wasmHashHex]);
  } else {
    const what =
      s.action.type === 'ExecuteNnsFunction'
        ? `NNS function ${s.action.nnsFunction}`
        : s.action.type === 'other'
          ? s.action.name
          : 'unknown action';
    rows.push([
      'action',
      `${what} ${c.yellow(`(${s.icOsElection.code}: ${s.icOsElection.message})`)}`,
    ]);
  }
  return table(rows, '');
}
