/**
 * `repro attest --canister <target>=<file|sha256>` (and `--canister-arg`, `--sns-wasm`): a
 * reproduction of the modules a canister-upgrade or AddSnsWasm proposal installs, signed as
 * `canister-reproduction/v1`. Expected hashes come from the proposal (governance), or from
 * `--expected canister:<target>=<sha256>` offline.
 */
import path from 'node:path';
import type { Environment } from '@repro-registry/attestation';
import {
  defaultCanisterArtifactName,
  expectationsFromProposal,
  parseCanisterExpected,
  parseCanisterSpec,
  type CanisterArtifactSpec,
} from '../core/canister-artifacts';
import { usageError } from '../core/errors';
import { buildPredicate, type ArtifactInput } from '../core/predicate';
import type { BuilderKey } from '../io/keystore';
import { signAndDeliver } from './deliver';
import { withProgress } from './hash';
import { fetchProposal } from './proposal';
import type { Ctx } from './shared';

export interface CanisterAttestOptions {
  canister: string[];
  canisterArg: string[];
  snsWasm: string[];
  expected: string[];
  failed: string[];
}

/** The canister flags given, in order; empty when this is an IC-OS attestation. */
export function canisterSpecs(options: CanisterAttestOptions): CanisterArtifactSpec[] {
  return [
    ...options.canister.map((t) => parseCanisterSpec(t, '--canister')),
    ...options.canisterArg.map((t) => parseCanisterSpec(t, '--canister-arg')),
    ...options.snsWasm.map((t) => parseCanisterSpec(t, '--sns-wasm')),
  ];
}

async function hashSpec(ctx: Ctx, spec: CanisterArtifactSpec): Promise<ArtifactInput> {
  if (spec.sha256 !== null || spec.file === null)
    return {
      kind: spec.kind,
      name: defaultCanisterArtifactName(spec.kind),
      sha256: spec.sha256,
      expectedSha256: null,
      attempted: true,
    };
  const file = path.resolve(ctx.io.cwd, spec.file);
  const { sha256File } = await import('../io/hash-file');
  try {
    const { sha256 } = await withProgress(ctx, path.basename(file), (onProgress) =>
      sha256File({ path: file, onProgress }),
    );
    return {
      kind: spec.kind,
      name: path.basename(file),
      sha256,
      expectedSha256: null,
      attempted: true,
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(
      `${spec.flag} ${spec.kind.slice(spec.kind.indexOf(':') + 1)}: cannot read ${spec.file} (${code ?? (error as Error).message})`,
      code === 'ENOENT' ? 'give an existing file or a SHA-256' : undefined,
    );
  }
}

export async function attestCanister(
  ctx: Ctx,
  args: {
    specs: CanisterArtifactSpec[];
    options: CanisterAttestOptions;
    proposalId: string;
    commit: string;
    offline: boolean;
    key: BuilderKey;
    environment: Environment;
    tool: { name: string; version: string; scriptSha256: string | null };
    startedOn: Date;
    finishedOn: Date;
    cleanCache: boolean | null;
    notes: string[];
    out?: string;
    force?: boolean;
    dryRun: boolean;
  },
): Promise<number> {
  const { specs, options } = args;
  if (options.failed.length > 0)
    throw usageError(
      '--failed takes IC-OS kinds; a canister build that failed is attested with --note and no module',
    );
  const expected = new Map<string, string | null>(
    options.expected.map((text) => parseCanisterExpected(text)),
  );
  if (!args.offline) {
    const summary = await fetchProposal(ctx, BigInt(args.proposalId));
    const fromProposal = expectationsFromProposal({
      summary,
      kinds: specs.map((s) => s.kind),
      commit: args.commit,
    });
    for (const [kind, sha] of fromProposal) {
      const given = expected.get(kind);
      if (given !== undefined && given !== sha)
        ctx.out.info(
          ctx.colors.yellow(
            `warning: --expected ${kind} differs from the proposal's ${sha ?? '(none)'}: the proposal's counts`,
          ),
        );
      if (specs.some((s) => s.kind === kind)) expected.set(kind, sha);
    }
  }
  const artifacts: ArtifactInput[] = [];
  for (const spec of specs) {
    const input = await hashSpec(ctx, spec);
    artifacts.push({ ...input, expectedSha256: expected.get(spec.kind) ?? null });
  }
  const missing = artifacts.find((a) => a.expectedSha256 === null);
  if (missing !== undefined)
    throw usageError(
      `no expected hash for ${missing.kind}${args.offline ? ' (offline: the proposal is not read)' : ': the proposal states none'}`,
      `add --expected ${missing.kind}=<sha256 from the proposal>`,
    );
  const predicate = buildPredicate({
    proposal: { id: args.proposalId, commit: args.commit },
    artifacts,
    tool: args.tool,
    environment: args.environment,
    startedOn: args.startedOn,
    finishedOn: args.finishedOn,
    cleanCache: args.cleanCache,
    notes: args.notes,
  });
  const { PREDICATE_TYPE_CANISTER_V1 } = await import('@repro-registry/attestation');
  const delivery = await signAndDeliver(ctx, {
    predicate,
    predicateType: PREDICATE_TYPE_CANISTER_V1,
    key: args.key,
    ...(args.out !== undefined ? { out: args.out } : {}),
    ...(args.force === true ? { force: true } : {}),
    dryRun: args.dryRun,
  });
  return delivery.exitCode;
}
