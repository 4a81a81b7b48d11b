import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError, ExitCode, usageError } from '../core/errors';
import { exitCodeFor, receiptLine, submitEnvelope } from './deliver';
import { contextOf, examples, type CliIo } from './shared';

export function registerSubmit(program: Command, io: CliIo): void {
  program
    .command('submit <file>')
    .description(
      'send a signed envelope (from `repro attest --out` or a failed submission) to the registry',
    )
    .addHelpText(
      'after',
      examples([
        'repro submit attestation.json',
        'repro submit ~/.config/repro-registry/envelopes/proposal-139768-1a2b3c4d5e6f7a8b.json --network ic',
      ]),
    )
    .action(async (file: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command, io);
      const absolute = path.resolve(io.cwd, file);
      let bytes: Uint8Array;
      try {
        bytes = Uint8Array.from(await readFile(absolute));
      } catch (error) {
        throw usageError(
          `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          'give the path of a signed envelope',
        );
      }
      // Registries store the envelope as sent: strip only the newline `--out` appends.
      if (bytes.at(-1) === 0x0a) bytes = bytes.subarray(0, bytes.length - 1);
      const { verifyAttestation } = await import('@repro-registry/attestation');
      const verified = verifyAttestation(Uint8Array.from(bytes));
      if (!verified.ok) {
        throw new CliError({
          message: `${file} is not a valid attestation: ${verified.error.code}: ${verified.error.message}`,
          exitCode: ExitCode.MISMATCH,
          code: verified.error.code,
        });
      }
      const settings = await ctx.settings();
      const { loadKey } = await import('../io/keystore');
      const key = await loadKey(settings.keyPath);
      if (key.principal !== verified.value.builderId) {
        throw usageError(
          `${file} was signed by ${verified.value.builderId}, but your key is ${key.principal}`,
          'the registry accepts an attestation only from the builder who signed it: submit it with that key',
        );
      }
      const receipt = await submitEnvelope(ctx, {
        envelope: Uint8Array.from(bytes),
        key,
        envelopePath: absolute,
      });
      const { registryJson } = await import('../io/json-style');
      const verdicts = verified.value.predicate.artifacts.map((a) => ({
        kind: a.kind,
        verdict: a.verdict,
      }));
      ctx.out.result({ submitted: true, receipt: registryJson('submit', receipt), verdicts }, () =>
        receiptLine(receipt),
      );
      // The same exit code for the same verdicts as `check` and `attest` give.
      io.exitCode = exitCodeFor(verified.value.predicate);
    });
}
