import type { Command } from 'commander';
import { CliError, usageError } from '../core/errors';
import {
  openProposalsView,
  timeLeft,
  type OpenProposalRow,
  type OpenProposalsView,
  type RegistryAnswer,
} from '../core/open-proposals';
import { contextOf, examples, isoFromNs, table, type CliIo, type Ctx } from './shared';

/** `--topic` names → governance topics (see @repro-registry/proposals TOPIC_NAMES). */
const TOPIC_GROUPS: Record<string, number[]> = {
  icos: [13],
  canisters: [8, 17],
  sns: [18],
};

type ProposalsOptions = { open?: boolean; topic?: string[] };

export function registerProposals(program: Command, io: CliIo): void {
  program
    .command('proposals')
    .description(
      'proposals open for voting now (IC-OS elections, canister upgrades, SNS modules): deadline, commit, expected hashes and what the registry has so far',
    )
    .option('--open', 'the proposals open for voting now, read from NNS governance')
    .option('--topic <group...>', `only these: ${Object.keys(TOPIC_GROUPS).join(', ')}`)
    .addHelpText(
      'after',
      examples([
        'repro proposals --open',
        'repro proposals --open --topic canisters',
        "repro proposals --open --json | jq '.proposals[] | select(.secondsLeft < 86400)'",
      ]),
    )
    .action(async (options: ProposalsOptions, command: Command) => {
      const ctx = contextOf(command, io);
      if (options.open !== true)
        throw usageError(
          'repro proposals lists the proposals open for voting: add --open',
          '`repro list` shows what the registry holds, `repro proposal <id>` one proposal',
        );
      const topics = topicsOf(options.topic);
      const settings = await ctx.settings();
      const { readOpenProposals } = await import('../io/governance');
      const proposals = await readOpenProposals({ settings, topics });
      const answers = await registryAnswers(
        ctx,
        proposals.flatMap((p) => (p.id === null ? [] : [p.id])),
      );
      const view = openProposalsView({
        proposals,
        registry: (id) => answers.get(id) ?? { state: 'not-asked' },
        nowNs: BigInt(Date.now()) * 1_000_000n,
      });
      ctx.out.result(
        {
          network: settings.networkName,
          governanceCanisterId: settings.governanceCanisterId,
          registryCanisterId: settings.canisterId,
          topics,
          proposals: view.rows,
          skipped: view.skipped,
        },
        () => formatOpenProposals(ctx.colors, view),
      );
    });
}

function topicsOf(groups: string[] | undefined): number[] {
  if (groups === undefined) return Object.values(TOPIC_GROUPS).flat();
  return groups.flatMap((g) => {
    const topics = TOPIC_GROUPS[g];
    if (topics === undefined)
      throw usageError(
        `unknown --topic "${g}"`,
        `use one or more of ${Object.keys(TOPIC_GROUPS).join(', ')}`,
      );
    return topics;
  });
}

/**
 * What the registry holds on each proposal. Without a configured registry nothing is asked; a
 * registry that cannot be reached or refuses is shown per proposal, not fatal: governance's
 * answer is what a voter needs first.
 */
async function registryAnswers(ctx: Ctx, ids: bigint[]): Promise<Map<bigint, RegistryAnswer>> {
  const answers = new Map<bigint, RegistryAnswer>();
  const settings = await ctx.settings();
  if (settings.canisterId === null || ids.length === 0) {
    if (ids.length > 0)
      ctx.out.info('no registry configured (--canister-id): showing governance only');
    return answers;
  }
  const { connectRegistry } = await import('../io/registry');
  let registry: Awaited<ReturnType<typeof connectRegistry>>;
  try {
    registry = await connectRegistry({ settings });
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    ctx.out.info(`registry not read: ${error.message}`);
    for (const id of ids)
      answers.set(id, {
        state: 'error',
        code: error.code ?? 'UNREACHABLE',
        message: error.message,
      });
    return answers;
  }
  for (const id of ids) {
    try {
      answers.set(id, { state: 'summary', summary: await registry.proposalSummary(id) });
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      answers.set(
        id,
        error.code === 'PROPOSAL_NOT_FOUND'
          ? { state: 'none' }
          : { state: 'error', code: error.code ?? 'UNREACHABLE', message: error.message },
      );
    }
  }
  return answers;
}

const FAMILY_LABELS: Record<OpenProposalRow['family'], string> = {
  'icos-election': 'IC-OS election',
  'canister-install': 'canister upgrade',
  'sns-wasm': 'SNS module',
};

function registryLines(c: Ctx['colors'], row: OpenProposalRow): string[][] {
  const r = row.registry;
  if (r.state === 'not-asked') return [['registry', '-']];
  if (r.state === 'none') return [['registry', c.yellow('no attestations yet')]];
  if (r.state === 'error') return [['registry', c.yellow(`not read: ${r.code}`)]];
  const lines = [['registry', `${r.builders} builders, ${r.attestations} attestations`]];
  for (const a of r.artifacts) {
    const others = a.others.map((o) => `${o.builders} on ${o.sha256.slice(0, 12)}…`);
    const text = `${a.agreeing} agree${others.length > 0 ? `, ${c.red(`other hashes: ${others.join(', ')}`)}` : ''}`;
    lines.push(['', `${a.kind}: ${a.agreeing > 0 && others.length === 0 ? c.green(text) : text}`]);
  }
  return lines;
}

export function formatOpenProposals(c: Ctx['colors'], view: OpenProposalsView): string {
  if (view.rows.length === 0)
    return `no proposal with something to reproduce is open for voting${view.skipped.length > 0 ? ` (${view.skipped.length} others are)` : ''}`;
  const blocks = view.rows.map((row) => {
    const rows: string[][] = [
      ['family', FAMILY_LABELS[row.family]],
      ['topic', row.topic],
      [
        'deadline',
        `${isoFromNs(row.deadlineTimestampNs)} (${row.secondsLeft !== null && row.secondsLeft < 86_400 ? c.yellow(timeLeft(row.secondsLeft)) : timeLeft(row.secondsLeft)} left)`,
      ],
    ];
    if (row.target)
      rows.push([
        'target',
        `${row.target.name ?? '?'} (${row.target.canisterId ?? 'new canister'}), ${row.target.installMode}`,
      ]);
    rows.push([
      'commit',
      row.commit === null
        ? '-'
        : `${row.commit}${row.commitSource === 'summary' ? ' (from the summary)' : ''}`,
    ]);
    row.expected.forEach((e, i) =>
      rows.push([i === 0 ? 'expected' : '', `${e.kind}  ${e.expectedSha256 ?? '(none stated)'}`]),
    );
    rows.push(...registryLines(c, row));
    return `${row.id}  ${row.title ?? ''}\n${table(rows)}`;
  });
  const header = `${view.rows.length} open for voting, soonest deadline first:`;
  const footer =
    view.skipped.length > 0
      ? `\n(${view.skipped.length} more open in these topics with nothing to reproduce)`
      : '';
  return `${header}\n\n${blocks.join('\n\n')}${footer}`;
}
