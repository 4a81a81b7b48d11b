import type { Command } from 'commander';
import path from 'node:path';
import type { ArtifactKind } from '@repro-registry/attestation';
import { defaultArtifactName } from '../core/artifacts';
import { usageError } from '../core/errors';
import { normalizeCommit, normalizeProposalId, normalizeSha256 } from '../core/hex';
import { buildPredicate, parseArtifactKind, type ArtifactInput } from '../core/predicate';
import { attestCanister, canisterSpecs, type CanisterAttestOptions } from './attest-canister';
import {
  collectSource,
  recordSources,
  sourcesFromFlags,
  type SourceOptions,
} from './attest-sources';
import { signAndDeliver } from './deliver';
import { detectHostEnvironment } from './env';
import { withProgress } from './hash';
import { fetchProposal } from './proposal';
import { contextOf, examples, type CliIo, type Ctx } from './shared';

interface AttestOptions extends CanisterAttestOptions, SourceOptions {
  proposal: string;
  commit: string;
  artifact: string[];
  name: string[];
  note?: string;
  started?: string;
  finished?: string;
  cleanCache: string;
  tool: string;
  toolVersion: string;
  scriptSha256?: string;
  dir: string;
  out?: string;
  offline?: boolean;
  dryRun?: boolean;
  force?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function splitPair(text: string, flag: string): [ArtifactKind, string] {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1)
    throw usageError(
      `${flag} needs <kind>=<value>, got "${text}"`,
      `e.g. ${flag} guestos=update-img.tar.zst`,
    );
  return [parseArtifactKind(text.slice(0, at)), text.slice(at + 1)];
}

function parseTime(text: string | undefined, flag: string): Date | null {
  if (text === undefined) return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw usageError(`${flag} "${text}" is not a date`, 'use RFC 3339, e.g. 2025-11-20T09:12:00Z');
  return date;
}

export function registerAttest(program: Command, io: CliIo): void {
  program
    .command('attest')
    .description(
      'build and sign an attestation from hashes or image files, then submit it (or write it with --out, offline)',
    )
    .requiredOption('--proposal <id>', 'the proposal reproduced')
    .requiredOption('--commit <sha>', 'the dfinity/ic commit built (40 hex digits)')
    .option(
      '--artifact <kind=path|sha256>',
      'an artifact built: a file (hashed, archive members too) or its SHA-256; kinds: guestos, hostos, setupos, guestos-recovery',
      collect,
      [],
    )
    .option(
      '--canister <target=path|sha256>',
      'a canister module built (.wasm.gz) for the canister the proposal installs into (governance, cycles-minting, … or its id)',
      collect,
      [],
    )
    .option(
      '--canister-arg <target=path|sha256>',
      "the install argument's Candid bytes (a file, or the SHA-256 `didc encode … | sha256sum` prints)",
      collect,
      [],
    )
    .option(
      '--sns-wasm <type=path|sha256>',
      'an SNS canister module an AddSnsWasm proposal publishes (root, governance, ledger, swap, archive, index)',
      collect,
      [],
    )
    .option(
      '--expected <kind=sha256>',
      'the expected hash (default: read from the proposal for the OS it elects)',
      collect,
      [],
    )
    .option(
      '--name <kind=file>',
      'file name of an artifact given as a bare hash (default update-img.tar.zst / disk-img.tar.zst)',
      collect,
      [],
    )
    .option('--failed <kind>', 'an artifact whose build failed (no hash)', collect, [])
    .option(
      '--sha256sums <kind=url|file>',
      "the release's SHA256SUMS for an image: a URL (downloaded) or a file (recorded as download.dfinity.systems/ic/<commit>/<os>/<image>/SHA256SUMS); its hash for the artifact's file is recorded",
      collectSource,
      [],
    )
    .option(
      '--package-url-hash <url=sha256|file>',
      "one of the proposal's release_package_urls and the SHA-256 of what it served (or the file downloaded from it)",
      collectSource,
      [],
    )
    .option('--note <text>', 'a note for readers (e.g. what failed)')
    .option('--started <time>', 'when the build started (RFC 3339; default now)')
    .option('--finished <time>', 'when the build finished (RFC 3339; default now)')
    .option(
      '--clean-cache <yes|no|unknown>',
      'whether the build started from an empty cache',
      'unknown',
    )
    .option('--tool <name>', 'the tool that built', 'repro-check')
    .option('--tool-version <text>', 'its version', 'unknown')
    .option('--script-sha256 <sha256>', 'SHA-256 of the script that ran')
    .option('--dir <path>', 'build directory whose free disk space is recorded', '.')
    .option(
      '--out <file>',
      'write the signed envelope to a file instead of submitting (no network)',
    )
    .option(
      '--offline',
      'do not read the proposal from governance (give --expected for every artifact)',
    )
    .option('--dry-run', 'print the attestation without submitting')
    .option('--force', 'with --out: replace an existing file')
    .addHelpText(
      'after',
      examples([
        'repro attest --proposal 139768 --commit bcac7ca3862fd8409d56d9dcda919a5f25acbbd4 --artifact guestos=./update-img.tar.zst',
        'repro attest --proposal 139768 --commit bcac7ca3… --artifact guestos=2292b72f… --expected guestos=2292b72f… --out att.json',
        'repro attest --proposal 139768 --commit bcac7ca3… --failed guestos --note "podman: Operation not permitted" --dry-run',
        'repro attest --proposal 139768 --commit bcac7ca3… --artifact guestos=2292b72f… --sha256sums guestos=./SHA256SUMS --package-url-hash https://download.dfinity.network/ic/bcac7ca3…/guest-os/update-img/update-img.tar.zst=./update-img.tar.zst',
        'repro attest --proposal 133385 --commit aa91ecac… --canister governance=./artifacts/canisters/governance-canister.wasm.gz',
        'repro attest --proposal 122287 --commit e813c43a… --canister cycles-minting=cmc.wasm.gz --canister-arg cycles-minting=5349c151…',
      ]),
    )
    .action(async (options: AttestOptions, command: Command) => {
      const ctx = contextOf(command, io);
      io.exitCode = await attest(ctx, options);
    });
}

async function attest(ctx: Ctx, options: AttestOptions): Promise<number> {
  const proposalId = normalizeProposalId(options.proposal);
  if (proposalId === null)
    throw usageError(
      `"${options.proposal}" is not a proposal id`,
      'a proposal id is a positive whole number',
    );
  const commit = normalizeCommit(options.commit);
  if (commit === null)
    throw usageError(
      `"${options.commit}" is not a commit`,
      'give the full 40-hex-digit dfinity/ic commit',
    );
  const canisters = canisterSpecs(options);
  if (options.artifact.length === 0 && options.failed.length === 0 && canisters.length === 0) {
    throw usageError(
      'no artifact given',
      'add --artifact <kind>=<path|sha256> (or --failed <kind> for a failed build), or --canister <target>=<path|sha256>',
    );
  }
  if (canisters.length > 0 && options.artifact.length > 0)
    throw usageError(
      '--artifact (IC-OS images) and --canister/--sns-wasm (canister modules) go in separate attestations',
      'a proposal either elects an IC-OS version or installs canister modules',
    );
  const cleanCache = { yes: true, no: false, unknown: null }[
    options.cleanCache as 'yes' | 'no' | 'unknown'
  ];
  if (cleanCache === undefined)
    throw usageError(`--clean-cache must be yes, no or unknown, not "${options.cleanCache}"`);
  const scriptSha256 =
    options.scriptSha256 === undefined ? null : normalizeSha256(options.scriptSha256);
  if (options.scriptSha256 !== undefined && scriptSha256 === null)
    throw usageError(`--script-sha256 "${options.scriptSha256}" is not a SHA-256`);

  if (canisters.length > 0) {
    const settings = await ctx.settings();
    const { loadKey } = await import('../io/keystore');
    const now = new Date();
    return attestCanister(ctx, {
      specs: canisters,
      options,
      proposalId,
      commit,
      offline: options.offline === true || options.out !== undefined,
      key: await loadKey(settings.keyPath),
      environment: (
        await detectHostEnvironment({ buildDir: path.resolve(ctx.io.cwd, options.dir) })
      ).environment,
      tool: { name: options.tool, version: options.toolVersion, scriptSha256 },
      startedOn: parseTime(options.started, '--started') ?? now,
      finishedOn: parseTime(options.finished, '--finished') ?? now,
      cleanCache,
      notes: options.note ? [options.note] : [],
      ...(options.out !== undefined ? { out: options.out } : {}),
      ...(options.force === true ? { force: true } : {}),
      dryRun: options.dryRun === true,
    });
  }

  const expected = new Map<ArtifactKind, string>();
  for (const pair of options.expected) {
    const [kind, value] = splitPair(pair, '--expected');
    const sha = normalizeSha256(value);
    if (sha === null)
      throw usageError(`--expected ${kind}: "${value}" is not a SHA-256 (64 hex digits)`);
    expected.set(kind, sha);
  }
  const names = new Map<ArtifactKind, string>();
  for (const pair of options.name) {
    const [kind, value] = splitPair(pair, '--name');
    names.set(kind, value);
  }

  const settings = await ctx.settings();
  const { loadKey } = await import('../io/keystore');
  const key = await loadKey(settings.keyPath);

  const artifacts: ArtifactInput[] = [];
  for (const pair of options.artifact) {
    const [kind, value] = splitPair(pair, '--artifact');
    const asHash = normalizeSha256(value);
    if (asHash !== null) {
      artifacts.push({
        kind,
        name: names.get(kind) ?? defaultArtifactName(kind),
        sha256: asHash,
        expectedSha256: expected.get(kind) ?? null,
        attempted: true,
      });
      continue;
    }
    if (/^[0-9a-fA-F]{8,}$/.test(value))
      throw usageError(
        `--artifact ${kind}: "${value}" is neither a SHA-256 (64 hex digits) nor an existing file`,
      );
    const file = path.resolve(ctx.io.cwd, value);
    const { digestArchive, detectCompression } = await import('../io/archive');
    let compression;
    try {
      compression = await detectCompression(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw usageError(
        `--artifact ${kind}: cannot read ${value} (${code ?? (error as Error).message})`,
        code === 'ENOENT' ? 'give an existing file or a SHA-256' : undefined,
      );
    }
    if (compression !== null) {
      const digest = await withProgress(ctx, path.basename(file), (onProgress) =>
        digestArchive({ path: file, onProgress }),
      );
      artifacts.push({
        kind,
        name: names.get(kind) ?? path.basename(file),
        sha256: digest.sha256,
        expectedSha256: expected.get(kind) ?? null,
        attempted: true,
        members: digest.members,
        tarSha256: digest.tarSha256,
      });
    } else {
      const { sha256File } = await import('../io/hash-file');
      const { sha256 } = await withProgress(ctx, path.basename(file), (onProgress) =>
        sha256File({ path: file, onProgress }),
      );
      artifacts.push({
        kind,
        name: names.get(kind) ?? path.basename(file),
        sha256,
        expectedSha256: expected.get(kind) ?? null,
        attempted: true,
      });
    }
  }
  for (const kindText of options.failed) {
    const kind = parseArtifactKind(kindText);
    artifacts.push({
      kind,
      name: names.get(kind) ?? defaultArtifactName(kind),
      sha256: null,
      expectedSha256: expected.get(kind) ?? null,
      attempted: true,
    });
  }

  const missingExpected = artifacts.filter((a) => a.sha256 !== null && a.expectedSha256 === null);
  const offline = options.offline === true || options.out !== undefined;
  let electedOs: 'guestos' | 'hostos' | null = null;
  if (missingExpected.length > 0 || (!offline && artifacts.length > 0)) {
    if (offline && missingExpected.length > 0) {
      throw usageError(
        `no expected hash for ${missingExpected.map((a) => a.kind).join(', ')} (offline: the proposal is not read)`,
        `add --expected ${missingExpected[0].kind}=<sha256 from the proposal>`,
      );
    }
    if (!offline) {
      const summary = await fetchProposal(ctx, BigInt(proposalId));
      if (!summary.icOsElection.ok)
        throw usageError(
          `proposal ${proposalId} does not elect an IC-OS version: ${summary.icOsElection.message}`,
        );
      const election = summary.icOsElection.value;
      electedOs = election.os;
      if (election.electedCommit !== null && election.electedCommit.toLowerCase() !== commit) {
        throw usageError(
          `proposal ${proposalId} elects commit ${election.electedCommit}, not ${commit}`,
          'build and attest the commit the proposal names',
        );
      }
      for (const a of artifacts) {
        if (a.kind === election.os && a.expectedSha256 === null && election.releasePackageSha256Hex)
          a.expectedSha256 = election.releasePackageSha256Hex.toLowerCase();
      }
    }
  }

  const warnings = recordSources(
    ctx,
    artifacts,
    await sourcesFromFlags({ ctx, options, commit, packageKind: electedOs, artifacts }),
  );

  const { environment } = await detectHostEnvironment({
    buildDir: path.resolve(ctx.io.cwd, options.dir),
  });
  const now = new Date();
  const predicate = buildPredicate({
    proposal: { id: proposalId, commit },
    artifacts,
    tool: { name: options.tool, version: options.toolVersion, scriptSha256 },
    environment,
    startedOn: parseTime(options.started, '--started') ?? now,
    finishedOn: parseTime(options.finished, '--finished') ?? now,
    cleanCache,
    notes: options.note ? [options.note] : [],
  });
  const delivery = await signAndDeliver(ctx, {
    predicate,
    key,
    ...(options.out !== undefined ? { out: options.out } : {}),
    ...(options.force === true ? { force: true } : {}),
    dryRun: options.dryRun === true,
    warnings,
  });
  return delivery.exitCode;
}
