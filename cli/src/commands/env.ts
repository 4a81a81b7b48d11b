import type { Command } from 'commander';
import path from 'node:path';
import { contextOf, examples, table, type CliIo } from './shared';

export function registerEnv(program: Command, io: CliIo): void {
  program
    .command('env')
    .description(
      'detect and print the host environment recorded in attestations (each value with its source)',
    )
    .option('--dir <path>', 'build directory whose free disk space is recorded', '.')
    .option(
      '--root <path>',
      'read system files under this root instead of / (for inspecting a mounted system; commands are not run)',
    )
    .addHelpText(
      'after',
      examples(['repro env', 'repro env --dir ~/.cache/repro-check', 'repro env --json']),
    )
    .action(async (options: { dir: string; root?: string }, command: Command) => {
      const ctx = contextOf(command, io);
      const { report, environment } = await detectHostEnvironment({
        buildDir: path.resolve(io.cwd, options.dir),
        ...(options.root ? { root: path.resolve(io.cwd, options.root) } : {}),
      });
      ctx.out.result(
        {
          environment,
          sources: Object.fromEntries(Object.entries(report).map(([k, v]) => [k, v.source])),
        },
        () =>
          table(
            Object.entries(report).map(([field, d]) => [
              field,
              d.value === null ? ctx.colors.yellow('unknown') : String(d.value),
              ctx.colors.dim(d.source),
            ]),
          ),
      );
    });
}

export async function detectHostEnvironment(args: { buildDir: string; root?: string }) {
  const [{ probeHost }, { detectEnvironment, toEnvironment }] = await Promise.all([
    import('../io/env-probe'),
    import('../core/env-detect'),
  ]);
  const live = args.root === undefined;
  const facts = await probeHost({
    root: args.root ?? '/',
    buildDir: args.buildDir,
    runCommands: live,
    useNodeOs: live,
  });
  const report = detectEnvironment(facts);
  return { report, environment: toEnvironment(report) };
}
