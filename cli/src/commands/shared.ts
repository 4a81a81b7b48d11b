import type { Command } from 'commander';
import pc from 'picocolors';
import { usageError } from '../core/errors';
import { normalizeProposalId } from '../core/hex';
import { resolveSettings, type GlobalOptions, type Settings } from '../io/config';
import { createOutput, type Output } from '../io/output';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  /** Set by commands whose outcome is not success (a mismatch); read by `runCli`. */
  exitCode?: number;
}

export interface Ctx {
  io: CliIo;
  globals: GlobalOptions;
  out: Output;
  colors: ReturnType<typeof pc.createColors>;
  settings(): Promise<Settings>;
}

/** Everything a command action needs, from the parsed command (global options included). */
export function contextOf(command: Command, io: CliIo): Ctx {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const json = globals.json === true;
  const colorEnabled =
    !json && io.stdout.isTTY === true && !('NO_COLOR' in io.env) && io.env['TERM'] !== 'dumb';
  let cached: Promise<Settings> | null = null;
  return {
    io,
    globals,
    out: createOutput({ json, stdout: io.stdout, stderr: io.stderr }),
    colors: pc.createColors(colorEnabled),
    settings: () => (cached ??= resolveSettings(globals, io.env, io.cwd)),
  };
}

export function parseProposalId(text: string): bigint {
  const id = normalizeProposalId(text);
  if (id === null)
    throw usageError(
      `"${text}" is not a proposal id`,
      'a proposal id is a positive whole number, e.g. 139768',
    );
  return BigInt(id);
}

export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** Nanoseconds since the epoch as an ISO date, or a dash. */
export function isoFromNs(ns: bigint | null | undefined): string {
  if (ns === null || ns === undefined) return '-';
  return new Date(Number(ns / 1_000_000n)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function table(rows: string[][], indent = '  '): string {
  // eslint-disable-next-line no-control-regex
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  return rows
    .map(
      (row) =>
        indent +
        row
          .map((cell, i) =>
            i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - visible(cell)),
          )
          .join('  '),
    )
    .join('\n');
}
