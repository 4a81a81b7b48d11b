import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { VerifiedAttestation } from '@repro-registry/attestation';
import { CliError, ExitCode, usageError, verificationError } from '../core/errors';
import { contextOf, examples, isoFromNs, table, type CliIo, type Ctx } from './shared';

export function registerVerify(program: Command, io: CliIo): void {
  program
    .command('verify [file]')
    .description(
      're-verify a signed envelope offline (signature, format, key) and print what it attests',
    )
    .option(
      '--attestation <id>',
      'fetch attestation <id> from the registry, check its certificate and inclusion in the log, and verify its envelope here',
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
        let record: unknown = null;
        let certified: CertifiedEnvelope['certified'] | null = null;
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
          const fetched = await certifiedEnvelope(ctx, BigInt(text));
          bytes = fetched.envelope;
          source = `attestation ${text} from ${fetched.host}`;
          record = fetched.record;
          certified = fetched.certified;
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
        if (record !== null) checkRecord(record as RegistryRecord, verified.value);
        ctx.out.result(
          {
            valid: true,
            source,
            builder: verified.value.builderId,
            predicateType: verified.value.statement.predicateType,
            predicate: verified.value.predicate,
            ...(certified === null
              ? {}
              : { certified: { ...certified, at: isoFromNs(certified.at) } }),
          },
          () =>
            formatVerified(ctx, source, verified.value) +
            (certified === null
              ? ''
              : `\n${ctx.colors.green('certified')} by the IC at ${isoFromNs(certified.at)}: the record and envelope hash, and leaf ${certified.leafIndex} of the registry's log (${certified.logSize} entries), proven`),
        );
      },
    );
}

/** The certified record: builder and proposal as text (see the architecture's record text). */
interface RegistryRecord {
  builder: string;
  proposal: string;
}

interface CertifiedEnvelope {
  host: string;
  envelope: Uint8Array;
  record: RegistryRecord;
  certified: { at: bigint; logSize: number; leafIndex: number };
}

/**
 * The envelope as the IC certified it: the certified record (its hash in the certified tree)
 * names the envelope's SHA-256, and the acceptance leaf carrying the same hash is proven in the
 * certified log. Any failure is a failed verification (exit 6), never a network error.
 */
async function certifiedEnvelope(ctx: Ctx, id: bigint): Promise<CertifiedEnvelope> {
  const { connectRegistry, verified } = await import('../io/registry');
  const { verifyCertifiedAttestation, verifyInclusionProof } =
    await import('@repro-registry/client');
  const { sha256Hex } = await import('@repro-registry/attestation');
  const registry = await connectRegistry({ settings: await ctx.settings() });
  const context = registry.verifyContext();
  const attestation = verified(
    await verifyCertifiedAttestation(
      context,
      await certifiedSoon(() => registry.certifiedAttestation(id)),
    ),
    `attestation ${id}`,
  );
  const proof = await registry.inclusionProof(id);
  const included = verified(
    await verifyInclusionProof(context, proof),
    `the inclusion proof of attestation ${id}`,
  );
  const leaf = included.event;
  const record = attestation.record as unknown as RegistryRecord;
  if (
    leaf.event !== 'attestation_accepted' ||
    leaf.envelope_sha256 !== sha256Hex(attestation.envelope) ||
    leaf.builder !== record.builder ||
    leaf.proposal !== record.proposal
  ) {
    throw verificationError(
      'LEAF_MISMATCH',
      `the log's acceptance of attestation ${id} names another envelope, builder or proposal than its certified record`,
    );
  }
  return {
    host: registry.host,
    envelope: attestation.envelope,
    record,
    certified: {
      at: included.head.certifiedAt,
      logSize: included.head.size,
      leafIndex: Number(proof.leaf_index),
    },
  };
}

/**
 * Certification runs in the message after a submission: an attestation not certified yet is
 * asked for again for a few seconds before its refusal (ATTESTATION_NOT_FOUND) stands.
 */
async function certifiedSoon<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof CliError) || error.code !== 'ATTESTATION_NOT_FOUND' || attempt >= 10)
        throw error;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/** The registry's record must say what the signed bytes say; a disagreement means it is not to be trusted. */
function checkRecord(record: RegistryRecord, v: VerifiedAttestation): void {
  const p = v.predicate;
  if (record.builder !== v.builderId || record.proposal !== p.proposal.id) {
    throw new CliError({
      message: "the registry's record of this attestation disagrees with its signed envelope",
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
