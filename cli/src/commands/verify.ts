import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Result, VerifiedAttestation } from '@repro-registry/attestation';
import type * as Client from '@repro-registry/client';
import { CliError, ExitCode, usageError } from '../core/errors';
import { contextOf, examples, table, type CliIo, type Ctx } from './shared';

export function registerVerify(program: Command, io: CliIo): void {
  program
    .command('verify [file]')
    .description(
      're-verify a signed envelope offline (signature, format, key) and print what it attests',
    )
    .option(
      '--attestation <id>',
      'fetch attestation <id> from the registry and verify its envelope here',
    )
    .addHelpText(
      'after',
      examples([
        'repro verify attestation.json',
        'repro verify --attestation 42',
        'repro verify attestation.json --json',
      ]),
    )
    .action(
      async (file: string | undefined, options: { attestation?: string }, command: Command) => {
        const ctx = contextOf(command, io);
        if ((file === undefined) === (options.attestation === undefined)) {
          throw usageError(
            'give either a file or --attestation <id>',
            'e.g. `repro verify attestation.json`',
          );
        }
        let bytes: Uint8Array;
        let source: string;
        let record: Client.Attestation | null = null;
        if (file !== undefined) {
          try {
            bytes = Uint8Array.from(await readFile(path.resolve(io.cwd, file)));
          } catch (error) {
            throw usageError(
              `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
            );
          }
          if (bytes.at(-1) === 0x0a) bytes = bytes.subarray(0, bytes.length - 1);
          source = file;
        } else {
          const text = options.attestation!;
          if (!/^\d+$/.test(text)) throw usageError(`"${text}" is not an attestation id`);
          const { connectRegistry } = await import('../io/registry');
          const registry = await connectRegistry({ settings: await ctx.settings() });
          const attestation = await registry.getAttestation(BigInt(text));
          bytes = Uint8Array.from(attestation.envelope);
          source = `attestation ${text} from ${registry.host}`;
          record = attestation;
        }
        const { verifyAttestation } = await import('@repro-registry/attestation');
        const verified = verifyAttestation(Uint8Array.from(bytes));
        if (!verified.ok) {
          throw new CliError({
            message: `${source} does not verify: ${verified.error.code}: ${verified.error.message}${verified.error.field ? ` (${verified.error.field})` : ''}`,
            exitCode: ExitCode.MISMATCH,
            code: verified.error.code,
          });
        }
        if (record !== null) await checkRecord(record, verified);
        ctx.out.result(
          {
            valid: true,
            source,
            builder: verified.value.builderId,
            predicateType: verified.value.statement.predicateType,
            predicate: verified.value.predicate,
          },
          () => formatVerified(ctx, source, verified.value),
        );
      },
    );
}

/**
 * The registry's derived fields must belong to the signed bytes (signer = the builder it names,
 * one standing per signed artifact); a disagreement means it is not to be trusted.
 */
async function checkRecord(
  record: Client.Attestation,
  verified: Result<VerifiedAttestation>,
): Promise<void> {
  const { joinAttestation, describeReadFailure } = await import('@repro-registry/client');
  const read = joinAttestation(record, verified);
  if (!read.ok) {
    throw new CliError({
      message: `the registry's record of this attestation disagrees with its signed envelope: ${describeReadFailure(read.failure)}`,
      exitCode: ExitCode.MISMATCH,
      code: 'RECORD_MISMATCH',
    });
  }
}

function formatVerified(ctx: Ctx, source: string, v: VerifiedAttestation): string {
  const p = v.predicate;
  const c = ctx.colors;
  const env = p.environment;
  const rows: string[][] = [
    ['signature', c.green('valid') + ` (Ed25519, builder ${v.builderId})`],
    ['proposal', `${p.proposal.id} at commit ${p.proposal.commit}`],
    ...p.artifacts.map((a) => [
      a.kind,
      `${a.verdict === 'match' ? c.green(a.verdict) : a.verdict === 'not_built' ? c.yellow(a.verdict) : c.red(a.verdict)} ${a.name} ${a.sha256 ?? '-'}${a.verdict === 'mismatch' ? ` expected ${a.expectedSha256}` : ''}${a.members ? ` (${a.members.length} members)` : ''}`,
    ]),
    [
      'tool',
      `${p.tool.name} ${p.tool.version}${p.tool.scriptSha256 ? ` (script ${p.tool.scriptSha256.slice(0, 16)}…)` : ''}`,
    ],
    [
      'host',
      [env.osName, env.osVersion, env.virtualization, env.arch]
        .map((x) => x ?? 'unknown')
        .join(', '),
    ],
    [
      'resources',
      `${env.cpuCount ?? '?'} CPUs, ${gib(env.memoryBytes)} RAM, ${gib(env.swapBytes)} swap, ${gib(env.diskFreeBytes)} free disk`,
    ],
    [
      'build',
      `${p.build.startedOn} → ${p.build.finishedOn}, clean cache: ${p.build.cleanCache ?? 'unknown'}`,
    ],
  ];
  if (p.note) rows.push(['note', p.note.split('\n')[0]]);
  return `${source}\n${table(rows)}`;
}

function gib(bytes: string | null): string {
  return bytes === null ? 'unknown' : `${(Number(bytes) / 2 ** 30).toFixed(1)} GiB`;
}
