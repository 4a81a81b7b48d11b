/**
 * What a builder states when attesting a canister reproduction, before anything is hashed:
 * `--canister <target>=<file|sha256>` (the module, a `.wasm.gz`), `--canister-arg
 * <target>=<file|sha256>` (the install argument's Candid bytes, or their hash as `didc encode …
 * | sha256sum` prints it), `--sns-wasm <type>=<file|sha256>` — and what the proposal expects of
 * each. Pure: the command hashes files and reads governance.
 */
import { isCanisterArtifactKind, type CanisterArtifactKind } from '@repro-registry/attestation';
import { claimedCommit, expectedArtifacts, type ProposalSummary } from '@repro-registry/proposals';
import { usageError } from './errors';
import { normalizeSha256 } from './hex';

export interface CanisterArtifactSpec {
  kind: CanisterArtifactKind;
  /** The flag it came from, for messages. */
  flag: '--canister' | '--canister-arg' | '--sns-wasm';
  /** A SHA-256 given as such, or null when `file` is to be hashed. */
  sha256: string | null;
  file: string | null;
}

const PREFIX = {
  '--canister': 'canister',
  '--canister-arg': 'canister-arg',
  '--sns-wasm': 'sns-wasm',
} as const;

/** `<name>=<file|sha256>` of one flag as an artifact kind and what to hash. */
export function parseCanisterSpec(
  text: string,
  flag: CanisterArtifactSpec['flag'],
): CanisterArtifactSpec {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1)
    throw usageError(
      `${flag} needs <name>=<file|sha256>, got "${text}"`,
      `e.g. ${flag} ${flag === '--sns-wasm' ? 'governance' : 'governance'}=./governance-canister.wasm.gz`,
    );
  const name = text.slice(0, at);
  const value = text.slice(at + 1);
  const kind = `${PREFIX[flag]}:${name}`;
  if (!isCanisterArtifactKind(kind))
    throw usageError(
      `${flag}: "${name}" names no canister`,
      flag === '--sns-wasm'
        ? 'use an SNS-W canister type: root, governance, ledger, swap, archive, index'
        : 'use the NNS canister name (governance, cycles-minting, …) or the canister id',
    );
  const sha256 = normalizeSha256(value);
  if (sha256 === null && /^[0-9a-fA-F]{8,}$/.test(value))
    throw usageError(`${flag} ${name}: "${value}" is neither a SHA-256 nor a file`);
  return { kind, flag, sha256, file: sha256 === null ? value : null };
}

/** `--expected <kind>=<sha256>` for canister kinds (`canister:governance=18ca…`). */
export function parseCanisterExpected(text: string): [CanisterArtifactKind, string] {
  const at = text.lastIndexOf('=');
  const kind = text.slice(0, Math.max(at, 0));
  const sha = normalizeSha256(text.slice(at + 1));
  if (at <= 0 || !isCanisterArtifactKind(kind) || sha === null)
    throw usageError(
      `--expected needs <kind>=<sha256> with a canister kind, got "${text}"`,
      'e.g. --expected canister:governance=18ca5b86…',
    );
  return [kind, sha];
}

/**
 * The proposal's side: each attested kind must be one it expects (its target is what the vote
 * is about), and the commit the builder built must be the one the summary names, when it names
 * one. Returns the expected hash per kind.
 */
export function expectationsFromProposal(args: {
  summary: ProposalSummary;
  kinds: readonly string[];
  commit: string;
}): Map<string, string | null> {
  const { summary } = args;
  const id = summary.id ?? '?';
  const expected = expectedArtifacts(summary);
  if (expected.length === 0 || !expected.every((e) => isCanisterArtifactKind(e.kind))) {
    const why = [summary.canisterInstall, summary.snsWasm]
      .map((r) => (r.ok ? '' : r.message))
      .filter((m) => m !== '')
      .join('; ');
    throw usageError(
      `proposal ${id} installs no canister module${why ? ` (${why})` : ''}`,
      'for IC-OS elections use --artifact; `repro proposal <id>` shows what a proposal asks',
    );
  }
  for (const kind of args.kinds) {
    if (!expected.some((e) => e.kind === kind))
      throw usageError(
        `proposal ${id} asks for ${expected.map((e) => e.kind).join(', ')}, not ${kind}`,
        'name the canister the proposal installs into (its target is what the vote is about)',
      );
  }
  const claimed = claimedCommit(summary.summary);
  if (claimed !== null && claimed !== args.commit)
    throw usageError(
      `proposal ${id} says its module is built from commit ${claimed}, not ${args.commit}`,
      'build and attest the commit the proposal names',
    );
  return new Map(expected.map((e) => [e.kind, e.expectedSha256]));
}

/** Default file names for hashes given bare. */
export function defaultCanisterArtifactName(kind: CanisterArtifactKind): string {
  const [prefix, name] = kind.split(':') as [string, string];
  if (prefix === 'canister-arg') return `${name}-arg.bin`;
  if (prefix === 'sns-wasm') return `sns-${name}-canister.wasm.gz`;
  return `${name}-canister.wasm.gz`;
}
