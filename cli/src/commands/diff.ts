import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Artifact } from '@repro-registry/attestation';
import { diffMembers, type DiffSide } from '../core/diff';
import { ExitCode, usageError } from '../core/errors';
import { parseArtifactKind } from '../core/predicate';
import { withProgress } from './hash';
import { contextOf, examples, type CliIo, type Ctx } from './shared';

/** IC-OS and canister kinds alike: a diff compares two results of one kind. */
type ArtifactKind = Artifact['kind'];

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerDiff(program: Command, io: CliIo): void {
  program
    .command('diff [left] [right]')
    .description(
      'say where two image archives differ (compression, tar layout, or which files); each side is an archive, a signed attestation file, or --attestation <id> from the registry',
    )
    .option(
      '--kind <kind>',
      'which artifact of an attestation to compare (default: the first one built)',
    )
    .option(
      '--attestation <id>',
      'a side from the registry by attestation id (give it once or twice)',
      collect,
      [],
    )
    .addHelpText(
      'after',
      examples([
        'repro diff my-attestation.json their-attestation.json',
        'repro diff update-img.tar.zst released/update-img.tar.zst',
        'repro diff update-img.tar.zst --attestation 42 --kind guestos',
        'repro diff --attestation 41 --attestation 42',
      ]),
    )
    .action(
      async (
        left: string | undefined,
        right: string | undefined,
        options: { kind?: string; attestation: string[] },
        command: Command,
      ) => {
        const ctx = contextOf(command, io);
        const kind = options.kind === undefined ? undefined : parseArtifactKind(options.kind);
        const specs: Array<{ file: string } | { id: string }> = [
          ...[left, right].filter((x): x is string => x !== undefined).map((file) => ({ file })),
          ...options.attestation.map((id) => ({ id })),
        ];
        if (specs.length !== 2)
          throw usageError(
            `diff compares two sides, got ${specs.length}`,
            'give two archives or attestation files, or use --attestation <id> for a side',
          );
        const a = await loadSide(ctx, specs[0], kind);
        const b = await loadSide(ctx, specs[1], kind ?? a.kind ?? undefined);
        const result = diffMembers(a.side, b.side);
        ctx.out.result({ left: a.side, right: b.side, ...result }, () => {
          if (result.identical) return `identical: both are ${a.side.sha256}`;
          const lines = [
            `${result.summary} (${a.side.sha256 ?? 'not built'} vs ${b.side.sha256 ?? 'not built'})`,
          ];
          if (result.layer === 'files' && result.differences !== null) {
            for (const d of result.differences) {
              if (d.change === 'differs')
                lines.push(
                  `  differs      ${d.path}  ${d.left!.sha256.slice(0, 16)}… (${d.left!.size} B) vs ${d.right!.sha256.slice(0, 16)}… (${d.right!.size} B)`,
                );
              else lines.push(`  only in ${d.change === 'onlyLeft' ? 'left ' : 'right'} ${d.path}`);
            }
          }
          if (result.sameMembers.length > 0)
            lines.push(`  identical:   ${result.sameMembers.join(', ')}`);
          if (result.layer === 'unknown')
            lines.push(
              `  ${a.side.members === null ? a.side.label : b.side.label} has no member list to localise it`,
            );
          return lines.join('\n');
        });
        if (!result.identical) io.exitCode = ExitCode.MISMATCH;
      },
    );
}

async function sideFromEnvelope(
  bytes: Uint8Array,
  label: string,
  kind: ArtifactKind | undefined,
): Promise<{ side: DiffSide; kind: ArtifactKind | null }> {
  const { verifyAttestation } = await import('@repro-registry/attestation');
  const verified = verifyAttestation(bytes);
  if (!verified.ok)
    throw usageError(
      `${label} is neither an image archive nor a valid attestation (${verified.error.code}: ${verified.error.message})`,
    );
  const artifacts = verified.value.predicate.artifacts;
  const artifact =
    kind === undefined
      ? artifacts.find((a) => a.sha256 !== null)
      : artifacts.find((a) => a.kind === kind);
  if (!artifact)
    throw usageError(
      `${label} has no ${kind ?? 'built'} artifact`,
      `pick one with --kind (it has: ${artifacts.map((a) => a.kind).join(', ')})`,
    );
  return {
    side: {
      label: `${label} (${artifact.kind})`,
      sha256: artifact.sha256,
      tarSha256: artifact.tarSha256 ?? null,
      members: artifact.members ?? null,
    },
    kind: artifact.kind,
  };
}

async function loadSide(
  ctx: Ctx,
  spec: { file: string } | { id: string },
  kind: ArtifactKind | undefined,
): Promise<{ side: DiffSide; kind: ArtifactKind | null }> {
  if ('id' in spec) {
    if (!/^[1-9]\d{0,19}$/.test(spec.id)) throw usageError(`"${spec.id}" is not an attestation id`);
    const { connectRegistry } = await import('../io/registry');
    const registry = await connectRegistry({ settings: await ctx.settings() });
    const attestation = await registry.getAttestation(BigInt(spec.id));
    return sideFromEnvelope(Uint8Array.from(attestation.envelope), `attestation ${spec.id}`, kind);
  }
  const file = spec.file;
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
    return {
      side: {
        label: file,
        sha256: digest.sha256,
        tarSha256: digest.tarSha256,
        members: digest.members,
      },
      kind: null,
    };
  }
  let bytes = Uint8Array.from(await readFile(absolute));
  if (bytes.at(-1) === 0x0a) bytes = bytes.subarray(0, bytes.length - 1);
  return sideFromEnvelope(bytes, file, kind);
}
