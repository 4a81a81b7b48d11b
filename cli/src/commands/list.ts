import type { Command } from 'commander';
import { usageError } from '../core/errors';
import { contextOf, examples, isoFromNs, table, type CliIo } from './shared';

export function registerList(program: Command, io: CliIo): void {
  program
    .command('list')
    .description('recent proposals in the registry with their state and verdict counts')
    .option('--limit <n>', 'how many', '20')
    .option('--cursor <cursor>', 'continue after a previous page (its nextCursor)')
    .addHelpText(
      'after',
      examples(['repro list', 'repro list --limit 5 --json', 'repro list --cursor 139700']),
    )
    .action(async (options: { limit: string; cursor?: string }, command: Command) => {
      const ctx = contextOf(command, io);
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw usageError(`--limit must be a whole number from 1 to 1000, not "${options.limit}"`);
      let cursor: bigint | undefined;
      if (options.cursor !== undefined) {
        if (!/^(0|[1-9]\d{0,19})$/.test(options.cursor) || BigInt(options.cursor) >= 1n << 64n)
          throw usageError(
            `--cursor must be the nextCursor of a previous page, not "${options.cursor}"`,
          );
        cursor = BigInt(options.cursor);
      }
      const { connectRegistry } = await import('../io/registry');
      const { registryJson } = await import('../io/json-style');
      const registry = await connectRegistry({ settings: await ctx.settings() });
      const page = await registry.listProposals({
        limit,
        ...(cursor === undefined ? {} : { cursor }),
      });
      ctx.out.result(registryJson('list_proposals', page), () => {
        if (page.proposals.length === 0) return 'no proposals in the registry yet';
        const rows = [
          [
            'proposal',
            'os',
            'status',
            'deadline',
            'commit',
            'builders',
            'match',
            'mismatch',
            'failed',
          ],
        ];
        for (const p of page.proposals) {
          const chain = p.on_chain[0];
          rows.push([
            String(p.proposal_id),
            chain?.os[0] ?? '-',
            chain?.status ?? '-',
            chain?.deadline_at[0] !== undefined
              ? isoFromNs(chain.deadline_at[0]).slice(0, 16)
              : '-',
            (p.commit[0] ?? '-').slice(0, 10),
            String(p.builder_count),
            String(p.totals.match),
            String(p.totals.mismatch),
            String(p.totals.build_failed),
          ]);
        }
        const next = page.next_cursor[0];
        return `${table(rows, '')}\n${page.total} proposal(s) in all${next !== undefined ? ` — more with --cursor ${next}` : ''}`;
      });
    });
}
