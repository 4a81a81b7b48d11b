import path from 'node:path';

import type { Command } from 'commander';
import { networkError, usageError } from '../core/errors';
import { eventLine, execWords, readEventPage, type RegistryEvent } from '../core/watch';
import { contextOf, examples, type CliIo, type Ctx } from './shared';

type WatchOptions = {
  since?: string;
  cursorFile?: string;
  interval: string;
  once?: boolean;
  exec?: string;
};

/** Events asked for per read; a full page is followed at once by the next. */
const PAGE = 100;

export function registerWatch(program: Command, io: CliIo): void {
  program
    .command('watch')
    .description(
      "follow the registry's events (proposal seen, first attestation, first mismatch, threshold reached, red alert) and run a command for each",
    )
    .option('--since <cursor>', 'start after this event number (0: every event the registry keeps)')
    .option(
      '--cursor-file <file>',
      'where the last handled event is kept (default: in the config dir)',
    )
    .option('--interval <seconds>', 'seconds between reads', '30')
    .option('--once', 'handle the events there are now, then exit')
    .option(
      '--exec <command>',
      'run this for each event (no shell): REPRO_EVENT_* variables, the event as JSON on stdin',
    )
    .addHelpText(
      'after',
      examples([
        'repro watch',
        'repro watch --json --since 0 --once',
        'repro watch --exec "notify-send \'repro registry\'"',
        'repro watch --exec "sh -c \'notify-send \\"$REPRO_EVENT_SUMMARY\\"\'"',
      ]),
    )
    .action(async (options: WatchOptions, command: Command) => {
      await watch(contextOf(command, io), options);
    });
}

function parseCursor(text: string, flag: string): bigint {
  if (!/^(0|[1-9][0-9]{0,19})$/.test(text) || BigInt(text) >= 2n ** 64n)
    throw usageError(`${flag} takes an event number (a whole number), not "${text}"`);
  return BigInt(text);
}

async function watch(ctx: Ctx, options: WatchOptions): Promise<void> {
  const interval = Number(options.interval);
  if (!Number.isFinite(interval) || interval < 1 || interval > 86_400)
    throw usageError(`--interval must be 1 to 86400 seconds, not "${options.interval}"`);
  const words = options.exec === undefined ? null : execWords(options.exec);
  const settings = await ctx.settings();
  const { connectRegistry } = await import('../io/registry');
  const { readCursor, runForEvent, saveCursor } = await import('../io/watch');
  const registry = await connectRegistry({ settings });
  const cursorFile = path.resolve(
    ctx.io.cwd,
    options.cursorFile ?? path.join(settings.configDir, `watch-${registry.canisterId}.cursor`),
  );

  const read = async (since: bigint | null, limit: number) => {
    const answer = readEventPage(await registry.events({ since, limit }));
    if (!answer.ok)
      throw networkError(
        `the registry at ${registry.host} answered /api/v1/events with something else than events: ${answer.error}`,
        'check --canister-id: is it a repro registry new enough to keep events?',
      );
    return answer.page;
  };

  let since =
    options.since !== undefined
      ? parseCursor(options.since, '--since')
      : await readCursor(cursorFile, registry.canisterId);
  if (since === null) {
    since = BigInt((await read(null, 1)).latest);
    ctx.out.info(
      `watching from now (after event #${since}); --since 0 replays the events the registry keeps`,
    );
  }

  let stopped = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    while (!stopped) {
      const page = await read(since, PAGE);
      if (BigInt(page.oldest) > since + 1n && page.events.length > 0)
        ctx.out.info(
          `events #${since + 1n} to #${BigInt(page.oldest) - 1n} are no longer kept by the registry: skipped`,
        );
      for (const event of page.events) {
        handle(ctx, event);
        if (words !== null) {
          const outcome = await runForEvent({
            words,
            event,
            env: ctx.io.env,
            cwd: ctx.io.cwd,
            output: ctx.io.stderr,
          });
          if (!outcome.ok)
            ctx.io.stderr.write(`repro watch: event #${event.seq}: ${outcome.reason}\n`);
        }
        since = BigInt(event.seq);
        await saveCursor(cursorFile, registry.canisterId, since);
      }
      if (page.events.length === PAGE) continue;
      if (options.once === true) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Prints one event: a line for people, one JSON object per line with --json. */
function handle(ctx: Ctx, event: RegistryEvent): void {
  if (ctx.out.json) {
    ctx.io.stdout.write(`${JSON.stringify(event)}\n`);
    return;
  }
  const line = eventLine(event);
  ctx.io.stdout.write(
    `${event.type === 'red_alert' || event.type === 'sources_disagree' ? ctx.colors.red(ctx.colors.bold(line)) : line}\n`,
  );
}
