/**
 * `repro check <proposal> --canister-script <path>`: reproduce the module a canister-upgrade (or
 * AddSnsWasm) proposal installs. repro runs the builder's script as
 * `<script> <commit> <out-dir>` (environment: REPRO_COMMIT, REPRO_OUT_DIR, REPRO_PROPOSAL_ID,
 * REPRO_CANISTER = the target's name), hashes the module it leaves in `<out-dir>`, and attests
 * it against the proposal's hash — see `cli/examples/build-nns-canister.sh`, which builds with
 * dfinity/ic's `./ci/container/build-ic.sh --canisters`.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { claimedCommit } from '@repro-registry/proposals';
import { parseCanisterSpec, type CanisterArtifactSpec } from '../core/canister-artifacts';
import { usageError } from '../core/errors';
import { normalizeCommit } from '../core/hex';
import { attestCanister } from './attest-canister';
import { detectHostEnvironment } from './env';
import { fetchProposal } from './proposal';
import type { Ctx } from './shared';

export interface CanisterCheckOptions {
  canisterScript: string;
  commit?: string;
  wasm?: string;
  canisterArg?: string;
  dryRun?: boolean;
  out?: string;
  log?: string;
  note?: string;
}

/** Where dfinity/ic's build puts a canister's module: `<name>-canister.wasm.gz` and variants. */
function moduleCandidates(name: string): string[] {
  const snake = name.replace(/-/g, '_');
  return [
    `${name}-canister.wasm.gz`,
    `${snake}_canister.wasm.gz`,
    `${snake}-canister.wasm.gz`,
    `${name}.wasm.gz`,
    `${name}.wasm`,
  ];
}

/** The module the script built for `name`: by `--wasm`, by dfinity/ic's names, or the only one. */
export function pickModule(args: { files: string[]; name: string; wasm?: string }): string | null {
  if (args.wasm !== undefined) return args.files.includes(args.wasm) ? args.wasm : null;
  for (const candidate of moduleCandidates(args.name))
    if (args.files.includes(candidate)) return candidate;
  const modules = args.files.filter((f) => f.endsWith('.wasm.gz') || f.endsWith('.wasm'));
  return modules.length === 1 ? modules[0] : null;
}

export async function checkCanister(
  ctx: Ctx,
  proposalId: bigint,
  options: CanisterCheckOptions,
): Promise<number> {
  const settings = await ctx.settings();
  const { loadKey } = await import('../io/keystore');
  const key = await loadKey(settings.keyPath);
  const summary = await fetchProposal(ctx, proposalId);
  const kind = summary.canisterInstall.ok
    ? `canister:${summary.canisterInstall.value.targetName ?? summary.canisterInstall.value.targetCanisterId ?? 'new'}`
    : summary.snsWasm.ok
      ? `sns-wasm:${summary.snsWasm.value.canisterTypeName}`
      : null;
  if (kind === null)
    throw usageError(
      `proposal ${proposalId} installs no canister module`,
      'IC-OS elections are checked without --canister-script',
    );
  // dfinity/ic names SNS modules sns-<type> (sns-governance-canister.wasm.gz).
  const name = (kind.startsWith('sns-wasm:') ? 'sns-' : '') + kind.slice(kind.indexOf(':') + 1);
  const commitText = options.commit ?? claimedCommit(summary.summary);
  const commit = commitText === null ? null : normalizeCommit(commitText);
  if (commit === null)
    throw usageError(
      commitText === null
        ? `proposal ${proposalId}'s summary names no commit`
        : `"${commitText}" is not a commit`,
      'give the dfinity/ic commit the module is built from with --commit',
    );

  const { readScript, runScript } = await import('../io/run-script');
  const script = await readScript(
    path.resolve(ctx.io.cwd, options.canisterScript),
    '--canister-script',
  );
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'repro-canister-'));
  const logPath =
    options.log !== undefined
      ? path.resolve(ctx.io.cwd, options.log)
      : path.join(settings.configDir, 'logs', `canister-${proposalId}-${Date.now()}.log`);
  const environment = detectHostEnvironment({ buildDir: outDir });
  ctx.out.info(`building ${kind} of proposal ${proposalId} at ${commit} with ${script.path}`);
  const run = await runScript({
    script: script.path,
    argv: [commit, outDir],
    logPath,
    env: {
      ...ctx.io.env,
      REPRO_COMMIT: commit,
      REPRO_OUT_DIR: outDir,
      REPRO_PROPOSAL_ID: proposalId.toString(),
      REPRO_CANISTER: name,
    },
    echo: ctx.out.json ? null : ctx.io.stderr,
  });
  const files = await readdir(outDir);
  const picked =
    run.exitCode === 0
      ? pickModule({ files, name, ...(options.wasm ? { wasm: options.wasm } : {}) })
      : null;
  if (run.exitCode === 0 && picked === null)
    throw usageError(
      `the script built no module for ${name} that repro can tell apart in ${outDir} (it holds: ${files.join(', ') || 'nothing'})`,
      'name it with --wasm <file>',
    );
  const module: CanisterArtifactSpec = {
    kind: kind as CanisterArtifactSpec['kind'],
    flag: '--canister',
    sha256: null,
    file: picked === null ? null : path.join(outDir, picked),
  };
  const specs = [module];
  if (options.canisterArg !== undefined)
    specs.push(
      parseCanisterSpec(
        `${kind.slice(kind.indexOf(':') + 1)}=${options.canisterArg}`,
        '--canister-arg',
      ),
    );
  const notes = [
    ...(options.note ? [options.note] : []),
    ...(picked === null
      ? [
          `the canister build script exited with ${run.exitCode ?? run.signal ?? 'nothing'}; log: ${logPath}`,
        ]
      : []),
  ];
  return attestCanister(ctx, {
    specs,
    options: { canister: [], canisterArg: [], snsWasm: [], expected: [], failed: [] },
    proposalId: proposalId.toString(),
    commit,
    offline: false,
    key,
    environment: (await environment).environment,
    tool: { name: path.basename(script.path), version: 'unknown', scriptSha256: script.sha256 },
    startedOn: run.startedOn,
    finishedOn: run.finishedOn,
    cleanCache: null,
    notes,
    ...(options.out !== undefined ? { out: options.out } : {}),
    dryRun: options.dryRun === true,
  });
}
