import type { Command } from 'commander';
import type { CertifiedSummary, ProposalSummary } from '@repro-registry/client';
import { ErrorCode } from '@repro-registry/registry-api';
import { CliError, usageError } from '../core/errors';
import type { RegistryGateway } from '../io/registry';
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

/** When the IC certified the summary shown, and the log's size then. */
interface Certified {
  at: bigint;
  logSize: number;
}

/**
 * The summary everyone counted, checked against the IC's certificate (failed verification: exit
 * 6). The plain read comes first: it refuses a proposal the registry does not count (held, not
 * on chain …) with its own code. Certification runs in the message after each change, so a
 * certified summary older than the plain one is read again for a moment; a proposal not yet
 * certified at all is shown as not certified.
 */
async function certifiedSummary(
  registry: RegistryGateway,
  id: bigint,
): Promise<{ summary: ProposalSummary; certified: Certified | null }> {
  const plain = await registry.proposalSummary(id);
  const { verifyCertifiedSummary } = await import('@repro-registry/client');
  const { verified } = await import('../io/registry');
  for (let attempt = 0; ; attempt++) {
    let reply: CertifiedSummary;
    try {
      reply = await registry.certifiedSummary(id);
    } catch (error) {
      if (!(error instanceof CliError) || error.code !== ErrorCode.PROPOSAL_NOT_FOUND) throw error;
      if (attempt >= CERTIFICATION_RETRIES) return { summary: plain, certified: null };
      await new Promise((r) => setTimeout(r, CERTIFICATION_WAIT_MS));
      continue;
    }
    const checked = verified(
      await verifyCertifiedSummary(registry.verifyContext(), reply),
      `the summary of proposal ${id}`,
    );
    const behind = checked.summary.attestation_count < plain.attestation_count;
    if (!behind || attempt >= CERTIFICATION_RETRIES) {
      return {
        summary: checked.summary,
        certified: { at: checked.head.certifiedAt, logSize: checked.head.size },
      };
    }
    await new Promise((r) => setTimeout(r, CERTIFICATION_WAIT_MS));
  }
}

/** How long `status` waits for a change to be certified (a message after it). */
const CERTIFICATION_RETRIES = 10;
const CERTIFICATION_WAIT_MS = 300;

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
      const { summary, certified } =
        options.list === undefined
          ? await certifiedSummary(registry, id)
          : {
              // Trust-list counts are not certified: said in the output.
              summary: await registry.proposalSummary(id, BigInt(options.list)),
              certified: null,
            };
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
        {
          summary: registryJson('get_proposal_summary', summary),
          certified: certified === null ? null : { ...certified, at: isoFromNs(certified.at) },
          threshold,
          artifacts,
        },
        () => formatStatus(ctx, summary, threshold, artifacts, certified),
      );
    });
}

function formatStatus(
  ctx: Ctx,
  s: ProposalSummary,
  threshold: number,
  computed: Array<{ kind: string; agreeing: number; thresholdMet: boolean }>,
  certified: Certified | null,
): string {
  const c = ctx.colors;
  const onChain = s.on_chain[0];
  const lines = [
    `proposal ${s.proposal_id}${onChain?.title[0] ? `  ${onChain.title[0]}` : ''}`,
    `  status ${onChain?.status ?? 'unknown'}, deadline ${onChain?.deadline_at[0] !== undefined ? isoFromNs(onChain.deadline_at[0]) : '-'}, commit ${s.commit[0] ?? '-'}`,
    scopeLine(s),
    certified === null
      ? c.yellow('  not certified: counts as one registry node answered them')
      : `  ${c.green('certified')} by the IC at ${isoFromNs(certified.at)} (log of ${certified.logSize} entries)`,
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
