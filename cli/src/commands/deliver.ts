import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PredicateType, UnsignedPredicate } from '@repro-registry/attestation';
import { CliError, ExitCode, usageError, type ExitCode as ExitCodeT } from '../core/errors';
import type { BuilderKey } from '../io/keystore';
import type { Ctx } from './shared';

export interface Delivery {
  envelopePath: string | null;
  submitted: boolean;
  receipt: unknown;
  exitCode: ExitCodeT;
}

/** 1 when the attestation reports a mismatch or a failed build: the reproduction did not succeed. */
export function exitCodeFor(predicate: UnsignedPredicate): ExitCodeT {
  return predicate.artifacts.some((a) => a.verdict === 'mismatch' || a.verdict === 'build_failed')
    ? ExitCode.MISMATCH
    : ExitCode.SUCCESS;
}

function summaryLines(ctx: Ctx, predicate: UnsignedPredicate): string[] {
  const c = ctx.colors;
  const verdict = (v: string) =>
    v === 'match' ? c.green(v) : v === 'mismatch' || v === 'build_failed' ? c.red(v) : c.yellow(v);
  return [
    `proposal ${predicate.proposal.id} at commit ${predicate.proposal.commit}`,
    ...predicate.artifacts.map(
      (a) =>
        `  ${a.kind.padEnd(17)} ${verdict(a.verdict).padEnd(12)} ${a.sha256 ?? '-'}${a.verdict === 'mismatch' ? ` (expected ${a.expectedSha256})` : ''}${a.members ? ` [${a.members.length} members]` : ''}`,
    ),
    ...(predicate.note ? [`  note: ${predicate.note.split('\n')[0]}`] : []),
  ];
}

/**
 * Signs the predicate with the builder key, then: prints it (`dryRun`), writes it (`out`,
 * offline signing), or keeps a copy on disk and submits it. The copy is written before the
 * network is touched, so an unreachable registry loses nothing.
 */
export async function signAndDeliver(
  ctx: Ctx,
  args: {
    predicate: UnsignedPredicate;
    /** Default: the IC-OS format `signAttestation` writes; canister reproductions pass theirs. */
    predicateType?: PredicateType;
    key: BuilderKey;
    out?: string;
    dryRun?: boolean;
    /** Replace an existing `out` file (otherwise refused: a signed envelope is not overwritten by accident). */
    force?: boolean;
    /** Things the builder should know (shown on stderr, and in `--json` output as `warnings`). */
    warnings?: string[];
  },
): Promise<Delivery> {
  const { signAttestation, verifyAttestation, utf8Decode } =
    await import('@repro-registry/attestation');
  let signed;
  try {
    signed = signAttestation({
      predicate: args.predicate,
      secretKey: args.key.seed,
      ...(args.predicateType === undefined ? {} : { predicateType: args.predicateType }),
    });
  } catch (error) {
    const e = error as { code?: string; field?: string; message: string };
    throw new CliError({
      message: `cannot sign: ${e.message}${e.field ? ` (${e.field})` : ''}`,
      exitCode: ExitCode.USAGE,
      ...(e.code ? { code: e.code } : {}),
    });
  }
  const verified = verifyAttestation(signed.envelopeBytes);
  if (!verified.ok)
    throw new CliError({
      message: `the signed envelope does not verify: ${verified.error.message}`,
      exitCode: ExitCode.INTERNAL,
    });
  const exitCode = exitCodeFor(args.predicate);
  const envelopeText = utf8Decode(signed.envelopeBytes);
  const warnings = args.warnings ?? [];
  for (const warning of warnings) ctx.out.info(ctx.colors.yellow(`warning: ${warning}`));

  if (args.dryRun) {
    ctx.out.result(
      {
        dryRun: true,
        envelope: JSON.parse(envelopeText) as unknown,
        statement: verified.value.statement,
        warnings,
      },
      () =>
        [
          ...summaryLines(ctx, args.predicate),
          '',
          'Statement (dry run, not submitted):',
          JSON.stringify(verified.value.statement, null, 2),
        ].join('\n'),
    );
    return { envelopePath: null, submitted: false, receipt: null, exitCode };
  }

  if (args.out !== undefined) {
    const file = path.resolve(ctx.io.cwd, args.out);
    try {
      await writeFile(file, envelopeText + '\n', { flag: args.force === true ? 'w' : 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST')
        throw usageError(
          `${args.out} already exists: nothing was written`,
          'pick another file, or add --force to replace it',
        );
      throw usageError(`cannot write ${args.out}: ${code ?? (error as Error).message}`);
    }
    ctx.out.result(
      { envelopePath: file, builder: signed.builderId, submitted: false, warnings },
      () =>
        [
          ...summaryLines(ctx, args.predicate),
          `Signed envelope written to ${file} (not submitted; send it with \`repro submit ${args.out}\`)`,
        ].join('\n'),
    );
    return { envelopePath: file, submitted: false, receipt: null, exitCode };
  }

  const settings = await ctx.settings();
  const outbox = path.join(settings.configDir, 'envelopes');
  await mkdir(outbox, { recursive: true });
  const { sha256Hex } = await import('@repro-registry/attestation');
  const envelopePath = path.join(
    outbox,
    `proposal-${args.predicate.proposal.id}-${sha256Hex(signed.envelopeBytes).slice(0, 16)}.json`,
  );
  await writeFile(envelopePath, envelopeText + '\n');
  const receipt = await submitEnvelope(ctx, {
    envelope: signed.envelopeBytes,
    key: args.key,
    envelopePath,
  });
  const { registryJson } = await import('../io/json-style');
  ctx.out.result(
    {
      envelopePath,
      submitted: true,
      receipt: registryJson('submit', receipt),
      verdicts: args.predicate.artifacts.map((a) => ({ kind: a.kind, verdict: a.verdict })),
      warnings,
    },
    () =>
      [
        ...summaryLines(ctx, args.predicate),
        receiptLine(receipt),
        `(a copy of the envelope is in ${envelopePath})`,
      ].join('\n'),
  );
  return { envelopePath, submitted: true, receipt, exitCode };
}

export interface Receipt {
  attestation_id: bigint;
  duplicate: boolean;
  supersedes: [] | [bigint];
  proposal_id: bigint;
}

export function receiptLine(receipt: Receipt): string {
  if (receipt.duplicate)
    return `Already in the registry as attestation ${receipt.attestation_id} (nothing changed).`;
  const replaced =
    receipt.supersedes.length > 0 ? `, replacing your attestation ${receipt.supersedes[0]}` : '';
  return `Submitted: attestation ${receipt.attestation_id} for proposal ${receipt.proposal_id}${replaced}.`;
}

export async function submitEnvelope(
  ctx: Ctx,
  args: { envelope: Uint8Array; key: BuilderKey; envelopePath: string },
): Promise<Receipt> {
  const settings = await ctx.settings();
  const [{ Ed25519KeyIdentity }, { connectRegistry }] = await Promise.all([
    import('@dfinity/identity'),
    import('../io/registry'),
  ]);
  const identity = Ed25519KeyIdentity.fromSecretKey(args.key.seed);
  const registry = await connectRegistry({ settings, identity, savedEnvelope: args.envelopePath });
  return await registry.submit(args.envelope);
}
