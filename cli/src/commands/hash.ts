import type { Command } from 'commander';
import { usageError } from '../core/errors';
import { contextOf, examples, type CliIo, type Ctx } from './shared';

export function registerHash(program: Command, io: CliIo): void {
  program
    .command('hash <files...>')
    .description(
      'SHA-256 of files, streaming (progress bar with bytes, rate and ETA on a terminal; plain lines otherwise)',
    )
    .option('--members', 'also hash every file inside .tar, .tar.gz and .tar.zst archives')
    .addHelpText(
      'after',
      examples([
        'repro hash update-img.tar.zst',
        'repro hash --members update-img.tar.zst',
        'repro hash *.tar.zst --json',
      ]),
    )
    .action(async (files: string[], options: { members?: boolean }, command: Command) => {
      const ctx = contextOf(command, io);
      const results: HashedFile[] = [];
      for (const file of files) results.push(await hashOne(ctx, file, options.members === true));
      ctx.out.result({ files: results }, () =>
        results
          .map((r) =>
            [
              `${r.sha256}  ${r.path}`,
              ...(r.tarSha256 !== undefined && r.compression !== 'none'
                ? [`  ${r.tarSha256}  (the tar stream inside)`]
                : []),
              ...(r.members ?? []).map((m) => `  ${m.sha256}  ${m.path} (${m.size} bytes)`),
            ].join('\n'),
          )
          .join('\n'),
      );
    });
}

export async function withProgress<T>(
  ctx: Ctx,
  label: string,
  run: (onProgress: (p: { bytesDone: number; bytesTotal: number }) => void) => Promise<T>,
): Promise<T> {
  const tty = ctx.io.stderr.isTTY === true && !ctx.out.json;
  if (!tty) return run(() => undefined);
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: ctx.io.stderr,
      format: `${label} [{bar}] {percentage}% | {done}/{size} | {rate} | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  const human = (n: number) =>
    n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`;
  let begun = false;
  try {
    return await run(({ bytesDone, bytesTotal }) => {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      const payload = {
        done: human(bytesDone),
        size: human(bytesTotal),
        rate: `${human(bytesDone / seconds)}/s`,
      };
      if (!begun) {
        bar.start(bytesTotal, bytesDone, payload);
        begun = true;
      } else bar.update(bytesDone, payload);
    });
  } finally {
    if (begun) bar.stop();
  }
}

interface HashedFile {
  path: string;
  sha256: string;
  size: number;
  compression?: string;
  /** The uncompressed tar stream inside an archive. */
  tarSha256?: string;
  members: Array<{ path: string; sha256: string; size: string }> | undefined;
}

async function hashOne(ctx: Ctx, file: string, members: boolean): Promise<HashedFile> {
  const path = await import('node:path');
  const absolute = path.resolve(ctx.io.cwd, file);
  try {
    if (members) {
      const { digestArchive, detectCompression } = await import('../io/archive');
      if ((await detectCompression(absolute)) !== null) {
        const digest = await withProgress(ctx, path.basename(file), (onProgress) =>
          digestArchive({ path: absolute, onProgress }),
        );
        return {
          path: file,
          sha256: digest.sha256,
          size: digest.size,
          compression: digest.compression,
          tarSha256: digest.tarSha256,
          members: digest.members,
        };
      }
    }
    const { sha256File } = await import('../io/hash-file');
    const { sha256, size } = await withProgress(ctx, path.basename(file), (onProgress) =>
      sha256File({ path: absolute, onProgress }),
    );
    return { path: file, sha256, size, members: undefined };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError(`no such file: ${file}`);
    if (code === 'EISDIR') throw usageError(`${file} is a directory`);
    if (code === 'EACCES') throw usageError(`cannot read ${file}: permission denied`);
    throw error;
  }
}
