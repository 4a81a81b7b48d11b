import { Command, CommanderError } from 'commander';
import { registerAttest } from './commands/attest';
import { registerCheck } from './commands/check';
import { registerDiff } from './commands/diff';
import { registerEnv } from './commands/env';
import { registerHash } from './commands/hash';
import { registerKey } from './commands/key';
import { registerList } from './commands/list';
import { registerProposal } from './commands/proposal';
import { registerProposals } from './commands/proposals';
import { examples, type CliIo } from './commands/shared';
import { registerLog } from './commands/log';
import { registerStatus } from './commands/status';
import { registerSubmit } from './commands/submit';
import { registerVerify } from './commands/verify';
import { registerWatch } from './commands/watch';
import { CliError, ExitCode } from './core/errors';
import { toJson } from './io/output';

declare const __REPRO_VERSION__: string | undefined;
export const VERSION = typeof __REPRO_VERSION__ === 'string' ? __REPRO_VERSION__ : '0.0.0-dev';

const EXIT_CODES = `
Exit codes (the same for the same outcome in every command):
  0  success: every artifact matched (or not built), a valid signature, identical archives
  1  verification mismatch: an artifact that did not match or failed to build (check, attest,
     submit), a bad signature (verify), archives that differ (diff) — also when signed offline
  2  usage or input error: bad arguments, missing file, unreadable or unsafe key, a repro-check
     log repro cannot read or that built another commit (nothing signed)
  3  network error: registry or governance unreachable (a signed envelope is kept on disk)
  4  rejected by the registry: its code, what it means and what to do are printed
  5  internal error (a bug in repro)
  6  failed verification: a registry answer whose IC certificate, witness or log proof does not
     verify (status, verify --attestation, log) — never reported as a network error

Environment: REPRO_NETWORK, REPRO_CANISTER_ID, REPRO_GOVERNANCE_CANISTER_ID, REPRO_CONFIG (config file),
REPRO_CONFIG_DIR (key and config directory), NO_COLOR.`;

export function buildProgram(
  io: CliIo,
  options: { json?: boolean; usageText?: string[] } = {},
): Command {
  const program = new Command('repro')
    .description(
      'Reproduce IC-OS release proposals and publish signed attestations to the repro registry.',
    )
    .version(VERSION, '-V, --version')
    .option('--network <network>', 'local, ic, or the URL of an IC API (default ic)')
    .option('--canister-id <id>', 'the registry canister')
    .option('--governance-canister-id <id>', 'NNS governance (default rrkah-fqaaa-aaaaa-aaaaq-cai)')
    .option('--config <file>', 'config file (default <config dir>/config.json)')
    .option('--json', 'machine-readable output on stdout')
    .option('--debug', 'show stack traces on errors')
    .addHelpText(
      'after',
      examples([
        'repro key new',
        'repro proposals --open                  # what is open for voting now',
        'repro check 139768                      # run repro-check, attest and submit',
        'repro status 139768',
        'repro attest --proposal 139768 --commit <sha> --artifact guestos=update-img.tar.zst --out att.json',
        'repro verify att.json',
      ]) + EXIT_CODES,
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      // With --json a usage error becomes a JSON error on stdout (below), not text on stderr.
      writeErr: (text) =>
        options.json === true && options.usageText !== undefined
          ? void options.usageText.push(text)
          : void io.stderr.write(text),
    });
  program.configureHelp({ sortSubcommands: false });
  registerKey(program, io);
  registerEnv(program, io);
  registerProposal(program, io);
  registerProposals(program, io);
  registerWatch(program, io);
  registerHash(program, io);
  registerCheck(program, io);
  registerAttest(program, io);
  registerSubmit(program, io);
  registerStatus(program, io);
  registerLog(program, io);
  registerList(program, io);
  registerVerify(program, io);
  registerDiff(program, io);
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput(program.configureOutput());
  }
  return program;
}

/** Runs `repro` with the given arguments (without `node repro`); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  const debug = argv.includes('--debug');
  const usageText: string[] = [];
  const program = buildProgram(io, { json, usageText });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return io.exitCode ?? ExitCode.SUCCESS;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return ExitCode.SUCCESS;
      // Commander printed its one-line message, or (with --json) handed it to us to print as JSON.
      if (json) {
        const message = (usageText.join('') || error.message)
          .split('\n')[0]
          .replace(/^error: /, '')
          .trim();
        io.stdout.write(
          `${toJson({ error: { code: 'USAGE', message, hint: 'see repro --help', exitCode: ExitCode.USAGE } })}\n`,
        );
      }
      return ExitCode.USAGE;
    }
    if (error instanceof CliError) {
      if (json)
        io.stdout.write(
          `${toJson({ error: { code: error.code ?? null, message: error.message, hint: error.hint ?? null, exitCode: error.exitCode } })}\n`,
        );
      else io.stderr.write(`error: ${error.message}${error.hint ? ` — ${error.hint}` : ''}\n`);
      if (debug && error.stack)
        io.stderr.write(
          `${error.stack}\n${error.cause instanceof Error && error.cause.stack ? `caused by: ${error.cause.stack}\n` : ''}`,
        );
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (json)
      io.stdout.write(
        `${toJson({ error: { code: 'INTERNAL', message, hint: null, exitCode: ExitCode.INTERNAL } })}\n`,
      );
    else
      io.stderr.write(
        `error: unexpected failure: ${message} — this is a bug in repro; run again with --debug and report it\n`,
      );
    if (debug && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    return ExitCode.INTERNAL;
  }
}

export async function main(): Promise<void> {
  const io: CliIo = {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
  };
  const code = await runCli(process.argv.slice(2), io);
  // Let stdout drain before exiting (large --json outputs to a pipe).
  process.exitCode = code;
}
