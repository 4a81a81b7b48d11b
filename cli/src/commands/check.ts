import type { Command } from 'commander';
import { access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ARTIFACT_KINDS_BY_OS } from '@repro-registry/attestation';
import {
  BUILDABLE_KINDS,
  OS_LABELS,
  REPRO_CHECK_FLAGS,
  defaultArtifactName,
  type BuildableKind,
} from '../core/artifacts';
import { CliError, ExitCode, usageError } from '../core/errors';
import { normalizeCommit, normalizeSha256 } from '../core/hex';
import {
  buildPredicate,
  outcomeFromLog,
  type BuiltImageDigest,
  type ProposalFacts,
} from '../core/predicate';
import { recordSources, sourcesFromCheck } from './attest-sources';
import { checkCanister, type CanisterCheckOptions } from './check-canister';
import { signAndDeliver } from './deliver';
import { detectHostEnvironment } from './env';
import { withProgress } from './hash';
import { fetchProposal } from './proposal';
import { contextOf, examples, parseProposalId, type CliIo, type Ctx } from './shared';

interface CheckOptions extends Partial<CanisterCheckOptions> {
  script?: string;
  clean?: boolean;
  dryRun?: boolean;
  out?: string;
  cacheDir?: string;
  log?: string;
  note?: string;
  guestos?: boolean;
  hostos?: boolean;
  setupos?: boolean;
  recovery?: boolean;
  members: boolean;
  keepImages?: boolean;
  commit?: string;
  expected?: string;
  downloadSource?: string;
  fetchSources?: boolean;
  force?: boolean;
}

/** Where repro-check leaves each built image under `<temp>/disk-images/<commit>/dev-img/`, by script generation. */
const BUILT_IMAGE_PATHS: Record<BuildableKind, string[]> = {
  guestos: [
    'guestos/update/update-img.tar.zst',
    'guestos/update-img.tar.zst',
    'guestos/update/update-img.tar.gz',
    'guestos/update-img.tar.gz',
  ],
  hostos: [
    'hostos/update/update-img.tar.zst',
    'hostos/update-img.tar.zst',
    'hostos/update/update-img.tar.gz',
    'hostos/update-img.tar.gz',
  ],
  setupos: ['setupos/disk-img.tar.zst', 'setupos/disk-img.tar.gz'],
  'guestos-recovery': ['guestos/update-img-recovery/update-img.tar.zst'],
};

export function registerCheck(program: Command, io: CliIo): void {
  program
    .command('check <proposal>')
    .description(
      "run DFINITY's repro-check for a proposal, then build, sign and submit the attestation from its log",
    )
    .option(
      '--script <path>',
      "a local repro-check to run (default: the script from the proposal's own commit)",
    )
    .option(
      '--canister-script <path>',
      'a canister-upgrade proposal: the script that builds the module, run as <script> <commit> <out-dir> (see cli/examples/build-nns-canister.sh)',
    )
    .option('--wasm <file>', 'with --canister-script: the module file in <out-dir> to hash')
    .option(
      '--canister-arg <file|sha256>',
      "with --canister-script: the install argument's Candid bytes, or the hash `didc encode … | sha256sum` printed",
    )
    .option('--clean', 'start from an empty build cache (passes --clean to repro-check)')
    .option('--dry-run', 'print the attestation instead of submitting it')
    .option('--out <file>', 'write the signed envelope to a file instead of submitting it')
    .option('--cache-dir <dir>', "repro-check's cache directory (default ~/.cache/repro-check)")
    .option('--log <file>', 'where to keep the full log (default: in the config directory)')
    .option('--note <text>', 'a note for readers, added to the attestation')
    .option('--guestos', 'verify GuestOS only (with the other OS flags: those only)')
    .option('--hostos', 'verify HostOS')
    .option('--setupos', 'verify SetupOS')
    .option('--recovery', 'verify the recovery GuestOS')
    .option('--no-members', 'do not keep the built images to hash the files inside them')
    .option('--keep-images', 'keep the built images (repro-check deletes them otherwise)')
    .option(
      '--commit <sha>',
      'skip reading governance: the commit to build, passed to repro-check as -c (expected hashes then come from the release)',
    )
    .option('--expected <sha256>', "with --commit: the proposal's release package hash")
    .option(
      '--download-source <source>',
      'where repro-check downloads the release: systems, network or both (passed through)',
    )
    .option(
      '--fetch-sources',
      "also download the release's SHA256SUMS (both CDNs) and the proposal's package URLs that repro-check's cache lacks, and record their hashes",
    )
    .option('--force', 'sign even a log repro cannot read, as not_built with that said in the note')
    .addHelpText(
      'after',
      examples([
        'repro check 139768',
        'repro check 139768 --guestos --clean',
        'repro check 139768 --script ./ci/tools/repro-check --dry-run',
        'repro check 133385 --canister-script ./build-nns-canister.sh',
        'repro check 139768 --out attestation.json   # sign now, `repro submit` later',
      ]),
    )
    .action(async (proposal: string, options: CheckOptions, command: Command) => {
      const ctx = contextOf(command, io);
      io.exitCode =
        options.canisterScript !== undefined
          ? await checkCanister(ctx, parseProposalId(proposal), {
              ...options,
              canisterScript: options.canisterScript,
            })
          : await check(ctx, parseProposalId(proposal), options);
    });
}

async function fileExists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function nearestExisting(dir: string): Promise<string> {
  let current = dir;
  while (!(await fileExists(current)) && path.dirname(current) !== current)
    current = path.dirname(current);
  return current;
}

async function proposalFacts(ctx: Ctx, id: bigint, options: CheckOptions): Promise<ProposalFacts> {
  if (options.commit !== undefined) {
    const commit = normalizeCommit(options.commit);
    if (commit === null)
      throw usageError(`"${options.commit}" is not a commit`, 'give the full 40-hex-digit commit');
    const expected = options.expected === undefined ? null : normalizeSha256(options.expected);
    if (options.expected !== undefined && expected === null)
      throw usageError(`--expected "${options.expected}" is not a SHA-256`);
    return {
      id: id.toString(),
      commit,
      os: expected === null ? null : 'guestos',
      releasePackageSha256: expected,
      releasePackageUrls: [],
      launchMeasurements: null,
    };
  }
  if (options.expected !== undefined)
    throw usageError(
      '--expected goes with --commit',
      'without --commit the expected hash is read from the proposal',
    );
  const summary = await fetchProposal(ctx, id);
  if (!summary.icOsElection.ok)
    throw usageError(
      `proposal ${id} does not elect an IC-OS version: ${summary.icOsElection.message}`,
    );
  const election = summary.icOsElection.value;
  const commit = election.electedCommit === null ? null : normalizeCommit(election.electedCommit);
  if (commit === null)
    throw usageError(
      `proposal ${id} elects no buildable commit (${election.electedCommit ?? 'it only unelects versions'})`,
    );
  return {
    id: id.toString(),
    commit,
    os: election.os,
    releasePackageSha256:
      election.releasePackageSha256Hex === null
        ? null
        : normalizeSha256(election.releasePackageSha256Hex),
    releasePackageUrls: election.releasePackageUrls,
    launchMeasurements: election.launchMeasurements ?? null,
  };
}

/** Flags only some generations of repro-check have: asking an older one for them fails late. */
function requireScriptFlag(script: { text: string; origin: string }, flag: string): void {
  if (!script.text.includes(flag))
    throw usageError(
      `this repro-check (${script.origin}) has no ${flag} option`,
      `drop ${flag}, or run a newer script with --script <path>`,
    );
}

/** The argument list for repro-check, from repro's options (everything passes through). */
function scriptArguments(args: {
  proposal: ProposalFacts;
  options: CheckOptions;
  requested: readonly BuildableKind[];
  cacheDir: string;
  script: { text: string; origin: string };
}): string[] {
  const { options, script } = args;
  const argv =
    options.commit !== undefined ? ['-c', args.proposal.commit] : ['-p', args.proposal.id];
  for (const kind of args.requested) {
    if (kind === 'guestos-recovery') requireScriptFlag(script, '--recovery');
    argv.push(REPRO_CHECK_FLAGS[kind]);
  }
  if (options.cacheDir !== undefined) {
    requireScriptFlag(script, '--cache-dir');
    argv.push('--cache-dir', args.cacheDir);
  }
  if (options.downloadSource !== undefined) {
    if (!['systems', 'network', 'both'].includes(options.downloadSource))
      throw usageError(
        `--download-source "${options.downloadSource}" is not systems, network or both`,
      );
    requireScriptFlag(script, '--download-source');
    argv.push('--download-source', options.downloadSource);
  }
  if (options.clean) {
    requireScriptFlag(script, '--clean');
    argv.push('--clean');
  }
  return argv;
}

/** Hashes the images repro-check built (three layers each), where it left them. */
async function digestBuiltImages(args: {
  ctx: Ctx;
  tempDirectory: string;
  commit: string;
  kinds: readonly BuildableKind[];
}): Promise<Partial<Record<BuildableKind, BuiltImageDigest>>> {
  const { digestArchive } = await import('../io/archive');
  const devImages = path.join(args.tempDirectory, 'disk-images', args.commit, 'dev-img');
  const images: Partial<Record<BuildableKind, BuiltImageDigest>> = {};
  for (const kind of args.kinds) {
    for (const relative of BUILT_IMAGE_PATHS[kind]) {
      const file = path.join(devImages, relative);
      if (!(await fileExists(file))) continue;
      try {
        const digest = await withProgress(args.ctx, `${kind} members`, (onProgress) =>
          digestArchive({ path: file, onProgress }),
        );
        images[kind] = digest;
      } catch (error) {
        args.ctx.out.info(
          args.ctx.colors.yellow(
            `could not read the files inside ${file}: ${(error as Error).message}`,
          ),
        );
      }
      break;
    }
  }
  return images;
}

async function check(ctx: Ctx, proposalId: bigint, options: CheckOptions): Promise<number> {
  const settings = await ctx.settings();
  if (options.clean && options.cacheDir !== undefined) {
    throw usageError(
      '--clean cannot be combined with --cache-dir',
      'repro-check refuses to clean a directory you name: empty it yourself, or drop --cache-dir',
    );
  }
  const { loadKey } = await import('../io/keystore');
  // Before hours of building: a missing or unsafe key should stop us now.
  const key = await loadKey(settings.keyPath);
  const proposal = await proposalFacts(ctx, proposalId, options);

  const requested = BUILDABLE_KINDS.filter(
    (kind) => options[kind === 'guestos-recovery' ? 'recovery' : kind] === true,
  );
  if (proposal.os !== null) {
    const own: readonly string[] = ARTIFACT_KINDS_BY_OS[proposal.os];
    const foreign = requested.filter((k) => !own.includes(k));
    if (foreign.length > 0)
      throw usageError(
        `proposal ${proposal.id} elects ${OS_LABELS[proposal.os]}: ${foreign.map((k) => OS_LABELS[k]).join(', ')} belong${foreign.length === 1 ? 's' : ''} to another election`,
        `drop ${foreign.map((k) => REPRO_CHECK_FLAGS[k]).join(' ')}`,
      );
  }

  const run = await import('../io/run-script');
  const script =
    options.script !== undefined
      ? await run.readScript(path.resolve(ctx.io.cwd, options.script), 'local script')
      : await run.fetchScriptAtCommit({
          commit: proposal.commit,
          cacheDir: path.join(os.homedir(), '.cache', 'repro-registry'),
        });

  const cacheDir =
    options.cacheDir === undefined
      ? run.defaultReproCheckCache()
      : path.resolve(ctx.io.cwd, options.cacheDir);
  const cleanCache = options.clean === true ? true : await run.isEmptyDirectory(cacheDir);

  const argv = scriptArguments({ proposal, options, requested, cacheDir, script });
  const env: NodeJS.ProcessEnv = {};
  // repro-check deletes its build directory when done; asking it to keep it lets us hash the
  // files inside the images. The Python script keeps it with --debug, the older ones with DEBUG set.
  const keepForMembers = options.members || options.keepImages === true;
  if (keepForMembers) {
    if (/["']--debug["']/.test(script.text)) argv.push('--debug');
    else env['DEBUG'] = '1';
  }

  // Free disk is what the build can use: the cache directory's file system (its nearest existing parent).
  const environmentPromise = nearestExisting(cacheDir).then((buildDir) =>
    detectHostEnvironment({ buildDir }),
  );
  const logPath =
    options.log !== undefined
      ? path.resolve(ctx.io.cwd, options.log)
      : path.join(settings.configDir, 'logs', `proposal-${proposal.id}-${Date.now()}.log`);
  ctx.out.info(ctx.colors.dim(`running ${script.path} ${argv.join(' ')} (log: ${logPath})`));
  const result = await run.runScript({
    script: script.path,
    argv,
    logPath,
    env: { ...ctx.io.env, ...env },
    echo: ctx.io.stderr,
  });
  const { environment } = await environmentPromise;

  const { parseReproCheckLog } = await import('../core/log/parse');
  const parsed = parseReproCheckLog(result.log);

  if (parsed.checkedOutCommit !== null && parsed.checkedOutCommit !== proposal.commit) {
    throw new CliError({
      message: `repro-check built commit ${parsed.checkedOutCommit}, not ${proposal.commit} (the proposal's): nothing was signed`,
      exitCode: ExitCode.USAGE,
      hint: `run the script of the proposal's commit, or check --commit; the full log is ${logPath}`,
    });
  }
  if (parsed.unrecognised !== null && options.force !== true) {
    throw new CliError({
      message: `repro cannot read this repro-check log (${parsed.unrecognised}): nothing was signed; the full log is ${logPath}`,
      exitCode: ExitCode.USAGE,
      hint: 'read the log; to sign it anyway as not built, run again with --force',
    });
  }

  let images: Partial<Record<BuildableKind, BuiltImageDigest>> = {};
  if (options.members && parsed.tempDirectory !== null && parsed.unrecognised === null) {
    images = await digestBuiltImages({
      ctx,
      tempDirectory: parsed.tempDirectory,
      commit: proposal.commit,
      kinds: parsed.results.map((r) => r.kind),
    });
    if (keepForMembers && !options.keepImages) {
      await run.removeKeptTemporary(parsed.tempDirectory, [cacheDir, os.tmpdir()]);
    }
  }

  const outcome =
    parsed.unrecognised === null
      ? outcomeFromLog({ parsed, proposal, requested, images, exitCode: result.exitCode })
      : forcedOutcome({ proposal, requested, reason: parsed.unrecognised, logPath });
  // What repro-check downloaded besides the image: the release's sums and the proposal's URLs.
  const warnings = recordSources(
    ctx,
    outcome.artifacts,
    await sourcesFromCheck({
      ctx,
      cacheDir,
      commit: proposal.commit,
      artifacts: outcome.artifacts,
      packageKind: proposal.os,
      packageUrls: proposal.releasePackageUrls,
      fetch: options.fetchSources === true,
    }),
  );
  if (
    result.exitCode === 0 &&
    outcome.artifacts.some(
      (a) => a.sha256 !== null && a.expectedSha256 !== null && a.sha256 !== a.expectedSha256,
    )
  )
    warnings.push(
      'repro-check exited 0, but its log shows a mismatch (older versions do this): the log is what counts.',
    );
  const versionLabel =
    `${parsed.format === 'unknown' ? 'unrecognised log' : parsed.format}; ${script.origin}`.slice(
      0,
      128,
    );
  const predicate = buildPredicate({
    proposal: { id: proposal.id, commit: proposal.commit },
    artifacts: outcome.artifacts,
    tool: {
      name: 'repro-check',
      version: versionLabel,
      scriptSha256: script.sha256,
      exitCode: result.exitCode,
    },
    environment,
    startedOn: result.startedOn,
    finishedOn: result.finishedOn,
    cleanCache,
    notes: [...(options.note ? [options.note] : []), ...outcome.notes],
    failure: outcome.failure,
  });
  const delivery = await signAndDeliver(ctx, {
    predicate,
    key,
    ...(options.out !== undefined ? { out: options.out } : {}),
    ...(options.force === true ? { force: true } : {}),
    dryRun: options.dryRun === true,
    warnings,
  });
  ctx.out.info(ctx.colors.dim(`full log: ${logPath}`));
  return delivery.exitCode;
}

/** `--force` on a log repro cannot read: every kind not built, and the note says why. */
function forcedOutcome(args: {
  proposal: ProposalFacts;
  requested: readonly BuildableKind[];
  reason: string;
  logPath: string;
}) {
  const kinds: readonly BuildableKind[] =
    args.requested.length > 0
      ? args.requested
      : args.proposal.os === 'hostos'
        ? ['hostos']
        : ['guestos'];
  return {
    artifacts: kinds.map((kind) => ({
      kind,
      name: defaultArtifactName(kind),
      sha256: null,
      expectedSha256: kind === args.proposal.os ? args.proposal.releasePackageSha256 : null,
      attempted: false,
    })),
    notes: [
      `repro could not read repro-check's log (${args.reason}) and signed it with --force as not built; the log was kept at ${args.logPath}.`,
    ],
    failure: null,
  };
}
