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
import type { ProposalSummary } from '@repro-registry/proposals';

export function registerProposal(program: Command, io: CliIo): void {
  program
    .command('proposal <id>')
    .description(
      'read a proposal from NNS governance: commit, expected hash, URLs, status and voting deadline',
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
      ctx.out.result(summaryJson(summary), () => formatProposal(ctx.colors, summary));
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

export function summaryJson(s: ProposalSummary) {
  const { action, icOsElection, ...rest } = s;
  return {
    ...rest,
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
export function formatProposal(c: Ctx['colors'], s: ProposalSummary): string {
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
