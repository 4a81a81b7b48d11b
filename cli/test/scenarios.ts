/**
 * The `repro attest` command lines the CLI's tests and the integration tests (test/cli) share:
 * one proposal, one artifact hashed (or a file to hash) and what the proposal expects.
 */

/** The commit of proposal 139768 (and of the tests' other IC-OS proposals). */
export const COMMIT = 'bcac7ca3862fd8409d56d9dcda919a5f25acbbd4';

export interface AttestScenario {
  proposal: string;
  /** `<kind>=<file or SHA-256>`, as on the command line. */
  artifact: string;
  /** `<kind>=<SHA-256>` the proposal expects; omitted, the CLI reads it from governance. */
  expected?: string;
  commit?: string;
}

/** `repro attest` with the scenario's options, then `extra` (`--offline`, `--json`, ...). */
export function attestArgs(scenario: AttestScenario, ...extra: string[]): string[] {
  const { proposal, artifact, expected, commit = COMMIT } = scenario;
  return [
    'attest',
    '--proposal',
    proposal,
    '--commit',
    commit,
    '--artifact',
    artifact,
    ...(expected === undefined ? [] : ['--expected', expected]),
    ...extra,
  ];
}
