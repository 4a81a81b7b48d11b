import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { usageError } from '../core/errors';
import { contextOf, examples, type CliIo } from './shared';

export function registerKey(program: Command, io: CliIo): void {
  const key = program
    .command('key')
    .description(
      'manage your builder key (one Ed25519 key, stored with mode 0600 in your config directory)',
    )
    .addHelpText(
      'after',
      examples([
        'repro key new',
        'repro key show',
        'dfx identity export mykey > mykey.pem && repro key import mykey.pem',
        'repro key export > backup.pem',
      ]),
    );

  key
    .command('new')
    .description('create a new builder key')
    .option('--force', 'replace an existing key (it is lost unless exported)')
    .addHelpText('after', examples(['repro key new', 'repro key new --force']))
    .action(async (options: { force?: boolean }, command: Command) => {
      const ctx = contextOf(command, io);
      const settings = await ctx.settings();
      const [{ keyFromSeed, saveKey }, { randomBytes }] = await Promise.all([
        import('../io/keystore'),
        import('node:crypto'),
      ]);
      const builder = keyFromSeed(Uint8Array.from(randomBytes(32)));
      await saveKey({ keyPath: settings.keyPath, key: builder, force: options.force === true });
      ctx.out.result(
        {
          principal: builder.principal,
          publicKey: Buffer.from(builder.publicKey).toString('base64'),
          path: settings.keyPath,
        },
        () =>
          [
            `Created a builder key: ${builder.principal}`,
            `Stored in ${settings.keyPath} (mode 0600). Back it up with \`repro key export\`.`,
          ].join('\n'),
      );
    });

  key
    .command('show')
    .description('print your builder principal and public key')
    .addHelpText('after', examples(['repro key show', 'repro key show --json']))
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command, io);
      const settings = await ctx.settings();
      const { loadKey } = await import('../io/keystore');
      const builder = await loadKey(settings.keyPath);
      const publicKey = Buffer.from(builder.publicKey).toString('base64');
      ctx.out.result(
        {
          principal: builder.principal,
          publicKey,
          publicKeyHex: Buffer.from(builder.publicKey).toString('hex'),
          path: settings.keyPath,
        },
        () =>
          [
            `principal   ${builder.principal}`,
            `public key  ${publicKey} (base64, raw Ed25519)`,
            `file        ${settings.keyPath}`,
          ].join('\n'),
      );
    });

  key
    .command('import <pem>')
    .description(
      'import an Ed25519 private key (PKCS#8 PEM, e.g. from `dfx identity export`); "-" reads stdin',
    )
    .option('--force', 'replace an existing key')
    .addHelpText(
      'after',
      examples([
        'repro key import ~/.config/dfx/identity/builder/identity.pem',
        'dfx identity export builder | repro key import -',
      ]),
    )
    .action(async (file: string, options: { force?: boolean }, command: Command) => {
      const ctx = contextOf(command, io);
      const settings = await ctx.settings();
      const { keyFromPem, saveKey } = await import('../io/keystore');
      let text: string;
      try {
        text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
      } catch (error) {
        throw usageError(
          `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          'give the path of a PEM file',
        );
      }
      const builder = keyFromPem(text, file === '-' ? 'stdin' : file);
      await saveKey({ keyPath: settings.keyPath, key: builder, force: options.force === true });
      ctx.out.result(
        { principal: builder.principal, path: settings.keyPath },
        () => `Imported builder key ${builder.principal} into ${settings.keyPath}`,
      );
    });

  key
    .command('export')
    .description('print your builder key as PKCS#8 PEM (keep it secret)')
    .addHelpText('after', examples(['repro key export > backup.pem && chmod 600 backup.pem']))
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command, io);
      const settings = await ctx.settings();
      const [{ loadKey }, { formatEd25519Pem }] = await Promise.all([
        import('../io/keystore'),
        import('../core/pem'),
      ]);
      const builder = await loadKey(settings.keyPath);
      const pem = formatEd25519Pem(builder.seed);
      ctx.out.result({ principal: builder.principal, pem }, () => pem);
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
