import { describe, expect, it } from 'vitest';

import { fixtureSummary } from '../../test/proposal-fixtures';
import {
  defaultCanisterArtifactName,
  expectationsFromProposal,
  parseCanisterExpected,
  parseCanisterSpec,
} from './canister-artifacts';

const governance133385 = fixtureSummary(
  'canister-proposals.json',
  'install-code-133385-governance',
);
const HASH = '18ca5b86271c76459f249c87d80c9e0172e09f64e18c04cf1c28d95f3489de4e';
const COMMIT = 'aa91ecacdf3824e193e21b70e0127e8d3edab51a';

describe('canister artifacts on the command line', () => {
  it('reads --canister, --canister-arg and --sns-wasm as kinds with a file or a hash', () => {
    expect(parseCanisterSpec('governance=./governance-canister.wasm.gz', '--canister')).toEqual({
      kind: 'canister:governance',
      flag: '--canister',
      sha256: null,
      file: './governance-canister.wasm.gz',
    });
    expect(parseCanisterSpec(`cycles-minting=${HASH.toUpperCase()}`, '--canister-arg')).toEqual({
      kind: 'canister-arg:cycles-minting',
      flag: '--canister-arg',
      sha256: HASH,
      file: null,
    });
    expect(parseCanisterSpec('swap=a.wasm.gz', '--sns-wasm').kind).toBe('sns-wasm:swap');
    expect(() => parseCanisterSpec('Governance=x', '--canister')).toThrow(/names no canister/);
    expect(() => parseCanisterSpec('dapp=x', '--sns-wasm')).toThrow(/names no canister/);
    expect(() => parseCanisterSpec('governance', '--canister')).toThrow(/needs <name>=/);
    expect(() => parseCanisterSpec('governance=18ca5b86', '--canister')).toThrow(
      /neither a SHA-256 nor a file/,
    );
    expect(parseCanisterExpected(`canister:governance=${HASH}`)).toEqual([
      'canister:governance',
      HASH,
    ]);
    expect(() => parseCanisterExpected(`guestos=${HASH}`)).toThrow(/canister kind/);
    expect(defaultCanisterArtifactName('canister:governance')).toBe('governance-canister.wasm.gz');
  });

  it('takes the expected hash from the real proposal 133385 and refuses another target', () => {
    // The recorded reply has no summary text: no commit is claimed, any commit is taken.
    expect(
      expectationsFromProposal({
        summary: governance133385,
        kinds: ['canister:governance'],
        commit: COMMIT,
      }),
    ).toEqual(new Map([['canister:governance', HASH]]));
    expect(() =>
      expectationsFromProposal({
        summary: governance133385,
        kinds: ['canister:ledger'],
        commit: COMMIT,
      }),
    ).toThrow(/asks for canister:governance, not canister:ledger/);
    const claimed = { ...governance133385, summary: `__Source code__: [${COMMIT}][new-commit]` };
    expect(() =>
      expectationsFromProposal({ summary: claimed, kinds: [], commit: 'b'.repeat(40) }),
    ).toThrow(/built from commit aa91ecac/);
  });

  it('refuses a proposal that installs nothing', () => {
    const election = fixtureSummary('proposal-info.json', 'open-guestos-election');
    expect(() =>
      expectationsFromProposal({
        summary: election,
        kinds: ['canister:governance'],
        commit: COMMIT,
      }),
    ).toThrow(/installs no canister module/);
  });
});
