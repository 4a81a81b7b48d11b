/**
 * The commands a builder runs to reproduce a proposal and submit a signed attestation to this
 * registry. Written out in full (network and canister id included) so they can be pasted as is.
 */
import type { RegistryConnection } from '../api/registry.api';

export interface ReproduceStep {
  title: string;
  command: string;
  note: string;
}

/**
 * How the CLI is installed: from a checkout of the repro-registry repository (the CLI is not
 * published to npm). One place to change when its distribution changes.
 */
export const CLI_INSTALL_COMMAND = 'npm install && npm install --global ./cli';

/** Shown in the clone command when the configuration names no repository. */
export const REPOSITORY_PLACEHOLDER = '<repro-registry repository URL>';

const MAINNET = /(^|\.)(icp-api\.io|ic0\.app|icp0\.io)$/;

/** The `--network` value the CLI understands for the registry this page reads. */
export function cliNetwork(connection: Pick<RegistryConnection, 'host'>): string {
  return MAINNET.test(new URL(connection.host).hostname) ? 'ic' : connection.host;
}

export function reproduceSteps(args: {
  proposalId: bigint;
  connection: Pick<RegistryConnection, 'host' | 'canisterId'>;
  /** The repro-registry repository's address (null: this deployment does not name it). */
  repository?: string | null;
}): ReproduceStep[] {
  const { proposalId, connection } = args;
  const repository = args.repository ?? null;
  const flags = `--network ${cliNetwork(connection)} --canister-id ${connection.canisterId}`;
  return [
    {
      title: 'Clone the repro-registry repository',
      command: `git clone ${repository ?? REPOSITORY_PLACEHOLDER} repro-registry && cd repro-registry`,
      note: `${repository === null ? "This registry's configuration does not name the repository's address: ask whoever runs it, then put it in place of the placeholder. " : ''}It holds the repro CLI (and this registry's source). You do not clone dfinity/ic yourself: repro check fetches DFINITY's repro-check script from the proposal's commit, which builds the images.`,
    },
    {
      title: 'Install the repro CLI',
      command: CLI_INSTALL_COMMAND,
      note: 'In that checkout; needs Node.js 20 or later. The build itself needs x86_64 Linux with podman; DFINITY recommends 16 GiB RAM and 100 GiB free disk.',
    },
    {
      title: 'Create your builder key (once)',
      command: 'repro key new',
      note: 'An Ed25519 key kept in your config directory; its principal is your builder id in the registry.',
    },
    {
      title: `Reproduce proposal ${proposalId} and submit a signed attestation`,
      command: `repro check ${proposalId} ${flags}`,
      note: 'Builds the images from the commit the proposal elects, compares the hashes, records your environment and signs the result with your builder key.',
    },
  ];
}
