import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { Command } from 'commander';
import { CliError, ExitCode } from '../core/errors';
import { contextOf, examples, isoFromNs, type CliIo } from './shared';

/**
 * `repro log`: the registry's certified log head, saved, and checked to extend the one saved
 * last time — a registry that rewrote its history is caught by anyone who ran this before.
 */
export function registerLog(program: Command, io: CliIo): void {
  program
    .command('log')
    .description(
      "check the registry's transparency log: certified checkpoint, consistent with the last one saved",
    )
    .addHelpText('after', examples(['repro log', 'repro log --json']))
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command, io);
      const settings = await ctx.settings();
      const { connectRegistry } = await import('../io/registry');
      const { verifyCheckpoint } = await import('@repro-registry/client');
      const { parseCheckpoint, keyId, verifyConsistency } =
        await import('@repro-registry/transparency-log');
      const registry = await connectRegistry({ settings });
      const checkpoint = await registry.checkpoint();
      const context = registry.verifyContext();
      const failed = (code: string, message: string) =>
        new CliError({
          message: `failed verification: ${code}: ${message}`,
          exitCode: ExitCode.VERIFICATION,
          code,
          hint: 'the registry answered something the IC did not certify, or rewrote its log: report it',
        });
      const head = await verifyCheckpoint(context, checkpoint);
      if (!head.ok) throw failed(head.code, `the checkpoint failed verification: ${head.message}`);
      const noteBytes = checkpoint.note[0];
      if (noteBytes === undefined)
        throw failed('CHECKPOINT_UNSIGNED', 'no checkpoint text in the reply');
      const note = new TextDecoder().decode(noteBytes);

      const file = path.join(
        settings.configDir,
        'checkpoints',
        `${settings.networkName.replace(/[^A-Za-z0-9.-]/g, '_')}-${registry.canisterId}.txt`,
      );
      const savedText = await readFile(file, 'utf8').catch(() => null);
      let consistency: string;
      if (savedText === null) {
        consistency = 'first checkpoint saved here: nothing to compare yet';
      } else {
        const id = keyId({
          origin: checkpoint.origin,
          canisterId: context.canisterId.toUint8Array(),
        });
        const saved = parseCheckpoint(savedText, id);
        if (!saved.ok) throw failed(saved.code, `the saved checkpoint ${file}: ${saved.message}`);
        const size = Number(checkpoint.size);
        if (saved.value.size > size) {
          throw failed(
            'TREE_SIZE_OUT_OF_RANGE',
            `the log shrank from ${saved.value.size} to ${size} leaves since ${file} was saved`,
          );
        }
        if (saved.value.size === 0) {
          consistency = 'the saved checkpoint was of an empty log';
        } else {
          const proof = await registry.consistencyProof(BigInt(saved.value.size), checkpoint.size);
          const ok = verifyConsistency({
            oldSize: saved.value.size,
            newSize: size,
            oldRoot: saved.value.root,
            newRoot: checkpoint.root,
            proof: proof.proof,
          });
          if (!ok.ok) {
            throw failed(
              ok.code,
              `the log of ${size} leaves does not extend the one of ${saved.value.size} saved in ${file}: its history was rewritten`,
            );
          }
          consistency = `consistent with the checkpoint saved before (${saved.value.size} leaves)`;
        }
      }
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, note);
      await rename(`${file}.tmp`, file);
      ctx.out.result(
        {
          origin: checkpoint.origin,
          size: Number(checkpoint.size),
          root: Buffer.from(checkpoint.root).toString('base64'),
          certifiedAt: isoFromNs(head.value.certifiedAt),
          consistency,
          saved: file,
          checkpoint: note,
        },
        () =>
          [
            `log ${checkpoint.origin}: ${checkpoint.size} leaves, certified ${isoFromNs(head.value.certifiedAt)}`,
            `  root ${Buffer.from(checkpoint.root).toString('base64')}`,
            `  ${consistency}`,
            `  saved to ${file}`,
          ].join('\n'),
      );
    });
}
