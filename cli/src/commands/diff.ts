import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactKind } from '@repro-registry/attestation';
import { diffMembers, type DiffSide } from '../core/diff';
import { ExitCode, usageError } from '../core/errors';
import { parseArtifactKind } from '../core/predicate';
import { withProgress } from './hash';
import { contextOf, examples, type CliIo, type Ctx } from './shared';

export function registerDiff(program: Command, io: CliIo): void {
  program
    .command('diff <left> <right>')
    .description(
      'name the files inside two image archives that differ; each side is an archive or a signed attestation',
    )
    .option(
      '--kind <kind>',
      'which artifact of an attestation to compare (default: the first one built)',
    )
    .addHelpText(
      'after',
      examples([
        'repro diff my-attestation.json their-attestation.json',
        'repro diff update-img.tar.zst released/update-img.tar.zst',
        'repro diff mine.json update-img.tar.zst --kind guestos',
      ]),
    )
    .action(async (left: string, right: string, options: { kind?: string }, command: Command) => {
      const ctx = contextOf(command, io);
      const kind = options.kind === undefined ? undefined : parseArtifactKind(options.kind);
      const a = await loadSide(ctx, left, kind);
      const b = await loadSide(ctx, right, kind ?? a.kind ?? undefined);
      const result = diffMembers(a.side, b.side);
      ctx.out.result({ left: a.side, right: b.side, ...result }, () => {
        if (result.identical) return `identical: both are ${a.side.sha256}`;
        if (result.differences === null) {
          return `the archives differ (${a.side.sha256} vs ${b.side.sha256}), but ${a.side.members === null ? left : right} has no member list to localise it`;
        }
        const lines = [`the archives differ (${a.side.sha256} vs ${b.side.sha256})`];
        for (const d of result.differences) {
          if (d.change === 'differs')
            lines.push(
              `  differs      ${d.path}  ${d.left!.sha256.slice(0, 16)}… (${d.left!.size} B) vs ${d.right!.sha256.slice(0, 16)}… (${d.right!.size} B)`,
            );
          else lines.push(`  only in ${d.change === 'only_left' ? 'left ' : 'right'} ${d.path}`);
        }
        if (result.differences.length === 0)
          lines.push(
            '  every member is identical: the difference is in the archive itself (order, metadata, compression)',
          );
        if (result.sameMembers.length > 0)
          lines.push(`  identical:   ${result.sameMembers.join(', ')}`);
        return lines.join('\n');
      });
      if (!result.identical) io.exitCode = ExitCode.MISMATCH;
    });
}

async function loadSide(
  ctx: Ctx,
  file: string,
  kind: ArtifactKind | undefined,
): Promise<{ side: DiffSide; kind: ArtifactKind | null }> {
  const absolute = path.resolve(ctx.io.cwd, file);
  const { detectCompression, digestArchive } = await import('../io/archive');
  let compression;
  try {
    compression = await detectCompression(absolute);
  } catch (error) {
    throw usageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (compression !== null) {
    const digest = await withProgress(ctx, path.basename(file), (onProgress) =>
      digestArchive({ path: absolute, onProgress }),
    );
    return { side: { label: file, sha256: digest.sha256, members: digest.members }, kind: null };
  }
  let bytes = Uint8Array.from(await readFile(absolute));
  if (bytes.at(-1) === 0x0a) bytes = bytes.subarray(0, bytes.length - 1);
  const { verifyAttestation } = await import('@repro-registry/attestation');
  const verified = verifyAttestation(bytes);
  if (!verified.ok)
    throw usageError(
      `${file} is neither an image archive nor a valid attestation (${verified.error.code}: ${verified.error.message})`,
    );
  const artifacts = verified.value.predicate.artifacts;
  const artifact =
    kind === undefined
      ? artifacts.find((a) => a.sha256 !== null)
      : artifacts.find((a) => a.kind === kind);
  if (!artifact)
    throw usageError(
      `${file} has no ${kind ?? 'built'} artifact`,
      `pick one with --kind (it has: ${artifacts.map((a) => a.kind).join(', ')})`,
    );
  return {
    side: {
      label: `${file} (${artifact.kind})`,
      sha256: artifact.sha256,
      members: artifact.members ?? null,
    },
    kind: artifact.kind,
  };
}
