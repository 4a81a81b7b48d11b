import type { Command } from 'commander';
import type { ProposalSummary } from '@repro-registry/client';
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

type StatusOptions = { threshold: string; list?: string };

export function registerStatus(program: Command, io: CliIo): void {
  program
    .command('status <proposal>')
    .description('the consensus of independent builders on a proposal, per artifact')
    .option('--threshold <n>', 'builders that must agree on the expected hash', '3')
    .option('--list <id>', 'count only the builders on this trust list (its id)')
    .addHelpText(
      'after',
      examples([
        'repro status 139768',
        'repro status 139768 --threshold 5',
        'repro status 139768 --list 3',
        'repro status 139768 --json',
      ]),
    )
    .action(async (proposal: string, options: StatusOptions, command: Command) => {
      const ctx = contextOf(command, io);
      const id = parseProposalId(proposal);
      const threshold = Number(options.threshold);
      if (!Number.isInteger(threshold) || threshold < 1)
        throw usageError(`--threshold must be a positive whole number, not "${options.threshold}"`);
      if (options.list !== undefined && !/^[0-9]{1,19}$/.test(options.list))
        throw usageError(`--list takes a trust list id (a number), not "${options.list}"`);
      const { connectRegistry } = await import('../io/registry');
      const registry = await connectRegistry({ settings: await ctx.settings() });
      const summary = await registry.proposalSummary(
        id,
        options.list === undefined ? undefined : BigInt(options.list),
      );
      const artifacts = summary.artifacts.map((a) => {
        const expectedGroup = a.hash_groups.find((g) => g.matches_expected[0] === true);
        const agreeing = expectedGroup ? Number(expectedGroup.builder_count) : 0;
        return {
          kind: a.kind,
          expectedSha256: a.expected_sha256[0] ?? null,
          expectedSource: a.expected_source,
          agreeing,
          thresholdMet: agreeing >= threshold,
        };
      });
      const { registryJson } = await import('../io/json-style');
      ctx.out.result(
        { summary: registryJson('get_proposal_summary', summary), threshold, artifacts },
        () => formatStatus(ctx, summary, threshold, artifacts),
      );
    });
}

function formatStatus(
  ctx: Ctx,
  s: ProposalSummary,
  threshold: number,
  computed: Array<{ kind: string; agreeing: number; thresholdMet: boolean }>,
): string {
  const c = ctx.colors;
  const onChain = s.on_chain[0];
  const lines = [
    `proposal ${s.proposal_id}${onChain?.title[0] ? `  ${onChain.title[0]}` : ''}`,
    `  status ${onChain?.status ?? 'unknown'}, deadline ${onChain?.deadline_at[0] !== undefined ? isoFromNs(onChain.deadline_at[0]) : '-'}, commit ${s.commit[0] ?? '-'}`,
    scopeLine(s),
  ];
  if (s.sync.state === 'error')
    lines.push(c.yellow(`  governance not read: ${s.sync.error[0] ?? 'unknown error'}`));
  if (s.artifacts.length === 0)
    lines.push('  no attestations yet: be the first with `repro check`');
  for (const a of s.artifacts) {
    const mine = computed.find((x) => x.kind === a.kind)!;
    lines.push('');
    lines.push(
      `${a.kind}: expected ${a.expected_sha256[0] ?? 'unknown'} (from ${a.expected_source})`,
    );
    lines.push(
      table(
        a.hash_groups.map((g) => [
          g.matches_expected[0] === true
            ? c.green('✓ expected')
            : g.matches_expected[0] === false
              ? c.red('✗ differs')
              : '?',
          g.sha256,
          `${g.builder_count} builder(s), ${g.environment_classes} environment class(es)`,
        ]),
      ),
    );
    const v = a.verdicts;
    lines.push(
      `  verdicts: ${v.match} match, ${v.mismatch} mismatch, ${v.build_failed} build failed, ${v.not_built} not built`,
    );
    lines.push(
      `  threshold (${threshold} agreeing builders): ${mine.thresholdMet ? c.green(`met (${mine.agreeing})`) : c.yellow(`not met (${mine.agreeing})`)}`,
    );
  }
  return lines.join('\n');
}

/** Whose builders the counts are: "5 builder(s) on list CodeGov (#3, v2); 7 reproduced in all". */
function scopeLine(s: ProposalSummary): string {
  const list = s.scope.trust_list[0];
  const stale = s.scope.up_to_date ? '' : ' (catching up)';
  if (list === undefined)
    return `  ${s.builder_count} builder(s), ${s.attestation_count} attestation(s)${stale}`;
  return `  ${s.builder_count} builder(s) on list ${list.name} (#${list.id}, v${list.version}); ${s.scope.matching_in_all} reproduced in all, of ${s.scope.builders_in_all} builder(s)${stale}`;
}
